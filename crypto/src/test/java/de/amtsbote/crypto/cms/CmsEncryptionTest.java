package de.amtsbote.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import de.amtsbote.crypto.policy.PeerException;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.validation.ValidationResult;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CmsEncryptionTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final byte[] CONTENT = "Content-Type: text/plain\r\n\r\nGeheim\r\n".getBytes(StandardCharsets.US_ASCII);

    static byte[] encrypt(AlgorithmPolicy policy, String peer, String... recipients) throws Exception {
        CmsEncryptor.Builder b = CmsEncryptor.builder(policy, VALIDATOR).peer(peer);
        for (String r : recipients) {
            b.recipient(PKI.cert(r).certificate());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = b.build().encrypt(out)) {
            s.write(CONTENT);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p256", "p384", "bp384"})
    void decryptsWhatItEncrypted(String key) throws Exception {
        byte[] enc = encrypt(POLICY, null, key);
        CmsOpener opener = CmsOpener.builder(POLICY, VALIDATOR).decryptionKeys(List.of(PKI.key(key))).build();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        DecryptionResult r = opener.decrypt(new ByteArrayInputStream(enc), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(content.toByteArray()).isEqualTo(CONTENT);
        assertThat(r.contentAlgorithm()).isEqualTo(Algorithm.AES256_GCM);
        assertThat(r.authenticated()).isTrue();
        assertThat(r.flags()).isEmpty();
    }

    static final String LEGACY_PEER = "smime:poststelle@alt.example";

    static AlgorithmPolicy cbcPolicy() {
        return AlgorithmPolicy.builder().peerException(new PeerException(LEGACY_PEER, Algorithm.AES256_CBC,
                "Partner stellt bis Ende 2026 auf GCM um (Ticket 4711)", LocalDate.now().plusDays(60))).build();
    }

    static CmsOpener opener(String... keys) {
        return CmsOpener.builder(POLICY, VALIDATOR).decryptionKeys(java.util.Arrays.stream(keys).map(PKI::key).toList())
                .build();
    }

    @Test
    void encryptsWithCbcOnlyUnderAPeerException() throws Exception {
        byte[] enc = encrypt(cbcPolicy(), LEGACY_PEER, "rsa");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        DecryptionResult r = opener("rsa").decrypt(new ByteArrayInputStream(enc), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(content.toByteArray()).isEqualTo(CONTENT);
        assertThat(r.contentAlgorithm()).isEqualTo(Algorithm.AES256_CBC);
        assertThat(r.authenticated()).isFalse();
        assertThat(r.flags()).anySatisfy(f -> assertThat(f).contains("AES-256-CBC").contains("legacy"));
    }

    @Test
    void encryptorNamesThePeerExceptionItUses() throws Exception {
        CmsEncryptor e = CmsEncryptor.builder(cbcPolicy(), VALIDATOR).peer(LEGACY_PEER)
                .recipient(PKI.cert("p256").certificate()).build();
        assertThat(e.authenticated()).isFalse();
        assertThat(e.flags()).singleElement().asString().contains(LEGACY_PEER).contains("Ticket 4711");
    }

    @Test
    void usesGcmForOtherPeersEvenWithAPeerExceptionConfigured() throws Exception {
        CmsEncryptor e = CmsEncryptor.builder(cbcPolicy(), VALIDATOR).peer("smime:modern@example.org")
                .recipient(PKI.cert("rsa").certificate()).build();
        assertThat(e.contentAlgorithm()).isEqualTo(Algorithm.AES256_GCM);
        assertThat(e.flags()).isEmpty();
    }

    @Test
    void refusesAnRsa2048RecipientForNewMessages() {
        assertThatThrownBy(() -> CmsEncryptor.builder(POLICY, VALIDATOR).recipient(PKI.cert("rsa2048").certificate())
                .build())
                .isInstanceOf(PolicyViolationException.class)
                .satisfies(e -> assertThat(((PolicyViolationException) e).reason())
                        .isEqualTo(PolicyViolationException.Reason.KEY_TOO_SHORT))
                .hasMessageContaining("2048");
    }

    @Test
    void refusesARecipientWithAnUntrustedCertificate() {
        assertThatThrownBy(() -> CmsEncryptor.builder(POLICY, VALIDATOR).recipient(PKI.cert("stranger").certificate())
                .build())
                .isInstanceOf(RecipientRefusedException.class)
                .hasMessageContaining("Stranger")
                .satisfies(e -> assertThat(((RecipientRefusedException) e).validation().reason())
                        .isEqualTo(ValidationResult.Reason.UNKNOWN_CA));
    }

    @Test
    void refusesARecipientWithAnExpiredCertificate() {
        assertThatThrownBy(() -> CmsEncryptor.builder(POLICY, VALIDATOR).recipient(PKI.cert("expired").certificate())
                .build())
                .isInstanceOf(RecipientRefusedException.class)
                .satisfies(e -> assertThat(((RecipientRefusedException) e).validation().reason())
                        .isEqualTo(ValidationResult.Reason.EXPIRED));
    }

    @Test
    void decryptsAMessageForTheOldKeyDuringRotationOverlap() throws Exception {
        byte[] enc = encrypt(POLICY, null, "rsa-old");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        DecryptionResult r = opener("rsa", "rsa-old").decrypt(new ByteArrayInputStream(enc), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.key().id()).isEqualTo("rsa-old");
        assertThat(content.toByteArray()).isEqualTo(CONTENT);
    }

    @Test
    void usesTheFirstMatchingKeyWhenSeveralMatch() throws Exception {
        byte[] enc = encrypt(POLICY, null, "rsa-old", "rsa");
        DecryptionResult r = opener("rsa", "rsa-old").decrypt(new ByteArrayInputStream(enc), OutputStream.nullOutputStream());
        assertThat(r.key().id()).isEqualTo("rsa");
    }

    @Test
    void namesTheRecipientsWhenNoKeyMatches() throws Exception {
        byte[] enc = encrypt(POLICY, null, "rsa-old", "p256");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        DecryptionResult r = opener("rsa", "bp256").decrypt(new ByteArrayInputStream(enc), content);
        assertThat(r.failure()).isEqualTo(DecryptionFailure.NO_MATCHING_KEY);
        assertThat(r.recipients()).hasSize(2).allSatisfy(id -> assertThat(id).contains("Amtsbote Test Root"));
        assertThat(r.recipients()).anySatisfy(id -> assertThat(id)
                .contains(PKI.cert("p256").certificate().getSerialNumber().toString(16)));
        assertThat(r.detail()).contains("rsa").contains("bp256");
        assertThat(content.size()).isZero();
    }

    @Test
    void reportsATamperedGcmCiphertextAsIntegrityFailure() throws Exception {
        byte[] plain = new byte[200_000];
        new Random(7).nextBytes(plain);
        byte[] enc = encryptBytes(POLICY, plain, "p256");
        enc[enc.length / 2] ^= 0x01;
        DecryptionResult r = opener("p256").decrypt(new ByteArrayInputStream(enc), OutputStream.nullOutputStream());
        assertThat(r.failure()).isEqualTo(DecryptionFailure.INTEGRITY_FAILED);
        assertThat(r.detail()).contains("AES-256-GCM");
    }

    @Test
    void streamsGcmPlaintextBeforeTheTagIsChecked() throws Exception {
        byte[] plain = new byte[1_000_000];
        new Random(8).nextBytes(plain);
        byte[] enc = encryptBytes(POLICY, plain, "rsa");
        try (DecryptedContent d = opener("rsa").openEncrypted(new ByteArrayInputStream(enc))) {
            byte[] first = d.content().readNBytes(100_000);
            // a buffering cipher would have to read the whole message (and check the tag) before giving out a byte
            assertThat(first).isEqualTo(java.util.Arrays.copyOf(plain, 100_000));
            assertThat(d.result().valid()).isTrue();
        }
    }

    @Test
    void refusesTripleDesContent() throws Exception {
        DecryptionResult r = opener("rsa").decrypt(new ByteArrayInputStream(legacyEnveloped(CMSAlgorithm.DES_EDE3_CBC)),
                OutputStream.nullOutputStream());
        assertThat(r.failure()).isEqualTo(DecryptionFailure.ALGORITHM_REFUSED);
        assertThat(r.policyReason()).isEqualTo(PolicyViolationException.Reason.ALGORITHM_REFUSED);
        assertThat(r.detail()).contains("3DES");
    }

    @Test
    void refusesRc2Content() throws Exception {
        DecryptionResult r = opener("rsa").decrypt(new ByteArrayInputStream(legacyEnveloped(CMSAlgorithm.RC2_CBC)),
                OutputStream.nullOutputStream());
        assertThat(r.failure()).isEqualTo(DecryptionFailure.ALGORITHM_REFUSED);
        assertThat(r.detail()).contains("RC2");
    }

    @Test
    void reportsSignedDataAsNotEncrypted() throws Exception {
        byte[] signed = CmsSignatureTest.sign(PKI.key("p256"), CONTENT);
        DecryptionResult r = opener("p256").decrypt(new ByteArrayInputStream(signed), OutputStream.nullOutputStream());
        assertThat(r.failure()).isEqualTo(DecryptionFailure.NOT_ENCRYPTED);
        assertThat(r.detail()).contains("SignedData");
    }

    @Test
    void reportsATruncatedMessageAsAFailureNotAnException() throws Exception {
        byte[] enc = encryptBytes(POLICY, new byte[50_000], "bp256");
        byte[] cut = java.util.Arrays.copyOf(enc, enc.length - 40);
        DecryptionResult r = opener("bp256").decrypt(new ByteArrayInputStream(cut), OutputStream.nullOutputStream());
        assertThat(r.valid()).isFalse();
        assertThat(r.failure()).isIn(DecryptionFailure.INTEGRITY_FAILED, DecryptionFailure.MALFORMED);
    }

    @Test
    void passesOnTheCallersOwnStreamFailure() throws Exception {
        byte[] enc = encryptBytes(POLICY, new byte[300_000], "rsa");
        IOException broken = new IOException("disk gone");
        InputStream failing = new java.io.FilterInputStream(new ByteArrayInputStream(enc)) {
            int read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 100_000) {
                    throw broken;
                }
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
        assertThatThrownBy(() -> opener("rsa").decrypt(failing, OutputStream.nullOutputStream())).isSameAs(broken);
    }

    static byte[] encryptBytes(AlgorithmPolicy policy, byte[] plain, String recipient) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = CmsEncryptor.builder(policy, VALIDATOR).recipient(PKI.cert(recipient).certificate())
                .build().encrypt(out)) {
            s.write(plain);
        }
        return out.toByteArray();
    }

    /** An EnvelopedData with a refused content cipher, made with Bouncy Castle directly (we never make one). */
    static byte[] legacyEnveloped(org.bouncycastle.asn1.ASN1ObjectIdentifier cipher) throws Exception {
        CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
        g.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(PKI.cert("rsa").certificate(),
                CmsAlgorithms.oaep(Algorithm.SHA256)).setProvider(de.amtsbote.crypto.Providers.bouncyCastle()));
        JceCMSContentEncryptorBuilder enc = cipher.equals(CMSAlgorithm.RC2_CBC)
                ? new JceCMSContentEncryptorBuilder(cipher, 128) : new JceCMSContentEncryptorBuilder(cipher);
        return g.generate(new CMSProcessableByteArray(CONTENT),
                enc.setProvider(de.amtsbote.crypto.Providers.bouncyCastle()).build()).getEncoded();
    }
}
