package de.amtsbote.gateway.outbox;

import de.amtsbote.gateway.support.NodeIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Durable work with leases, shared by every node on one database (docs/adr/0002-outbox-leases.md).
 *
 * <p>A node claims due rows by writing its name, a fresh token and an expiry into them. On PostgreSQL the claim is
 * one statement with {@code FOR UPDATE SKIP LOCKED}, so nodes claiming at the same moment take different rows
 * without waiting for each other. Elsewhere (the embedded H2, which only one node can open, and whose
 * {@code SKIP LOCKED} applies {@code LIMIT} before skipping) each candidate is claimed with a conditional update.
 * A node that dies leaves its leases to run out; the rows become due again and another node takes them over.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final NodeIdentity node;
    private final boolean skipLocked;

    public Outbox(JdbcClient jdbc, TransactionTemplate tx, Clock clock, NodeIdentity node, DataSource dataSource)
            throws MetaDataAccessException {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.node = node;
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, md -> md.getDatabaseProductName());
        this.skipLocked = "PostgreSQL".equalsIgnoreCase(product);
    }

    public String nodeId() {
        return node.id();
    }

    /** Adds work, due at {@code due}, in the caller's transaction. */
    public void schedule(WorkKind kind, String subjectId, Instant due) {
        jdbc.sql("""
                insert into outbox (kind, subject_id, due_at, claims, created_at)
                values (:kind, :subject, :due, 0, :now)
                """)
                .param("kind", kind.name()).param("subject", subjectId).param("due", utc(due))
                .param("now", utc(clock.instant()))
                .update();
    }

    /** Removes work that is no longer needed (an expiry once the receipt came), whoever holds it. */
    public void cancel(WorkKind kind, String subjectId) {
        jdbc.sql("delete from outbox where kind = :kind and subject_id = :subject")
                .param("kind", kind.name()).param("subject", subjectId).update();
    }

    /**
     * In the caller's transaction: the work of this kind for the subject, its row locked until the transaction ends.
     * Lock it before the subject's own row (a delivery), in the order the handlers do, so that a person's change and a
     * node's work on the same subject wait for each other instead of deadlocking.
     */
    public Optional<Scheduled> lock(WorkKind kind, String subjectId) {
        return jdbc.sql("""
                select due_at, lease_owner, lease_until from outbox
                where kind = :kind and subject_id = :subject for update
                """)
                .param("kind", kind.name()).param("subject", subjectId)
                .query((rs, i) -> new Scheduled(rs.getObject("due_at", OffsetDateTime.class).toInstant(),
                        rs.getString("lease_owner"), instant(rs.getObject("lease_until", OffsetDateTime.class))))
                .optional();
    }

    /**
     * Makes work that no node holds right now due at {@code due} (caller's transaction): "dispatch now". Returns false
     * if there is no such work or a node holds it.
     */
    public boolean advance(WorkKind kind, String subjectId, Instant due) {
        return jdbc.sql("""
                update outbox set due_at = :due
                where kind = :kind and subject_id = :subject and (lease_until is null or lease_until < :now)
                """)
                .param("due", utc(due)).param("kind", kind.name()).param("subject", subjectId)
                .param("now", utc(clock.instant()))
                .update() == 1;
    }

    /** Claims up to {@code max} due rows for this node, in its own transaction. */
    public List<WorkItem> claim(int max, Duration lease) {
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        return tx.execute(status -> skipLocked ? claimSkippingLocked(max, now, now.plus(lease), token)
                : claimConditionally(max, now, now.plus(lease), token));
    }

    private List<WorkItem> claimSkippingLocked(int max, Instant now, Instant until, String token) {
        return jdbc.sql("""
                with picked as (
                    select id, lease_owner from outbox
                    where due_at <= :now and (lease_until is null or lease_until < :now)
                    order by due_at
                    limit :max
                    for update skip locked)
                update outbox o
                set lease_owner = :owner, lease_token = :token, lease_until = :until, claims = o.claims + 1
                from picked where o.id = picked.id
                returning o.id, o.kind, o.subject_id, o.lease_token, o.claims, picked.lease_owner as previous_owner
                """)
                .param("now", utc(now)).param("max", max).param("owner", node.id()).param("token", token)
                .param("until", utc(until))
                .query((rs, i) -> new WorkItem(rs.getLong("id"), WorkKind.valueOf(rs.getString("kind")),
                        rs.getString("subject_id"), rs.getString("lease_token"), rs.getInt("claims"),
                        rs.getString("previous_owner")))
                .list();
    }

    private List<WorkItem> claimConditionally(int max, Instant now, Instant until, String token) {
        record Candidate(long id, String previousOwner) {
        }
        List<Candidate> candidates = jdbc.sql("""
                select id, lease_owner from outbox
                where due_at <= :now and (lease_until is null or lease_until < :now)
                order by due_at
                limit :max
                """)
                .param("now", utc(now)).param("max", max)
                .query((rs, i) -> new Candidate(rs.getLong("id"), rs.getString("lease_owner")))
                .list();
        List<WorkItem> claimed = new ArrayList<>();
        for (Candidate c : candidates) {
            int updated = jdbc.sql("""
                    update outbox set lease_owner = :owner, lease_token = :token, lease_until = :until,
                                      claims = claims + 1
                    where id = :id and (lease_until is null or lease_until < :now)
                    """)
                    .param("owner", node.id()).param("token", token).param("until", utc(until))
                    .param("id", c.id()).param("now", utc(now))
                    .update();
            if (updated == 1) {
                jdbc.sql("select kind, subject_id, claims from outbox where id = :id").param("id", c.id())
                        .query((rs, i) -> new WorkItem(c.id(), WorkKind.valueOf(rs.getString("kind")),
                                rs.getString("subject_id"), token, rs.getInt("claims"), c.previousOwner()))
                        .optional().ifPresent(claimed::add);
            }
        }
        return claimed;
    }

    /**
     * In the caller's transaction: whether this node still holds the item's lease, locking the row if so. Work
     * checks this before it records a result, so a node that lost its lease cannot record one.
     */
    public boolean holds(WorkItem item) {
        Optional<String> token = jdbc.sql("select lease_token from outbox where id = :id for update")
                .param("id", item.id()).query(String.class).optional();
        return token.isPresent() && token.get().equals(item.leaseToken());
    }

    /** Removes finished work, if this node still holds it (caller's transaction). */
    public boolean finish(WorkItem item) {
        return jdbc.sql("delete from outbox where id = :id and lease_token = :token")
                .param("id", item.id()).param("token", item.leaseToken()).update() == 1;
    }

    /** Gives work back to be done again at {@code due}, if this node still holds it (caller's transaction). */
    public boolean release(WorkItem item, Instant due) {
        return jdbc.sql("""
                update outbox set due_at = :due, lease_owner = null, lease_token = null, lease_until = null
                where id = :id and lease_token = :token
                """)
                .param("due", utc(due)).param("id", item.id()).param("token", item.leaseToken()).update() == 1;
    }

    /** Extends the leases of work still in progress here, so long transfers are not taken over. */
    public int renew(Collection<WorkItem> items, Duration lease) {
        if (items.isEmpty()) {
            return 0;
        }
        Instant until = clock.instant().plus(lease);
        int renewed = 0;
        for (WorkItem item : items) {
            renewed += jdbc.sql("update outbox set lease_until = :until where id = :id and lease_token = :token")
                    .param("until", utc(until)).param("id", item.id()).param("token", item.leaseToken()).update();
        }
        return renewed;
    }

    /**
     * Releases every lease held under this node's name, at start-up: a process with the same node id that held
     * them is gone (node ids are unique among running nodes), so its work is due now rather than when its leases
     * would have run out. Returns how many were released.
     */
    public int releaseLeftoverLeases() {
        return jdbc.sql("""
                update outbox set lease_owner = null, lease_token = null, lease_until = null
                where lease_owner = :owner
                """)
                .param("owner", node.id()).update();
    }

    /** Work that is due and not held by any node. */
    public long waiting() {
        Instant now = clock.instant();
        return jdbc.sql("""
                select count(*) from outbox
                where due_at <= :now and (lease_until is null or lease_until < :now)
                """)
                .param("now", utc(now)).query(Long.class).single();
    }

    /** All work, due or scheduled for later, held or not. */
    public long scheduled() {
        return jdbc.sql("select count(*) from outbox").query(Long.class).single();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /**
     * Scheduled work as it stands.
     *
     * @param leaseOwner the node holding it, or null
     * @param leaseUntil until when that node holds it, or null
     */
    public record Scheduled(Instant due, String leaseOwner, Instant leaseUntil) {

        /** Whether a node holds the work at {@code now} (it is being done right now). */
        public boolean heldAt(Instant now) {
            return leaseUntil != null && !leaseUntil.isBefore(now);
        }
    }
}
