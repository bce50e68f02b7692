package de.amtsbote.gateway.bebpo;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.ChannelTestGateway;
import de.amtsbote.gateway.testing.Eventually;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.sandbox.osci.OutgoingDelivery;
import de.amtsbote.sandbox.osci.ReceivedDelivery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The beBPo channel through the whole gateway and the sandbox OSCI intermediary: a delivery stored at the court's
 * intermediary, fetched and acknowledged by the court, followed through the signed process card's Creation,
 * Forwarding and Reception to RETRIEVED with each card kept as evidence; a delivery from a district authority's
 * beBPo fetched by the gateway with its origin (VHN) verified, acknowledged, and its process cards kept with it.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BebpoChannelTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "bv-" + UUID.randomUUID();
    private static final Path DATA = Fleet.temporaryDirectory("amtsbote-bebpo-test-");
    private static final BebpoWorld WORLD = BebpoWorld.startIn(DATA, 64L << 20);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayWithTheBebpoChannel(DynamicPropertyRegistry p) {
        ChannelTestGateway.register(p, DATA, "bebpo-test", WORLD.gatewayProperties(), TOKEN, BebpoWorld.BAD_VILBEL);
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

    @Test
    void followsTheProcessCardFromCreationThroughForwardingToReception() throws Exception {
        String subject = "Klage in Sachen Stadt Bad Vilbel ./. Mustermann " + UUID.randomUUID();
        String id = submit(subject, "participant:amtsgericht-musterstadt");

        JsonNode sent = messages().awaitState(id, "SENT");
        String messageId = sent.get("transportReference").asString();
        String creation = MessagesApi.transportProof(messages().awaitEvidenceWithProof(id, "RelayAcceptance"));
        assertThat(creation).contains("ProcessCardBundle").contains("Creation").doesNotContain("Forwarding");

        List<ReceivedDelivery> fetched = WORLD.court().fetchNow();
        assertThat(fetched).singleElement().satisfies(d -> {
            assertThat(d.messageId()).isEqualTo(messageId);
            assertThat(d.subject()).isEqualTo(subject);
            assertThat(d.valid()).as(d.toString()).isTrue();
            assertThat(d.body()).contains("anbei die Klageschrift");
            assertThat(d.attachments()).singleElement().satisfies(a -> {
                assertThat(a.name()).isEqualTo("klage.pdf");
                assertThat(a.intact()).isTrue();
            });
        });
        messages().awaitState(id, "DELIVERED");

        WORLD.court().acknowledge(messageId);
        messages().awaitState(id, "RETRIEVED");

        String reception = MessagesApi.transportProof(messages().awaitEvidenceWithProof(id, "Retrieval"));
        assertThat(reception).contains("Creation").contains("Forwarding").contains("Reception");
        assertThat(messages().awaitEvidenceWithProof(id, "Retrieval")).contains("assurance=\"INTERMEDIARY_SIGNED\"");
        assertThat(messages().events(id)).containsSubsequence("SubmissionAcceptance", "RelayAcceptance",
                "DeliveryAcceptance", "Retrieval");
    }

    @Test
    void aDeliveryFromABebpoArrivesWithItsOriginVerifiedAndIsAcknowledged() throws Exception {
        String subject = "Amtshilfeersuchen " + UUID.randomUUID();
        Path attachment = Files.createTempFile(DATA, "ersuchen", ".pdf");
        Files.writeString(attachment, "%PDF-1.7 Ersuchen", StandardCharsets.US_ASCII);
        String messageId = WORLD.kreis().send(OutgoingDelivery.to(BebpoWorld.BAD_VILBEL_MAILBOX).subject(subject)
                .body("Sehr geehrte Damen und Herren,\nwir bitten um Amtshilfe.").reference("AZ 12/26")
                .attach(attachment).build()).messageId();

        JsonNode entry = messages().awaitInbox(subject);

        assertThat(entry.get("from").asString()).isEqualTo("bebpo:" + BebpoWorld.KREIS);
        assertThat(entry.get("signature").get("status").asString()).isIn("VALID", "VALID_WITH_WARNINGS");
        assertThat(entry.get("signature").toString()).contains("origin verified").contains(BebpoWorld.KREIS);
        String inbox = "/api/v1/inbox/" + entry.get("id").asString();
        assertThat(api().get(inbox + "/body").text()).contains("wir bitten um Amtshilfe");
        assertThat(api().get(inbox + "/attachments/0").text()).isEqualTo("%PDF-1.7 Ersuchen");
        Eventually.await("the intermediary recorded the gateway's acknowledgement", WAIT, () -> WORLD.osci
                .intermediary("justiz").log().stream().anyMatch(e -> e.event().equals("acknowledged")
                        && messageId.equals(e.get("messageId"))));
        Eventually.await("the process cards are kept with the message", WAIT,
                () -> api().get(inbox).json().get("proofs").size() >= 2);
        assertThat(api().get(inbox).json().get("proofs").toString()).contains("RETRIEVED")
                .contains("INTERMEDIARY_SIGNED");
    }

    @Test
    void endsAsFailedForAMailboxTheDirectoryDoesNotKnow() {
        String id = submit("Irrläufer " + UUID.randomUUID(), "bebpo:DE.Justiz.00000000-0000-0000-0000-000000000000");

        JsonNode delivery = messages().awaitState(id, "FAILED");

        assertThat(delivery.get("lastError").asString()).contains("DE.Justiz.00000000-0000-0000-0000-000000000000");
    }

    private String submit(String subject, String recipient) {
        ApiClient.Response r = api().submit(new Multipart().envelope("""
                {"sender": "%s", "recipients": ["%s"], "subject": "%s", "reference": "AZ 2 C 815/26",
                 "body": "Sehr geehrte Damen und Herren,\\nanbei die Klageschrift.",
                 "options": {"receipts": ["delivery", "retrieval"]}}"""
                .formatted(BebpoWorld.BAD_VILBEL, recipient, subject))
                .attachment("klage.pdf", "application/pdf", "%PDF-1.7 Klage".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

}
