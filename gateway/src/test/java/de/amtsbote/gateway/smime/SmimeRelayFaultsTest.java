package de.amtsbote.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.Multipart;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway makes of a relay that misbehaves: a deferral is retried and the mail is relayed once; a refusal
 * ends the delivery as FAILED with the relay's words; a relay that stalls past the timeout is retried; a relay that
 * is down for 30 seconds gets the mail once it is back. Nothing accepted is lost, and the relay never holds a mail
 * twice.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmimeRelayFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOKEN = "bv-" + UUID.randomUUID();
    private static final Path DATA = Fleet.temporaryDirectory("amtsbote-smime-faults-");
    private static final MailWorld WORLD = MailWorld.startIn(DATA);
    private static final ScriptedRelay RELAY = relay();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gatewayBehindAScriptedRelay(DynamicPropertyRegistry p) {
        p.add("amtsbote.storage.directory", () -> DATA.resolve("gateway").toString());
        p.add("amtsbote.node-id", () -> "faults-test");
        WORLD.gatewayProperties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.channels.smime.relay.port", () -> Integer.toString(RELAY.port()));
        p.add("amtsbote.channels.smime.relay.timeout", () -> "1s");
        p.add("amtsbote.channels.smime.relay.connect-timeout", () -> "1s");
        p.add("amtsbote.clients[0].id", () -> "fachverfahren-bad-vilbel");
        p.add("amtsbote.clients[0].token-sha256", () -> ClientRegistry.digestOf(TOKEN));
        p.add("amtsbote.clients[0].participants[0]", () -> MailWorld.OWN);
        p.add("amtsbote.dispatch.initial-backoff", () -> "200ms");
        p.add("amtsbote.dispatch.max-backoff", () -> "2s");
        p.add("amtsbote.dispatch.max-attempts", () -> "100");
        p.add("amtsbote.dispatch.breaker.open-wait", () -> "1s");
        p.add("amtsbote.outbox.poll-interval", () -> "100ms");
    }

    @AfterEach
    void relayUpAndAccepting() {
        RELAY.script();
        RELAY.start();
    }

    @AfterAll
    static void stopEverything() {
        RELAY.close();
        WORLD.close();
    }

    @Test
    void retriesADeferralAndRelaysTheMailOnce() {
        RELAY.script(ScriptedRelay.Answer.DEFER, ScriptedRelay.Answer.DEFER);

        String id = submit();
        JsonNode delivery = awaitState(id, "SENT");

        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(RELAY.accepted()).containsOnlyOnce(delivery.get("transportReference").asString());
    }

    @Test
    void endsAsFailedWithTheRelaysWordsWhenItRefuses() {
        RELAY.script(ScriptedRelay.Answer.REFUSE);

        String id = submit();
        JsonNode delivery = awaitState(id, "FAILED");

        assertThat(delivery.get("lastError").asString()).contains("550").contains("5.7.1 Message refused by policy");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void retriesARelayThatStallsPastTheTimeout() {
        RELAY.script(ScriptedRelay.Answer.STALL);

        String id = submit();
        JsonNode delivery = awaitState(id, "SENT");

        assertThat(delivery.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(RELAY.accepted()).containsOnlyOnce(delivery.get("transportReference").asString());
    }

    @Test
    void relaysOnceTheRelayIsBackAfterThirtySeconds() throws InterruptedException {
        RELAY.stop();
        String id = submit();
        Thread.sleep(30_000);
        assertThat(delivery(id).get("state").asString()).isIn("ACCEPTED", "DISPATCHING", "RETRY_WAIT");

        RELAY.start();
        JsonNode delivery = awaitState(id, "SENT");

        assertThat(delivery.get("attempts").asInt()).isGreaterThan(1);
        assertThat(RELAY.accepted()).containsOnlyOnce(delivery.get("transportReference").asString());
    }

    private ApiClient api() {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), TOKEN);
    }

    private String submit() {
        ApiClient.Response r = api().submit(new Multipart().envelope("""
                {"sender": "%s", "recipients": ["participant:kreis-bergstrasse"], "subject": "Bescheid %s",
                 "body": "Guten Tag", "options": {"sign": true, "encrypt": true}}"""
                .formatted(MailWorld.OWN, UUID.randomUUID()))
                .attachment("bescheid.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private JsonNode delivery(String id) {
        return api().get("/api/v1/messages/" + id).json().get("deliveries").get(0);
    }

    private JsonNode awaitState(String id, String state) {
        await("delivery " + id + " is " + state, () -> delivery(id).get("state").asString().equals(state));
        return delivery(id);
    }

    private static void await(String what, BooleanSupplier condition) {
        MailWorld.await(what, WAIT, condition);
    }

    private static ScriptedRelay relay() {
        try (ServerSocket s = new ServerSocket(0)) {
            ScriptedRelay relay = new ScriptedRelay(s.getLocalPort());
            s.close();
            relay.start();
            return relay;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
