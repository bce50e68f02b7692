package de.amtsbote.crypto.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.OpenSsl;
import de.amtsbote.crypto.cms.ReceiptCheck;
import de.amtsbote.crypto.cms.ReceiptRequest;
import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.cms.ReceiptVerification;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.cms.TestPki;
import de.amtsbote.crypto.cms.TestValidator;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ESS signed receipts (RFC 2634) over S/MIME: requested, answered and checked, ours with ours and with OpenSSL. */
class SmimeReceiptTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final byte[] ENTITY = "Content-Type: text/plain\r\n\r\nAntrag auf Akteneinsicht\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;

    final SmimeOpener opener = new SmimeOpener(CmsOpener.builder(POLICY, VALIDATOR).build());

    @BeforeAll
    static void writePki() throws Exception {
        PKI.writePem(dir, "rsa", "p256");
        Files.write(dir.resolve("entity.txt"), ENTITY);
    }

    /** Sends ENTITY signed by {@code key}, asking for a receipt to sender@amt.example. */
    static SentMessage send(String key, boolean clear) throws Exception {
        CmsSigner signer = CmsSigner.builder(PKI.key(key), POLICY)
                .requestReceipt(ReceiptRequest.to("sender@amt.example")).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmimeSigningStream s = clear ? SmimeWriter.multipartSigned(out, signer) : SmimeWriter.signed(out, signer);
        try (s) {
            s.write(ENTITY);
        }
        return new SentMessage(out.toByteArray(), s.sentSignature());
    }

    record SentMessage(byte[] wire, SentSignature signature) {
        Optional<SentSignature> lookup(byte[] id) {
            return Arrays.equals(id, signature.receiptContentIdentifier()) ? Optional.of(signature) : Optional.empty();
        }
    }

    ReceiptRequested receivedRequest(byte[] wire) throws Exception {
        SmimeResult r = opener.open(new ByteArrayInputStream(wire), new ByteArrayOutputStream());
        assertThat(r.valid()).as(r.describe()).isTrue();
        return r.receiptRequests().get(0);
    }

    static byte[] receipt(ReceiptRequested request, String key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmimeWriter.signedReceipt(out, request, CmsSigner.builder(PKI.key(key), POLICY).build());
        return out.toByteArray();
    }

    @Test
    void theRecipientSeesTheRequestWithItsAddress() throws Exception {
        SentMessage sent = send("rsa", true);
        ReceiptRequested request = receivedRequest(sent.wire());
        assertThat(request.receiptsTo()).containsExactly("sender@amt.example");
        assertThat(request.asks("anyone@amt.example")).isTrue();
        assertThat(request.signedContentIdentifier()).isEqualTo(sent.signature().receiptContentIdentifier());
        assertThat(request.originatorSignatureValue()).isEqualTo(sent.signature().signatureValue());
    }

    @Test
    void verifiesAReceiptForTheMessageItAnswers() throws Exception {
        SentMessage sent = send("p256", false);
        byte[] receipt = receipt(receivedRequest(sent.wire()), "rsa");
        assertThat(new String(receipt, StandardCharsets.US_ASCII)).startsWith(
                "Content-Type: application/pkcs7-mime; smime-type=signed-receipt");
        ReceiptVerification v = opener.verifyReceipt(new ByteArrayInputStream(receipt), sent::lookup);
        assertThat(v.valid()).as(v.describe()).isTrue();
        assertThat(v.original()).isEqualTo(sent.signature());
        assertThat(v.signature().signers().get(0).subject()).contains("Teilnehmer rsa");
    }

    @Test
    void rejectsAReceiptForAnotherMessageWithTheSameIdentifier() throws Exception {
        SentMessage first = send("p256", false);
        SentMessage second = send("p256", false);
        byte[] receipt = receipt(receivedRequest(first.wire()), "rsa");
        // a store that confuses the two messages: the receipt does not match what it says we sent
        ReceiptVerification v = opener.verifyReceipt(new ByteArrayInputStream(receipt),
                id -> Optional.of(second.signature()));
        assertThat(v.valid()).isFalse();
        assertThat(v.failure()).isEqualTo(ReceiptCheck.SIGNATURE_VALUE_MISMATCH);
    }

    @Test
    void rejectsAReceiptForAMessageWeDidNotSend() throws Exception {
        SentMessage sent = send("p256", true);
        byte[] receipt = receipt(receivedRequest(sent.wire()), "rsa");
        ReceiptVerification v = opener.verifyReceipt(new ByteArrayInputStream(receipt), id -> Optional.empty());
        assertThat(v.failure()).isEqualTo(ReceiptCheck.UNKNOWN_CONTENT_IDENTIFIER);
    }

    @Test
    void rejectsASignedMessageOfferedAsAReceipt() throws Exception {
        SentMessage sent = send("p256", false);
        ReceiptVerification v = opener.verifyReceipt(new ByteArrayInputStream(sent.wire()), sent::lookup);
        assertThat(v.failure()).isEqualTo(ReceiptCheck.NOT_A_RECEIPT);
    }

    @Test
    void openSslAnswersOurRequestWithAReceiptWeVerify() throws Exception {
        SentMessage sent = send("rsa", true);
        Files.write(dir.resolve("ours-request.eml"), sent.wire());
        OpenSsl.ok(dir, "cms", "-sign_receipt", "-in", "ours-request.eml", "-signer", "p256.pem", "-inkey", "p256.key",
                "-CAfile", "ca.pem", "-out", "openssl-receipt.eml");
        ReceiptVerification v;
        try (InputStream in = Files.newInputStream(dir.resolve("openssl-receipt.eml"))) {
            v = opener.verifyReceipt(in, sent::lookup);
        }
        assertThat(v.valid()).as(v.describe()).isTrue();
        assertThat(v.signature().signers().get(0).subject()).contains("Teilnehmer p256");
    }

    @Test
    void openSslVerifiesOurReceiptForItsRequest() throws Exception {
        OpenSsl.ok(dir, "cms", "-sign", "-in", "entity.txt", "-signer", "p256.pem", "-inkey", "p256.key",
                "-receipt_request_all", "-receipt_request_to", "sender@amt.example", "-out", "openssl-request.eml");
        ReceiptRequested request = receivedRequest(Files.readAllBytes(dir.resolve("openssl-request.eml")));
        assertThat(request.receiptsTo()).containsExactly("sender@amt.example");
        Files.write(dir.resolve("ours-receipt.eml"), receipt(request, "rsa"));
        OpenSsl.Run r = OpenSsl.ok(dir, "cms", "-verify_receipt", "ours-receipt.eml",
                "-in", "openssl-request.eml", "-CAfile", "ca.pem");
        assertThat(r.stderr()).contains("Verification successful");
    }
}
