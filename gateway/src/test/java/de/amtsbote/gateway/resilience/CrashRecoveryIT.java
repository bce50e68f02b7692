package de.amtsbote.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.GatewayProcess;
import de.amtsbote.gateway.testing.TestDatabases;
import de.amtsbote.sandbox.loopback.FaultPlan;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.sandbox.loopback.PeerLogEntry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Accepted means delivered: the gateway is killed with {@code kill -9} while it dispatches 2,000 messages and is
 * started again; every message it accepted reaches the peer, and the peer, which deduplicates by delivery id,
 * sees each one take effect once. Run on the embedded default and on PostgreSQL.
 */
class CrashRecoveryIT {

    private static final int MESSAGES = 2_000;

    @Test
    void everyAcceptedMessageIsDeliveredAfterAKillOnTheEmbeddedDefault() throws Exception {
        crashAndRecover("crash-embedded", Map.of());
    }

    @Test
    void everyAcceptedMessageIsDeliveredAfterAKillOnPostgres() throws Exception {
        TestDatabases.Database db = TestDatabases.freshPostgres();
        crashAndRecover("crash-postgres", Map.of("spring.datasource.url", db.url(),
                "spring.datasource.username", db.user(), "spring.datasource.password", db.password(),
                "amtsbote.content.create-key-if-missing", "true"));
    }

    private void crashAndRecover(String name, Map<String, String> database) throws Exception {
        Path work = Fleet.temporaryDirectory("amtsbote-" + name + "-");
        try (LoopbackPeer peer = LoopbackPeer.builder(work.resolve("peer")).mailboxes("poststelle")
                .domain("loopback.example").storeContent(false).build().start()) {
            // every answer of the peer takes a while, so that the kill lands while deliveries are in flight
            peer.injectFaults(new FaultPlan(0, 200, 15));
            Map<String, String> settings = new java.util.LinkedHashMap<>(Fleet.settings("crash-node",
                    work.resolve("gateway-data"), peer));
            settings.putAll(database);
            GatewayProcess gateway = GatewayProcess.configure(work.resolve("gateway"), settings, "-Xmx512m").start();
            try {
                URI api = gateway.uri();
                CompletableFuture<Fleet.Submitted> submitting = Fleet.submitInBackground(
                        List.of(api), MESSAGES, 8, Fleet::message, Duration.ofMinutes(3));

                long before = System.nanoTime();
                Fleet.awaitWhileSubmitting("a quarter was delivered", () -> peer.stats().unique() >= MESSAGES / 4,
                        submitting, Duration.ofMinutes(5));
                long deliveredAtKill = peer.stats().unique();
                gateway.kill();
                long killedAfterMillis = (System.nanoTime() - before) / 1_000_000;
                gateway.start();

                Fleet.Submitted submitted = submitting.get();
                awaitAllDelivered(peer, submitted.idByKey().size(), Duration.ofMinutes(4));

                assertThat(submitted.idByKey()).hasSize(MESSAGES);
                assertThat(new HashSet<>(submitted.idByKey().values())).as("one message per key").hasSize(MESSAGES);
                Set<String> reached = peer.log().stream().filter(e -> e.status() == 201 || e.status() == 200)
                        .map(PeerLogEntry::messageId).collect(Collectors.toSet());
                assertThat(reached).containsExactlyInAnyOrderElementsOf(submitted.idByKey().values());
                assertThat(peer.stats().unique()).as("each delivery took effect once").isEqualTo(MESSAGES);
                assertAllDeliveredAccordingToTheGateway(new ApiClient(gateway.uri(), Fleet.CLIENT_TOKEN),
                        submitted.idByKey().values());
                // only deliveries in flight at the kill can reach the peer twice: at most the 8 workers
                assertThat(peer.stats().duplicates()).isLessThanOrEqualTo(8);

                Fleet.report(name, Fleet.figures("messages", MESSAGES, "deliveredBeforeKill", deliveredAtKill,
                        "killedAfterMillis", killedAfterMillis, "acceptedAnswers", submitted.accepted(),
                        "replayedAnswers", submitted.replayed(), "resubmissionsAfterNoAnswer", submitted.resubmissions(),
                        "peerRequests", peer.stats().requests(), "transportRedeliveries", peer.stats().duplicates(),
                        "brokenTransfers", peer.log().stream().filter(e -> e.status() == 0).count(),
                        "submitSeconds", submitted.took().toMillis() / 1000.0));
            } finally {
                gateway.close();
            }
        }
    }

    static void awaitAllDelivered(LoopbackPeer peer, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (peer.stats().unique() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + peer.stats().unique() + " of " + expected
                        + " deliveries reached the peer within " + timeout);
            }
            Fleet.sleep(100);
        }
    }

    static void assertAllDeliveredAccordingToTheGateway(ApiClient api, Iterable<String> ids) {
        for (String id : ids) {
            ApiClient.Response r = api.get("/api/v1/messages/" + id);
            assertThat(r.status()).as(id).isEqualTo(200);
            assertThat(r.json().get("deliveries").get(0).get("state").asString()).as(id).isEqualTo("DELIVERED");
        }
    }
}
