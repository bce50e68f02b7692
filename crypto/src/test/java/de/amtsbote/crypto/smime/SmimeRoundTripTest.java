package de.amtsbote.crypto.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.SignatureCheck;
import de.amtsbote.crypto.cms.TestPki;
import de.amtsbote.crypto.cms.TestValidator;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmimeRoundTripTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final byte[] ENTITY = ("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Sehr geehrte Damen und Herren,\r\nanbei der Bescheid.\r\n").getBytes(StandardCharsets.UTF_8);

    final SmimeOpener opener = new SmimeOpener(CmsOpener.builder(POLICY, VALIDATOR)
            .decryptionKeys(List.of(PKI.key("rsa"), PKI.key("bp256"))).build());

    static CmsSigner signer(String key) throws Exception {
        return CmsSigner.builder(PKI.key(key), POLICY).build();
    }

    static CmsEncryptor encryptor(String key) throws Exception {
        return CmsEncryptor.builder(POLICY, VALIDATOR).recipient(PKI.cert(key).certificate()).build();
    }

    SmimeResult open(byte[] entity, ByteArrayOutputStream inner) throws IOException {
        return opener.open(new ByteArrayInputStream(entity), inner);
    }

    @Test
    void opensAnOpaqueSignedEntity() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.signed(out, signer("p256"))) {
            s.write(ENTITY);
        }
        String text = out.toString(StandardCharsets.US_ASCII);
        assertThat(text).startsWith("Content-Type: application/pkcs7-mime; smime-type=signed-data");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = open(out.toByteArray(), inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).singleElement().extracting(SmimeLayer::kind).isEqualTo(SmimeLayer.Kind.SIGNED);
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
        assertThat(r.contentType()).isEqualTo("text/plain");
    }

    @Test
    void reportsAnUndecodableBase64BodyAsMalformedInsteadOfThrowing() throws Exception {
        byte[] entity = ("Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nMIAG*not base64*\r\n").getBytes(StandardCharsets.US_ASCII);
        SmimeResult r = open(entity, new ByteArrayOutputStream());
        assertThat(r.valid()).isFalse();
        assertThat(r.failure()).isEqualTo(SmimeFailure.MALFORMED);
        assertThat(r.detail()).contains("base64");
    }

    @Test
    void reportsAnUndecodableBodyInsideAnEncryptedLayerAsMalformed() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.encrypted(out, encryptor("rsa"))) {
            s.write(("Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\nMIAG*not base64*\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        SmimeResult r = open(out.toByteArray(), new ByteArrayOutputStream());
        assertThat(r.valid()).isFalse();
        assertThat(r.failure()).isEqualTo(SmimeFailure.MALFORMED);
        assertThat(r.detail()).startsWith("layer 2: ").contains("base64");
    }

    @Test
    void writesBase64InLinesOf76WithCrlf() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.encrypted(out, encryptor("rsa"))) {
            s.write(new byte[5000]);
        }
        String body = out.toString(StandardCharsets.US_ASCII).split("\r\n\r\n", 2)[1];
        assertThat(body).endsWith("\r\n").doesNotContain("\n\n");
        assertThat(body.replace("\r\n", "\n").split("\n")).allSatisfy(l -> assertThat(l.length()).isBetween(1, 76));
        assertThat(body.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void opensAMultipartSignedEntity() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.multipartSigned(out, signer("rsa"))) {
            s.write(ENTITY);
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("Content-Type: multipart/signed; "
                + "protocol=\"application/pkcs7-signature\"; micalg=sha-256;");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = open(out.toByteArray(), inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).singleElement().extracting(SmimeLayer::kind).isEqualTo(SmimeLayer.Kind.CLEAR_SIGNED);
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void refusesANonCanonicalEntityForMultipartSigned() throws Exception {
        OutputStream s = SmimeWriter.multipartSigned(new ByteArrayOutputStream(), signer("rsa"));
        assertThatThrownBy(() -> s.write("Content-Type: text/plain\n\nx".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class).hasMessageContaining("bare LF at byte 24");
    }

    @Test
    void detectsAChangedClearSignedBody() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.multipartSigned(out, signer("bp256"))) {
            s.write(ENTITY);
        }
        byte[] tampered = out.toString(StandardCharsets.UTF_8).replace("anbei der Bescheid", "anbei die Mahnung")
                .getBytes(StandardCharsets.UTF_8);
        SmimeResult r = open(tampered, new ByteArrayOutputStream());
        assertThat(r.valid()).isFalse();
        assertThat(r.layers().get(0).verification().firstFailure()).contains(SignatureCheck.CONTENT_DIGEST_MISMATCH);
    }

    @Test
    void opensSignThenEncrypt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.signed(SmimeWriter.encrypted(out, encryptor("rsa")), signer("p256"))) {
            s.write(ENTITY);
        }
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = open(out.toByteArray(), inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).extracting(SmimeLayer::kind)
                .containsExactly(SmimeLayer.Kind.ENCRYPTED, SmimeLayer.Kind.SIGNED);
        assertThat(r.layers().get(0).decryption().key().id()).isEqualTo("rsa");
        assertThat(r.layers().get(1).verification().signers().get(0).subject()).contains("Teilnehmer p256");
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void opensEncryptThenSignWithAClearSignature() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.encrypted(SmimeWriter.multipartSigned(out, signer("rsa")),
                encryptor("bp256"))) {
            s.write(ENTITY);
        }
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = open(out.toByteArray(), inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).extracting(SmimeLayer::kind)
                .containsExactly(SmimeLayer.Kind.CLEAR_SIGNED, SmimeLayer.Kind.ENCRYPTED);
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void opensFiveLayersAndRefusesASixth() throws Exception {
        assertThat(open(nested(5), new ByteArrayOutputStream()).valid()).isTrue();
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = open(nested(6), inner);
        assertThat(r.valid()).isFalse();
        assertThat(r.failure()).isEqualTo(SmimeFailure.NESTING_TOO_DEEP);
        assertThat(r.layers()).hasSize(5);
        assertThat(inner.size()).isZero();
    }

    @Test
    void reportsAPlainEntityAsNotProtected() throws Exception {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = open(ENTITY, inner);
        assertThat(r.valid()).isFalse();
        assertThat(r.layers()).isEmpty();
        assertThat(r.describe()).contains("not an S/MIME message");
        assertThat(inner.toByteArray()).isEqualTo(ENTITY);
    }

    @Test
    void reportsAnOuterTagFailureAndLeavesTheInnerLayerUnfinished() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = SmimeWriter.signed(SmimeWriter.encrypted(out, encryptor("rsa")), signer("p256"))) {
            s.write(new byte[100_000]);
        }
        byte[] wire = out.toByteArray();
        // flip a bit of the last base64 line: the GCM tag or the end of the ciphertext
        String text = new String(wire, StandardCharsets.US_ASCII);
        int at = text.lastIndexOf("\r\n", text.length() - 3) - 10;
        wire[at] = (byte) (wire[at] == 'A' ? 'B' : 'A');
        SmimeResult r = open(wire, new ByteArrayOutputStream());
        assertThat(r.valid()).isFalse();
        assertThat(r.layers().get(0).decryption().failure())
                .isEqualTo(de.amtsbote.crypto.cms.DecryptionFailure.INTEGRITY_FAILED);
    }

    private static byte[] nested(int layers) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStream s = out;
        for (int i = 0; i < layers; i++) {
            s = i % 2 == 0 ? SmimeWriter.encrypted(s, encryptor("bp256")) : SmimeWriter.signed(s, signer("p256"));
        }
        s.write(ENTITY);
        s.close();
        return out.toByteArray();
    }
}
