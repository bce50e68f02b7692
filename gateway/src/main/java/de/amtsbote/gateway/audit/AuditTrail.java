package de.amtsbote.gateway.audit;

import de.amtsbote.gateway.support.NodeIdentity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The append-only audit trail: one hash chain of every state change and every action of a client system or person,
 * with signed checkpoints (docs/audit.md).
 *
 * <p>An action is recorded in the transaction that performs it, so it is in the trail exactly when it happened. The
 * entries of a transaction are appended just before it commits: that is when the head row is locked
 * ({@code select ... for update}), so every node on the database appends to one linear chain without gaps, the lock is
 * held only for the commit, and it is always the last lock a transaction takes — no lock-order deadlocks with the
 * rows the action itself changed. An action outside a transaction (a download, a refused token) is appended in a
 * transaction of its own.
 */
@Service
public class AuditTrail {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final NodeIdentity node;
    private final CheckpointSigner signer;
    private final AuditProperties properties;

    AuditTrail(JdbcClient jdbc, TransactionTemplate tx, Clock clock, NodeIdentity node, CheckpointSigner signer,
               AuditProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.node = node;
        this.signer = signer;
        this.properties = properties;
    }

    /** What an action asked to record; it gets its place in the chain when its transaction commits. */
    private record Pending(Instant time, AuditActor actor, String action, String subjects, String detail) {
    }

    /** The head row: the chain's last entry and the last entry that needs no further checkpoint. */
    record Head(long seq, String hash, long sealedSeq, Instant sealedAt) {
    }

    /** A checkpoint row; {@code document} is null for an unsigned one. */
    public record Checkpoint(long seq, String hash, Instant time, String node, byte[] document) {
    }

    /**
     * Records an action in the caller's transaction, or in one of its own if there is none.
     *
     * @param subjects what the action concerned, as {@code kind:id} tokens ({@link #subjects})
     */
    public void record(AuditActor actor, String action, String subjects, AuditDetail detail) {
        Pending pending = new Pending(AuditEntry.truncate(clock.instant()), actor, action, subjects, detail.json());
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.isSynchronizationActive()) {
            @SuppressWarnings("unchecked")
            List<Pending> queued = (List<Pending>) TransactionSynchronizationManager.getResource(this);
            if (queued == null) {
                List<Pending> list = new ArrayList<>();
                TransactionSynchronizationManager.bindResource(this, list);
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        append(list);
                    }

                    @Override
                    public void afterCompletion(int status) {
                        TransactionSynchronizationManager.unbindResourceIfPossible(AuditTrail.this);
                    }
                });
                queued = list;
            }
            queued.add(pending);
        } else {
            tx.executeWithoutResult(s -> append(List.of(pending)));
        }
    }

    /** An action of the gateway itself (this node). */
    public void recordByNode(String action, String subjects, AuditDetail detail) {
        record(AuditActor.node(node.id()), action, subjects, detail);
    }

    /**
     * A delivery's state changed (or a receipt was noted without a change: {@code from == to}), by this node. Called by
     * the delivery ledger for every change, in its transaction.
     */
    public void deliveryStateChanged(String messageId, String deliveryId, String event, Enum<?> from, Enum<?> to,
                                     String reason) {
        recordByNode("delivery.state-changed", subjects("message", messageId, "delivery", deliveryId), AuditDetail.of()
                .with("event", event).with("from", from.name()).with("to", to.name()).with("reason", reason));
    }

    /** {@code subjects("message", id, "delivery", id2)} → {@code "message:id delivery:id2"}; null ids are left out. */
    public static String subjects(String... kindsAndIds) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < kindsAndIds.length; i += 2) {
            if (kindsAndIds[i + 1] != null) {
                b.append(b.isEmpty() ? "" : " ").append(kindsAndIds[i]).append(':').append(kindsAndIds[i + 1]);
            }
        }
        return b.toString();
    }

    /** Seals the head in a checkpoint now, if anything was appended since the last one; returns its seq. */
    public Optional<Long> checkpoint() {
        return tx.execute(s -> {
            Head head = lockHead();
            if (head.seq() <= head.sealedSeq()) {
                return Optional.<Long>empty();
            }
            Head sealed = seal(head);
            updateHead(sealed);
            return Optional.of(head.seq());
        });
    }

    /** The time rule of {@link AuditProperties#checkpointInterval()}, checked every minute by every node. */
    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
    void checkpointWhenDue() {
        Head head = head();
        Instant last = head.sealedAt() == null ? Instant.EPOCH : head.sealedAt();
        if (head.seq() > head.sealedSeq() && !clock.instant().isBefore(last.plus(properties.checkpointInterval()))) {
            checkpoint();
        }
    }

    private void append(List<Pending> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Head head = lockHead();
        for (Pending p : entries) {
            head = insert(head, p);
        }
        if (head.seq() - head.sealedSeq() >= properties.checkpointEvery()) {
            head = seal(head);
        }
        updateHead(head);
    }

    private Head insert(Head head, Pending p) {
        long seq = head.seq() + 1;
        String hash = AuditEntry.hashOf(seq, p.time(), node.id(), p.actor(), p.action(), p.subjects(), p.detail(),
                head.hash());
        jdbc.sql("""
                insert into audit_entry (seq, occurred_at, node, actor_kind, actor_id, action, subjects, detail,
                                         previous, entry_hash)
                values (:seq, :at, :node, :kind, :actor, :action, :subjects, :detail, :previous, :hash)
                """)
                .param("seq", seq).param("at", utc(p.time())).param("node", node.id())
                .param("kind", p.actor().kind().name()).param("actor", p.actor().id()).param("action", p.action())
                .param("subjects", p.subjects()).param("detail", p.detail()).param("previous", head.hash())
                .param("hash", hash)
                .update();
        return new Head(seq, hash, head.sealedSeq(), head.sealedAt());
    }

    /** Writes a checkpoint over the head and records it as the next entry, so a removed checkpoint is noticed. */
    private Head seal(Head head) {
        Instant now = AuditEntry.truncate(clock.instant());
        byte[] document = signer.sign(head.seq(), head.hash(), now, node.id()).orElse(null);
        jdbc.sql("""
                insert into audit_checkpoint (seq, entry_hash, created_at, node, document)
                values (:seq, :hash, :at, :node, :document)
                """)
                .param("seq", head.seq()).param("hash", head.hash()).param("at", utc(now)).param("node", node.id())
                .param("document", document)
                .update();
        Head recorded = insert(head, new Pending(now, AuditActor.node(node.id()), "audit.checkpointed",
                subjects("checkpoint", Long.toString(head.seq())),
                AuditDetail.of().with("head", head.hash()).with("signed", document != null).with("upTo", head.seq())
                        .json()));
        return new Head(recorded.seq(), recorded.hash(), recorded.seq(), now);
    }

    private Head lockHead() {
        return jdbc.sql("select seq, entry_hash, sealed_seq, sealed_at from audit_head where id = 1 for update")
                .query((rs, i) -> new Head(rs.getLong("seq"), rs.getString("entry_hash"), rs.getLong("sealed_seq"),
                        instant(rs.getObject("sealed_at", OffsetDateTime.class))))
                .single();
    }

    Head head() {
        return jdbc.sql("select seq, entry_hash, sealed_seq, sealed_at from audit_head where id = 1")
                .query((rs, i) -> new Head(rs.getLong("seq"), rs.getString("entry_hash"), rs.getLong("sealed_seq"),
                        instant(rs.getObject("sealed_at", OffsetDateTime.class))))
                .single();
    }

    private void updateHead(Head head) {
        jdbc.sql("""
                update audit_head set seq = :seq, entry_hash = :hash, sealed_seq = :sealed, sealed_at = :sealedAt
                where id = 1
                """)
                .param("seq", head.seq()).param("hash", head.hash()).param("sealed", head.sealedSeq())
                .param("sealedAt", head.sealedAt() == null ? null : utc(head.sealedAt()))
                .update();
    }

    // ------------------------------------------------------------------ reading

    /** Entries after {@code after}, oldest first, at most {@code limit}. */
    public List<AuditEntry> page(long after, long upTo, int limit) {
        return jdbc.sql("select " + ENTRY_COLUMNS + " from audit_entry where seq > :after and seq <= :upTo"
                        + " order by seq limit :limit")
                .param("after", after).param("upTo", upTo).param("limit", limit)
                .query((rs, i) -> entryOf(rs))
                .list();
    }

    static final String ENTRY_COLUMNS = "seq, occurred_at, node, actor_kind, actor_id, action, subjects, detail,"
            + " previous, entry_hash";

    /** An entry from a row of {@link #ENTRY_COLUMNS}. */
    static AuditEntry entryOf(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("node"), new AuditActor(AuditActor.Kind.valueOf(rs.getString("actor_kind")),
                rs.getString("actor_id")),
                rs.getString("action"), rs.getString("subjects"), rs.getString("detail"), rs.getString("previous"),
                rs.getString("entry_hash"));
    }



    /** Every entry after {@code after} up to {@code upTo}, oldest first, read in pages (never all in memory). */
    public void forEach(long after, long upTo, Consumer<AuditEntry> consumer) {
        while (true) {
            List<AuditEntry> page = page(after, upTo, 500);
            page.forEach(consumer);
            if (page.size() < 500) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /** What one reading of the whole trail hands over, in the order of an export. */
    interface Reader {
        void entry(AuditEntry entry);

        void checkpoint(Checkpoint checkpoint);

        void head(long seq, String hash);
    }

    /**
     * Reads the whole trail as the export and the verification see it: every entry, oldest first, page by page; then
     * every checkpoint; last the head as it stood when the entries were read (entries appended while reading are
     * included up to it). Nothing is filtered by the head: an entry or a checkpoint that somebody added beside it is
     * handed over, for the verifier to see.
     */
    void readAll(Reader reader) {
        long[] last = {0};
        Head head;
        long before;
        do {
            before = last[0];
            forEach(last[0], Long.MAX_VALUE, e -> {
                reader.entry(e);
                last[0] = e.seq();
            });
            head = head();
        } while (head.seq() > last[0] && last[0] > before); // a cut tail must not make this loop forever
        checkpoints(Long.MAX_VALUE).forEach(reader::checkpoint);
        reader.head(head.seq(), head.hash());
    }

    public List<Checkpoint> checkpoints(long upTo) {
        return jdbc.sql("select seq, entry_hash, created_at, node, document from audit_checkpoint where seq <= :upTo"
                        + " order by seq")
                .param("upTo", upTo)
                .query((rs, i) -> new Checkpoint(rs.getLong("seq"), rs.getString("entry_hash"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("node"),
                        rs.getBytes("document")))
                .list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
