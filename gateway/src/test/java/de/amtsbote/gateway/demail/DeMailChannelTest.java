package de.amtsbote.gateway.demail;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.ChannelTestGateway;
import de.amtsbote.gateway.testing.Eventually;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.sandbox.demail.DeMailMessage;
import de.amtsbote.sandbox.demail.OutgoingDeMail;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The De-Mail channel through the whole gateway and two sandbox De-Mail providers: submitted over the API, sent over
 * SMTPS with the gateway's client certificate, followed through the providers' signed Versand-, Eingangs- and
 * Abholbestätigung to RETRIEVED with each confirmation kept as evidence; ended as FAILED by a provider's notification;
 * refused at submission where a provider would refuse; De-Mail from a citizen into the inbox; a forged confirmation
 * quarantined without moving the delivery.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeMailChannelTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "bv-" + UUID.randomUUID();
    private static final Path DATA = Fleet.temporaryDirectory("amtsbote-demail-test-");
    private static final DeMailWorld WORLD = DeMailWorld.startIn(DATA);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void gatewayWithTheDeMailChannel(DynamicPropertyRegistry p) {
        ChannelTestGateway.register(p, DATA, "demail-test", WORLD.gatewayProperties(), TOKEN, DeMailWorld.BAD_VILBEL, DeMailWorld.VIERNHEIM);
    }

    @AfterAll
    static void stopTheWorld() {
        WORLD.close();
    }

    private ApiClient api() {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), TOKEN);
    }

    private MessagesApi messages() {
        return new MessagesApi(api(), WAIT);
    }

    // ------------------------------------------------------------------ outbound

    @Test
    void followsVersandEingangsAndAbholbestaetigungToRetrievedAndKeepsEachAsEvidence() {
        String subject = "Zustellung des Bescheids " + UUID.randomUUID();
        String id = submit(DeMailWorld.BAD_VILBEL, "participant:kreis-bergstrasse", subject,
                "\"sign\": true, \"encrypt\": false, \"receipts\": [\"dispatch\", \"delivery\", \"retrieval\"]");

        messages().awaitEvidenceWithProof(id, "RelayAcceptance");
        messages().awaitState(id, "DELIVERED");
        DeMailMessage received = WORLD.demail.mailbox(DeMailWorld.KREIS).messages().stream()
                .filter(m -> subject.equals(m.subject())).findFirst().orElseThrow();
        assertThat(received.header("x-de-mail-confirmation-of-retrieve")).isEqualTo("yes");
        assertThat(received.header("x-de-mail-private")).isEqualTo("yes");
        assertThat(received.header("x-de-mail-authoritative")).isEqualTo("yes");
        assertThat(received.header("x-de-mail-sender")).isEqualTo(DeMailWorld.BAD_VILBEL_ADDRESS);
        assertThat(received.header("x-de-mail-integrity")).contains("a=sha256/ec-dsa");

        assertThat(WORLD.demail.mailbox(DeMailWorld.KREIS).secureLogin()).isEqualTo(1);
        messages().awaitState(id, "RETRIEVED");

        assertThat(messages().events(id)).containsSubsequence("SubmissionAcceptance", "RelayAcceptance",
                "DeliveryAcceptance", "Retrieval");
        for (String[] step : List.of(new String[] {"RelayAcceptance", "confirmation of dispatch"},
                new String[] {"DeliveryAcceptance", "confirmation of receipt"},
                new String[] {"Retrieval", "confirmation of retrieve"})) {
            String evidence = messages().awaitEvidenceWithProof(id, step[0]);
            assertThat(evidence).contains("assurance=\"PROVIDER_SIGNED\"").contains("mediaType=\"message/rfc822\"");
            String proof = MessagesApi.transportProof(evidence);
            assertThat(proof).as(step[0]).contains("X-de-mail-message-type: " + step[1])
                    .contains("application/xml").contains("application/pdf");
        }
    }

    @Test
    void endsAsFailedWithTheNotificationsReasonForAnUnknownAddress() {
        String id = submit(DeMailWorld.BAD_VILBEL, "demail:niemand@kreis-bergstrasse.de-mail.de",
                "Unzustellbar " + UUID.randomUUID(), "\"encrypt\": false, \"receipts\": [\"delivery\"]");

        JsonNode delivery = messages().awaitState(id, "FAILED");

        assertThat(delivery.get("lastError").asString()).startsWith("unknown-recipient");
        assertThat(messages().evidenceDocument(id, "DeliveryNonAcceptance"))
                .contains("assurance=\"PROVIDER_SIGNED\"");
    }

    @Test
    void endsAsFailedWhenTheRecipientsAccountIsClosed() {
        String id = submit(DeMailWorld.BAD_VILBEL, "demail:" + DeMailWorld.CLOSED, "Konto geschlossen "
                + UUID.randomUUID(), "\"encrypt\": false, \"receipts\": []");

        assertThat(messages().awaitState(id, "FAILED").get("lastError").asString()).startsWith("closed-account");
    }

    @Test
    void sendsEndToEndEncryptedWhenAskedAndTheCitizenOpensIt() {
        String subject = "Verschlüsselter Bescheid " + UUID.randomUUID();
        String id = submit(DeMailWorld.BAD_VILBEL, "participant:erika-mustermann", subject,
                "\"encrypt\": true, \"receipts\": [\"delivery\"]");

        messages().awaitState(id, "DELIVERED");
        DeMailMessage received = WORLD.demail.mailbox(DeMailWorld.ERIKA).messages().stream()
                .filter(m -> subject.equals(m.subject())).findFirst().orElseThrow();
        assertThat(new String(received.raw(), StandardCharsets.US_ASCII)).contains("application/pkcs7-mime");
        String messageId = received.header("x-de-mail-message-id");
        Eventually.await("Erika's provider opened the end-to-end layer", WAIT, () -> WORLD.demail.provider("dmda-b")
                .log().stream().anyMatch(e -> e.event().equals("e2e-opened") && "true".equals(e.get("valid"))
                        && e.toString().contains(messageId)));
    }

    // ------------------------------------------------------------------ refused at submission

    @Test
    void refusesTheAbholbestaetigungForASenderThatIsNoPublicBody() {
        ApiClient.Response r = api().submit(envelope(DeMailWorld.VIERNHEIM, "participant:kreis-bergstrasse",
                "Zustellung", "\"receipts\": [\"retrieval\"]"));

        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("reason").asString()).contains("Abholbestätigung").contains("public bod");
    }

    @Test
    void refusesAddressesNoProviderWouldTakeWithTheReason() {
        for (String[] bad : List.of(new String[] {"demail:Poststelle@kreis-bergstrasse.de-mail.de", "lower case"},
                new String[] {"demail:poststelle@kreis-bergstrasse.example", "De-Mail domain"},
                new String[] {"demail:Meldung@dmda-b.de-mail.de", "system address"})) {
            ApiClient.Response r = api().submit(envelope(DeMailWorld.BAD_VILBEL, bad[0], "Test", "\"receipts\": []"));
            assertThat(r.status()).as(r.toString()).isEqualTo(422);
            assertThat(r.json().get("reason").asString()).as(bad[0]).contains(bad[1]);
        }
    }

    // ------------------------------------------------------------------ inbound

    @Test
    void deMailFromACitizenArrivesInTheInboxOpenedAndVerified() throws Exception {
        String subject = "Antrag auf Wohngeld " + UUID.randomUUID();
        WORLD.demail.mailbox(DeMailWorld.ERIKA).send(OutgoingDeMail.to(DeMailWorld.BAD_VILBEL_ADDRESS)
                .subject(subject).body("Sehr geehrte Damen und Herren,\nanbei mein Antrag.")
                .encryptFor(WORLD.ownEncryptionCertificate).receiptConfirmation().build());

        JsonNode entry = messages().awaitInbox(subject);

        assertThat(entry.get("from").asString()).isEqualTo("demail:" + DeMailWorld.ERIKA);
        assertThat(entry.get("signature").get("status").asString()).isEqualTo("VALID");
        assertThat(entry.get("signature").get("signer").asString()).contains("Erika Mustermann");
        assertThat(api().get("/api/v1/inbox/" + entry.get("id").asString() + "/body").text())
                .contains("anbei mein Antrag");

        // the provider's Eingangsbestätigung to the recipient is kept with the message: when it reached the mailbox
        String inbox = "/api/v1/inbox/" + entry.get("id").asString();
        Eventually.await("the Eingangsbestätigung is kept with the message", WAIT,
                () -> api().get(inbox).json().get("proofs").size() == 1);
        JsonNode proof = api().get(inbox).json().get("proofs").get(0);
        assertThat(proof.get("event").asString()).isEqualTo("DELIVERED");
        assertThat(proof.get("assurance").asString()).isEqualTo("PROVIDER_SIGNED");
        assertThat(api().get(inbox + "/proofs/" + proof.get("index").asInt()).text())
                .contains("X-de-mail-message-type: confirmation of receipt");
        assertThat(quarantined()).noneMatch(reason -> reason.contains("did not send"));
    }

    // ------------------------------------------------------------------ hostile

    @Test
    void quarantinesAnAlteredConfirmationAndLeavesTheDeliveryWhereItWas() throws Exception {
        String id = submit(DeMailWorld.BAD_VILBEL, "participant:kreis-bergstrasse", "Nur Versand "
                + UUID.randomUUID(), "\"encrypt\": false, \"receipts\": [\"dispatch\"]");
        String confirmation = MessagesApi.transportProof(messages().awaitEvidenceWithProof(id, "RelayAcceptance"));
        String forged = confirmation.replace("X-de-mail-message-type: confirmation of dispatch",
                "X-de-mail-message-type: confirmation of retrieve");
        assertThat(forged).isNotEqualTo(confirmation);
        String confirmationId = header(confirmation, "X-de-mail-message-id");

        appendToOwnMailbox(forged);

        Eventually.await("the altered confirmation is quarantined", WAIT,
                () -> quarantineReason(confirmationId).isPresent());
        assertThat(quarantineReason(confirmationId).orElseThrow()).contains("integrity");
        assertThat(messages().delivery(id).get("state").asString()).isEqualTo("SENT");
        assertThat(messages().events(id)).doesNotContain("Retrieval");
    }

    // ------------------------------------------------------------------ helpers

    private String submit(String sender, String recipient, String subject, String options) {
        ApiClient.Response r = api().submit(envelope(sender, recipient, subject, options));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private static Multipart envelope(String sender, String recipient, String subject, String options) {
        return new Multipart().envelope("""
                {"sender": "%s", "recipients": ["%s"], "subject": "%s", "reference": "AZ 63-2026-0815",
                 "body": "Sehr geehrte Damen und Herren,\\nanbei der Bescheid.", "options": {%s}}"""
                .formatted(sender, recipient, subject, options))
                .attachment("bescheid.pdf", "application/pdf", "%PDF-1.7 Bescheid".getBytes(StandardCharsets.US_ASCII));
    }


    private static String header(String mail, String name) {
        Matcher m = Pattern.compile("(?mi)^" + Pattern.quote(name) + ":\\s*(\\S+)").matcher(mail);
        assertThat(m.find()).as(name + " in the mail").isTrue();
        return m.group(1);
    }

    /** Puts a mail into the gateway's own De-Mail mailbox at its provider, as an attacker with access could. */
    private void appendToOwnMailbox(String mail) throws Exception {
        Session session = Session.getInstance(new Properties());
        try (Store store = session.getStore("imap")) {
            store.connect("127.0.0.1", WORLD.ours().imapPort(), DeMailWorld.BAD_VILBEL_ADDRESS,
                    DeMailWorld.ACCOUNT_PASSWORD);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            MimeMessage message = new MimeMessage(session,
                    new ByteArrayInputStream(mail.getBytes(StandardCharsets.UTF_8)));
            message.setFlag(Flags.Flag.SEEN, false);
            inbox.appendMessages(new MimeMessage[] {message});
            inbox.close(false);
        }
    }

    private java.util.List<String> quarantined() {
        return jdbc.sql("select reason from quarantine where channel = 'demail'").query(String.class).list();
    }

    private Optional<String> quarantineReason(String transportId) {
        return jdbc.sql("select reason from quarantine where channel = 'demail' and transport_id like :id")
                .param("id", "%" + transportId + "%").query(String.class).list().stream().findFirst();
    }
}
