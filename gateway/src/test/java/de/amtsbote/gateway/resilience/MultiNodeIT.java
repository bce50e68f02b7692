package de.amtsbote.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentKeyRing;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.GatewayProcess;
import de.amtsbote.gateway.testing.TestDatabases;
import de.amtsbote.sandbox.loopback.FaultPlan;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.sandbox.loopback.PeerLogEntry;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes on one PostgreSQL share the work of 5,000 messages: each delivery is handed over by one
 * node at a time, the work spreads over all three, and when one node is killed the others finish its work once
 * its leases run out.
 */
class MultiNodeIT {

    private static final int MESSAGES = 5_000;
    private static final Duration LEASE = Duration.ofSeconds(5);

    @Test
    void threeNodesShareTheWorkAndFinishTheWorkOfOneThatDies() throws Exception {
        Path work = Fleet.temporaryDirectory("amtsbote-multinode-");
        TestDatabases.Database db = TestDatabases.freshPostgres();
        Path shared = work.resolve("shared");
        // all nodes share one content store and one content key, as on a shared file system
        ContentKeyRing.generate(shared.resolve("keys"), Clock.systemUTC());
        try (LoopbackPeer peer = LoopbackPeer.builder(work.resolve("peer")).mailboxes("poststelle")
                .domain("loopback.example").storeContent(false).build().start()) {
            peer.injectFaults(new FaultPlan(0, 200, 10));
            List<GatewayProcess> nodes = new ArrayList<>();
            try {
                for (String name : List.of("node-a", "node-b", "node-c")) {
                    Map<String, String> s = new LinkedHashMap<>(Fleet.settings(name, work.resolve(name), peer));
                    s.put("spring.datasource.url", db.url());
                    s.put("spring.datasource.username", db.user());
                    s.put("spring.datasource.password", db.password());
                    s.put("amtsbote.content.directory", shared.resolve("content").toString());
                    s.put("amtsbote.content.keys-directory", shared.resolve("keys").toString());
                    s.put("amtsbote.outbox.lease-duration", LEASE.toSeconds() + "s");
                    nodes.add(GatewayProcess.configure(work.resolve(name), s, "-Xmx384m"));
                }
                nodes.parallelStream().forEach(GatewayProcess::start);
                List<URI> apis = nodes.stream().map(GatewayProcess::uri).toList();
                GatewayProcess victim = nodes.get(1);

                CompletableFuture<Fleet.Submitted> submitting = Fleet.submitInBackground(
                        apis, MESSAGES, 12, Fleet::message, Duration.ofMinutes(5));
                Fleet.awaitWhileSubmitting("two fifths were delivered", () -> peer.stats().unique() >= MESSAGES * 2 / 5,
                        submitting, Duration.ofMinutes(5));
                // The peer now takes its time to answer: every node's workers wait, holding their leases. Node-b is
                // killed while it waits, after the peer took its deliveries but before node-b heard so.
                peer.injectFaults(new FaultPlan(0, 200, 3_000));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (leasedBy(db, "node-b").isEmpty() && System.nanoTime() < deadline) {
                    Fleet.sleep(5);
                }
                long deliveredAtKill = peer.stats().unique();
                long killedAt = System.nanoTime();
                victim.kill();
                peer.injectFaults(new FaultPlan(0, 200, 10));
                // what a dead node held stays in the outbox, untouched, until its leases run out
                List<String> heldByVictim = leasedBy(db, "node-b");
                assertThat(heldByVictim).as("leases node-b held when it died").isNotEmpty();

                Fleet.Submitted submitted = submitting.get();
                CrashRecoveryIT.awaitAllDelivered(peer, MESSAGES, Duration.ofMinutes(5));
                double finishedAfterKillSeconds = (System.nanoTime() - killedAt) / 1e9;

                assertThat(submitted.idByKey()).hasSize(MESSAGES);
                assertThat(new HashSet<>(submitted.idByKey().values())).hasSize(MESSAGES);
                assertThat(peer.stats().unique()).isEqualTo(MESSAGES);
                Map<String, Long> byNode = peer.stats().byNode();
                assertThat(byNode.keySet()).containsExactlyInAnyOrder("node-a", "node-b", "node-c");
                assertThat(byNode.values()).allSatisfy(n -> assertThat(n).isGreaterThan(MESSAGES / 20));
                List<String> overlaps = overlappingDispatches(peer.log());
                assertThat(overlaps).as("a delivery handed over by two nodes at the same time").isEmpty();
                // redeliveries are deliveries node-b had in flight when it died, taken over by another node
                List<String> redeliveredBy = redeliveries(peer.log());
                assertThat(redeliveredBy).allSatisfy(first -> assertThat(first).isEqualTo("node-b"));
                List<String> takenOver = takenOverFrom(db, "node-b");
                assertThat(takenOver).as("deliveries node-b held when it died, taken over by another node")
                        .containsAll(heldByVictim);
                CrashRecoveryIT.assertAllDeliveredAccordingToTheGateway(
                        new ApiClient(apis.get(0), Fleet.CLIENT_TOKEN), submitted.idByKey().values());

                Fleet.report("multi-node", Fleet.figures("messages", MESSAGES, "nodes", 3,
                        "leaseSeconds", LEASE.toSeconds(), "deliveredBeforeKill", deliveredAtKill,
                        "leasesHeldByKilledNode", heldByVictim.size(), "takenOverAfterLeaseExpiry", takenOver.size(),
                        "requestsByNode", byNode, "transportRedeliveries", peer.stats().duplicates(),
                        "resubmissionsAfterNoAnswer", submitted.resubmissions(),
                        "replayedAnswers", submitted.replayed(),
                        "finishedSecondsAfterKill", finishedAfterKillSeconds,
                        "submitSeconds", submitted.took().toMillis() / 1000.0));
            } finally {
                nodes.forEach(GatewayProcess::close);
            }
        }
    }

    /** The deliveries whose dispatch work a node holds a lease on right now. */
    static List<String> leasedBy(TestDatabases.Database db, String node) throws SQLException {
        return query(db, "select subject_id from outbox where kind = 'DISPATCH' and lease_owner = ?", node);
    }

    /** Deliveries with a dispatch attempt that took over from {@code node}, as their evidence records. */
    static List<String> takenOverFrom(TestDatabases.Database db, String node) throws SQLException {
        return query(db, """
                select delivery_id from evidence where event = 'DispatchAttempt'
                and convert_from(document, 'UTF8') like ?""", "%taking over from node " + node + ",%");
    }

    private static List<String> query(TestDatabases.Database db, String sql, String parameter) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            List<String> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        }
    }

    /** Deliveries whose requests from different nodes overlapped in time, from the peer's own log. */
    static List<String> overlappingDispatches(List<PeerLogEntry> log) {
        Map<String, List<PeerLogEntry>> byDelivery = log.stream()
                .collect(Collectors.groupingBy(PeerLogEntry::deliveryId));
        List<String> overlapping = new ArrayList<>();
        byDelivery.forEach((delivery, entries) -> {
            for (int i = 0; i < entries.size(); i++) {
                for (int j = i + 1; j < entries.size(); j++) {
                    PeerLogEntry a = entries.get(i);
                    PeerLogEntry b = entries.get(j);
                    if (!a.node().equals(b.node()) && a.start().isBefore(b.end()) && b.start().isBefore(a.end())) {
                        overlapping.add(delivery + ": " + a.node() + " and " + b.node());
                    }
                }
            }
        });
        return overlapping;
    }

    /** For each delivery that reached the peer more than once: the node of its first request. */
    static List<String> redeliveries(List<PeerLogEntry> log) {
        Map<String, List<PeerLogEntry>> byDelivery = log.stream().filter(e -> e.status() != 503)
                .collect(Collectors.groupingBy(PeerLogEntry::deliveryId));
        return byDelivery.values().stream().filter(entries -> entries.size() > 1)
                .map(entries -> entries.stream().min((x, y) -> x.start().compareTo(y.start())).orElseThrow().node())
                .toList();
    }
}
