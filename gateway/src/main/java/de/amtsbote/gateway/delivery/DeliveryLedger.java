package de.amtsbote.gateway.delivery;

import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.evidence.EvidenceDocument;
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
