package de.amtsbote.gateway.delivery;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.evidence.EvidenceDocument;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.support.Ids;
import de.amtsbote.gateway.support.NodeIdentity;
import de.amtsbote.spi.ChannelAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one place where a delivery's state changes. Every change writes the delivery row and one evidence row in
 * the caller's transaction, the evidence linked to the delivery's previous evidence by digest, so the record of
 * a delivery is a chain that starts at the message's SubmissionAcceptance.
 */
@Component
public class DeliveryLedger {

    private static final int MAX_ERROR = 2000;

    private final JdbcClient jdbc;
    private final EvidenceRepository evidence;
    private final Ids ids;
    private final Clock clock;
    private final NodeIdentity node;
    private final AuditTrail audit;

    public DeliveryLedger(JdbcClient jdbc, EvidenceRepository evidence, Ids ids, Clock clock, NodeIdentity node,
                          AuditTrail audit) {
        this.jdbc = jdbc;
        this.evidence = evidence;
        this.ids = ids;
        this.clock = clock;
        this.node = node;
        this.audit = audit;
    }

    /** Reads a delivery and locks its row until the transaction ends. */
    public Optional<Delivery> lock(String deliveryId) {
        requireTransaction();
        boolean exists = jdbc.sql("select id from delivery where id = :id for update")
                .param("id", deliveryId).query(String.class).optional().isPresent();
        return exists ? read(deliveryId) : Optional.empty();
    }

    /** Reads a delivery without locking it. */
    public Optional<Delivery> read(String deliveryId) {
        return jdbc.sql("""
                select d.id, d.message_id, d.recipient, d.channel, d.address, d.sender_address, d.peer, d.state,
                       d.attempts, d.last_error, d.transport_ref, d.awaiting, d.evidence_head,
                       m.sender, m.content_digest, m.reference
                from delivery d join message m on m.id = d.message_id
                where d.id = :id
                """)
                .param("id", deliveryId)
                .query((rs, i) -> new Delivery(rs.getString("id"), rs.getString("message_id"),
                        rs.getString("recipient"),
                        new ChannelAddress(rs.getString("channel"), rs.getString("address")),
                        ChannelAddress.parse(rs.getString("sender_address")), rs.getString("peer"),
                        DeliveryState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                        rs.getString("last_error"), rs.getString("transport_ref"),
                        rs.getString("awaiting") == null ? null : DeliveryState.valueOf(rs.getString("awaiting")),
                        rs.getString("evidence_head"), rs.getString("sender"), rs.getString("content_digest"),
                        rs.getString("reference")))
                .optional();
    }

    /** Finds the delivery a receipt is about, and locks it. */
    public Optional<Delivery> lockByTransportReference(String channel, String transportReference) {
        requireTransaction();
        return jdbc.sql("select id from delivery where channel = :channel and transport_ref = :ref for update")
                .param("channel", channel).param("ref", transportReference)
                .query(String.class).optional()
                .flatMap(this::read);
    }

    /** Moves a locked delivery on; refuses a step the state machine does not allow. */
    public Delivery move(Delivery d, Transition t) {
        if (!d.state().canMoveTo(t.target())) {
            throw new IllegalStateException("delivery " + d.id() + " cannot move from " + d.state() + " to " + t.target());
        }
        return write(d, t, t.target());
    }

    /**
     * Opens a new delivery of the message to the same recipient, for a locked delivery that ended FAILED or EXPIRED,
     * and returns it (state ACCEPTED, no attempts). The ended delivery stays as it is: states only move forward, and
     * its evidence chain is closed. The new delivery's chain starts, like every delivery's, at the message's
     * SubmissionAcceptance, with a Resubmission evidence that names the ended delivery and why, so that the evidence
     * of one delivery can still be handed over on its own. The caller schedules its dispatch in the same transaction.
     *
     * @param reason who asked and why; recorded in the evidence and the audit trail
     * @throws IllegalStateException if the delivery did not end FAILED or EXPIRED, or was sent again already
     */
    public Delivery resend(Delivery ended, String reason) {
        requireTransaction();
        if (ended.state() != DeliveryState.FAILED && ended.state() != DeliveryState.EXPIRED) {
            throw new IllegalStateException("delivery " + ended.id() + " is " + ended.state()
                    + "; only a delivery that ended FAILED or EXPIRED is sent again as a new delivery");
        }
        // one resend at a time per message, so that each new delivery takes the next free position
        jdbc.sql("select id from message where id = :id for update").param("id", ended.messageId())
                .query(String.class).single();
        resentAs(ended.id()).ifPresent(other -> {
            throw new IllegalStateException("delivery " + ended.id() + " was sent again already, as delivery " + other);
        });
        String acceptance = jdbc.sql("""
                select digest from evidence
                where message_id = :message and delivery_id is null and event = :event
                """)
                .param("message", ended.messageId())
                .param("event", EvidenceEvent.SUBMISSION_ACCEPTANCE.standardName())
                .query(String.class).single();
        Instant now = clock.instant();
        String id = ids.next();
        String head = evidence.append(new EvidenceDocument(ids.next(), EvidenceEvent.RESUBMISSION, now,
                ended.messageId(), id, ended.sender(), List.of(ended.address().toString()), ended.address().channel(),
                null, DeliveryState.ACCEPTED.name(), null, node.id(), reason, ended.contentDigest(), ended.reference(),
                null, null, null, acceptance));
        jdbc.sql("""
                insert into delivery (id, message_id, position, recipient, channel, address, sender_address, peer,
                                      state, attempts, awaiting, evidence_head, updated_at, retry_of)
                select :id, message_id, (select max(position) + 1 from delivery where message_id = :message),
                       recipient, channel, address, sender_address, peer, :state, 0, awaiting, :head, :now, id
                from delivery where id = :ended
                """)
                .param("id", id).param("message", ended.messageId()).param("state", DeliveryState.ACCEPTED.name())
                .param("head", head).param("now", now.atOffset(ZoneOffset.UTC)).param("ended", ended.id())
                .update();
        audit.recordByNode("delivery.state-changed", AuditTrail.subjects("message", ended.messageId(), "delivery", id),
                AuditDetail.of().with("event", EvidenceEvent.RESUBMISSION.standardName())
                        .with("to", DeliveryState.ACCEPTED.name()).with("retryOf", ended.id()).with("reason", reason));
        return read(id).orElseThrow();
    }

    /** The delivery that sends an ended delivery again ({@link #resend}), if there is one. */
    public Optional<String> resentAs(String deliveryId) {
        return jdbc.sql("select id from delivery where retry_of = :id").param("id", deliveryId).query(String.class)
                .optional();
    }

    /** Records evidence for a locked delivery without changing its state (a late or repeated receipt). */
    public Delivery note(Delivery d, Transition t) {
        return write(d, t, d.state());
    }

    private Delivery write(Delivery d, Transition t, DeliveryState target) {
        requireTransaction();
        Instant now = clock.instant();
        int attempts = t.countsAttempt() ? d.attempts() + 1 : d.attempts();
        String transportReference = t.transportReference() != null ? t.transportReference() : d.transportReference();
        String lastError = isFailure(target) && t.reason() != null ? truncate(t.reason()) : d.lastError();
        String head = evidence.append(new EvidenceDocument(ids.next(), t.event(), now, d.messageId(), d.id(),
                d.sender(), List.of(d.address().toString()), d.address().channel(), d.state().name(), target.name(),
                t.countsAttempt() || target == DeliveryState.RETRY_WAIT ? attempts : null, node.id(), t.reason(),
                d.contentDigest(), d.reference(), transportReference, t.issuerTime(), t.proof(), d.evidenceHead()));
        jdbc.sql("""
                update delivery set state = :state, attempts = :attempts, last_error = :error,
                       transport_ref = :ref, evidence_head = :head, updated_at = :now
                where id = :id
                """)
                .param("state", target.name()).param("attempts", attempts).param("error", lastError)
                .param("ref", transportReference).param("head", head).param("now", now.atOffset(ZoneOffset.UTC))
                .param("id", d.id())
                .update();
        audit.deliveryStateChanged(d.messageId(), d.id(), t.event().standardName(), d.state(), target, t.reason());
        return new Delivery(d.id(), d.messageId(), d.recipient(), d.address(), d.senderAddress(), d.peer(), target,
                attempts, lastError, transportReference, d.awaiting(), head, d.sender(), d.contentDigest(),
                d.reference());
    }

    private static boolean isFailure(DeliveryState state) {
        return state == DeliveryState.RETRY_WAIT || state == DeliveryState.FAILED || state == DeliveryState.EXPIRED;
    }

    private static String truncate(String reason) {
        return reason.length() <= MAX_ERROR ? reason : reason.substring(0, MAX_ERROR - 1) + "…";
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("delivery changes must run inside a transaction");
        }
    }
}
