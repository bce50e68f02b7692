package de.amtsbote.gateway.receipts;

import de.amtsbote.gateway.delivery.Delivery;
import de.amtsbote.gateway.delivery.DeliveryLedger;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.delivery.Transition;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.gateway.quarantine.QuarantineStore;
import de.amtsbote.gateway.support.Ids;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.TransportProof;
import de.amtsbote.spi.TransportReceipt;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies receipts to deliveries. A receipt moves a delivery forward only (SENT → DELIVERED → RETRIEVED, or to
 * FAILED when the far side gave up); a late or repeated one is kept as evidence and changes nothing.
 *
 * <p>A receipt may arrive before the dispatching node has committed the delivery's transport reference. It is
 * parked and applied in the transaction that records the reference; one that no delivery claims within a day is
 * quarantined, so nothing that arrived is lost.
 */
@Component
public class ReceiptProcessor {

    private static final Logger log = LoggerFactory.getLogger(ReceiptProcessor.class);
    private static final Duration PARK_LIMIT = Duration.ofDays(1);

    private final DeliveryLedger ledger;
    private final Outbox outbox;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final QuarantineStore quarantine;
    private final Ids ids;
    private final Clock clock;

    public ReceiptProcessor(DeliveryLedger ledger, Outbox outbox, JdbcClient jdbc, TransactionTemplate tx,
                            QuarantineStore quarantine, Ids ids, Clock clock) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.quarantine = quarantine;
        this.ids = ids;
        this.clock = clock;
    }

    /** Applies a receipt, or parks it until its delivery is known; durable when this returns. */
    public void accept(TransportReceipt receipt) {
        tx.executeWithoutResult(s -> ledger.lockByTransportReference(receipt.channel(), receipt.transportReference())
                .ifPresentOrElse(d -> apply(d, receipt), () -> park(receipt)));
    }

    /**
     * Whether a delivery carries this receipt's transport reference now; locks that delivery in the caller's
     * transaction. For a receipt released from quarantine, which is applied only to a delivery, never parked again.
     */
    public boolean claimed(TransportReceipt receipt) {
        return ledger.lockByTransportReference(receipt.channel(), receipt.transportReference()).isPresent();
    }

    /** Applies a receipt whose delivery exists ({@link #claimed}), in the caller's transaction. */
    public void applyClaimed(TransportReceipt receipt) {
        Delivery d = ledger.lockByTransportReference(receipt.channel(), receipt.transportReference())
                .orElseThrow(() -> new IllegalStateException("no delivery has transport reference "
                        + receipt.transportReference() + " on " + receipt.channel()));
        apply(d, receipt);
    }

    /** Applies receipts parked for a delivery that just got its transport reference (caller's transaction). */
    public void applyWaiting(Delivery delivery) {
        List<Parked> parked = jdbc.sql("""
                select id, event, issued_at, reason, proof_media_type, proof_assurance, proof
                from unmatched_receipt where channel = :channel and transport_ref = :ref order by received_at
                """)
                .param("channel", delivery.address().channel()).param("ref", delivery.transportReference())
                .query((rs, i) -> new Parked(rs.getString("id"), new TransportReceipt(delivery.address().channel(),
                        delivery.transportReference(), TransportReceipt.Event.valueOf(rs.getString("event")),
                        rs.getObject("issued_at", OffsetDateTime.class).toInstant(), rs.getString("reason"),
                        rs.getBytes("proof") == null ? null : new TransportProof(rs.getString("proof_media_type"),
                                rs.getBytes("proof"), Assurance.valueOf(rs.getString("proof_assurance"))))))
                .list();
        Delivery current = delivery;
        for (Parked p : parked) {
            current = apply(current, p.receipt());
            jdbc.sql("delete from unmatched_receipt where id = :id").param("id", p.id()).update();
        }
    }

    private Delivery apply(Delivery d, TransportReceipt r) {
        Transition t = transitionFor(r);
        boolean forward = d.state().canMoveTo(t.target())
                && (t.target() == DeliveryState.FAILED || !d.state().reached(t.target()));
        if (!forward) {
            // a receipt for the state the delivery is in (a De-Mail Versandbestätigung for a SENT delivery) is kept
            // as evidence of that state; one for a state already passed is late
            String why = (t.target() == d.state() ? r.event() + " receipt confirms the delivery's state "
                    : "late or repeated " + r.event() + " receipt; the delivery stays ") + d.state()
                    + (r.reason() == null ? "" : " (receipt says: " + r.reason() + ")");
            return ledger.note(d, t.because(why));
        }
        Delivery moved = ledger.move(d, t);
        if (moved.state().isTerminal() || (moved.awaiting() != null && moved.state().reached(moved.awaiting()))) {
            outbox.cancel(WorkKind.EXPIRE, moved.id());
        }
        return moved;
    }

    private static Transition transitionFor(TransportReceipt r) {
        Transition t = switch (r.event()) {
            case DISPATCHED -> Transition.to(DeliveryState.SENT, EvidenceEvent.RELAY_ACCEPTANCE);
            case DELIVERED -> Transition.to(DeliveryState.DELIVERED, EvidenceEvent.DELIVERY_ACCEPTANCE);
            case RETRIEVED -> Transition.to(DeliveryState.RETRIEVED, EvidenceEvent.RETRIEVAL);
            case FAILED -> Transition.to(DeliveryState.FAILED, EvidenceEvent.DELIVERY_NON_ACCEPTANCE);
        };
        return t.because(r.reason()).withTransport(null, r.at(), r.proof());
    }

    private void park(TransportReceipt r) {
        TransportProof proof = r.proof();
        jdbc.sql("""
                insert into unmatched_receipt (id, channel, transport_ref, event, issued_at, reason, proof_media_type,
                                               proof_assurance, proof, received_at)
                values (:id, :channel, :ref, :event, :issued, :reason, :type, :assurance, :proof, :now)
                """)
                .param("id", ids.next()).param("channel", r.channel()).param("ref", r.transportReference())
                .param("event", r.event().name()).param("issued", r.at().atOffset(ZoneOffset.UTC))
                .param("reason", r.reason())
                .param("type", proof == null ? null : proof.mediaType())
                .param("assurance", proof == null ? null : proof.assurance().name())
                .param("proof", proof == null ? null : proof.content())
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
        log.info("{} receipt for unknown transport reference {} on {} parked until its delivery is recorded",
                r.event(), r.transportReference(), r.channel());
    }

    /** Moves receipts no delivery claimed within a day to quarantine. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    public void quarantineUnclaimed() {
        Instant limit = clock.instant().minus(PARK_LIMIT);
        record Stale(String id, String channel, String ref, String event, Instant receivedAt, byte[] proof) {
        }
        List<Stale> stale = jdbc.sql("""
                select id, channel, transport_ref, event, received_at, proof from unmatched_receipt
                where received_at < :limit
                """)
                .param("limit", limit.atOffset(ZoneOffset.UTC))
                .query((rs, i) -> new Stale(rs.getString("id"), rs.getString("channel"), rs.getString("transport_ref"),
                        rs.getString("event"), rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                        rs.getBytes("proof")))
                .list();
        for (Stale s : stale) {
            byte[] raw = s.proof() != null ? s.proof()
                    : (s.event() + " receipt for " + s.ref()).getBytes(StandardCharsets.UTF_8);
            quarantine.put(s.channel(), "receipt:" + s.ref() + ":" + s.event(), s.event()
                    + " receipt for transport reference " + s.ref() + ", which no delivery has", s.receivedAt(),
                    () -> new ByteArrayInputStream(raw));
            jdbc.sql("delete from unmatched_receipt where id = :id").param("id", s.id()).update();
        }
    }

    private record Parked(String id, TransportReceipt receipt) {
    }
}
