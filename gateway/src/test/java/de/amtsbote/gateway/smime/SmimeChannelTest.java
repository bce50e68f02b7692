package de.amtsbote.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.sandbox.mail.MailLogEntry;
import de.amtsbote.sandbox.mail.MailPeer;
import de.amtsbote.sandbox.mail.OutgoingMail;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The S/MIME channel through the whole gateway: submitted over the API, signed and encrypted, relayed to the
 * sandbox mail authority, answered with signed MDNs that move the delivery to DELIVERED and RETRIEVED; mail from
 * outside (made by our peers and by the OpenSSL command line) into the inbox, verified; hostile mail quarantined.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmimeChannelTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "bv-" + UUID.randomUUID();
    private static final Path DATA = Fleet.temporaryDirectory("amtsbote-smime-test-");
    private static final MailWorld WORLD = MailWorld.startIn(DATA);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void gatewayWithTheSmimeChannel(DynamicPropertyRegistry p) {
        p.add("amtsbote.storage.directory", () -> DATA.resolve("gateway").toString());
        p.add("amtsbote.node-id", () -> "smime-test");
        WORLD.gatewayProperties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.clients[0].id", () -> "fachverfahren-bad-vilbel");
        p.add("amtsbote.clients[0].token-sha256", () -> ClientRegistry.digestOf(TOKEN));
        p.add("amtsbote.clients[0].participants[0]", () -> MailWorld.OWN);
        p.add("amtsbote.dispatch.initial-backoff", () -> "200ms");
        p.add("amtsbote.dispatch.max-backoff", () -> "1s");
        p.add("amtsbote.outbox.poll-interval", () -> "100ms");
    }

    @AfterAll
    static void stopTheWorld() {
        WORLD.close();
    }

    private ApiClient api() {
        return new ApiClient(java.net.URI.create("http://127.0.0.1:" + port), TOKEN);
    }

    // ------------------------------------------------------------------ outbound

    @Test
    void deliversSignedEncryptedMailAndFollowsItsSignedReceiptsToRetrieved() {
        String subject = "Anhörung zum Bauantrag " + UUID.randomUUID();
        String id = submit(subject, "participant:kreis-bergstrasse", "\"delivery\", \"retrieval\"");

        awaitState(id, "DELIVERED");
        awaitState(id, "RETRIEVED");

        List<String> events = events(id);
        assertThat(events).containsSubsequence("SubmissionAcceptance", "DeliveryAcceptance", "Retrieval");
        String retrieval = evidenceDocument(id, "Retrieval");
        assertThat(retrieval).contains("assurance=\"RECIPIENT_SIGNED\"").contains("mediaType=\"message/rfc822\"");
        MailLogEntry received = peerLog(MailWorld.KREIS, MailLogEntry.Event.RECEIVED, subject);
        assertThat(received.decrypted()).isTrue();
        assertThat(received.signatureValid()).isTrue();
        assertThat(received.signer()).contains("Bad Vilbel");
        assertThat(received.attachments()).singleElement().satisfies(a -> assertThat(a.name()).isEqualTo("bescheid.pdf"));
    }

    @Test
    void whatThePeerReceivedDecryptsAndVerifiesWithOpenSsl() throws Exception {
        String subject = "Hundesteuerbescheid " + UUID.randomUUID();
        String id = submit(subject, "participant:kreis-bergstrasse", "");
        awaitState(id, "SENT", "DELIVERED", "RETRIEVED");
        Path dir = Files.createTempDirectory(DATA, "openssl");
        Path raw = dir.resolve("received.eml");
        Files.write(raw, rawMailInMailbox(MailWorld.KREIS, "kreis", subject));

        openssl(dir, "cms", "-decrypt", "-in", raw.toString(), "-recip", WORLD.pki.certificateFile("kreis").toString(),
                "-inkey", WORLD.pki.keyFile("kreis").toString(), "-out", "signed.eml");
        openssl(dir, "cms", "-verify", "-in", "signed.eml", "-CAfile", WORLD.pki.anchorFile().toString(),
                "-purpose", "any", "-out", "content.eml");

        String content = Files.readString(dir.resolve("content.eml"), StandardCharsets.UTF_8);
        assertThat(content).contains("multipart/mixed").contains("bescheid.pdf");
    }

    // ------------------------------------------------------------------ inbound

    @Test
    void mailMadeWithOpenSslArrivesInTheInboxVerified() throws Exception {
        String subject = "Antrag auf Akteneinsicht " + UUID.randomUUID();
        Path mail = opensslMail(subject, WORLD.pki.certificateFile("erika"), WORLD.pki.keyFile("erika"), "sha256");

        smtpToGateway(mail, MailWorld.ERIKA);

        JsonNode entry = awaitInbox(subject);
        assertThat(entry.get("from").asString()).isEqualTo("smime:" + MailWorld.ERIKA);
        assertThat(entry.get("signature").get("status").asString()).isEqualTo("VALID");
        assertThat(entry.get("signature").get("signer").asString()).contains("Erika Mustermann");
        assertThat(api().get("/api/v1/inbox/" + entry.get("id").asString() + "/body").text())
                .contains("Sehr geehrte Damen und Herren");
    }

    @Test
    void sendsASignedMdnWhenTheClientTakesAMessageThatAskedForOne() throws Exception {
        String subject = "Widerspruch gegen den Bescheid " + UUID.randomUUID();
        MailPeer erika = WORLD.peers.peer(MailWorld.ERIKA);
        String messageId = erika.send(OutgoingMail.to(MailWorld.OWN_ADDRESS)
                .recipientCertificate(WORLD.ownEncryptionCertificate).subject(subject)
                .body("Hiermit lege ich Widerspruch ein.").requestMdn().build());

        JsonNode entry = awaitInbox(subject);
        assertThat(entry.get("signature").get("status").asString()).isEqualTo("VALID");
        assertThat(api().post("/api/v1/inbox/" + entry.get("id").asString() + "/ack").status()).isEqualTo(200);

        await("Erika receives the gateway's MDN", () -> erika.log().stream().anyMatch(
                e -> e.event() == MailLogEntry.Event.RECEIPT_RECEIVED && messageId.equals(e.originalMessageId())));
        MailLogEntry mdn = erika.log().stream().filter(e -> e.event() == MailLogEntry.Event.RECEIPT_RECEIVED
                && messageId.equals(e.originalMessageId())).findFirst().orElseThrow();
        assertThat(mdn.signatureValid()).as(mdn.toString()).isTrue();
        assertThat(mdn.matchesSent()).isTrue();
    }

    @Test
    void quarantinesMailFromARevokedSignerWithItsReason() throws Exception {
        IssuedCertificate revoked = WORLD.pki.authority().issue(IssueRequest.named("Erika (alter Schlüssel)")
                .profile(CertificateProfile.SIGNING_AND_ENCRYPTION).key(KeySpec.ec("P-256")).email(MailWorld.ERIKA));
        WORLD.ocsp.revoke(revoked.certificate(), Instant.now().minusSeconds(3600));
        Path dir = Files.createTempDirectory(DATA, "revoked");
        Pem.writeCertificates(dir.resolve("cert.pem"), revoked.chain());
        Pem.writeTestPrivateKey(dir.resolve("key.pem"), revoked.privateKey());
        String subject = "Mit widerrufenem Zertifikat " + UUID.randomUUID();

        smtpToGateway(opensslMail(subject, dir.resolve("cert.pem"), dir.resolve("key.pem"), "sha256"), MailWorld.ERIKA);

        assertThat(awaitQuarantine(subject)).startsWith("revoked signer");
        assertThat(inboxEntry(subject)).isEmpty();
    }

    @Test
    void quarantinesASha1SignatureWithItsReason() throws Exception {
        String subject = "Mit SHA-1 signiert " + UUID.randomUUID();

        smtpToGateway(opensslMail(subject, WORLD.pki.certificateFile("erika"), WORLD.pki.keyFile("erika"), "sha1"),
                MailWorld.ERIKA);

        assertThat(awaitQuarantine(subject)).startsWith("SHA-1 signature");
    }

    // ------------------------------------------------------------------ helpers

    private String submit(String subject, String recipient, String receipts) {
        ApiClient.Response r = api().submit(new Multipart().envelope("""
                {"sender": "%s", "recipients": ["%s"], "subject": "%s", "reference": "AZ 63-2026-0815",
                 "body": "Sehr geehrte Damen und Herren,\\nanbei der Bescheid.",
                 "options": {"sign": true, "encrypt": true, "receipts": [%s]}}"""
                .formatted(MailWorld.OWN, recipient, subject, receipts))
                .attachment("bescheid.pdf", "application/pdf", "%PDF-1.7 Bescheid".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private JsonNode delivery(String id) {
        return api().get("/api/v1/messages/" + id).json().get("deliveries").get(0);
    }

    private void awaitState(String id, String... states) {
        await("delivery of " + id + " is in " + List.of(states), () -> {
            String state = delivery(id).get("state").asString();
            assertThat(state).as(delivery(id).toString()).isNotIn("FAILED", "EXPIRED");
            return List.of(states).contains(state);
        });
    }

    private List<String> events(String id) {
        List<String> events = new ArrayList<>();
        api().get("/api/v1/messages/" + id).json().get("evidence").forEach(e -> events.add(e.get("event").asString()));
        return events;
    }

    private String evidenceDocument(String id, String event) {
        for (JsonNode e : api().get("/api/v1/messages/" + id).json().get("evidence")) {
            if (e.get("event").asString().equals(event)) {
                return api().get("/api/v1/evidence/" + e.get("id").asString()).text();
            }
        }
        throw new AssertionError("no " + event + " evidence for " + id);
    }

    private MailLogEntry peerLog(String peer, MailLogEntry.Event event, String subject) {
        await(peer + " logged " + event + " of " + subject, () -> WORLD.peers.peer(peer).log().stream()
                .anyMatch(e -> e.event() == event && subject.equals(e.subject())));
        return WORLD.peers.peer(peer).log().stream().filter(e -> e.event() == event && subject.equals(e.subject()))
                .findFirst().orElseThrow();
    }

    private Optional<JsonNode> inboxEntry(String subject) {
        JsonNode page = api().get("/api/v1/inbox?limit=200").json();
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .filter(m -> m.get("subject").asString().equals(subject)).findFirst();
    }

    private JsonNode awaitInbox(String subject) {
        await("\"" + subject + "\" is in the inbox", () -> inboxEntry(subject).isPresent());
        return inboxEntry(subject).orElseThrow();
    }

    /** The quarantine reason of the mail with this subject (the raw mail is kept; its subject is in it). */
    private String awaitQuarantine(String subject) {
        await("a mail about \"" + subject + "\" is quarantined", () -> quarantineReason(subject).isPresent());
        return quarantineReason(subject).orElseThrow();
    }

    private Optional<String> quarantineReason(String subject) {
        return jdbc.sql("select transport_id, reason from quarantine where channel = 'smime'")
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list().stream()
                .filter(r -> QUARANTINED_SUBJECTS.contains(r[0] + " " + subject)).map(r -> r[1]).findFirst();
    }

    private static final List<String> QUARANTINED_SUBJECTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A mail signed (with the given digest) by the given key and encrypted for our participant, by OpenSSL. */
    private Path opensslMail(String subject, Path certificate, Path key, String digest) throws Exception {
        Path dir = Files.createTempDirectory(DATA, "mail");
        Files.writeString(dir.resolve("entity.txt"), "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nSehr geehrte Damen und Herren,\r\nich beantrage ...\r\n",
                StandardCharsets.UTF_8);
        openssl(dir, "cms", "-sign", "-md", digest, "-in", "entity.txt", "-signer", certificate.toString(),
                "-inkey", key.toString(), "-out", "signed.eml");
        String messageId = "<" + UUID.randomUUID() + "@example.org>";
        openssl(dir, "cms", "-encrypt", "-aes-256-gcm", "-in", "signed.eml", "-out", "mail.eml",
                "-from", MailWorld.ERIKA, "-to", MailWorld.OWN_ADDRESS, "-subject", subject,
                "-recip", WORLD.ownEncryptionCertificate.toString(),
                "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        Path mail = dir.resolve("with-id.eml");
        Files.writeString(mail, "Message-ID: " + messageId + "\r\n"
                + Files.readString(dir.resolve("mail.eml"), StandardCharsets.US_ASCII).replace("\r\n", "\n")
                .replace("\n", "\r\n"), StandardCharsets.US_ASCII);
        QUARANTINED_SUBJECTS.add(messageId + " " + subject);
        return mail;
    }

    private void smtpToGateway(Path mail, String from) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(WORLD.listenPort));
        Session session = Session.getInstance(props);
        try (InputStream in = Files.newInputStream(mail)) {
            MimeMessage message = new MimeMessage(session, in) {
                @Override
                protected void updateMessageID() {
                    // keep the Message-ID the test chose
                }
            };
            message.setFrom(new InternetAddress(from));
            Transport.send(message, new InternetAddress[] {new InternetAddress(MailWorld.OWN_ADDRESS)});
        }
    }

    private byte[] rawMailInMailbox(String address, String password, String subject) throws Exception {
        Properties props = new Properties();
        Session session = Session.getInstance(props);
        try (Store store = session.getStore("imap")) {
            store.connect("127.0.0.1", WORLD.peers.imapPort(), address, password);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message m : inbox.getMessages()) {
                if (subject.equals(m.getSubject())) {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    m.writeTo(out);
                    inbox.close(false);
                    return out.toByteArray();
                }
            }
            inbox.close(false);
        }
        throw new AssertionError("no mail \"" + subject + "\" in the mailbox of " + address);
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    private static void await(String what, BooleanSupplier condition) {
        MailWorld.await(what, WAIT, condition);
    }

}
