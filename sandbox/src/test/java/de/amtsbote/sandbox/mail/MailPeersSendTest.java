package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.mail.TestPki.AUTHORITY;
import static de.amtsbote.sandbox.mail.TestPki.CITIZEN;
import static de.amtsbote.sandbox.mail.TestPki.PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeLayer;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.smime.SmimeWriter;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.sandbox.mail.GatewayStandIn.Arrival;
import de.amtsbote.sandbox.mail.MailLogEntry.Event;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mail from the peers to a gateway participant (sign-then-encrypt, through the gateway's SMTP listener, here a stand-in)
 * and the receipts the gateway sends back: what a peer sends opens with {@code openssl cms} and with the crypto
 * module's reader; MDNs and ESS receipts coming back are recorded against the sent Message-ID.
 */
class MailPeersSendTest {

    static final TestPki PKI = TestPki.get();
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Session SESSION = Session.getInstance(new Properties());

    @TempDir
    Path dir;

    GatewayStandIn gateway;
    MailPeers peers;
    Path attachment;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayStandIn();
        peers = MailPeers.start(MailPeersConfig.builder(dir.resolve("data")).smtpPort(0).imapPort(0)
                .gatewaySmtp("127.0.0.1", gateway.port()).trustAnchors(PKI.anchor())
                .peer(PKI.peer(AUTHORITY, "authority").name("Stadt Viernheim").build())
                .peer(PKI.peer(CITIZEN, "citizen").name("Erika Mustermann").build()).build());
        attachment = Files.writeString(dir.resolve("Widerspruch Hundesteuer.txt"),
                "Hiermit lege ich Widerspruch gegen den Bescheid ein.\n", StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() {
        peers.close();
        gateway.close();
    }

    OutgoingMail.Builder objection() {
        return OutgoingMail.to(PARTICIPANT).recipientCertificate(PKI.pki.certificateFile("participant-encryption"))
                .subject("Widerspruch gegen den Hundesteuerbescheid").body("Sehr geehrte Damen und Herren,\n"
                        + "hiermit lege ich Widerspruch ein.\n").attach(attachment);
    }

    SmimeResult openAsTheGateway(byte[] mail, ByteArrayOutputStream inner) throws Exception {
        PkixCertificateValidator validator = PkixCertificateValidator.builder().trustAnchor(PKI.pki.anchor())
                .revocation(RevocationSources.NONE).build();
        SmimeOpener opener = new SmimeOpener(CmsOpener.builder(AlgorithmPolicy.bsi(), validator)
                .decryptionKeys(List.of(PKI.key("participant-encryption", KeyPurpose.ENCRYPTION))).build());
        return opener.open(new ByteArrayInputStream(mail), inner);
    }

    MailLogEntry awaitReceipt(MailPeer peer, String receiptId) throws InterruptedException {
        Eventually.await("the receipt " + receiptId + " in the log", WAIT, () -> peer.log().stream()
                .anyMatch(e -> e.event() == Event.RECEIPT_RECEIVED && receiptId.equals(e.messageId())));
        return peer.log().stream().filter(e -> receiptId.equals(e.messageId())).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ sending

    @ParameterizedTest
    @ValueSource(strings = {AUTHORITY, CITIZEN})
    void sentMailOpensWithOpensslDecryptThenVerify(String from) throws Exception {
        peers.peer(from).send(objection().build());

        Arrival mail = gateway.await(1, WAIT).get(0);
        Path work = Files.createDirectories(dir.resolve("openssl"));
        Files.write(work.resolve("mail.eml"), mail.data());
        OpenSsl.ok(work, "cms", "-decrypt", "-in", "mail.eml",
                "-recip", PKI.pki.certificateFile("participant-encryption").toString(),
                "-inkey", PKI.pki.keyFile("participant-encryption").toString(), "-out", "signed.eml");
        OpenSsl.Run verify = OpenSsl.ok(work, "cms", "-verify", "-in", "signed.eml",
                "-CAfile", PKI.anchor().toString(), "-out", "content.eml");
        assertThat(verify.stderr()).contains("Verification successful");
        MimeMessage content = new MimeMessage(SESSION, Files.newInputStream(work.resolve("content.eml")));
        MimeMultipart parts = (MimeMultipart) content.getContent();
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n"))
                .isEqualTo("Sehr geehrte Damen und Herren,\nhiermit lege ich Widerspruch ein.\n");
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("Widerspruch Hundesteuer.txt");
        assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(Files.readAllBytes(attachment));
    }

    @Test
    void sentMailCarriesTheContractHeadersAndIsLogged() throws Exception {
        String id = peers.peer(CITIZEN).send(objection().requestMdn().reference("AZ 22-HST-4711").build());

        Arrival a = gateway.await(1, WAIT).get(0);
        MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(a.data()));
        assertThat(id).matches("<[0-9a-f-]{36}@example\\.org>");
        assertThat(m.getHeader("Message-ID", null)).isEqualTo(id);
        assertThat(m.getHeader("From", null)).isEqualTo("Erika Mustermann <" + CITIZEN + ">");
        assertThat(m.getHeader("To", null)).isEqualTo("<" + PARTICIPANT + ">");
        assertThat(m.getSubject()).isEqualTo("Widerspruch gegen den Hundesteuerbescheid");
        assertThat(m.getHeader("Disposition-Notification-To", null)).isEqualTo("<" + CITIZEN + ">");
        assertThat(m.getHeader("X-Amtsbote-Reference", null)).isEqualTo("AZ 22-HST-4711");
        assertThat(m.getContentType()).contains("application/pkcs7-mime").contains("authEnveloped-data");
        assertThat(a.envelopeFrom()).isEqualTo(CITIZEN);
        assertThat(a.recipient()).isEqualTo(PARTICIPANT);

        MailLogEntry sent = peers.peer(CITIZEN).log().get(0);
        assertThat(sent.event()).isEqualTo(Event.SENT);
        assertThat(sent.messageId()).isEqualTo(id);
        assertThat(sent.dispositionNotificationTo()).isEqualTo(CITIZEN);
        ContentDigester d = new ContentDigester();
        byte[] bytes = Files.readAllBytes(attachment);
        d.update(bytes, 0, bytes.length);
        assertThat(sent.attachments()).extracting(MailLogEntry.Attachment::name, MailLogEntry.Attachment::size,
                MailLogEntry.Attachment::sha256).containsExactly(Tuple.tuple(
                "Widerspruch Hundesteuer.txt", (long) bytes.length, d.hex()));
        assertThat(peers.peer(CITIZEN).stats().sent()).isEqualTo(1);
    }

    @Test
    void theGatewaysReaderFindsSignThenEncryptWithTheRequestedEssReceipt() throws Exception {
        peers.peer(AUTHORITY).send(objection().requestEssReceipt().build());

        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = openAsTheGateway(gateway.await(1, WAIT).get(0).data(), inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).extracting(SmimeLayer::kind)
                .containsExactly(SmimeLayer.Kind.ENCRYPTED, SmimeLayer.Kind.CLEAR_SIGNED);
        assertThat(r.contentType()).isEqualTo("multipart/mixed");
        assertThat(r.verifications().get(0).signers().get(0).subject()).contains("Stadt Viernheim");
        assertThat(r.receiptRequests()).singleElement()
                .satisfies(q -> assertThat(q.receiptsTo()).containsExactly(AUTHORITY));
        assertThat(r.flags()).as("no legacy algorithm, only this test's own switched-off revocation check")
                .containsOnly("revocation not checked: switched off by configuration");
    }

    @Test
    void refusesToEncryptForACertificateFromAnUnknownCa() throws Exception {
        assertThatThrownBy(() -> peers.peer(CITIZEN).send(objection()
                .recipientCertificate(PKI.strangers.certificateFile("stranger")).build()))
                .isInstanceOf(IOException.class).hasMessageContaining("will not encrypt for")
                .hasMessageContaining("Mallory");
        Thread.sleep(300);
        assertThat(gateway.arrivals()).isEmpty();
        assertThat(peers.peer(CITIZEN).stats().sent()).isZero();
    }

    @Test
    void sendsUnprotectedMailWhenAskedTo() throws Exception {
        peers.peer(CITIZEN).send(objection().unsigned().unencrypted().build());

        MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(gateway.await(1, WAIT).get(0).data()));
        assertThat(m.getContentType()).startsWith("multipart/mixed");
        assertThat(peers.peer(CITIZEN).log().get(0).encrypted()).isFalse();
        assertThat(peers.peer(CITIZEN).log().get(0).signed()).isFalse();
    }

    // ------------------------------------------------------------------ receipts coming back

    /** An MDN as the gateway writes it when its client acknowledged (written here by hand from RFC 8098). */
    static byte[] gatewayMdn(String to, String originalId, String receiptId, boolean signed) throws Exception {
        String b = "report-b1";
        String report = "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"" + b
                + "\"\r\n\r\n--" + b + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGelesen.\r\n"
                + "\r\n--" + b + "\r\nContent-Type: message/disposition-notification\r\n\r\n"
                + "Reporting-UA: amtsbote.example; Amtsbote\r\n"
                + "Final-Recipient: rfc822;" + PARTICIPANT + "\r\n"
                + "Original-Message-ID: " + originalId + "\r\n"
                + "Disposition: manual-action/MDN-sent-manually; displayed\r\n"
                + "\r\n--" + b + "--\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("From: <" + PARTICIPANT + ">\r\nTo: <" + to + ">\r\nSubject: Disposition notification\r\n"
                + "Message-ID: " + receiptId + "\r\nIn-Reply-To: " + originalId + "\r\nMIME-Version: 1.0\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (signed) {
            try (OutputStream s = SmimeWriter.multipartSigned(out, CmsSigner.builder(PKI.key("participant-signing",
                    KeyPurpose.SIGNING), AlgorithmPolicy.bsi()).build())) {
                s.write(report.getBytes(StandardCharsets.US_ASCII));
            }
        } else {
            out.write(report.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    @Test
    void aSignedMdnFromTheGatewayIsRecordedAgainstTheSentMessage() throws Exception {
        MailPeer citizen = peers.peer(CITIZEN);
        String id = citizen.send(objection().requestMdn().build());
        String receiptId = GatewayMail.messageId();
        GatewayMail.send(peers.smtpPort(), null, CITIZEN, gatewayMdn(CITIZEN, id, receiptId, true));

        MailLogEntry e = awaitReceipt(citizen, receiptId);
        assertThat(e.originalMessageId()).isEqualTo(id);
        assertThat(e.receipt()).isEqualTo("manual-action/MDN-sent-manually; displayed");
        assertThat(e.signed()).isTrue();
        assertThat(e.signatureValid()).isTrue();
        assertThat(e.signer()).contains("Bad Vilbel");
        assertThat(e.signerAddresses()).containsExactly(PARTICIPANT);
        assertThat(e.matchesSent()).isTrue();
        assertThat(e.problem()).isNull();
        assertThat(citizen.stats().receiptsReceived()).isEqualTo(1);
        assertThat(citizen.stats().received()).as("a receipt is not a message").isZero();
    }

    @Test
    void anUnsignedMdnFromTheGatewayIsRecordedAsUnsigned() throws Exception {
        MailPeer citizen = peers.peer(CITIZEN);
        String id = citizen.send(objection().requestMdn().build());
        String receiptId = GatewayMail.messageId();
        GatewayMail.send(peers.smtpPort(), null, CITIZEN, gatewayMdn(CITIZEN, id, receiptId, false));

        MailLogEntry e = awaitReceipt(citizen, receiptId);
        assertThat(e.signed()).isFalse();
        assertThat(e.signatureValid()).isNull();
        assertThat(e.originalMessageId()).isEqualTo(id);
        assertThat(e.matchesSent()).isTrue();
    }

    @Test
    void anMdnAboutMailThePeerNeverSentIsRecordedAsNotMatching() throws Exception {
        MailPeer citizen = peers.peer(CITIZEN);
        String receiptId = GatewayMail.messageId();
        GatewayMail.send(peers.smtpPort(), null, CITIZEN,
                gatewayMdn(CITIZEN, "<never-sent@example.org>", receiptId, true));

        MailLogEntry e = awaitReceipt(citizen, receiptId);
        assertThat(e.originalMessageId()).isEqualTo("<never-sent@example.org>");
        assertThat(e.matchesSent()).isFalse();
    }

    @Test
    void anEssReceiptFromTheGatewayIsVerifiedAgainstTheSentSignature() throws Exception {
        MailPeer authority = peers.peer(AUTHORITY);
        String id = authority.send(objection().requestEssReceipt().build());
        SmimeResult opened = openAsTheGateway(gateway.await(1, WAIT).get(0).data(), new ByteArrayOutputStream());
        ReceiptRequested request = opened.receiptRequests().get(0);
        String receiptId = GatewayMail.messageId();
        ByteArrayOutputStream receipt = new ByteArrayOutputStream();
        receipt.write(("From: <" + PARTICIPANT + ">\r\nTo: <" + AUTHORITY + ">\r\nSubject: Signed receipt\r\n"
                + "Message-ID: " + receiptId + "\r\nMIME-Version: 1.0\r\n").getBytes(StandardCharsets.US_ASCII));
        SmimeWriter.signedReceipt(receipt, request, CmsSigner.builder(PKI.key("participant-signing",
                KeyPurpose.SIGNING), AlgorithmPolicy.bsi()).build());
        GatewayMail.send(peers.smtpPort(), null, AUTHORITY, receipt.toByteArray());

        MailLogEntry e = awaitReceipt(authority, receiptId);
        assertThat(e.receipt()).isEqualTo("ess-signed-receipt");
        assertThat(e.signatureValid()).isTrue();
        assertThat(e.matchesSent()).as(e.problem()).isTrue();
        assertThat(e.originalMessageId()).isEqualTo(id);
        assertThat(e.signer()).contains("Bad Vilbel");
    }
}
