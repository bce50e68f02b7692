package de.amtsbote.crypto.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Runs in a fork with a 40 MiB heap (see the parent POM): content several times larger than the heap goes through
 * detached signatures and streamed encryption, so code that buffered it would fail with an OutOfMemoryError.
 */
class XmlStreamingTest {

    private static final long SIZE = 128L * 1024 * 1024;

    private static IssuedCertificate key;
    private static CertificateAuthority ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        ca = CertificateAuthority.root("Streaming Root", KeySpec.ec("P-256"), XmlTestPki.CLOCK);
        key = ca.issue(IssueRequest.named("Streaming").profile(CertificateProfile.SIGNING_AND_ENCRYPTION)
                .key(KeySpec.ec("brainpoolP256r1")));
    }

    @Test
    void signsAndVerifiesDetachedContentLargerThanTheHeap() throws Exception {
        XmlSigner signer = new XmlSigner(XmlTestPki.handle(key, KeyPurpose.SIGNING), AlgorithmPolicy.bsi());
        Document signature = signer.signDetached(Map.of("cid:big", () -> new Generated(SIZE)));

        VerifiedXml verified = XmlSignatureVerifier.withExpectedSigner(AlgorithmPolicy.bsi(), key.certificate())
                .verify(XmlDocs.reparse(signature), SignatureExpectation.detached("cid:big", () -> new Generated(SIZE)));

        assertThat(verified.references()).extracting(SignedReference::uri).containsExactly("cid:big");
    }

    @Test
    void aChangeInTheLastByteOfLargeDetachedContentIsADigestMismatch() throws Exception {
        XmlSigner signer = new XmlSigner(XmlTestPki.handle(key, KeyPurpose.SIGNING), AlgorithmPolicy.bsi());
        Document signature = signer.signDetached(Map.of("cid:big", () -> new Generated(SIZE)));

        assertThatThrownBy(() -> XmlSignatureVerifier.withExpectedSigner(AlgorithmPolicy.bsi(), key.certificate())
                .verify(XmlDocs.reparse(signature), SignatureExpectation.detached("cid:big",
                        () -> new Generated(SIZE, SIZE - 1))))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(XmlSecurityException.Reason.DIGEST_MISMATCH));
    }

    @Test
    void encryptsAndDecryptsContentLargerThanTheHeap() throws Exception {
        Path encrypted = dir.resolve("big.enc");
        EncryptingOutputStream stream;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(encrypted));
             InputStream plain = new Generated(SIZE)) {
            stream = new XmlEncryptor(AlgorithmPolicy.bsi()).encryptBinary(file, SecureXml.standard().newDocument(),
                    List.of(XmlRecipient.of(key.certificate())));
            try (stream) {
                plain.transferTo(stream);
            }
        }
        assertThat(Files.size(encrypted)).isEqualTo(SIZE + 12 + 16);

        MessageDigest decrypted = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new XmlDecryptor(AlgorithmPolicy.bsi()).decryptBinary(
                new BufferedInputStream(Files.newInputStream(encrypted)), stream.encryptionMethod(),
                stream.encryptedKeys(), XmlTestPki.handle(key, KeyPurpose.ENCRYPTION))) {
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                decrypted.update(buffer, 0, n);
            }
        }
        MessageDigest original = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new Generated(SIZE)) {
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                original.update(buffer, 0, n);
            }
        }
        assertThat(decrypted.digest()).isEqualTo(original.digest());
    }

    /** A deterministic stream of {@code size} bytes that exists nowhere in memory at once. */
    private static final class Generated extends InputStream {
        private final long size;
        private final long flipped;
        private long position;

        Generated(long size) {
            this(size, -1);
        }

        /** The same bytes, but the one at {@code flipped} differs. */
        Generated(long size, long flipped) {
            this.size = size;
            this.flipped = flipped;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return value(position++);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) value(position++);
            }
            return n;
        }

        private int value(long p) {
            return (int) ((p * 31 + (p >>> 11) + (p == flipped ? 1 : 0)) & 0xff);
        }
    }
}
