package de.amtsbote.gateway.quarantine;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.content.ContentStore;
import de.amtsbote.gateway.content.StoredContent;
import de.amtsbote.gateway.support.Ids;
import de.amtsbote.gateway.support.NodeIdentity;
import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.QuarantinedMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What arrived but could not be accepted, kept with its reason and its raw content for an operator, and the
 * operator's decisions on it. Nothing that reached the gateway is dropped, and no decision deletes anything.
 *
 * <p>An item is identified by its channel and transport id. When the same item arrives again and fails again, the
 * open entry takes the new reason and time, and the arrival is noted in its history — with its own raw content when
 * the bytes differ (a mail server's new trace header), so that nothing received is lost; the entry keeps its first
 * raw content, which a release checks again. An entry that was already decided keeps its decision; the arrival is
 * noted in its history.
 */
@Component
public class QuarantineStore {

    private static final Logger log = LoggerFactory.getLogger(QuarantineStore.class);
    /** Raw items larger than this are refused by the transport long before; this bounds a hostile sender. */
    private static final long MAX_RAW = 2L << 30;
    private static final int MAX_REASON = 2000;

    private static final String COLUMNS = """
            q.id, q.channel, q.transport_id, q.reason, q.received_at, q.last_received_at, q.content_id, c.size,
            c.sha256, q.status, q.origin, q.delivered_to, q.sender, q.subject, q.decided_at, q.decided_by,
            q.decision_reason, q.inbox_ids, q.recheck_attempts, q.last_recheck_at, q.last_recheck_reason
            """;

    private final JdbcClient jdbc;
    private final ContentStore content;
    private final TransactionTemplate tx;
    private final Ids ids;
    private final AuditTrail audit;
    private final NodeIdentity node;

    public QuarantineStore(JdbcClient jdbc, ContentStore content, TransactionTemplate tx, Ids ids, AuditTrail audit,
                           NodeIdentity node) {
        this.jdbc = jdbc;
        this.content = content;
        this.tx = tx;
        this.ids = ids;
        this.audit = audit;
        this.node = node;
    }

    // ------------------------------------------------------------------ keeping

    /**
     * Keeps an item a channel handed in as received; its channel can check it again later. Returns false if the same
     * (channel, transport id) was quarantined before (then the arrival is added to that entry).
     */
    public boolean put(String channel, QuarantinedMessage item) {
        return put(channel, item.transportId(), item.reason(), item.receivedAt(), item.raw(), item.deliveredTo(),
                QuarantineOrigin.CHANNEL);
    }

    /**
     * Keeps something the gateway itself could not accept (a receipt no delivery claims, a message for no
     * participant). Its raw content is what the gateway has, not the item as the channel received it, so it cannot be
     * checked again by the channel. Returns false if the same (channel, transport id) was quarantined before.
     */
    public boolean put(String channel, String transportId, String reason, Instant receivedAt, ContentSource raw) {
        return put(channel, transportId, reason, receivedAt, raw, List.of(), QuarantineOrigin.GATEWAY);
    }

    private boolean put(String channel, String transportId, String reason, Instant receivedAt, ContentSource raw,
                        List<String> deliveredTo, QuarantineOrigin origin) {
        StoredContent stored;
        try (InputStream in = raw.open()) {
            stored = content.write(in, MAX_RAW);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store quarantined item " + transportId + " from " + channel, e);
        }
        HeaderPreview.Preview preview = preview(stored.id());
        Arrival arrival = new Arrival(channel, transportId, shorten(reason), receivedAt, stored, deliveredTo, origin,
                preview);
        boolean keepFile = false;
        try {
            Kept kept;
            try {
                kept = tx.execute(s -> keep(arrival));
            } catch (DuplicateKeyException e) {
                // the same item arrived at another node at the same moment: now it is there
                kept = tx.execute(s -> keep(arrival));
            }
            keepFile = kept != Kept.AGAIN_SAME_CONTENT;
            return kept == Kept.NEW;
        } finally {
            if (!keepFile) {
                content.discard(stored.id());
            }
        }
    }

    private record Arrival(String channel, String transportId, String reason, Instant receivedAt, StoredContent raw,
                           List<String> deliveredTo, QuarantineOrigin origin, HeaderPreview.Preview preview) {
    }

    private enum Kept { NEW, AGAIN_SAME_CONTENT, AGAIN_OTHER_CONTENT }

    private Kept keep(Arrival a) {
        Optional<QuarantineEntry> existing = jdbc.sql("""
                        select id from quarantine where channel = :channel and transport_id = :transport for update
                        """)
                .param("channel", a.channel()).param("transport", a.transportId())
                .query(String.class).optional().flatMap(this::find);
        if (existing.isEmpty()) {
            content.register(a.raw());
            String id = ids.next();
            jdbc.sql("""
                    insert into quarantine (id, channel, transport_id, reason, received_at, content_id, status, origin,
                                            delivered_to, sender, subject, recheck_attempts)
                    values (:id, :channel, :transport, :reason, :received, :content, 'OPEN', :origin, :deliveredTo,
                            :sender, :subject, 0)
                    """)
                    .param("id", id).param("channel", a.channel()).param("transport", a.transportId())
                    .param("reason", a.reason()).param("received", utc(a.receivedAt()))
                    .param("content", a.raw().id()).param("origin", a.origin().name())
                    .param("deliveredTo", a.deliveredTo().isEmpty() ? null : String.join("\n", a.deliveredTo()))
                    .param("sender", a.preview().sender()).param("subject", a.preview().subject())
                    .update();
            event(id, a.receivedAt(), QuarantineEvent.Kind.RECEIVED, node.id(), a.reason(), null);
            audit.recordByNode("quarantine.put", AuditTrail.subjects("quarantine", id), AuditDetail.of()
                    .with("channel", a.channel()).with("transportId", a.transportId()).with("reason", a.reason()));
            return Kept.NEW;
        }
        QuarantineEntry e = existing.get();
        boolean sameContent = a.raw().sha256().equals(e.sha256());
        if (!sameContent) {
            content.register(a.raw());
        }
        event(e.id(), a.receivedAt(), QuarantineEvent.Kind.RECEIVED_AGAIN, node.id(), a.reason(),
                sameContent ? null : a.raw().id());
        if (e.open()) {
            // the open entry shows the latest check; a different raw content stays with its arrival in the history
            jdbc.sql("update quarantine set reason = :reason, last_received_at = :at where id = :id")
                    .param("reason", a.reason()).param("at", utc(a.receivedAt())).param("id", e.id()).update();
        }
        audit.recordByNode("quarantine.put", AuditTrail.subjects("quarantine", e.id()), AuditDetail.of()
                .with("channel", a.channel()).with("transportId", a.transportId()).with("reason", a.reason())
                .with("again", true).with("status", e.status().name()).with("sameContent", sameContent));
        log.info("{} item {} arrived again and was quarantined again ({}, entry {}): {}", a.channel(),
                a.transportId(), e.status(), e.id(), a.reason());
        return sameContent ? Kept.AGAIN_SAME_CONTENT : Kept.AGAIN_OTHER_CONTENT;
    }

    private HeaderPreview.Preview preview(String contentId) {
        try (InputStream in = content.open(contentId)) {
            return HeaderPreview.read(in);
        } catch (IOException | RuntimeException e) {
            log.warn("the headers of quarantined content {} cannot be read for display: {}", contentId, e.toString());
            return HeaderPreview.Preview.NONE;
        }
    }

    // ------------------------------------------------------------------ reading

    public Optional<QuarantineEntry> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from quarantine q left join content c on c.id = q.content_id"
                        + " where q.id = :id")
                .param("id", id).query(QuarantineStore::entry).optional();
    }

    /** An entry that must exist, or the refusal that names the id. */
    public QuarantineEntry require(String id) {
        return find(id).orElseThrow(() -> new QuarantineRefusal(QuarantineRefusal.Kind.UNKNOWN,
                "no quarantined item " + id, id));
    }

    /** Where a page of the list continues: after the item received at this time with this id. */
    public record Cursor(Instant receivedAt, String id) {
    }

    /** Open entries (or decided ones), newest first, after the cursor if one is given. */
    public List<QuarantineEntry> page(boolean open, Cursor after, int limit) {
        String sql = "select " + COLUMNS + " from quarantine q left join content c on c.id = q.content_id where "
                + (open ? "q.status = 'OPEN'" : "q.status <> 'OPEN'")
                + (after != null ? " and (q.received_at < :at or (q.received_at = :at and q.id < :id))" : "")
                + " order by q.received_at desc, q.id desc limit :limit";
        JdbcClient.StatementSpec spec = jdbc.sql(sql).param("limit", limit);
        if (after != null) {
            spec = spec.param("at", utc(after.receivedAt())).param("id", after.id());
        }
        return spec.query(QuarantineStore::entry).list();
    }

    /** How many entries wait for a decision, and since when the oldest waits. */
    public record OpenSummary(long count, Instant oldest) {
    }

    public OpenSummary openSummary() {
        return jdbc.sql("select count(*), min(received_at) from quarantine where status = 'OPEN'")
                .query((rs, i) -> new OpenSummary(rs.getLong(1), instant(rs, 2))).single();
    }

    /** The entry's history, oldest first. */
    public List<QuarantineEvent> history(String id) {
        return jdbc.sql("""
                        select seq, occurred_at, kind, actor, reason, content_id from quarantine_event
                        where quarantine_id = :id order by seq
                        """)
                .param("id", id)
                .query((rs, i) -> new QuarantineEvent(rs.getInt("seq"), instant(rs, "occurred_at"),
                        QuarantineEvent.Kind.valueOf(rs.getString("kind")), rs.getString("actor"),
                        rs.getString("reason"), rs.getString("content_id")))
                .list();
    }

    /** Raw content of an entry or of a re-arrival whose bytes differed ({@link QuarantineEvent#contentId()}). */
    public InputStream raw(String contentId) throws IOException {
        return content.open(contentId);
    }

    // ------------------------------------------------------------------ decisions (in the caller's transaction)

    /**
     * Locks an entry for a decision in the caller's transaction; refuses one that does not exist or was decided
     * already (by another operator a moment ago, say).
     */
    public QuarantineEntry lockOpen(String id) {
        requireTransaction();
        QuarantineEntry e = jdbc.sql("select id from quarantine where id = :id for update")
                .param("id", id).query(String.class).optional().flatMap(this::find)
                .orElseThrow(() -> new QuarantineRefusal(QuarantineRefusal.Kind.UNKNOWN, "no quarantined item " + id,
                        id));
        if (!e.open()) {
            throw decided(e);
        }
        return e;
    }

    /** The refusal for a decision on an entry that was decided already. */
    public static QuarantineRefusal decided(QuarantineEntry e) {
        return new QuarantineRefusal(QuarantineRefusal.Kind.DECIDED, "quarantined item " + e.id() + " was "
                + e.status().name().toLowerCase(java.util.Locale.ROOT) + " by " + e.decidedBy() + " at " + e.decidedAt()
                + "; it cannot be decided again", e.status().name(), e.decidedBy(), e.decidedAt());
    }

    /** A recheck by {@code person} passed: the entry is released, filed as {@code inboxIds} (or as {@code outcome}). */
    public void released(QuarantineEntry e, String person, Instant at, List<String> inboxIds, String outcome) {
        requireTransaction();
        jdbc.sql("""
                        update quarantine set status = 'RELEASED', decided_at = :at, decided_by = :person,
                               decision_reason = :outcome, inbox_ids = :inbox, recheck_attempts = recheck_attempts + 1,
                               last_recheck_at = :at, last_recheck_reason = null
                        where id = :id and status = 'OPEN'
                        """)
                .param("at", utc(at)).param("person", person).param("outcome", shorten(outcome))
                .param("inbox", inboxIds.isEmpty() ? null : String.join(" ", inboxIds)).param("id", e.id())
                .update();
        event(e.id(), at, QuarantineEvent.Kind.RELEASED, person, outcome, null);
    }

    /** A recheck by {@code person} failed again: the entry stays open with the new reason. */
    public void recheckFailed(QuarantineEntry e, String person, Instant at, String reason) {
        requireTransaction();
        jdbc.sql("""
                        update quarantine set reason = :reason, recheck_attempts = recheck_attempts + 1,
                               last_recheck_at = :at, last_recheck_reason = :reason
                        where id = :id and status = 'OPEN'
                        """)
                .param("reason", shorten(reason)).param("at", utc(at)).param("id", e.id()).update();
        event(e.id(), at, QuarantineEvent.Kind.RECHECK_FAILED, person, reason, null);
    }

    /** {@code person} decided the item is not to be accepted, for {@code reason}; its content stays. */
    public void rejected(QuarantineEntry e, String person, Instant at, String reason) {
        requireTransaction();
        jdbc.sql("""
                        update quarantine set status = 'REJECTED', decided_at = :at, decided_by = :person,
                               decision_reason = :reason
                        where id = :id and status = 'OPEN'
                        """)
                .param("at", utc(at)).param("person", person).param("reason", shorten(reason)).param("id", e.id())
                .update();
        event(e.id(), at, QuarantineEvent.Kind.REJECTED, person, reason, null);
    }

    // ------------------------------------------------------------------ plumbing

    private void event(String id, Instant at, QuarantineEvent.Kind kind, String actor, String reason,
                       String contentId) {
        int seq = jdbc.sql("select coalesce(max(seq), 0) + 1 from quarantine_event where quarantine_id = :id")
                .param("id", id).query(Integer.class).single();
        jdbc.sql("""
                        insert into quarantine_event (quarantine_id, seq, occurred_at, kind, actor, reason, content_id)
                        values (:id, :seq, :at, :kind, :actor, :reason, :content)
                        """)
                .param("id", id).param("seq", seq).param("at", utc(at)).param("kind", kind.name())
                .param("actor", actor).param("reason", reason == null ? null : shorten(reason))
                .param("content", contentId)
                .update();
    }

    private static QuarantineEntry entry(ResultSet rs, int row) throws SQLException {
        return new QuarantineEntry(rs.getString("id"), rs.getString("channel"), rs.getString("transport_id"),
                rs.getString("reason"), instant(rs, "received_at"), instant(rs, "last_received_at"),
                rs.getString("content_id"), rs.getLong("size"), rs.getString("sha256"),
                QuarantineStatus.valueOf(rs.getString("status")), QuarantineOrigin.valueOf(rs.getString("origin")),
                lines(rs.getString("delivered_to"), "\n"), rs.getString("sender"), rs.getString("subject"),
                instant(rs, "decided_at"), rs.getString("decided_by"), rs.getString("decision_reason"),
                lines(rs.getString("inbox_ids"), " "), rs.getInt("recheck_attempts"), instant(rs, "last_recheck_at"),
                rs.getString("last_recheck_reason"));
    }

    private static List<String> lines(String value, String separator) {
        return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split(separator));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static String shorten(String reason) {
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON - 1) + "…" : reason;
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a quarantine decision must run in the caller's transaction, with its"
                    + " audit entry");
        }
    }
}
