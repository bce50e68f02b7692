package de.amtsbote.crypto.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.DecryptionFailure;
import de.amtsbote.crypto.cms.OpenSsl;
import de.amtsbote.crypto.cms.SignatureCheck;
import de.amtsbote.crypto.cms.TestPki;
import de.amtsbote.crypto.cms.TestValidator;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PeerException;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S/MIME against the real {@code openssl cms} (OpenSSL 3): what we write, OpenSSL verifies and decrypts; what OpenSSL
 * writes, we verify and decrypt, with legacy choices flagged and refused ones named.
 */
class SmimeOpenSslInteropTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final String LEGACY_PEER = "smime:poststelle@alt.example";
    static final byte[] ENTITY = ("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Sehr geehrte Damen und Herren,\r\nanbei der Bescheid über die Hundesteuer.\r\n")
            .getBytes(StandardCharsets.UTF_8);
    static final String[] KEYS = {"rsa", "bp256", "p256", "p384", "bp384"};

    @TempDir
    static Path dir;

    @BeforeAll
    static void writePki() throws Exception {
        PKI.writePem(dir, KEYS);
        Files.write(dir.resolve("entity.txt"), ENTITY);
    }

    static SmimeOpener opener(String... keys) {
        return new SmimeOpener(CmsOpener.builder(POLICY, VALIDATOR)
                .decryptionKeys(java.util.Arrays.stream(keys).map(PKI::key).toList()).build());
    }

    static CmsSigner signer(String key) throws Exception {
        return CmsSigner.builder(PKI.key(key), POLICY).build();
    }

    static CmsEncryptor encryptor(AlgorithmPolicy policy, String peer, String key) throws Exception {
        return CmsEncryptor.builder(policy, VALIDATOR).peer(peer).recipient(PKI.cert(key).certificate()).build();
    }

    static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    static SmimeResult openFile(SmimeOpener opener, String name, ByteArrayOutputStream inner) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            return opener.open(in, inner);
        }
    }

    static String[] args(String... a) {
        return a;
    }

    // ------------------------------------------------------------------ ours -> OpenSSL

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p256", "p384", "bp384"})
    void openSslVerifiesOurOpaqueSignature(String key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.signed(out, signer(key))) {
            s.write(ENTITY);
        }
        write("ours-signed-" + key + ".eml", out.toByteArray());
        OpenSsl.Run r = OpenSsl.ok(dir, "cms", "-verify", "-in", "ours-signed-" + key + ".eml", "-CAfile", "ca.pem",
                "-out", "ours-signed-" + key + ".out");
        assertThat(r.stderr()).contains("Verification successful");
        assertThat(Files.readAllBytes(dir.resolve("ours-signed-" + key + ".out"))).isEqualTo(ENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p256"})
    void openSslVerifiesOurMultipartSignature(String key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.multipartSigned(out, signer(key))) {
            s.write(ENTITY);
        }
        write("ours-clear-" + key + ".eml", out.toByteArray());
        OpenSsl.Run r = OpenSsl.ok(dir, "cms", "-verify", "-in", "ours-clear-" + key + ".eml", "-CAfile", "ca.pem",
                "-out", "ours-clear-" + key + ".out");
        assertThat(r.stderr()).contains("Verification successful");
        assertThat(Files.readAllBytes(dir.resolve("ours-clear-" + key + ".out"))).isEqualTo(ENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p256", "p384", "bp384"})
    void openSslDecryptsOurGcmMessage(String key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.encrypted(out, encryptor(POLICY, null, key))) {
            s.write(ENTITY);
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).contains("smime-type=authEnveloped-data");
        write("ours-gcm-" + key + ".eml", out.toByteArray());
        OpenSsl.ok(dir, "cms", "-decrypt", "-in", "ours-gcm-" + key + ".eml", "-recip", key + ".pem", "-inkey",
                key + ".key", "-out", "ours-gcm-" + key + ".out");
        assertThat(Files.readAllBytes(dir.resolve("ours-gcm-" + key + ".out"))).isEqualTo(ENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "p256"})
    void openSslDecryptsOurCbcMessageMadeUnderAPeerException(String key) throws Exception {
        AlgorithmPolicy legacy = AlgorithmPolicy.builder().peerException(new PeerException(LEGACY_PEER,
                Algorithm.AES256_CBC, "Altverfahren bis 2026-12-31", LocalDate.now().plusDays(30))).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.encrypted(out, encryptor(legacy, LEGACY_PEER, key))) {
            s.write(ENTITY);
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).contains("smime-type=enveloped-data");
        write("ours-cbc-" + key + ".eml", out.toByteArray());
        OpenSsl.ok(dir, "cms", "-decrypt", "-in", "ours-cbc-" + key + ".eml", "-recip", key + ".pem", "-inkey",
                key + ".key", "-out", "ours-cbc-" + key + ".out");
        assertThat(Files.readAllBytes(dir.resolve("ours-cbc-" + key + ".out"))).isEqualTo(ENTITY);
    }

    @Test
    void openSslOpensOurSignThenEncrypt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.signed(SmimeWriter.encrypted(out, encryptor(POLICY, null, "bp256")),
                signer("rsa"))) {
            s.write(ENTITY);
        }
        write("ours-nested.eml", out.toByteArray());
        OpenSsl.ok(dir, "cms", "-decrypt", "-in", "ours-nested.eml", "-recip", "bp256.pem", "-inkey", "bp256.key",
                "-out", "ours-nested.signed");
        OpenSsl.ok(dir, "cms", "-verify", "-in", "ours-nested.signed", "-CAfile", "ca.pem", "-out", "ours-nested.out");
        assertThat(Files.readAllBytes(dir.resolve("ours-nested.out"))).isEqualTo(ENTITY);
    }

    // ------------------------------------------------------------------ OpenSSL -> ours

    @Test
    void verifiesOpenSslsDefaultMultipartSignatureAndFlagsPkcs1AsLegacy() throws Exception {
        OpenSsl.ok(dir, "cms", "-sign", "-in", "entity.txt", "-signer", "rsa.pem", "-inkey", "rsa.key",
                "-out", "openssl-v15.eml");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener(), "openssl-v15.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).singleElement().extracting(SmimeLayer::kind).isEqualTo(SmimeLayer.Kind.CLEAR_SIGNED);
        assertThat(r.verifications().get(0).signers().get(0).signatureSpec().scheme())
                .isEqualTo(Algorithm.RSA_PKCS1_V15_SIGNATURE);
        assertThat(r.flags()).anySatisfy(f -> assertThat(f).contains("PKCS#1 v1.5").contains("legacy"));
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void verifiesOpenSslsPssSignatureWithoutFlags() throws Exception {
        OpenSsl.ok(dir, "cms", "-sign", "-in", "entity.txt", "-signer", "rsa.pem", "-inkey", "rsa.key",
                "-keyopt", "rsa_padding_mode:pss", "-out", "openssl-pss.eml");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener(), "openssl-pss.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.verifications().get(0).signers().get(0).signatureSpec().scheme()).isEqualTo(Algorithm.RSASSA_PSS);
        assertThat(r.flags()).isEmpty();
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bp256", "p256", "p384", "bp384"})
    void verifiesOpenSslsEcdsaSignatures(String key) throws Exception {
        OpenSsl.ok(dir, "cms", "-sign", "-in", "entity.txt", "-signer", key + ".pem", "-inkey", key + ".key",
                "-out", "openssl-ec-" + key + ".eml");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener(), "openssl-ec-" + key + ".eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.verifications().get(0).signers().get(0).signatureSpec().scheme()).isEqualTo(Algorithm.ECDSA);
        assertThat(r.flags()).isEmpty();
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void verifiesOpenSslsOpaqueSignature() throws Exception {
        OpenSsl.ok(dir, "cms", "-sign", "-nodetach", "-in", "entity.txt", "-signer", "p256.pem", "-inkey", "p256.key",
                "-out", "openssl-opaque.eml");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener(), "openssl-opaque.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).singleElement().extracting(SmimeLayer::kind).isEqualTo(SmimeLayer.Kind.SIGNED);
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void refusesOpenSslsSha1Signature() throws Exception {
        OpenSsl.ok(dir, "cms", "-sign", "-md", "sha1", "-in", "entity.txt", "-signer", "p256.pem", "-inkey", "p256.key",
                "-out", "openssl-sha1.eml");
        SmimeResult r = openFile(opener(), "openssl-sha1.eml", new ByteArrayOutputStream());
        assertThat(r.valid()).isFalse();
        var signer = r.verifications().get(0).signers().get(0);
        assertThat(signer.failure()).isEqualTo(SignatureCheck.ALGORITHM_REFUSED);
        assertThat(signer.policyReason()).isEqualTo(PolicyViolationException.Reason.ALGORITHM_REFUSED);
        assertThat(signer.detail()).contains("SHA-1");
    }

    @Test
    void reportsAnUntrustedSignerCertificate() throws Exception {
        Path d = dir.resolve("stranger");
        Files.createDirectories(d);
        de.amtsbote.crypto.pki.Pem.writeCertificate(d.resolve("s.pem"), PKI.cert("stranger").certificate());
        de.amtsbote.crypto.pki.Pem.writeTestPrivateKey(d.resolve("s.key"), PKI.cert("stranger").privateKey());
        OpenSsl.ok(d, "cms", "-sign", "-in", "../entity.txt", "-signer", "s.pem", "-inkey", "s.key", "-out", "s.eml");
        SmimeResult r = openFile(opener(), "stranger/s.eml", new ByteArrayOutputStream());
        assertThat(r.valid()).isFalse();
        var signer = r.verifications().get(0).signers().get(0);
        assertThat(signer.failure()).isEqualTo(SignatureCheck.CERTIFICATE_INVALID);
        assertThat(signer.certificateValidation().reason())
                .isEqualTo(de.amtsbote.crypto.validation.ValidationResult.Reason.UNKNOWN_CA);
        assertThat(signer.name()).contains("Stranger");
    }

    @Test
    void decryptsOpenSslsGcmMessageWithOaep() throws Exception {
        OpenSsl.ok(dir, "cms", "-encrypt", "-aes-256-gcm", "-in", "entity.txt", "-out", "openssl-gcm-rsa.eml",
                "-recip", "rsa.pem", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener("rsa"), "openssl-gcm-rsa.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        var d = r.layers().get(0).decryption();
        assertThat(d.contentAlgorithm()).isEqualTo(Algorithm.AES256_GCM);
        assertThat(d.keyManagement()).isEqualTo(Algorithm.RSAES_OAEP);
        assertThat(d.kdfDigest()).isEqualTo(Algorithm.SHA256);
        assertThat(d.flags()).isEmpty();
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void decryptsOpenSslsDefaultOaepWithSha1AndFlagsIt() throws Exception {
        OpenSsl.ok(dir, "cms", "-encrypt", "-aes-256-gcm", "-in", "entity.txt", "-out", "openssl-gcm-oaep-sha1.eml",
                "-recip", "rsa.pem", "-keyopt", "rsa_padding_mode:oaep");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener("rsa"), "openssl-gcm-oaep-sha1.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        var d = r.layers().get(0).decryption();
        assertThat(d.keyManagement()).isEqualTo(Algorithm.RSAES_OAEP);
        assertThat(d.flags()).anySatisfy(f -> assertThat(f).contains("RSAES-OAEP with SHA-1").contains("legacy"));
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void decryptsOpenSslsCbcMessageWithPkcs1AndFlagsBoth() throws Exception {
        OpenSsl.ok(dir, "cms", "-encrypt", "-aes-256-cbc", "-in", "entity.txt", "-out", "openssl-cbc-rsa.eml",
                "-recip", "rsa.pem");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener("rsa"), "openssl-cbc-rsa.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        var d = r.layers().get(0).decryption();
        assertThat(d.authenticated()).isFalse();
        assertThat(d.contentAlgorithm()).isEqualTo(Algorithm.AES256_CBC);
        assertThat(d.keyManagement()).isEqualTo(Algorithm.RSA_PKCS1_V15_KEY_TRANSPORT);
        assertThat(d.flags()).anySatisfy(f -> assertThat(f).contains("AES-256-CBC"))
                .anySatisfy(f -> assertThat(f).contains("PKCS#1 v1.5 key transport"));
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bp256", "p256", "p384", "bp384"})
    void decryptsOpenSslsEcdhGcmMessage(String key) throws Exception {
        String kdf = key.endsWith("384") ? "sha384" : "sha256";
        OpenSsl.ok(dir, "cms", "-encrypt", "-aes-256-gcm", "-in", "entity.txt", "-out", "openssl-gcm-" + key + ".eml",
                "-recip", key + ".pem", "-keyopt", "ecdh_kdf_md:" + kdf);
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener("rsa", key), "openssl-gcm-" + key + ".eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        var d = r.layers().get(0).decryption();
        assertThat(d.keyManagement()).isEqualTo(Algorithm.ECDH_ES);
        assertThat(d.keyWrap()).isEqualTo(Algorithm.AES256_WRAP);
        assertThat(d.key().id()).isEqualTo(key);
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void decryptsOpenSslsEcdhCbcMessageFlagged() throws Exception {
        OpenSsl.ok(dir, "cms", "-encrypt", "-aes-128-cbc", "-in", "entity.txt", "-out", "openssl-cbc-bp256.eml",
                "-recip", "bp256.pem", "-keyopt", "ecdh_kdf_md:sha256");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener("bp256"), "openssl-cbc-bp256.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers().get(0).decryption().contentAlgorithm()).isEqualTo(Algorithm.AES128_CBC);
        assertThat(r.flags()).anySatisfy(f -> assertThat(f).contains("AES-128-CBC"));
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void refusesOpenSslsDefaultEcdhWithASha1Kdf() throws Exception {
        OpenSsl.ok(dir, "cms", "-encrypt", "-aes-256-gcm", "-in", "entity.txt", "-out", "openssl-sha1kdf.eml",
                "-recip", "p256.pem");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener("p256"), "openssl-sha1kdf.eml", inner);
        assertThat(r.valid()).isFalse();
        var d = r.layers().get(0).decryption();
        assertThat(d.failure()).isEqualTo(DecryptionFailure.ALGORITHM_REFUSED);
        assertThat(d.detail()).contains("SHA-1 KDF");
        assertThat(inner.size()).isZero();
    }

    @Test
    void refusesOpenSslsTripleDes() throws Exception {
        OpenSsl.ok(dir, "cms", "-encrypt", "-des3", "-in", "entity.txt", "-out", "openssl-3des.eml", "-recip", "rsa.pem",
                "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        SmimeResult r = openFile(opener("rsa"), "openssl-3des.eml", new ByteArrayOutputStream());
        assertThat(r.layers().get(0).decryption().failure()).isEqualTo(DecryptionFailure.ALGORITHM_REFUSED);
        assertThat(r.layers().get(0).decryption().detail()).contains("3DES");
    }

    @Test
    void opensOpenSslsSignThenEncrypt() throws Exception {
        OpenSsl.ok(dir, "cms", "-sign", "-in", "entity.txt", "-signer", "bp256.pem", "-inkey", "bp256.key",
                "-out", "openssl-inner.eml");
        OpenSsl.ok(dir, "cms", "-encrypt", "-aes-256-gcm", "-in", "openssl-inner.eml", "-out", "openssl-outer.eml",
                "-recip", "rsa.pem", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openFile(opener("rsa"), "openssl-outer.eml", inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).extracting(SmimeLayer::kind)
                .containsExactly(SmimeLayer.Kind.ENCRYPTED, SmimeLayer.Kind.CLEAR_SIGNED);
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }
}
