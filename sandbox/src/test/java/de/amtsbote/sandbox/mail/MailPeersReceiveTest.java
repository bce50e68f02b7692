package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.mail.TestPki.AUTHORITY;
import static de.amtsbote.sandbox.mail.TestPki.CITIZEN;
import static de.amtsbote.sandbox.mail.TestPki.PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.ReceiptVerification;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.sandbox.mail.GatewayStandIn.Arrival;
import de.amtsbote.sandbox.mail.MailLogEntry.Event;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail from the gateway to the peers: opened with the peer's key, verified, logged, deduplicated and answered with
 * MDNs per receipt mode, at an SMTP listener standing in for the gateway. Real SMTP, real crypto, a PKI made at run
 * time; what the peers write is read back with an independent parser and with {@code openssl cms}.
 */
class MailPeersReceiveTest {

    static final TestPki PKI = TestPki.get();
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    GatewayStandIn gateway;
    MailPeers peers;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = new GatewayStandIn();
    }

    @AfterEach
    void stop() {
        if (peers != null) {
            peers.close();
        }
        gateway.close();
    }

    MailPeers start(ReceiptMode mode, boolean signReceipts) throws Exception {
        peers = MailPeers.start(config(mode, signReceipts).build());
        return peers;
    }

    MailPeersConfig.Builder config(ReceiptMode mode, boolean signReceipts) {
        return MailPeersConfig.builder(dir.resolve("data")).smtpPort(0).imapPort(0)
                .gatewaySmtp("127.0.0.1", gateway.port()).trustAnchors(PKI.anchor())
                .peer(PKI.peer(AUTHORITY, "authority").name("Stadt Viernheim").receipts(mode)
                        .signReceipts(signReceipts).build())
                .peer(PKI.peer(CITIZEN, "citizen").name("Erika Mustermann").receipts(mode)
                        .signReceipts(signReceipts).build());
    }

    /** A mail from the gateway participant, signed with its key and encrypted for the peer's certificate. */
    byte[] fromGateway(String to, String entry, String messageId, boolean dnt) throws Exception {
        return GatewayMail.signedAndEncrypted(GatewayMail.headers(PARTICIPANT, to, "Bescheid über die Hundesteuer 2026",
                        messageId, dnt), PKI.key("participant-signing", KeyPurpose.SIGNING), PKI.pki.certificate(entry),
                PKI.pki.anchor(), false);
    }

    void deliver(String to, byte[] mail) throws Exception {
        GatewayMail.send(peers.smtpPort(), PARTICIPANT, to, mail);
    }

    MailLogEntry awaitEntry(MailPeer peer, Event event, String messageId) throws InterruptedException {
        Eventually.await(event + " " + messageId + " in the log of " + peer.address(), WAIT,
                () -> peer.log().stream().anyMatch(e -> e.event() == event && messageId.equals(e.messageId())));
        return peer.log().stream().filter(e -> e.event() == event && messageId.equals(e.messageId())).findFirst()
                .orElseThrow();
    }

    ReceivedReport report(Arrival a) throws Exception {
        return ReceivedReport.parse(a.data(), PKI.pki.anchor());
    }

    // ------------------------------------------------------------------ opening what arrives

    @Test
    void opensEveryMailOfManyArrivingOverSeveralConnectionsAtOnce() throws Exception {
        start(ReceiptMode.never(), true);
        List<String> ids = new java.util.ArrayList<>();
        List<byte[]> mails = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ids.add(GatewayMail.messageId());
            mails.add(fromGateway(CITIZEN, "citizen", ids.get(i), false));
        }
        // four connections at once, as the gateway's relay pool sends: the mailbox numbers mails before it stores
        // them, so they can become visible out of order
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (byte[] mail : mails) {
                sent.add(senders.submit(() -> {
                    deliver(CITIZEN, mail);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdown();
        }
        for (String id : ids) {
            assertThat(awaitEntry(peers.peer(CITIZEN), Event.RECEIVED, id).readable()).isTrue();
        }
    }

    @Test
    void opensSignedAndEncryptedMailFromTheGatewayAndLogsWhatItFound() throws Exception {
        start(ReceiptMode.never(), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "authority", id, false));

        MailLogEntry e = awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id);
        assertThat(e.readable()).isTrue();
        assertThat(e.encrypted()).isTrue();
        assertThat(e.decrypted()).isTrue();
        assertThat(e.signed()).isTrue();
        assertThat(e.signatureValid()).isTrue();
        assertThat(e.signer()).contains("Magistrat der Stadt Bad Vilbel");
        assertThat(e.signerAddresses()).containsExactly(PARTICIPANT);
        assertThat(e.from()).isEqualTo(PARTICIPANT);
        assertThat(e.subject()).isEqualTo("Bescheid über die Hundesteuer 2026");
        ContentDigester d = new ContentDigester();
        d.update(GatewayMail.ATTACHMENT, 0, GatewayMail.ATTACHMENT.length);
        assertThat(e.attachments()).containsExactly(new MailLogEntry.Attachment(GatewayMail.ATTACHMENT_NAME,
                "text/plain", GatewayMail.ATTACHMENT.length, d.hex()));
        assertThat(e.problem()).isNull();
    }

    @Test
    void opensMailThatOpensslSignedAndEncrypted() throws Exception {
        start(ReceiptMode.never(), true);
        Path work = Files.createDirectories(dir.resolve("openssl"));
        Files.write(work.resolve("entity.txt"), GatewayMail.mixed());
        OpenSsl.ok(work, "cms", "-sign", "-in", "entity.txt", "-signer",
                PKI.pki.certificateFile("participant-signing").toString(), "-inkey",
                PKI.pki.keyFile("participant-signing").toString(), "-out", "signed.eml");
        OpenSsl.ok(work, "cms", "-encrypt", "-aes-256-gcm", "-in", "signed.eml", "-out", "encrypted.eml",
                "-recip", PKI.pki.certificateFile("authority").toString(), "-keyopt", "rsa_padding_mode:oaep",
                "-keyopt", "rsa_oaep_md:sha256");
        String id = GatewayMail.messageId();
        // openssl writes MIME-Version and the Content-* headers; the mail headers go in front
        byte[] mail = concat(("From: <" + PARTICIPANT + ">\r\nTo: <" + AUTHORITY + ">\r\nSubject: OpenSSL\r\n"
                + "Message-ID: " + id + "\r\n").getBytes(StandardCharsets.US_ASCII),
                crlf(Files.readAllBytes(work.resolve("encrypted.eml"))));
        deliver(AUTHORITY, mail);

        MailLogEntry e = awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id);
        assertThat(e.readable()).as(e.problem()).isTrue();
        assertThat(e.decrypted()).isTrue();
        assertThat(e.signatureValid()).isTrue();
        assertThat(e.attachments()).extracting(MailLogEntry.Attachment::name)
                .containsExactly(GatewayMail.ATTACHMENT_NAME);
    }

    @Test
    void mailEncryptedForAnotherKeyIsLoggedAsUndecryptable() throws Exception {
        start(ReceiptMode.never(), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "citizen", id, false));

        MailLogEntry e = awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id);
        assertThat(e.readable()).isFalse();
        assertThat(e.encrypted()).isTrue();
        assertThat(e.decrypted()).isFalse();
        assertThat(e.signed()).as("a signature inside what did not decrypt cannot be seen").isNull();
        assertThat(e.problem()).contains("NO_MATCHING_KEY");
        assertThat(e.attachments()).isEmpty();
        assertThat(peers.peer(AUTHORITY).stats().unreadable()).isEqualTo(1);
    }

    @Test
    void mailSignedUnderAnUnknownCaIsLoggedWithTheFailedSignature() throws Exception {
        start(ReceiptMode.never(), true);
        String id = GatewayMail.messageId();
        deliver(CITIZEN, GatewayMail.signedAndEncrypted(GatewayMail.headers(PARTICIPANT, CITIZEN, "Gefälscht", id,
                false), PKI.strangerKey(), PKI.pki.certificate("citizen"), PKI.pki.anchor(), false));

        MailLogEntry e = awaitEntry(peers.peer(CITIZEN), Event.RECEIVED, id);
        assertThat(e.readable()).isFalse();
        assertThat(e.decrypted()).isTrue();
        assertThat(e.signed()).isTrue();
        assertThat(e.signatureValid()).isFalse();
        assertThat(e.signer()).contains("Mallory");
        assertThat(e.problem()).contains("CERTIFICATE_INVALID");
    }

    @Test
    void mailWhoseSignedContentWasChangedIsLoggedWithTheFailedSignature() throws Exception {
        start(ReceiptMode.never(), true);
        String id = GatewayMail.messageId();
        String signed = new String(GatewayMail.signed(GatewayMail.headers(PARTICIPANT, CITIZEN, "Signiert", id, false),
                PKI.key("participant-signing", KeyPurpose.SIGNING)), StandardCharsets.UTF_8);
        deliver(CITIZEN, signed.replace("anbei erhalten Sie", "anbei erhalten SIE").getBytes(StandardCharsets.UTF_8));

        MailLogEntry e = awaitEntry(peers.peer(CITIZEN), Event.RECEIVED, id);
        assertThat(e.readable()).isFalse();
        assertThat(e.encrypted()).isFalse();
        assertThat(e.signatureValid()).isFalse();
        assertThat(e.problem()).contains("CONTENT_DIGEST_MISMATCH");
    }

    @Test
    void unprotectedMailIsReadableAndSaysSo() throws Exception {
        start(ReceiptMode.never(), true);
        String id = GatewayMail.messageId();
        deliver(CITIZEN, concat(GatewayMail.headers(PARTICIPANT, CITIZEN, "Offen", id, false)
                .getBytes(StandardCharsets.US_ASCII), GatewayMail.mixed()));

        MailLogEntry e = awaitEntry(peers.peer(CITIZEN), Event.RECEIVED, id);
        assertThat(e.readable()).isTrue();
        assertThat(e.encrypted()).isFalse();
        assertThat(e.signed()).isFalse();
        assertThat(e.decrypted()).isNull();
        assertThat(e.signatureValid()).isNull();
        assertThat(e.attachments()).hasSize(1);
    }

    // ------------------------------------------------------------------ receipts per mode

    @Test
    void atOnceAnswersWithProcessedThenDisplayedSignedMdns() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "authority", id, true));

        List<Arrival> arrived = gateway.await(2, WAIT);
        ReceivedReport processed = report(arrived.get(0));
        ReceivedReport displayed = report(arrived.get(1));
        assertThat(processed.field("Disposition")).isEqualTo("automatic-action/MDN-sent-automatically; processed");
        assertThat(displayed.field("Disposition")).isEqualTo("manual-action/MDN-sent-manually; displayed");
        for (ReceivedReport r : List.of(processed, displayed)) {
            assertThat(r.signed()).isTrue();
            assertThat(r.smime().valid()).as(r.smime().describe()).isTrue();
            assertThat(r.smime().verifications().get(0).signers().get(0).subject()).contains("Stadt Viernheim");
            assertThat(r.reportType()).contains("multipart/report").contains("disposition-notification");
            assertThat(r.field("Original-Message-ID")).isEqualTo(id);
            assertThat(r.field("Final-Recipient")).isEqualTo("rfc822;" + AUTHORITY);
            assertThat(r.field("Reporting-UA")).startsWith("viernheim.example;");
            assertThat(r.header("To")).isEqualTo("<" + PARTICIPANT + ">");
            assertThat(r.header("In-Reply-To")).isEqualTo(id);
            assertThat(r.header("References")).isEqualTo(id);
            assertThat(r.headers().getHeader("Message-ID", null)).isEqualTo(id);
        }
        assertThat(arrived).allSatisfy(a -> {
            assertThat(a.envelopeFrom()).as("null reverse-path (RFC 8098)").isEmpty();
            assertThat(a.recipient()).isEqualTo(PARTICIPANT);
        });
        assertThat(processed.outer().getSubject()).isEqualTo("Eingangsbestätigung: Bescheid über die Hundesteuer 2026");
        assertThat(displayed.outer().getSubject()).isEqualTo("Lesebestätigung: Bescheid über die Hundesteuer 2026");
        assertThat(processed.header("Auto-Submitted")).isEqualTo("auto-replied");
        Eventually.await("two receipts logged", WAIT, () -> peers.peer(AUTHORITY).stats().receiptsSent() == 2);
        assertThat(peers.peer(AUTHORITY).log()).filteredOn(x -> x.event() == Event.RECEIPT_SENT)
                .extracting(MailLogEntry::receipt, MailLogEntry::originalMessageId, MailLogEntry::signed)
                .containsExactly(Tuple.tuple("processed", id, true),
                        Tuple.tuple("displayed", id, true));
    }

    @Test
    void signedMdnVerifiesWithOpensslCms() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        deliver(CITIZEN, fromGateway(CITIZEN, "citizen", id, true));

        Arrival processed = gateway.await(1, WAIT).get(0);
        Path work = Files.createDirectories(dir.resolve("openssl"));
        Files.write(work.resolve("mdn.eml"), processed.data());
        OpenSsl.Run r = OpenSsl.ok(work, "cms", "-verify", "-in", "mdn.eml", "-CAfile", PKI.anchor().toString(),
                "-out", "report.eml");
        assertThat(r.stderr()).contains("Verification successful");
        String report = Files.readString(work.resolve("report.eml"), StandardCharsets.ISO_8859_1);
        assertThat(report).contains("report-type=disposition-notification")
                .contains("Original-Message-ID: " + id)
                .contains("Disposition: automatic-action/MDN-sent-automatically; processed");
    }

    @Test
    void neverSendsNoReceiptEvenWhenAskedFor() throws Exception {
        start(ReceiptMode.never(), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "authority", id, true));

        MailLogEntry e = awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id);
        assertThat(e.dispositionNotificationTo()).isEqualTo(PARTICIPANT);
        assertThat(e.receiptsPlanned()).isEmpty();
        Thread.sleep(1000);
        assertThat(gateway.arrivals()).isEmpty();
        assertThat(peers.peer(AUTHORITY).stats().receiptsSent()).isZero();
    }

    @Test
    void afterADelaySendsProcessedAtOnceAndDisplayedWhenTheDelayIsOver() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        start(ReceiptMode.after(delay), true);
        String id = GatewayMail.messageId();
        deliver(CITIZEN, fromGateway(CITIZEN, "citizen", id, true));

        Arrival first = gateway.await(1, WAIT).get(0);
        Instant processedAt = Instant.now();
        assertThat(report(first).field("Disposition")).endsWith("; processed");
        MailLogEntry received = awaitEntry(peers.peer(CITIZEN), Event.RECEIVED, id);
        assertThat(received.receiptsPlanned()).containsExactly("processed", "displayed after PT1.5S");
        assertThat(gateway.arrivals()).as("displayed must wait for the delay").hasSize(1);

        Arrival second = gateway.await(2, WAIT).get(1);
        assertThat(Duration.between(received.time(), Instant.now())).isGreaterThanOrEqualTo(delay);
        assertThat(Duration.between(processedAt, Instant.now())).isGreaterThan(Duration.ofMillis(500));
        ReceivedReport displayed = report(second);
        assertThat(displayed.field("Disposition")).isEqualTo("manual-action/MDN-sent-manually; displayed");
        assertThat(displayed.smime().valid()).isTrue();
    }

    @Test
    void unsignedModeSendsTheReportWithoutASignature() throws Exception {
        start(ReceiptMode.atOnce(), false);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "authority", id, true));

        List<Arrival> arrived = gateway.await(2, WAIT);
        for (Arrival a : arrived) {
            ReceivedReport r = report(a);
            assertThat(r.signed()).isFalse();
            assertThat(r.outer().getContentType()).startsWith("multipart/report");
            assertThat(r.field("Original-Message-ID")).isEqualTo(id);
        }
        Eventually.await("receipts logged", WAIT, () -> peers.peer(AUTHORITY).stats().receiptsSent() == 2);
        assertThat(peers.peer(AUTHORITY).log()).filteredOn(x -> x.event() == Event.RECEIPT_SENT)
                .allSatisfy(x -> assertThat(x.signed()).isFalse());
    }

    @Test
    void aRedeliveredMessageIsLoggedAsDuplicateAndAnsweredOnce() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        byte[] mail = fromGateway(AUTHORITY, "authority", id, true);
        deliver(AUTHORITY, mail);
        deliver(AUTHORITY, mail);
        deliver(AUTHORITY, mail);

        MailPeer authority = peers.peer(AUTHORITY);
        Eventually.await("two duplicates", WAIT, () -> authority.stats().duplicates() == 2);
        gateway.await(2, WAIT);
        Thread.sleep(500);
        assertThat(gateway.arrivals()).hasSize(2);
        assertThat(authority.stats()).isEqualTo(new MailPeerStats(1, 0, 2, 2, 0, 0, 0));
        assertThat(authority.log()).filteredOn(x -> x.event() == Event.DUPLICATE)
                .allSatisfy(x -> assertThat(x.originalMessageId()).isEqualTo(id));
    }

    @Test
    void undecryptableMailGetsADeletedErrorMdnAndNeverProcessedOrDisplayed() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "citizen", id, true));

        Arrival only = gateway.await(1, WAIT).get(0);
        ReceivedReport r = report(only);
        assertThat(r.field("Disposition")).isEqualTo("automatic-action/MDN-sent-automatically; deleted/error");
        assertThat(r.field("Error")).contains("NO_MATCHING_KEY");
        assertThat(r.field("Original-Message-ID")).isEqualTo(id);
        assertThat(r.smime().valid()).isTrue();
        Thread.sleep(1000);
        assertThat(gateway.arrivals()).hasSize(1);
        assertThat(awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id).receiptsPlanned())
                .containsExactly("deleted/error");
    }

    @Test
    void mailWithAFailedSignatureGetsADeletedErrorMdnOnly() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        deliver(CITIZEN, GatewayMail.signedAndEncrypted(GatewayMail.headers(PARTICIPANT, CITIZEN, "Gefälscht", id,
                true), PKI.strangerKey(), PKI.pki.certificate("citizen"), PKI.pki.anchor(), false));

        Arrival only = gateway.await(1, WAIT).get(0);
        assertThat(report(only).field("Disposition")).endsWith("; deleted/error");
        assertThat(report(only).field("Error")).contains("CERTIFICATE_INVALID");
        Thread.sleep(1000);
        assertThat(gateway.arrivals()).hasSize(1);
    }

    @Test
    void mailWithoutDispositionNotificationToGetsNoMdn() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "authority", id, false));

        assertThat(awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id).receiptsPlanned()).isEmpty();
        Thread.sleep(1000);
        assertThat(gateway.arrivals()).isEmpty();
    }

    @Test
    void anEssReceiptRequestIsAnsweredWithASignedReceiptForTheSentSignature() throws Exception {
        peers = MailPeers.start(MailPeersConfig.builder(dir.resolve("data")).smtpPort(0).imapPort(0)
                .gatewaySmtp("127.0.0.1", gateway.port()).trustAnchors(PKI.anchor())
                .peer(PKI.peer(AUTHORITY, "authority").receipts(ReceiptMode.atOnce()).essReceipts(true).build())
                .build());
        String id = GatewayMail.messageId();
        GatewayMail.Signed sent = GatewayMail.signedAndEncryptedKeepingSignature(GatewayMail.headers(PARTICIPANT,
                        AUTHORITY, "Anhörung", id, false), PKI.key("participant-signing", KeyPurpose.SIGNING),
                PKI.pki.certificate("authority"), PKI.pki.anchor(), true);
        deliver(AUTHORITY, sent.mail());

        Arrival receipt = gateway.await(1, WAIT).get(0);
        assertThat(receipt.recipient()).isEqualTo(PARTICIPANT);
        MimeMessage m = new MimeMessage(
                Session.getInstance(new Properties()),
                new ByteArrayInputStream(receipt.data()));
        assertThat(m.getContentType()).contains("smime-type=signed-receipt");
        assertThat(m.getHeader("In-Reply-To", null)).isEqualTo(id);
        SmimeOpener opener = new SmimeOpener(
                CmsOpener.builder(AlgorithmPolicy.bsi(),
                        PkixCertificateValidator.builder().trustAnchor(PKI.pki.anchor())
                                .revocation(RevocationSources.NONE).build()).build());
        ReceiptVerification v = opener.verifyReceipt(
                new ByteArrayInputStream(receipt.data()), cid -> Arrays.equals(cid,
                        sent.signature().receiptContentIdentifier()) ? Optional.of(sent.signature())
                        : Optional.empty());
        assertThat(v.valid()).as(v.describe()).isTrue();
        assertThat(v.signature().signers().get(0).subject()).contains("Stadt Viernheim");
        assertThat(awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id).receiptsPlanned())
                .containsExactly("ess-signed-receipt");
        Eventually.await("the receipt logged", WAIT, () -> peers.peer(AUTHORITY).stats().receiptsSent() == 1);
        assertThat(peers.peer(AUTHORITY).log()).filteredOn(x -> x.event() == Event.RECEIPT_SENT).singleElement()
                .extracting(MailLogEntry::receipt).isEqualTo("ess-signed-receipt");
    }

    @Test
    void anEssReceiptRequestIsNotAnsweredUnlessTheOptionIsOn() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, GatewayMail.signedAndEncrypted(GatewayMail.headers(PARTICIPANT, AUTHORITY, "Anhörung", id,
                false), PKI.key("participant-signing", KeyPurpose.SIGNING), PKI.pki.certificate("authority"),
                PKI.pki.anchor(), true));

        MailLogEntry e = awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id);
        assertThat(e.essReceiptRequested()).isTrue();
        assertThat(e.receiptsPlanned()).isEmpty();
        Thread.sleep(500);
        assertThat(gateway.arrivals()).isEmpty();
    }

    @Test
    void receiptsWaitForAGatewayThatIsNotListeningYet() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        peers = MailPeers.start(MailPeersConfig.builder(dir.resolve("data")).smtpPort(0).imapPort(0)
                .gatewaySmtp("127.0.0.1", port).trustAnchors(PKI.anchor())
                .peer(PKI.peer(AUTHORITY, "authority").receipts(ReceiptMode.atOnce()).build()).build());
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "authority", id, true));
        awaitEntry(peers.peer(AUTHORITY), Event.RECEIVED, id);
        Thread.sleep(1500);
        assertThat(peers.peer(AUTHORITY).stats().receiptsSent()).isZero();

        try (GatewayStandIn late = new GatewayStandIn(port)) {
            List<Arrival> arrived = late.await(2, WAIT);
            assertThat(report(arrived.get(0)).field("Disposition")).endsWith("; processed");
            assertThat(report(arrived.get(1)).field("Disposition")).endsWith("; displayed");
        }
        assertThat(peers.peer(AUTHORITY).stats().receiptsFailed()).isZero();
    }

    // ------------------------------------------------------------------ the mail server

    @Test
    void mailForAnAddressThatIsNoPeerIsRefused() throws Exception {
        start(ReceiptMode.never(), true);
        assertThatThrownBy(() -> GatewayMail.send(peers.smtpPort(), PARTICIPANT, "nobody@viernheim.example",
                fromGateway(AUTHORITY, "authority", GatewayMail.messageId(), false)))
                .rootCause().hasMessageContaining("553").hasMessageContaining("nobody@viernheim.example");
    }

    @Test
    void aRestartedPeerStillRecognisesARedelivery() throws Exception {
        start(ReceiptMode.atOnce(), true);
        String id = GatewayMail.messageId();
        byte[] mail = fromGateway(AUTHORITY, "authority", id, true);
        deliver(AUTHORITY, mail);
        gateway.await(2, WAIT);
        Eventually.await("receipts logged", WAIT, () -> peers.peer(AUTHORITY).stats().receiptsSent() == 2);
        peers.close();

        peers = MailPeers.start(config(ReceiptMode.atOnce(), true).build());
        deliver(AUTHORITY, mail);
        Eventually.await("the redelivery logged", WAIT, () -> peers.peer(AUTHORITY).stats().duplicates() == 1);
        Thread.sleep(500);
        assertThat(gateway.arrivals()).hasSize(2);
        assertThat(peers.peer(AUTHORITY).stats().received()).isEqualTo(1);
    }

    @Test
    void aDisplayedMdnDueWhenThePeerStoppedIsSentAfterTheRestart() throws Exception {
        start(ReceiptMode.after(Duration.ofSeconds(2)), true);
        String id = GatewayMail.messageId();
        deliver(AUTHORITY, fromGateway(AUTHORITY, "authority", id, true));
        gateway.await(1, WAIT);
        peers.close();

        peers = MailPeers.start(config(ReceiptMode.after(Duration.ofSeconds(2)), true).build());
        List<Arrival> arrived = gateway.await(2, WAIT);
        assertThat(report(arrived.get(1)).field("Disposition")).endsWith("; displayed");
        assertThat(report(arrived.get(1)).field("Original-Message-ID")).isEqualTo(id);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** OpenSSL writes LF line ends on Linux; mail is CRLF. */
    static byte[] crlf(byte[] lf) {
        return new String(lf, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
