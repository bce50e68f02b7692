package de.amtsbote.gateway.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.delivery.Delivery;
import de.amtsbote.gateway.delivery.DeliveryLedger;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.delivery.Transition;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkItem;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.gateway.support.NodeIdentity;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.TransportProof;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the gateway relies on from its database, specified once and run on the embedded default (H2) and on
 * PostgreSQL by the subclasses. The outbox runner is off ({@code workers: 0}), so the tests drive the outbox.
 */
abstract class PersistenceContract extends RunningGateway {

    @Autowired
    DataSource dataSource;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    Outbox outbox;
    @Autowired
    DeliveryLedger ledger;
    @Autowired
    EvidenceRepository evidence;

    /** Outbox tests count and claim every row: start each one without work left by another test. */
    @BeforeEach
    void emptyOutbox() {
        jdbc.sql("delete from outbox").update();
    }

    /** The subclass's database and its own storage directory; the runner stays off. */
    static void persistenceProperties(DynamicPropertyRegistry p, String storage) {
        p.add("amtsbote.storage.directory", () -> storage);
        p.add("amtsbote.outbox.workers", () -> "0");
    }

    private String submitToTwoRecipients() {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel",
                 "recipients": ["participant:kreis-bergstrasse", "loopback:buergerbuero@loopback.example"],
                 "subject": "Bescheid", "body": "Text", "reference": "AZ 7",
                 "options": {"sign": false, "encrypt": false, "receipts": ["retrieval"]}}""")
                .attachment("a.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private long count(String sql, String id) {
        return jdbc.sql(sql).param("id", id).query(Long.class).single();
    }

    @Test
    void anAcceptedMessageIsStoredWithItsDeliveriesWorkAndEvidence() {
        String id = submitToTwoRecipients();

        assertThat(count("select count(*) from message where id = :id", id)).isEqualTo(1);
        assertThat(count("select count(*) from delivery where message_id = :id and state = 'ACCEPTED'", id)).isEqualTo(2);
        assertThat(count("""
                select count(*) from outbox o join delivery d on d.id = o.subject_id
                where d.message_id = :id and o.kind = 'DISPATCH' and o.lease_owner is null""", id)).isEqualTo(2);
        assertThat(count("select count(*) from evidence where message_id = :id and event = 'SubmissionAcceptance'", id))
                .isEqualTo(1);
        assertThat(count("""
                select count(*) from content c where c.id in (select body_content_id from message where id = :id)
                or c.id in (select content_id from attachment where message_id = :id)""", id)).isEqualTo(2);
    }

    @Test
    void evidenceDocumentsComeBackByteForByteWithTheirDigest() {
        String id = submitToTwoRecipients();
        EvidenceRepository.EvidenceSummary summary = evidence.forMessage(id).get(0);

        byte[] document = evidence.find(summary.id()).orElseThrow().document();
        String storedDigest = jdbc.sql("select digest from evidence where id = :id").param("id", summary.id())
                .query(String.class).single();

        assertThat(ContentDigester.hexOf(document)).isEqualTo(storedDigest);
        assertThat(new String(document, StandardCharsets.UTF_8))
                .contains("<EventTime>" + summary.time() + "</EventTime>");
    }

    @Test
    void concurrentSubmissionsWithOneIdempotencyKeyMakeOneMessage() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] pdf = "%PDF same".getBytes(StandardCharsets.US_ASCII);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> badVilbel().submit(new Multipart().envelope("""
                        {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"],
                         "subject": "Einmal", "options": {"sign": false, "encrypt": false}}""")
                        .attachment("a.pdf", "application/pdf", pdf), key)));
            }
            Set<String> ids = new HashSet<>();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> f : answers) {
                Response r = f.get();
                statuses.add(r.status());
                ids.add(r.json().get("id").asString());
            }
            assertThat(ids).hasSize(1);
            assertThat(statuses).containsOnly(200, 202).containsOnlyOnce(202);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyDueItemIsClaimedByExactlyOneNode() throws Exception {
        for (int i = 0; i < 6; i++) {
            submitToTwoRecipients();
        }
        Outbox nodeA = outboxOf("node-a", Clock.systemUTC());
        Outbox nodeB = outboxOf("node-b", Clock.systemUTC());
        List<WorkItem> claimedByA = Collections.synchronizedList(new ArrayList<>());
        List<WorkItem> claimedByB = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Void> a = () -> claimUntilEmpty(nodeA, claimedByA);
            Callable<Void> b = () -> claimUntilEmpty(nodeB, claimedByB);
            pool.invokeAll(List.of(a, b)).forEach(f -> {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            pool.shutdownNow();
        }
        Set<Long> a = ids(claimedByA);
        Set<Long> b = ids(claimedByB);
        Set<Long> all = new HashSet<>(jdbc.sql("select id from outbox").query(Long.class).list());
        assertThat(Collections.disjoint(a, b)).as("claimed by both nodes: %s and %s", a, b).isTrue();
        assertThat(union(a, b)).isEqualTo(all);
        assertThat(all).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void anotherNodeTakesOverWorkWhoseLeaseRanOutAndTheFormerOwnerCanNoLongerFinishIt() {
        submitToTwoRecipients();
        MutableClock clock = new MutableClock(Instant.now());
        Outbox nodeA = outboxOf("node-a", clock);
        Outbox nodeB = outboxOf("node-b", clock);
        List<WorkItem> heldByA = nodeA.claim(1000, Duration.ofSeconds(60));
        assertThat(heldByA).isNotEmpty();

        clock.advance(Duration.ofSeconds(30));
        assertThat(nodeB.claim(1000, Duration.ofSeconds(60))).as("leases still held").isEmpty();

        clock.advance(Duration.ofSeconds(31));
        List<WorkItem> takenOver = nodeB.claim(1000, Duration.ofSeconds(60));

        assertThat(ids(takenOver)).isEqualTo(ids(heldByA));
        assertThat(takenOver).allSatisfy(w -> assertThat(w.previousOwner()).isEqualTo("node-a"));
        assertThat(takenOver).allSatisfy(w -> assertThat(w.claims()).isEqualTo(2));
        Boolean formerOwnerFinished = tx.execute(s -> nodeA.finish(heldByA.get(0)));
        Boolean newOwnerFinished = tx.execute(s -> nodeB.finish(takenOver.get(0)));
        assertThat(formerOwnerFinished).isFalse();
        assertThat(newOwnerFinished).isTrue();
    }

    @Test
    void aRestartedNodeTakesBackItsOwnLeasesAtOnce() {
        submitToTwoRecipients();
        Outbox before = outboxOf("node-a", Clock.systemUTC());
        List<WorkItem> held = before.claim(1000, Duration.ofMinutes(10));

        Outbox afterRestart = outboxOf("node-a", Clock.systemUTC());
        assertThat(afterRestart.releaseLeftoverLeases()).isEqualTo(held.size());

        assertThat(ids(afterRestart.claim(1000, Duration.ofMinutes(10)))).isEqualTo(ids(held));
    }

    @Test
    void renewingALeaseKeepsTheWorkWithItsOwner() {
        submitToTwoRecipients();
        MutableClock clock = new MutableClock(Instant.now());
        Outbox nodeA = outboxOf("node-a", clock);
        Outbox nodeB = outboxOf("node-b", clock);
        List<WorkItem> held = nodeA.claim(1000, Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(8));
        assertThat(nodeA.renew(held, Duration.ofSeconds(10))).isEqualTo(held.size());
        clock.advance(Duration.ofSeconds(8));

        assertThat(nodeB.claim(1000, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void releasedWorkComesBackOnlyWhenDue() {
        submitToTwoRecipients();
        MutableClock clock = new MutableClock(Instant.now());
        Outbox node = outboxOf("node-a", clock);
        List<WorkItem> held = node.claim(1000, Duration.ofSeconds(60));
        tx.executeWithoutResult(s -> held.forEach(w -> node.release(w, clock.instant().plusSeconds(120))));

        clock.advance(Duration.ofSeconds(119));
        assertThat(node.claim(1000, Duration.ofSeconds(60))).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(ids(node.claim(1000, Duration.ofSeconds(60)))).isEqualTo(ids(held));
    }

    @Test
    void theLedgerMovesForwardAndChainsEveryStepToThePreviousEvidence() {
        String id = submitToTwoRecipients();
        String deliveryId = jdbc.sql("select id from delivery where message_id = :id and position = 0").param("id", id)
                .query(String.class).single();
        TransportProof proof = new TransportProof("application/xml", "<card/>".getBytes(StandardCharsets.UTF_8),
                Assurance.INTERMEDIARY_SIGNED);

        Delivery end = tx.execute(s -> {
            Delivery d = ledger.lock(deliveryId).orElseThrow();
            d = ledger.move(d, Transition.to(DeliveryState.DISPATCHING, EvidenceEvent.DISPATCH_ATTEMPT).countingAttempt());
            d = ledger.move(d, Transition.to(DeliveryState.SENT, EvidenceEvent.RELAY_ACCEPTANCE)
                    .withTransport("ref-1", Instant.now(), proof));
            return ledger.move(d, Transition.to(DeliveryState.RETRIEVED, EvidenceEvent.RETRIEVAL));
        });

        assertThat(end.state()).isEqualTo(DeliveryState.RETRIEVED);
        assertThat(end.attempts()).isEqualTo(1);
        assertThat(end.transportReference()).isEqualTo("ref-1");
        List<String> chain = jdbc.sql("""
                select digest from evidence where message_id = :id and (delivery_id = :d or delivery_id is null)
                order by seq""").param("id", id).param("d", deliveryId).query(String.class).list();
        List<String> previous = jdbc.sql("""
                select previous from evidence where delivery_id = :d order by seq""")
                .param("d", deliveryId).query(String.class).list();
        assertThat(previous).containsExactlyElementsOf(chain.subList(0, chain.size() - 1));
        assertThat(end.evidenceHead()).isEqualTo(chain.get(chain.size() - 1));
    }

    @Test
    void theLedgerRefusesAStepBackAndChangesNothing() {
        String id = submitToTwoRecipients();
        String deliveryId = jdbc.sql("select id from delivery where message_id = :id and position = 0").param("id", id)
                .query(String.class).single();
        long before = count("select count(*) from evidence where message_id = :id", id);

        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            Delivery d = ledger.lock(deliveryId).orElseThrow();
            ledger.move(d, Transition.to(DeliveryState.RETRY_WAIT, EvidenceEvent.RELAY_FAILURE));
        })).hasMessageContaining("cannot move from ACCEPTED to RETRY_WAIT");

        assertThat(count("select count(*) from evidence where message_id = :id", id)).isEqualTo(before);
        assertThat(ledger.read(deliveryId).orElseThrow().state()).isEqualTo(DeliveryState.ACCEPTED);
    }

    private Outbox outboxOf(String node, Clock clock) {
        try {
            return new Outbox(jdbc, tx, clock, new NodeIdentity(node), dataSource);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Void claimUntilEmpty(Outbox node, List<WorkItem> into) {
        for (int empty = 0; empty < 3; ) {
            List<WorkItem> got = node.claim(3, Duration.ofMinutes(5));
            into.addAll(got);
            empty = got.isEmpty() ? empty + 1 : 0;
        }
        return null;
    }

    private static Set<Long> ids(List<WorkItem> items) {
        Set<Long> ids = new HashSet<>();
        items.forEach(w -> ids.add(w.id()));
        return ids;
    }

    private static Set<Long> union(Set<Long> a, Set<Long> b) {
        Set<Long> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    @Test
    void anEndedDeliveryIsSentAgainAsANewDeliveryWhoseChainStartsAtTheAcceptance() {
        String id = submitToTwoRecipients();
        String ended = jdbc.sql("select id from delivery where message_id = :id and position = 0").param("id", id)
                .query(String.class).single();
        tx.executeWithoutResult(s -> ledger.move(ledger.lock(ended).orElseThrow(),
                Transition.to(DeliveryState.FAILED, EvidenceEvent.RELAY_FAILURE).because("refused")));

        Delivery resent = tx.execute(s -> ledger.resend(ledger.lock(ended).orElseThrow(), "sent again"));

        assertThat(resent.state()).isEqualTo(DeliveryState.ACCEPTED);
        assertThat(resent.attempts()).isZero();
        assertThat(resent.address()).isEqualTo(ledger.read(ended).orElseThrow().address());
        assertThat(resent.awaiting()).isEqualTo(DeliveryState.RETRIEVED);
        assertThat(ledger.read(ended).orElseThrow().state()).as("the ended one stays ended")
                .isEqualTo(DeliveryState.FAILED);
        assertThat(jdbc.sql("select position from delivery where retry_of = :id").param("id", ended)
                .query(Integer.class).single()).isEqualTo(2);
        assertThat(ledger.resentAs(ended)).contains(resent.id());
        String acceptance = jdbc.sql("select digest from evidence where message_id = :id and delivery_id is null")
                .param("id", id).query(String.class).single();
        assertThat(jdbc.sql("select event, previous, digest from evidence where delivery_id = :d").param("d", resent.id())
                .query((rs, i) -> rs.getString("event") + " " + rs.getString("previous") + " " + rs.getString("digest"))
                .list()).containsExactly("Resubmission " + acceptance + " " + resent.evidenceHead());
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> ledger.resend(ledger.lock(ended).orElseThrow(), "again")))
                .hasMessageContaining("was sent again already, as delivery " + resent.id());
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> ledger.resend(resent, "not ended")))
                .hasMessageContaining("is ACCEPTED");
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
