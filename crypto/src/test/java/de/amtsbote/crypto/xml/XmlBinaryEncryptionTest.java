package de.amtsbote.crypto.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.XmlDocs.CountingHandle;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Streamed encryption of binary content (attachments) in the XML Encryption 1.1 AES-GCM form. */
class XmlBinaryEncryptionTest {

    private static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    private static XmlTestPki pki;

    private final XmlEncryptor encryptor = new XmlEncryptor(POLICY);
    private final XmlDecryptor decryptor = new XmlDecryptor(POLICY);
    private final byte[] attachment = random(100_000);

    @BeforeAll
    static void setUp() throws Exception {
        pki = XmlTestPki.get();
    }

    static Stream<Arguments> recipients() throws Exception {
        XmlTestPki p = XmlTestPki.get();
        return Stream.of(Arguments.of("RSA-3072", p.recipientRsa), Arguments.of("brainpoolP256r1", p.recipientBrainpool));
    }

    private record Encrypted(byte[] ciphertext, String method, List<Element> keys) {
    }

    private Encrypted encrypt(byte[] plain, IssuedCertificate recipient) throws Exception {
        Document owner = SecureXml.standard().newDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EncryptingOutputStream stream = encryptor.encryptBinary(out, owner, List.of(XmlRecipient.of(recipient.certificate())));
        try (stream) {
            for (int off = 0; off < plain.length; off += 4096) {
                stream.write(plain, off, Math.min(4096, plain.length - off));
            }
        }
        return new Encrypted(out.toByteArray(), stream.encryptionMethod(), stream.encryptedKeys());
    }

    private byte[] decrypt(Encrypted e, IssuedCertificate recipient) throws Exception {
        try (InputStream in = decryptor.decryptBinary(new ByteArrayInputStream(e.ciphertext), e.method, e.keys,
                new CountingHandle(XmlTestPki.handle(recipient, KeyPurpose.ENCRYPTION)))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipients")
    void decryptsWhatItEncrypted(String key, IssuedCertificate recipient) throws Exception {
        assertThat(decrypt(encrypt(attachment, recipient), recipient)).isEqualTo(attachment);
    }

    @Test
    void announcesAes256GcmAndTheEncryptedKeysBeforeTheFirstByte() throws Exception {
        EncryptingOutputStream stream = encryptor.encryptBinary(new ByteArrayOutputStream(),
                SecureXml.standard().newDocument(), List.of(XmlRecipient.of(pki.recipientRsa.certificate()),
                        XmlRecipient.of(pki.recipientP256.certificate())));

        assertThat(stream.encryptionMethod()).isEqualTo("http://www.w3.org/2009/xmlenc11#aes256-gcm");
        assertThat(stream.encryptedKeys()).hasSize(2).allMatch(e -> e.getLocalName().equals("EncryptedKey"));
    }

    @Test
    void writesIvThenCiphertextThenTagAsXmlEncryptionGcmDoes() throws Exception {
        Encrypted e = encrypt(attachment, pki.recipientRsa);
        // an independent decryption with the JDK: content key by OAEP, then AES/GCM over IV || ciphertext || tag
        byte[] contentKey = XmlTestPki.handle(pki.recipientRsa, KeyPurpose.ENCRYPTION).decryptOaep(
                ContentKeys.cipherValue(e.keys.get(0), "EncryptedKey"), Algorithm.SHA256);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey, "AES"),
                new GCMParameterSpec(128, Arrays.copyOf(e.ciphertext, 12)));

        assertThat(e.ciphertext).hasSize(12 + attachment.length + 16);
        assertThat(gcm.doFinal(e.ciphertext, 12, e.ciphertext.length - 12)).isEqualTo(attachment);
    }

    @Test
    void alteredCiphertextFailsWhenTheEndIsRead() throws Exception {
        Encrypted e = encrypt(attachment, pki.recipientRsa);
        e.ciphertext[5000] ^= 1;

        assertThatThrownBy(() -> decrypt(e, pki.recipientRsa)).isInstanceOf(AttachmentIntegrityException.class)
                .hasMessageContaining("discard");
    }

    @Test
    void truncatedCiphertextFailsWhenTheEndIsRead() throws Exception {
        Encrypted e = encrypt(attachment, pki.recipientRsa);
        Encrypted truncated = new Encrypted(Arrays.copyOf(e.ciphertext, e.ciphertext.length - 1000), e.method, e.keys);

        assertThatThrownBy(() -> decrypt(truncated, pki.recipientRsa)).isInstanceOf(AttachmentIntegrityException.class);
    }

    @Test
    void anAlteredTagFailsWhenTheEndIsRead() throws Exception {
        Encrypted e = encrypt(attachment, pki.recipientRsa);
        e.ciphertext[e.ciphertext.length - 3] ^= 0x20;

        assertThatThrownBy(() -> decrypt(e, pki.recipientRsa)).isInstanceOf(AttachmentIntegrityException.class)
                .hasMessageContaining("tag does not match");
    }

    @Test
    void ciphertextShorterThanItsTagFails() throws Exception {
        Encrypted e = encrypt(attachment, pki.recipientRsa);
        Encrypted cut = new Encrypted(Arrays.copyOf(e.ciphertext, 12 + 10), e.method, e.keys);

        assertThatThrownBy(() -> decrypt(cut, pki.recipientRsa)).isInstanceOf(AttachmentIntegrityException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void anEmptyAttachmentIsIvAndTagOnly() throws Exception {
        Encrypted e = encrypt(new byte[0], pki.recipientBrainpool);

        assertThat(e.ciphertext).hasSize(12 + 16);
        assertThat(decrypt(e, pki.recipientBrainpool)).isEmpty();
    }

    @Test
    void anAttachmentEncryptedByTheJdksGcmDecrypts() throws Exception {
        Encrypted ours = encrypt(attachment, pki.recipientRsa);
        byte[] contentKey = XmlTestPki.handle(pki.recipientRsa, KeyPurpose.ENCRYPTION).decryptOaep(
                ContentKeys.cipherValue(ours.keys.get(0), "EncryptedKey"), Algorithm.SHA256);
        byte[] iv = new byte[12];
        new Random(12).nextBytes(iv);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"), new GCMParameterSpec(128, iv));
        byte[] sealed = gcm.doFinal(attachment);
        byte[] theirs = Arrays.copyOf(iv, 12 + sealed.length);
        System.arraycopy(sealed, 0, theirs, 12, sealed.length);

        assertThat(decrypt(new Encrypted(theirs, ours.method, ours.keys), pki.recipientRsa)).isEqualTo(attachment);
    }

    @Test
    void anotherRecipientsKeyFindsNoEncryptedKey() throws Exception {
        Encrypted e = encrypt(attachment, pki.recipientRsa);

        assertThatThrownBy(() -> decrypt(e, pki.otherRecipientRsa)).isInstanceOfSatisfying(XmlSecurityException.class,
                x -> assertThat(x.reason()).isEqualTo(Reason.RECIPIENT_NOT_FOUND));
    }

    @Test
    void refusesToStreamAnythingButAesGcm() throws Exception {
        Encrypted e = encrypt(attachment, pki.recipientRsa);
        Encrypted cbc = new Encrypted(e.ciphertext, "http://www.w3.org/2001/04/xmlenc#aes256-cbc", e.keys);

        assertThatThrownBy(() -> decrypt(cbc, pki.recipientRsa)).isInstanceOfSatisfying(XmlSecurityException.class,
                x -> assertThat(x.reason()).isEqualTo(Reason.ALGORITHM_REFUSED));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
