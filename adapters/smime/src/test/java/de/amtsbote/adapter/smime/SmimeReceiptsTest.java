package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.smime.SmimeWriter;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.RetrievalConfirmation;
import de.amtsbote.spi.TransportReceipt;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts for what the channel sent, arriving at its SMTP listener: MDNs (signed and not), ESS signed receipts
 * (ours and OpenSSL's) and DSNs become transport receipts of the right delivery with the right assurance, and the
 * channel answers an inbound message with a signed MDN.
 */
class SmimeReceiptsTest {

    static final TestWorld WORLD = TestWorld.get();
    static final String US = TestWorld.BAD_VILBEL_ADDRESS;
    static final Set<DeliveryOption> WITH_RECEIPT = Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT,
            DeliveryOption.RETRIEVAL_RECEIPT);

    GreenMail greenMail;
    RecordingSink sink = new RecordingSink();
    MapDirectory directory = WORLD.directory();
    ChannelMemory memory = ChannelMemory.inProcess();
    SmimeAdapter adapter;
    int port;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        greenMail.start();
        directory.certificate(US, WORLD.ourEncryptionCertificate);
        adapter = WORLD.start(Map.of("relay.host", "127.0.0.1",
                "relay.port", Integer.toString(greenMail.getSmtp().getPort()), "relay.tls", "none"), sink, directory,
                memory);
        port = adapter.listenerPort();
    }

    @AfterEach
    void stop() {
        adapter.close();
        greenMail.stop();
    }

    private String send(String deliveryId, String to) throws Exception {
        return adapter.dispatch(Envelopes.letter(deliveryId, to, WITH_RECEIPT)).transportReference();
    }

    private byte[] received(int index) throws Exception {
        assertThat(greenMail.waitForIncomingEmail(5000, index + 1)).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        greenMail.getReceivedMessages()[index].writeTo(out);
        return out.toByteArray();
    }

    static byte[] report(String originalMessageId, String finalRecipient, String disposition) {
        return ("Content-Type: multipart/report; report-type=disposition-notification; boundary=\"rep\"\r\n\r\n"
                + "--rep\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nIhre Nachricht wurde gelesen.\r\n"
                + "--rep\r\nContent-Type: message/disposition-notification\r\n\r\n"
                + "Reporting-UA: viernheim.example; Mailpostfach\r\n"
                + "Original-Recipient: rfc822;" + finalRecipient + "\r\n"
                + "Final-Recipient: rfc822;" + finalRecipient + "\r\n"
                + "Original-Message-ID: " + originalMessageId + "\r\n"
                + "Disposition: " + disposition + "\r\n"
                + "\r\n--rep--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private TransportReceipt onlyReceipt() {
        assertThat(sink.quarantined).isEmpty();
        assertThat(sink.receipts).hasSize(1);
        return sink.receipts.get(0);
    }

    @Test
    void anUnsignedMdnProcessedIsDeliveredAsWeakEvidence() throws Exception {
        String reference = send("d-mdn-1", TestWorld.VIERNHEIM_ADDRESS);
        byte[] mdn = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "Disposition notification", "<mdn-1@v.example>",
                report(reference, TestWorld.VIERNHEIM_ADDRESS, "automatic-action/MDN-sent-automatically; processed"),
                "In-Reply-To: " + reference + "\r\n");

        assertThat(TestMails.send(port, TestWorld.VIERNHEIM_ADDRESS, US, mdn)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.transportReference()).isEqualTo(reference);
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.DELIVERED);
        assertThat(r.proof().assurance()).isEqualTo(Assurance.UNAUTHENTICATED);
        assertThat(r.proof().mediaType()).isEqualTo("message/rfc822");
        assertThat(new String(r.proof().content(), StandardCharsets.ISO_8859_1))
                .endsWith(new String(mdn, StandardCharsets.ISO_8859_1));
        assertThat(r.at()).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
    }

    @Test
    void anMdnSignedByTheRecipientDisplayedIsARecipientSignedRetrieval() throws Exception {
        String reference = send("d-mdn-2", TestWorld.VIERNHEIM_ADDRESS);
        Path signed = TestMails.signed(dir, WORLD.viernheim, report(reference, TestWorld.VIERNHEIM_ADDRESS,
                "manual-action/MDN-sent-manually; displayed"));
        byte[] mdn = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "Lesebestätigung", "<mdn-2@v.example>", signed);

        assertThat(TestMails.send(port, TestWorld.VIERNHEIM_ADDRESS, US, mdn)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.transportReference()).isEqualTo(reference);
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.RETRIEVED);
        assertThat(r.proof().assurance()).isEqualTo(Assurance.RECIPIENT_SIGNED);
        assertThat(Duration.between(r.at(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
    }

    @Test
    void anMdnSignedByAnotherCertificateIsRecordedUnauthenticated() throws Exception {
        String reference = send("d-mdn-3", TestWorld.VIERNHEIM_ADDRESS);
        Path signed = TestMails.signed(dir, WORLD.lampertheim, report(reference, TestWorld.VIERNHEIM_ADDRESS,
                "manual-action/MDN-sent-manually; displayed"));
        byte[] mdn = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "Lesebestätigung", "<mdn-3@v.example>", signed);

        assertThat(TestMails.send(port, TestWorld.VIERNHEIM_ADDRESS, US, mdn)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.RETRIEVED);
        assertThat(r.proof().assurance()).isEqualTo(Assurance.UNAUTHENTICATED);
    }

    @Test
    void anMdnSignedByAnUntrustedCertificateIsStillRecordedUnauthenticated() throws Exception {
        String reference = send("d-mdn-4", TestWorld.VIERNHEIM_ADDRESS);
        Path signed = TestMails.signed(dir, WORLD.stranger, report(reference, TestWorld.VIERNHEIM_ADDRESS,
                "automatic-action/MDN-sent-automatically; processed"));
        byte[] mdn = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "MDN", "<mdn-4@v.example>", signed);

        assertThat(TestMails.send(port, TestWorld.VIERNHEIM_ADDRESS, US, mdn)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.DELIVERED);
        assertThat(r.proof().assurance()).isEqualTo(Assurance.UNAUTHENTICATED);
    }

    @Test
    void anMdnDeletedIsAFailureWithItsReason() throws Exception {
        String reference = send("d-mdn-5", TestWorld.VIERNHEIM_ADDRESS);
        byte[] mdn = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "MDN", "<mdn-5@v.example>",
                report(reference, TestWorld.VIERNHEIM_ADDRESS, "manual-action/MDN-sent-manually; deleted"), "");

        assertThat(TestMails.send(port, TestWorld.VIERNHEIM_ADDRESS, US, mdn)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.FAILED);
        assertThat(r.reason()).contains("deleted");
    }

    @Test
    void ourOwnEssReceiptForWhatWeSentIsARecipientSignedRetrieval() throws Exception {
        String reference = send("d-ess-1", US);
        SmimeResult opened = WORLD.crypto.smimeOpener(TestWorld.BAD_VILBEL)
                .open(new ByteArrayInputStream(received(0)), new ByteArrayOutputStream());
        ReceiptRequested request = opened.receiptRequests().get(0);
        ByteArrayOutputStream receipt = new ByteArrayOutputStream();
        SmimeWriter.signedReceipt(receipt, request, WORLD.crypto.messageSigner(TestWorld.BAD_VILBEL, null));
        byte[] mail = TestMails.mail(US, US, "Signed receipt", "<ess-1@bv.example>", receipt.toByteArray(), "");

        assertThat(TestMails.send(port, US, US, mail)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.transportReference()).isEqualTo(reference);
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.RETRIEVED);
        assertThat(r.proof().assurance()).isEqualTo(Assurance.RECIPIENT_SIGNED);
    }

    @Test
    void openSslsEssReceiptForWhatWeSentIsARecipientSignedRetrieval() throws Exception {
        String reference = send("d-ess-2", TestWorld.VIERNHEIM_ADDRESS);
        Files.write(dir.resolve("mail.eml"), received(0));
        TestWorld.Partner v = WORLD.viernheim;
        OpenSsl.ok(dir, "cms", "-decrypt", "-in", "mail.eml", "-recip", v.certPem().toString(), "-inkey",
                v.keyPem().toString(), "-out", "signed.eml");
        OpenSsl.ok(dir, "cms", "-sign_receipt", "-in", "signed.eml", "-signer", v.certPem().toString(), "-inkey",
                v.keyPem().toString(), "-CAfile", WORLD.caPem.toString(), "-out", "receipt.eml");
        byte[] mail = TestMails.mail(v.address(), US, "Signed receipt", "<ess-2@v.example>",
                dir.resolve("receipt.eml"));

        assertThat(TestMails.send(port, v.address(), US, mail)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.transportReference()).isEqualTo(reference);
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.RETRIEVED);
        assertThat(r.proof().assurance()).isEqualTo(Assurance.RECIPIENT_SIGNED);
    }

    @Test
    void anEssReceiptForAMessageWeDoNotRememberIsQuarantined() throws Exception {
        send("d-ess-3", US);
        SmimeResult opened = WORLD.crypto.smimeOpener(TestWorld.BAD_VILBEL)
                .open(new ByteArrayInputStream(received(0)), new ByteArrayOutputStream());
        ByteArrayOutputStream receipt = new ByteArrayOutputStream();
        SmimeWriter.signedReceipt(receipt, opened.receiptRequests().get(0),
                WORLD.crypto.messageSigner(TestWorld.BAD_VILBEL, null));
        byte[] mail = TestMails.mail(US, US, "Signed receipt", "<ess-3@bv.example>", receipt.toByteArray(), "");
        // another node's memory that never saw the delivery
        adapter.close();
        adapter = WORLD.start(Map.of(), sink, directory, ChannelMemory.inProcess());

        assertThat(TestMails.send(adapter.listenerPort(), US, US, mail)).isEqualTo(250);

        assertThat(sink.receipts).isEmpty();
        assertThat(sink.quarantined).singleElement()
                .satisfies(q -> assertThat(q.reason()).startsWith("receipt for an unknown message:"));
    }

    static byte[] dsn(String envelopeId, String messageId, String action, String status, String diagnostic) {
        return ("Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n"
                + "--dsn\r\nContent-Type: text/plain\r\n\r\nDelivery report.\r\n"
                + "--dsn\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx.viernheim.example\r\n"
                + (envelopeId == null ? "" : "Original-Envelope-Id: " + envelopeId + "\r\n")
                + "Arrival-Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n\r\n"
                + "Final-Recipient: rfc822;" + TestWorld.VIERNHEIM_ADDRESS + "\r\n"
                + "Action: " + action + "\r\n"
                + "Status: " + status + "\r\n"
                + (diagnostic == null ? "" : "Diagnostic-Code: smtp; " + diagnostic + "\r\n")
                + "\r\n--dsn\r\nContent-Type: text/rfc822-headers\r\n\r\n"
                + (messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
                + "Subject: Bescheid\r\n"
                + "\r\n--dsn--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aDsnDeliveredFoundByItsEnvelopeIdIsDelivered() throws Exception {
        String reference = send("d-dsn-1", TestWorld.VIERNHEIM_ADDRESS);
        byte[] mail = TestMails.mail("mailer-daemon@viernheim.example", US, "Delivery Status Notification",
                "<dsn-1@mx.example>", dsn("d-dsn-1", null, "delivered", "2.0.0", null), "");

        assertThat(TestMails.send(port, "", US, mail)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.transportReference()).isEqualTo(reference);
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.DELIVERED);
        assertThat(r.proof().assurance()).isEqualTo(Assurance.UNAUTHENTICATED);
    }

    @Test
    void aDsnFailedIsAFailureWithTheDiagnostic() throws Exception {
        String reference = send("d-dsn-2", TestWorld.VIERNHEIM_ADDRESS);
        byte[] mail = TestMails.mail("mailer-daemon@viernheim.example", US, "Undelivered Mail", "<dsn-2@mx.example>",
                dsn(null, reference, "failed", "5.1.1", "550 5.1.1 mailbox unknown"), "");

        assertThat(TestMails.send(port, "", US, mail)).isEqualTo(250);

        TransportReceipt r = onlyReceipt();
        assertThat(r.transportReference()).isEqualTo(reference);
        assertThat(r.event()).isEqualTo(TransportReceipt.Event.FAILED);
        assertThat(r.reason()).contains("5.1.1").contains("mailbox unknown");
    }

    @Test
    void answersAnInboundMessageWithASignedMdnThatOpenSslVerifies() throws Exception {
        Path signed = TestMails.signed(dir, WORLD.viernheim, TestMails.entity());
        byte[] mail = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, US, "Antrag", "<antrag-mdn@viernheim.example>",
                Files.readAllBytes(TestMails.encrypted(dir, signed, WORLD.ourEncryptionCertPem, true)),
                "Disposition-Notification-To: <eingang@viernheim.example>\r\n");
        assertThat(TestMails.send(port, TestWorld.VIERNHEIM_ADDRESS, US, mail)).isEqualTo(250);
        RecordingSink.Message inbound = sink.messages.get(0);
        assertThat(inbound.message().retrievalReceiptWanted()).isTrue();

        adapter.confirmRetrieval(new RetrievalConfirmation(inbound.message().transportId(),
                new ChannelAddress("smime", US), inbound.message().from(), Instant.parse("2026-11-25T08:00:00Z")));

        byte[] mdn = received(0);
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mdn));
        assertThat(parsed.getHeader("To", null)).isEqualTo("eingang@viernheim.example");
        assertThat(parsed.getHeader("In-Reply-To", null)).isEqualTo("<antrag-mdn@viernheim.example>");
        assertThat(parsed.getContentType()).startsWith("multipart/signed");
        Files.write(dir.resolve("mdn.eml"), mdn);
        OpenSsl.Run verify = OpenSsl.ok(dir, "cms", "-verify", "-in", "mdn.eml", "-CAfile", WORLD.caPem.toString(),
                "-out", "report.eml");
        assertThat(verify.stderr()).contains("Verification successful");
        String report = Files.readString(dir.resolve("report.eml"), StandardCharsets.US_ASCII);
        assertThat(report).contains("report-type=disposition-notification")
                .contains("Original-Message-ID: <antrag-mdn@viernheim.example>")
                .contains("Final-Recipient: rfc822;" + US)
                .contains("Disposition: manual-action/MDN-sent-manually; displayed");
    }
}
