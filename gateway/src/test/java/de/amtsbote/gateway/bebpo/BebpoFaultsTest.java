package de.amtsbote.gateway.bebpo;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.ChannelTestGateway;
import de.amtsbote.gateway.testing.Eventually;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the gateway makes of an OSCI intermediary that misbehaves (the adapter's own tests cover HTTP errors, slow,
 * truncated and wrongly signed answers with WireMock): an intermediary that answers "unavailable" is retried and
 * stores the delivery once it can; one that is down gets it once it is back. Nothing accepted is lost, and the court never
 * finds a delivery twice in its mailbox.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BebpoFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "bv-" + UUID.randomUUID();
    private static final Path DATA = Fleet.temporaryDirectory("amtsbote-bebpo-faults-");
    private static final BebpoWorld WORLD = BebpoWorld.startIn(DATA, 64L << 20);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayWithTheBebpoChannel(DynamicPropertyRegistry p) {
        ChannelTestGateway.register(p, DATA, "bebpo-faults", WORLD.gatewayProperties(), TOKEN, BebpoWorld.BAD_VILBEL);
        ChannelTestGateway.retryingQuickly(p);
        p.add("amtsbote.channels.bebpo.connect-timeout", () -> "1s");
    }

    @AfterEach
    void intermediaryHealthyAgain() throws IOException {
        WORLD.osci.faults("justiz").unavailable(0).startListener();
    }

    @AfterAll
    static void stopTheWorld() {
        WORLD.close();
    }

    @Test
    void retriesAnUnavailableIntermediaryAndStoresTheDeliveryOnce() throws Exception {
        // the gateway's own polling talks to the intermediary too, so it answers "unavailable" until told otherwise
        WORLD.osci.faults("justiz").unavailable(1_000_000);
        String subject = "Bei Überlast " + UUID.randomUUID();
        String id = submit(subject);
        Eventually.await("a refused attempt is recorded", WAIT, () -> messages().delivery(id).get("attempts").asInt() >= 2);
        assertThat(messages().delivery(id).get("lastError").asString()).contains("Unavailable");

        WORLD.osci.faults("justiz").unavailable(0);
        messages().awaitState(id, "SENT");

        assertThat(deliveriesAtTheCourt(subject)).isEqualTo(1);
    }

    @Test
    void storesTheDeliveryOnceTheIntermediaryIsBack() throws Exception {
        WORLD.osci.faults("justiz").stopListener();
        String subject = "Während der Wartung " + UUID.randomUUID();
        String id = submit(subject);
        Eventually.await("a failed attempt is recorded", WAIT, () -> messages().delivery(id).get("attempts").asInt() >= 2);
        assertThat(messages().delivery(id).get("state").asString()).isIn("DISPATCHING", "RETRY_WAIT");
        assertThat(messages().delivery(id).get("lastError").asString()).isNotBlank();

        WORLD.osci.faults("justiz").startListener();
        messages().awaitState(id, "SENT");

        assertThat(deliveriesAtTheCourt(subject)).isEqualTo(1);
    }

    /** Empties the court's mailbox (fetch, acknowledge, until nothing is left) and counts the deliveries so named. */
    private long deliveriesAtTheCourt(String subject) throws Exception {
        long count = 0;
        for (int round = 0; round < 100; round++) {
            var fetched = WORLD.court().fetchNow();
            if (fetched.isEmpty()) {
                return count;
            }
            for (var d : fetched) {
                count += subject.equals(d.subject()) ? 1 : 0;
                WORLD.court().acknowledge(d.messageId());
            }
        }
        throw new AssertionError("the court's mailbox does not empty");
    }

    private ApiClient api() {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), TOKEN);
    }

    private MessagesApi messages() {
        return new MessagesApi(api(), WAIT);
    }

    private String submit(String subject) {
        ApiClient.Response r = api().submit(new Multipart().envelope("""
                {"sender": "%s", "recipients": ["participant:amtsgericht-musterstadt"], "subject": "%s",
                 "body": "Guten Tag", "options": {"receipts": ["delivery"]}}"""
                .formatted(BebpoWorld.BAD_VILBEL, subject))
                .attachment("klage.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }
}
