package de.amtsbote.gateway.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.gateway.inbox.QuarantineRecheck;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.spi.QuarantinedMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The quarantine's storage and decisions, specified once and run on H2 and on PostgreSQL: the same item arriving
 * again, decisions that lock and refuse a decided entry, the open summary, and a channel that cannot check again.
 */
abstract class QuarantineStoreContract extends RunningGateway {

    @Autowired
    QuarantineStore store;
    @Autowired
    QuarantineRecheck rechecks;
    @Autowired
    TransactionTemplate tx;

    private static final Instant AT = Instant.parse("2026-11-24T09:00:00Z");

    private static QuarantinedMessage item(String transportId, String reason, String raw, Instant at) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        return new QuarantinedMessage(transportId, reason, at, () -> new ByteArrayInputStream(bytes),
                List.of("poststelle@bad-vilbel.example"));
    }

    private static String mail(String subject) {
        return "From: Partner <p@example.org>\r\nSubject: " + subject + "\r\n\r\nText\r\n";
    }

    private QuarantineEntry entry(String transportId) {
        String id = jdbc.sql("select id from quarantine where transport_id = :t").param("t", transportId)
                .query(String.class).single();
        return store.find(id).orElseThrow();
    }

    private long contents() {
        return jdbc.sql("select count(*) from content").query(Long.class).single();
    }

    @Test
    void keepsAnItemWithWhatItWasDeliveredToAndWhatItsHeadersSay() {
        String t = "<" + UUID.randomUUID() + "@example.org>";
        assertThat(store.put("smime", item(t, "unknown CA: …", mail("Antrag"), AT))).isTrue();

        QuarantineEntry e = entry(t);
        assertThat(e.status()).isEqualTo(QuarantineStatus.OPEN);
        assertThat(e.origin()).isEqualTo(QuarantineOrigin.CHANNEL);
        assertThat(e.receivedAt()).isEqualTo(AT);
        assertThat(e.deliveredTo()).containsExactly("poststelle@bad-vilbel.example");
        assertThat(e.sender()).isEqualTo("Partner <p@example.org>");
        assertThat(e.subject()).isEqualTo("Antrag");
        assertThat(e.size()).isEqualTo(mail("Antrag").length());
        assertThat(store.history(e.id())).singleElement().satisfies(h -> {
            assertThat(h.kind()).isEqualTo(QuarantineEvent.Kind.RECEIVED);
            assertThat(h.reason()).isEqualTo("unknown CA: …");
        });
    }

    @Test
    void theSameItemAgainUpdatesTheOpenEntryAndKeepsOtherBytesBesideIt() {
        String t = "<" + UUID.randomUUID() + "@example.org>";
        store.put("smime", item(t, "first reason", mail("Antrag"), AT));
        long before = contents();

        assertThat(store.put("smime", item(t, "second reason", mail("Antrag"), AT.plusSeconds(60)))).isFalse();
        assertThat(contents()).as("the same bytes are not stored twice").isEqualTo(before);
        QuarantineEntry e = entry(t);
        assertThat(e.reason()).isEqualTo("second reason");
        assertThat(e.lastReceivedAt()).isEqualTo(AT.plusSeconds(60));
        assertThat(e.receivedAt()).isEqualTo(AT);

        assertThat(store.put("smime", item(t, "third reason", mail("Antrag (geändert)"), AT.plusSeconds(120))))
                .isFalse();
        assertThat(contents()).as("other bytes under the same id are kept").isEqualTo(before + 1);
        List<QuarantineEvent> history = store.history(e.id());
        assertThat(history).extracting(QuarantineEvent::kind).containsExactly(QuarantineEvent.Kind.RECEIVED,
                QuarantineEvent.Kind.RECEIVED_AGAIN, QuarantineEvent.Kind.RECEIVED_AGAIN);
        assertThat(history.get(1).contentId()).isNull();
        assertThat(history.get(2).contentId()).isNotNull().isNotEqualTo(e.contentId());
        assertThat(entry(t).contentId()).as("the entry keeps its first raw content").isEqualTo(e.contentId());
        assertThat(entry(t).reason()).isEqualTo("third reason");
    }

    @Test
    void aDecidedEntryKeepsItsDecisionWhenTheItemArrivesAgain() {
        String t = "<" + UUID.randomUUID() + "@example.org>";
        store.put("smime", item(t, "unknown CA: …", mail("Antrag"), AT));
        QuarantineEntry e = entry(t);
        tx.executeWithoutResult(s -> store.rejected(store.lockOpen(e.id()), "o.operator", AT.plusSeconds(5), "Spam"));

        store.put("smime", item(t, "unknown CA: again", mail("Antrag"), AT.plusSeconds(60)));

        QuarantineEntry after = entry(t);
        assertThat(after.status()).isEqualTo(QuarantineStatus.REJECTED);
        assertThat(after.reason()).isEqualTo("unknown CA: …");
        assertThat(after.decisionReason()).isEqualTo("Spam");
        assertThat(store.history(e.id())).extracting(QuarantineEvent::kind).containsExactly(
                QuarantineEvent.Kind.RECEIVED, QuarantineEvent.Kind.REJECTED, QuarantineEvent.Kind.RECEIVED_AGAIN);
    }

    @Test
    void theSameNewItemFromTwoNodesAtOnceBecomesOneEntry() throws Exception {
        String t = "<" + UUID.randomUUID() + "@example.org>";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> puts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                puts.add(() -> store.put("smime", item(t, "unknown CA: …", mail("Antrag"), AT)));
            }
            List<Boolean> fresh = new ArrayList<>();
            for (Future<Boolean> f : pool.invokeAll(puts)) {
                fresh.add(f.get());
            }
            assertThat(fresh).containsOnlyOnce(true);
        } finally {
            pool.shutdownNow();
        }
        QuarantineEntry e = entry(t);
        assertThat(store.history(e.id())).extracting(QuarantineEvent::kind).containsExactly(
                QuarantineEvent.Kind.RECEIVED, QuarantineEvent.Kind.RECEIVED_AGAIN, QuarantineEvent.Kind.RECEIVED_AGAIN,
                QuarantineEvent.Kind.RECEIVED_AGAIN);
    }

    @Test
    void decisionsNeedTheCallersTransactionAndRefuseADecidedEntry() {
        String t = "<" + UUID.randomUUID() + "@example.org>";
        store.put("smime", item(t, "unknown CA: …", mail("Antrag"), AT));
        QuarantineEntry e = entry(t);
        assertThatThrownBy(() -> store.lockOpen(e.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction");

        tx.executeWithoutResult(s -> store.recheckFailed(store.lockOpen(e.id()), "o.operator", AT.plusSeconds(1),
                "unknown CA: still"));
        tx.executeWithoutResult(s -> store.released(store.lockOpen(e.id()), "o.operator", AT.plusSeconds(2),
                List.of("inbox-1", "inbox-2"), "filed"));

        QuarantineEntry released = store.find(e.id()).orElseThrow();
        assertThat(released.status()).isEqualTo(QuarantineStatus.RELEASED);
        assertThat(released.recheckAttempts()).isEqualTo(2);
        assertThat(released.inboxIds()).containsExactly("inbox-1", "inbox-2");
        assertThat(released.decidedBy()).isEqualTo("o.operator");
        assertThat(released.decidedAt()).isEqualTo(AT.plusSeconds(2));
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> store.lockOpen(e.id())))
                .isInstanceOfSatisfying(QuarantineRefusal.class, r -> {
                    assertThat(r.kind()).isEqualTo(QuarantineRefusal.Kind.DECIDED);
                    assertThat(r.getMessage()).contains("released by o.operator");
                });
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> store.lockOpen("no-such-id")))
                .isInstanceOfSatisfying(QuarantineRefusal.class,
                        r -> assertThat(r.kind()).isEqualTo(QuarantineRefusal.Kind.UNKNOWN));
    }

    @Test
    void theOpenSummaryCountsOpenEntriesAndNamesTheOldest() {
        Instant old = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        store.put("smime", item("<" + UUID.randomUUID() + "@example.org>", "r", mail("alt"), old));
        QuarantineStore.OpenSummary summary = store.openSummary();
        assertThat(summary.count()).isEqualTo(jdbc.sql("select count(*) from quarantine where status = 'OPEN'")
                .query(Long.class).single());
        assertThat(summary.oldest()).isBeforeOrEqualTo(old);
        assertThat(store.page(true, null, 1000)).allMatch(QuarantineEntry::open);
        assertThat(store.page(false, null, 1000)).noneMatch(QuarantineEntry::open);
    }

    @Test
    void aChannelThatCannotCheckAgainRefusesAndNothingChanges() {
        String t = "loopback-" + UUID.randomUUID();
        store.put("loopback", item(t, "unreadable upload", "raw", AT));
        QuarantineEntry e = entry(t);

        assertThatThrownBy(() -> rechecks.check(e.id())).isInstanceOfSatisfying(QuarantineRefusal.class, r -> {
            assertThat(r.kind()).isEqualTo(QuarantineRefusal.Kind.CHANNEL_REFUSED);
            assertThat(r.getMessage()).contains("channel 'loopback' cannot check a quarantined message again");
        });
        String other = "fax-" + UUID.randomUUID();
        store.put("fax", item(other, "unreadable", "raw", AT));
        assertThatThrownBy(() -> rechecks.check(entry(other).id())).isInstanceOfSatisfying(QuarantineRefusal.class,
                r -> assertThat(r.kind()).isEqualTo(QuarantineRefusal.Kind.CHANNEL_INACTIVE));
        assertThat(entry(t).recheckAttempts()).isZero();
        assertThat(entry(t).status()).isEqualTo(QuarantineStatus.OPEN);
    }
}
