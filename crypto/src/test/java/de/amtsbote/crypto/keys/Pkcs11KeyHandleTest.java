package de.amtsbote.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.RSAPrivateKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.util.DigestFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Private-key operations inside a real SoftHSM2 token: keys generated there (RSA-3072, brainpoolP256r1, P-256),
 * certified through their own requests, then used to sign, to decrypt content keys encrypted in software, and to agree
 * on ECDH secrets — while the token keeps them sensitive and never extractable.
 */
class Pkcs11KeyHandleTest {

    private static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;

    static SoftHsm hsm;
    static CertificateAuthority ca;
    static Pkcs11KeyVault vault;
    static String rsaRequest;
    static PrivateKeyHandle rsaEncryption;
    static PrivateKeyHandle rsaSigning;
    static PrivateKeyHandle brainpoolSigning;
    static PrivateKeyHandle p256Evidence;
    static PrivateKeyHandle p256Encryption;
    static PrivateKeyHandle brainpoolEncryption;

    @BeforeAll
    static void keysInTheToken() throws Exception {
        hsm = SoftHsm.require();
        ca = CertificateAuthority.root("Amtsbote Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
        vault = Pkcs11KeyVault.open(hsm.config(SoftHsm.MAIN_TOKEN), SoftHsm.pinFile(dir, SoftHsm.PIN),
                dir.resolve("token.ledger"), POLICY, Clock.systemUTC());

        KeyRef rsa = vault.generate("gemeinde-rsa", KeyPurpose.ENCRYPTION, KeySpec.rsa(3072));
        rsaRequest = vault.csr(rsa, CsrSubject.of("Gemeinde").email("post@gemeinde.example"));
        vault.importCertificate(rsa, ca.certify(Pem.readCsr(new StringReader(rsaRequest)),
                IssueRequest.named("gemeinde-rsa").profile(CertificateProfile.ENCRYPTION)).chain());
        rsaEncryption = vault.decryptionKeys("gemeinde-rsa").get(0);
        rsaSigning = active(ca, "gemeinde-rsa", KeyPurpose.SIGNING, KeySpec.rsa(3072));
        brainpoolSigning = active(ca, "gemeinde-ec", KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1"));
        p256Evidence = active(ca, "gateway", KeyPurpose.EVIDENCE, KeySpec.ec("P-256"));
        p256Encryption = active(ca, "gemeinde-p256", KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"));
        brainpoolEncryption = active(ca, "gemeinde-ec", KeyPurpose.ENCRYPTION, KeySpec.ec("brainpoolP256r1"));
    }

    @AfterAll
    static void closeVault() {
        if (vault != null) {
            vault.close();
        }
    }

    private static PrivateKeyHandle active(CertificateAuthority ca, String owner, KeyPurpose purpose, KeySpec spec)
            throws Exception {
        KeyRef ref = vault.generate(owner, purpose, spec);
        vault.importCertificate(ref, ca.certify(Pem.readCsr(new StringReader(vault.csr(ref, CsrSubject.of("Gemeinde")))),
                IssueRequest.named(owner).profile(KeyVaultContract.profileOf(purpose))).chain());
        return purpose == KeyPurpose.ENCRYPTION ? vault.decryptionKeys(owner).get(0) : vault.signingKey(owner, purpose);
    }

    // ------------------------------------------------------------------ messages with token keys

    private static de.amtsbote.crypto.validation.CertificateValidator validator() {
        return de.amtsbote.crypto.validation.PkixCertificateValidator.builder().trustAnchor(ca.certificate())
                .policy(POLICY).revocation(de.amtsbote.crypto.validation.RevocationSources.NONE).build();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "signed by the {0} token key, encrypted for the {1} token key")
    @org.junit.jupiter.params.provider.CsvSource({"RSA,RSA", "brainpool,brainpool", "RSA,P-256"})
    void signsAndOpensSmimeWithKeysThatNeverLeaveTheToken(String signing, String encryption) throws Exception {
        PrivateKeyHandle signer = signing.equals("RSA") ? rsaSigning : brainpoolSigning;
        PrivateKeyHandle recipient = switch (encryption) {
            case "RSA" -> rsaEncryption;
            case "P-256" -> p256Encryption;
            default -> brainpoolEncryption;
        };
        byte[] entity = "Content-Type: text/plain\r\n\r\nBescheid\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream mail = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream encrypted = de.amtsbote.crypto.smime.SmimeWriter.encrypted(mail,
                de.amtsbote.crypto.cms.CmsEncryptor.builder(POLICY, validator()).recipient(recipient.certificate())
                        .build());
             java.io.OutputStream signed = de.amtsbote.crypto.smime.SmimeWriter.signed(encrypted,
                     de.amtsbote.crypto.cms.CmsSigner.builder(signer, POLICY).build())) {
            signed.write(entity);
        }

        java.io.ByteArrayOutputStream inner = new java.io.ByteArrayOutputStream();
        de.amtsbote.crypto.smime.SmimeResult result = new de.amtsbote.crypto.smime.SmimeOpener(
                de.amtsbote.crypto.cms.CmsOpener.builder(POLICY, validator()).decryptionKeys(List.of(recipient)).build())
                .open(new java.io.ByteArrayInputStream(mail.toByteArray()), inner);

        assertThat(result.valid()).as(result.describe()).isTrue();
        assertThat(result.layers().get(0).decryption().key()).isEqualTo(recipient.ref());
        assertThat(inner.toByteArray()).isEqualTo(entity);
    }

    @Test
    void signsEvidenceXmlWithTheTokensEvidenceKey() throws Exception {
        org.w3c.dom.Document evidence = de.amtsbote.crypto.xml.SecureXml.standard().parse(new java.io.ByteArrayInputStream(
                "<Evidence xmlns=\"urn:amtsbote:evidence\"><Event>Retrieval</Event></Evidence>"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        new de.amtsbote.crypto.xml.XmlSigner(p256Evidence, POLICY).signEnveloped(evidence);

        de.amtsbote.crypto.xml.VerifiedXml verified = de.amtsbote.crypto.xml.XmlSignatureVerifier
                .withExpectedSigner(POLICY, p256Evidence.certificate())
                .verify(evidence, de.amtsbote.crypto.xml.SignatureExpectation.documentElement());
        assertThat(verified.documentElement().getElementsByTagNameNS("urn:amtsbote:evidence", "Event").item(0)
                .getTextContent()).isEqualTo("Retrieval");
    }

    // ------------------------------------------------------------------ inside the token

    @Test
    void keysAreGeneratedInTheTokenAsSensitiveObjectsThatNeverLeaveIt() throws Exception {
        String objects = hsm.pkcs11Tool(SoftHsm.MAIN_TOKEN, "--list-objects", "--type", "privkey");

        for (PrivateKeyHandle handle : List.of(rsaEncryption, rsaSigning, brainpoolSigning, p256Encryption)) {
            String object = objectWithId(objects, handle.ref().id());
            assertThat(object).as("%s in the token", handle)
                    .contains("sensitive", "always sensitive", "never extractable", "local");
        }
    }

    @Test
    void keysOfEachPurposeMayDoOnlyWhatThePurposeNeeds() throws Exception {
        String objects = hsm.pkcs11Tool(SoftHsm.MAIN_TOKEN, "--list-objects", "--type", "privkey");

        assertThat(usage(objects, rsaSigning)).contains("sign").doesNotContain("decrypt", "unwrap");
        assertThat(usage(objects, brainpoolSigning)).contains("sign").doesNotContain("decrypt", "unwrap", "derive");
        assertThat(usage(objects, rsaEncryption)).contains("decrypt").doesNotContain("unwrap", "derive");
        assertThat(usage(objects, p256Encryption)).contains("derive").doesNotContain("decrypt", "unwrap");
    }

    @Test
    void theJcaViewOfATokenKeyHoldsNoKeyMaterial() {
        assertThat(rsaEncryption.jcaKey().getEncoded()).isNull();
        assertThat(brainpoolEncryption.jcaKey().getEncoded()).isNull();
        assertThatThrownBy(() -> KeyFactory.getInstance("RSA", rsaEncryption.jcaProvider())
                .getKeySpec(rsaEncryption.jcaKey(), RSAPrivateKeySpec.class))
                .isInstanceOf(InvalidKeySpecException.class);
        assertThatThrownBy(() -> KeyFactory.getInstance("EC", brainpoolEncryption.jcaProvider())
                .getKeySpec(brainpoolEncryption.jcaKey(), ECPrivateKeySpec.class))
                .isInstanceOf(InvalidKeySpecException.class);
        assertThat(rsaEncryption.hardware()).isTrue();
        assertThat(rsaEncryption.toString()).contains("token key", rsaEncryption.ref().id());
    }

    // ------------------------------------------------------------------ signatures

    @Test
    void signsWithRsaPssVerifiableWithTheCertificateKey() throws Exception {
        SignatureSpec spec = POLICY.signatureFor(rsaSigning.certificate().getPublicKey(), null);
        assertThat(spec.scheme()).isEqualTo(Algorithm.RSASSA_PSS);

        assertVerifies(spec, rsaSigning);
    }

    static Stream<PrivateKeyHandle> ecSigners() {
        return Stream.of(brainpoolSigning, p256Evidence);
    }

    @ParameterizedTest
    @MethodSource("ecSigners")
    void signsWithEcdsaVerifiableWithTheCertificateKey(PrivateKeyHandle signer) throws Exception {
        SignatureSpec spec = POLICY.signatureFor(signer.certificate().getPublicKey(), null);
        assertThat(spec.scheme()).isEqualTo(Algorithm.ECDSA);

        assertVerifies(spec, signer);
    }

    @Test
    void openSslVerifiesTheRequestTheTokenSigned() throws Exception {
        Path request = dir.resolve("rsa-request.pem");
        Files.writeString(request, rsaRequest);

        Process openssl = new ProcessBuilder("openssl", "req", "-in", request.toString(), "-noout", "-verify", "-text")
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(openssl.exitValue()).as(output).isZero();
        assertThat(output).contains("verify OK", "rsassaPss", "Key Encipherment", "email:post@gemeinde.example");
    }

    // ------------------------------------------------------------------ RSA decryption

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"SHA256", "SHA384", "SHA512"})
    void decryptsAnOaepContentKeyEncryptedInSoftware(Algorithm digest) throws Exception {
        byte[] contentKey = random(32);
        Cipher cipher = Cipher.getInstance("RSA/NONE/OAEPPadding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, rsaEncryption.certificate().getPublicKey(), JcaNames.oaep(digest));

        byte[] decrypted = rsaEncryption.decryptOaep(cipher.doFinal(contentKey), digest);

        assertThat(decrypted).isEqualTo(contentKey);
    }

    @Test
    void refusesAnOaepBlockWhoseFirstByteIsNotZero() throws Exception {
        RSAPublicKey key = (RSAPublicKey) rsaEncryption.certificate().getPublicKey();
        byte[] contentKey = random(32);
        byte[] encoded = oaepEncoded(contentKey, key); // EM without its leading byte Y
        byte[] withZero = new byte[encoded.length + 1];
        System.arraycopy(encoded, 0, withZero, 1, encoded.length);
        byte[] withOne = withZero.clone();
        withOne[0] = 1;

        assertThat(rsaEncryption.decryptOaep(rawEncrypt(withZero, key), Algorithm.SHA256)).isEqualTo(contentKey);
        assertThatThrownBy(() -> rsaEncryption.decryptOaep(rawEncrypt(withOne, key), Algorithm.SHA256))
                .isInstanceOf(KeyOperationException.class)
                .hasMessageContaining("not encrypted to this key or is corrupted");
    }

    @Test
    void everyBadOaepContentKeyFailsWithTheSameMessage() throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/NONE/OAEPPadding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, rsaSigning.certificate().getPublicKey(), JcaNames.oaep(Algorithm.SHA256));
        RSAPublicKey key = (RSAPublicKey) rsaEncryption.certificate().getPublicKey();
        byte[] allOnes = new byte[384];
        Arrays.fill(allOnes, (byte) 0xff);
        List<byte[]> bad = List.of(
                cipher.doFinal(random(32)),           // for another key
                unsigned(key.getModulus(), 384),       // out of range: the modulus itself
                allOnes,                               // out of range
                random(100),                           // too short
                unsigned(new BigInteger(3000, RANDOM), 384)); // in range, random padding

        for (byte[] ciphertext : bad) {
            assertThatThrownBy(() -> rsaEncryption.decryptOaep(ciphertext, Algorithm.SHA256))
                    .isInstanceOf(KeyOperationException.class)
                    .hasMessage("key " + rsaEncryption.ref() + " could not decrypt the RSAES-OAEP content key: it was"
                            + " not encrypted to this key or is corrupted");
        }
    }

    @Test
    void decryptsAPkcs1v15ContentKey() throws Exception {
        byte[] contentKey = random(32);
        Cipher cipher = Cipher.getInstance("RSA/NONE/PKCS1Padding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, rsaEncryption.certificate().getPublicKey());

        assertThat(rsaEncryption.decryptPkcs1v15(cipher.doFinal(contentKey), 32)).isEqualTo(contentKey);
    }

    @Test
    void aPkcs1v15BlockOfTheWrongShapeYieldsRandomBytesInsteadOfAnError() throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/NONE/PKCS1Padding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, rsaEncryption.certificate().getPublicKey());
        byte[] sixteenByteKey = cipher.doFinal(random(16));
        RSAPublicKey key = (RSAPublicKey) rsaEncryption.certificate().getPublicKey();
        byte[] garbage = unsigned(new BigInteger(3000, RANDOM), 384);
        byte[] outOfRange = unsigned(key.getModulus(), 384);

        byte[] first = rsaEncryption.decryptPkcs1v15(sixteenByteKey, 32);
        byte[] second = rsaEncryption.decryptPkcs1v15(sixteenByteKey, 32);

        assertThat(first).hasSize(32).isNotEqualTo(second);
        assertThat(rsaEncryption.decryptPkcs1v15(garbage, 32)).hasSize(32);
        assertThat(rsaEncryption.decryptPkcs1v15(outOfRange, 32)).hasSize(32);
        assertThat(rsaEncryption.decryptPkcs1v15(random(100), 32)).hasSize(32);
    }

    // ------------------------------------------------------------------ ECDH

    static Stream<PrivateKeyHandle> ecRecipients() {
        return Stream.of(p256Encryption, brainpoolEncryption);
    }

    @ParameterizedTest
    @MethodSource("ecRecipients")
    void agreesOnTheSameEcdhSecretAsTheSoftwareSide(PrivateKeyHandle recipient) throws Exception {
        String curve = LedgerKeyVault.keySpecOf(recipient.certificate().getPublicKey()).curve();
        KeyPair ephemeral = KeySpec.ec(curve).generate();
        KeyAgreement software = KeyAgreement.getInstance(JcaNames.ECDH, Providers.bouncyCastle());
        software.init(ephemeral.getPrivate());
        software.doPhase(recipient.certificate().getPublicKey(), true);

        byte[] z = recipient.agree(ephemeral.getPublic());

        assertThat(z).hasSize(32).isEqualTo(software.generateSecret());
    }

    @Test
    void refusesEcdhWithAKeyOnAnotherCurve() throws Exception {
        PublicKey brainpoolEphemeral = KeySpec.ec("brainpoolP256r1").generate().getPublic();

        assertThatThrownBy(() -> p256Encryption.agree(brainpoolEphemeral))
                .isInstanceOf(KeyOperationException.class)
                .hasMessageContaining("not on the curve");
    }

    // ------------------------------------------------------------------ one purpose per key

    @Test
    void signingKeysNeitherDecryptNorAgree() throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/NONE/OAEPPadding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, rsaSigning.certificate().getPublicKey(), JcaNames.oaep(Algorithm.SHA256));
        byte[] encrypted = cipher.doFinal(random(32));
        PublicKey ephemeral = KeySpec.ec("brainpoolP256r1").generate().getPublic();

        assertThatThrownBy(() -> rsaSigning.decryptOaep(encrypted, Algorithm.SHA256))
                .isInstanceOf(KeyOperationException.class).hasMessageContaining("is a SIGNING key");
        assertThatThrownBy(() -> brainpoolSigning.agree(ephemeral))
                .isInstanceOf(KeyOperationException.class).hasMessageContaining("is a SIGNING key");
    }

    @Test
    void theTokenItselfRefusesRawDecryptionWithASigningKey() {
        assertThatThrownBy(() -> {
            Cipher raw = Cipher.getInstance(JcaNames.RAW_RSA, rsaSigning.jcaProvider());
            raw.init(Cipher.DECRYPT_MODE, rsaSigning.jcaKey());
            raw.doFinal(new byte[384]);
        }).isInstanceOfAny(GeneralSecurityException.class, ProviderException.class)
                .satisfies(e -> assertThat(Pkcs11Token.causes(e)).contains("CKR_KEY_FUNCTION_NOT_PERMITTED"));
    }

    // ------------------------------------------------------------------ opening

    @Test
    void aWrongPinIsRefusedWithAClearError() throws Exception {
        SecretSource wrongPin = SoftHsm.pinFile(dir, "not-the-pin");

        assertThatThrownBy(() -> Pkcs11KeyVault.open(hsm.config(SoftHsm.PIN_CHECK_TOKEN), wrongPin,
                dir.resolve("pin-check.ledger"), POLICY, Clock.systemUTC()))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.WRONG_SECRET);
                    assertThat(e.getMessage()).contains("refused the PIN from " + wrongPin, "CKR_PIN_INCORRECT",
                            SoftHsm.PIN_CHECK_TOKEN).doesNotContain("not-the-pin");
                });
    }

    @Test
    void findsTheTokenByItsSlotListIndexToo() throws Exception {
        SecretSource pin = SoftHsm.pinFile(dir, SoftHsm.PIN);
        Path ledger = dir.resolve("by-index.ledger");
        KeyRef ref;
        try (Pkcs11KeyVault byIndex = Pkcs11KeyVault.open(hsm.configByIndex(SoftHsm.MAIN_TOKEN), pin, ledger, POLICY,
                Clock.systemUTC())) {
            ref = byIndex.generate("by-index", KeyPurpose.SIGNING, KeySpec.ec("P-256"));
        }

        try (Pkcs11KeyVault bySlot = Pkcs11KeyVault.open(hsm.config(SoftHsm.MAIN_TOKEN), pin, ledger, POLICY,
                Clock.systemUTC())) {
            assertThat(bySlot.list()).extracting(KeyInfo::ref).containsExactly(ref);
        }
    }

    @Test
    void aSlotWithoutATokenIsReportedAsUnavailable() throws Exception {
        SecretSource pin = SoftHsm.pinFile(dir, SoftHsm.PIN);

        assertThatThrownBy(() -> Pkcs11KeyVault.open(Pkcs11Config.slot("nowhere", hsm.library, 424242), pin,
                dir.resolve("nowhere.ledger"), POLICY, Clock.systemUTC()))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.STORE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("slot 424242");
                });
    }

    @Test
    void aMissingLibraryIsReportedAsUnavailable() throws Exception {
        SecretSource pin = SoftHsm.pinFile(dir, SoftHsm.PIN);
        Path missing = dir.resolve("libnothing.so");

        assertThatThrownBy(() -> Pkcs11KeyVault.open(Pkcs11Config.slot("missing", missing, 0), pin,
                dir.resolve("missing.ledger"), POLICY, Clock.systemUTC()))
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.STORE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains(missing.toString(), "does not exist");
                });
    }

    // ------------------------------------------------------------------ helpers

    private static void assertVerifies(SignatureSpec spec, PrivateKeyHandle signer) throws Exception {
        byte[] data = "DER of the signed attributes".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = signer.sign(spec, data);
        Signature verifier = JcaNames.signature(spec, Providers.bouncyCastle());
        verifier.initVerify(signer.certificate().getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
        verifier.initVerify(signer.certificate().getPublicKey());
        verifier.update("other attributes".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).as("the signature is bound to its data").isFalse();
    }

    /** The block of {@code pkcs11-tool --list-objects} for the private key with this alias as its CKA_ID. */
    private static String objectWithId(String listing, String alias) {
        String id = HexFormat.of().formatHex(alias.getBytes(StandardCharsets.UTF_8));
        return Arrays.stream(listing.split("(?=Private Key Object)"))
                .filter(block -> block.replace(" ", "").toLowerCase().contains("id:" + id))
                .findFirst().orElseThrow(() -> new AssertionError("no private key with ID " + id + " in\n" + listing));
    }

    private static String usage(String listing, PrivateKeyHandle handle) {
        return objectWithId(listing, handle.ref().id()).lines().filter(l -> l.trim().startsWith("Usage:"))
                .findFirst().orElseThrow();
    }

    /** OAEP-encodes with SHA-256 as an encrypting peer would, stopping before the RSA operation. */
    private static byte[] oaepEncoded(byte[] message, RSAPublicKey key) throws Exception {
        int k = (key.getModulus().bitLength() + 7) / 8;
        OAEPEncoding oaep = new OAEPEncoding(new AsymmetricBlockCipher() {
            @Override
            public void init(boolean forEncryption, CipherParameters param) {
            }

            @Override
            public int getInputBlockSize() {
                return k - 1;
            }

            @Override
            public int getOutputBlockSize() {
                return k - 1;
            }

            @Override
            public byte[] processBlock(byte[] in, int inOff, int len) {
                return Arrays.copyOfRange(in, inOff, inOff + len);
            }
        }, DigestFactory.createSHA256(), DigestFactory.createSHA256(), null);
        oaep.init(true, null);
        return oaep.processBlock(message, 0, message.length);
    }

    private static byte[] rawEncrypt(byte[] block, RSAPublicKey key) {
        BigInteger c = new BigInteger(1, block).modPow(key.getPublicExponent(), key.getModulus());
        return unsigned(c, (key.getModulus().bitLength() + 7) / 8);
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
