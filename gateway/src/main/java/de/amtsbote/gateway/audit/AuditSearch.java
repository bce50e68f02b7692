package de.amtsbote.gateway.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Reading the audit trail the way a person looks through it: filtered, newest first, a page at a time by sequence
 * number (keyset paging, so a page costs the same at the start and deep in a trail of millions), single entries, and
 * the figures of the auditor's start page. Reads only; the chain is written by {@link AuditTrail} alone.
 */
@Service
public class AuditSearch {

    /** The LIKE escape character: user input never acts as a wildcard. */
    private static final char ESCAPE = '!';
    private static final int BATCH = 500;

    private final JdbcClient jdbc;

    AuditSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} matching entries before {@code before} (a seq), newest first. */
    public List<AuditEntry> newestFirst(AuditFilter filter, long before, int limit) {
        return query(filter, "seq < :bound", "desc", before, limit);
    }

    /** Up to {@code limit} matching entries after {@code after} (a seq), oldest first. */
    public List<AuditEntry> oldestFirst(AuditFilter filter, long after, int limit) {
        return query(filter, "seq > :bound", "asc", after, limit);
    }

    /** Every matching entry, oldest first, read in batches (never all in memory). */
    public void forEachMatching(AuditFilter filter, Consumer<AuditEntry> consumer) {
        long after = 0;
        while (true) {
            List<AuditEntry> batch = oldestFirst(filter, after, BATCH);
            batch.forEach(consumer);
            if (batch.size() < BATCH) {
                return;
            }
            after = batch.get(batch.size() - 1).seq();
        }
    }

    public Optional<AuditEntry> entry(long seq) {
        return jdbc.sql("select " + AuditTrail.ENTRY_COLUMNS + " from audit_entry where seq = :seq")
                .param("seq", seq).query((rs, i) -> AuditTrail.entryOf(rs)).optional();
    }

    /** The latest entry of an action, e.g. the last verification. */
    public Optional<AuditEntry> latest(String action) {
        return jdbc.sql("select " + AuditTrail.ENTRY_COLUMNS + " from audit_entry where action = :action"
                        + " order by seq desc limit 1")
                .param("action", action).query((rs, i) -> AuditTrail.entryOf(rs)).optional();
    }

    /** How many entries were appended at or after the time. */
    public long countSince(Instant since) {
        return jdbc.sql("select count(*) from audit_entry where occurred_at >= :since")
                .param("since", since.atOffset(ZoneOffset.UTC)).query(Long.class).single();
    }

    /** The checkpoint with the highest seq, if any. */
    public Optional<AuditTrail.Checkpoint> lastCheckpoint() {
        return jdbc.sql("select seq, entry_hash, created_at, node, document from audit_checkpoint"
                        + " order by seq desc limit 1")
                .query((rs, i) -> new AuditTrail.Checkpoint(rs.getLong("seq"), rs.getString("entry_hash"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("node"),
                        rs.getBytes("document")))
                .optional();
    }

    private List<AuditEntry> query(AuditFilter f, String bound, String order, long value, int limit) {
        StringBuilder sql = new StringBuilder("select " + AuditTrail.ENTRY_COLUMNS + " from audit_entry where ")
                .append(bound);
        if (f.actorKind() != null) {
            sql.append(" and actor_kind = :kind");
        }
        if (f.actorId() != null) {
            sql.append(" and actor_id = :actor");
        }
        if (f.actionPrefix() != null) {
            sql.append(" and action like :action escape '").append(ESCAPE).append("'");
        }
        if (f.subject() != null) {
            // subjects are space-separated tokens: match a whole token, not a part of one
            sql.append(" and (' ' || subjects || ' ') like :subject escape '").append(ESCAPE).append("'");
        }
        if (f.from() != null) {
            sql.append(" and occurred_at >= :from");
        }
        if (f.until() != null) {
            sql.append(" and occurred_at < :until");
        }
        sql.append(" order by seq ").append(order).append(" limit :limit");
        JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("bound", value).param("limit", limit);
        if (f.actorKind() != null) {
            spec = spec.param("kind", f.actorKind().name());
        }
        if (f.actorId() != null) {
            spec = spec.param("actor", f.actorId());
        }
        if (f.actionPrefix() != null) {
            spec = spec.param("action", escape(f.actionPrefix()) + "%");
        }
        if (f.subject() != null) {
            spec = spec.param("subject", "% " + escape(f.subject()) + " %");
        }
        if (f.from() != null) {
            spec = spec.param("from", f.from().atOffset(ZoneOffset.UTC));
        }
        if (f.until() != null) {
            spec = spec.param("until", f.until().atOffset(ZoneOffset.UTC));
        }
        return spec.query((rs, i) -> AuditTrail.entryOf(rs)).list();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == ESCAPE || c == '%' || c == '_') {
                b.append(ESCAPE);
            }
            b.append(c);
        }
        return b.toString();
    }
}
