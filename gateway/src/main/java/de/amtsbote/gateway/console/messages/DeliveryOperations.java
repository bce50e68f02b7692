package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.console.ConsoleAudit;
import de.amtsbote.gateway.delivery.Delivery;
import de.amtsbote.gateway.delivery.DeliveryLedger;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.delivery.Transition;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.gateway.outbox.WorkRunner;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An operator's retry and cancel of a delivery, each in one transaction with its audit entry. Both take the locks in
 * the dispatcher's order — the delivery's outbox work first, then the delivery ({@link DeliveryLedger#lock}) — so an
 * action and a dispatch of the same delivery wait for each other and never both decide. A dispatcher that claimed the
 * work but has not begun finds its claim gone ({@link Outbox#holds} is false) and sends nothing.
 *
 * <ul>
 *   <li><b>Retry</b> of a delivery that waits (ACCEPTED, RETRY_WAIT): its work becomes due now; no state changes, no
 *   evidence (the dispatch attempt records its own). Of a delivery that ended FAILED or EXPIRED: a new delivery to
 *   the same recipient ({@link DeliveryLedger#resend}), dispatched through the outbox like any other; the ended one
 *   stays ended.</li>
 *   <li><b>Cancel</b> of a delivery that waits: it ends FAILED ("cancelled by …") with RelayFailure evidence, and its
 *   work is removed.</li>
 * </ul>
 */
@Component
class DeliveryOperations {

    static final String RETRY = "message.retry";
    static final String CANCEL = "message.cancel";
    static final int MAX_REASON = 500;

    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final ConsoleAudit audit;
    private final WorkRunner runner;
    private final Clock clock;

    DeliveryOperations(TransactionTemplate tx, Outbox outbox, DeliveryLedger ledger, ConsoleAudit audit,
                       WorkRunner runner, Clock clock) {
        this.tx = tx;
        this.outbox = outbox;
        this.ledger = ledger;
        this.audit = audit;
        this.runner = runner;
        this.clock = clock;
    }

    /** What an action did, or why it did nothing: a message key and its arguments. */
    record Outcome(boolean done, String key, Object... args) {
        static Outcome done(String key, Object... args) {
            return new Outcome(true, key, args);
        }

        static Outcome refused(String key, Object... args) {
            return new Outcome(false, key, args);
        }
    }

    Outcome retry(Authentication person, String messageId, String deliveryId, String reason) {
        Outcome outcome = tx.execute(s -> {
            Optional<Outbox.Scheduled> work = outbox.lock(WorkKind.DISPATCH, deliveryId);
            Delivery d = locked(messageId, deliveryId);
            Instant now = clock.instant();
            if (d.state() == DeliveryState.ACCEPTED || d.state() == DeliveryState.RETRY_WAIT) {
                if (work.isPresent() && work.get().heldAt(now)) {
                    return Outcome.refused("messages.retry.busy", d.state().name(), work.get().leaseOwner());
                }
                if (work.isEmpty()) {
                    // cannot happen while the delivery waits; if it did, the delivery would never be sent
                    outbox.schedule(WorkKind.DISPATCH, d.id(), now);
                } else {
                    outbox.advance(WorkKind.DISPATCH, d.id(), now);
                }
                audit.record(person, RETRY, AuditTrail.subjects("message", messageId, "delivery", d.id()),
                        AuditDetail.of().with("state", d.state().name()).with("reason", reason)
                                .with("due", work.map(w -> w.due().toString()).orElse(null)));
                return Outcome.done("messages.retry.now", d.state().name());
            }
            if (d.state() == DeliveryState.FAILED || d.state() == DeliveryState.EXPIRED) {
                Optional<String> already = ledger.resentAs(d.id());
                if (already.isPresent()) {
                    return Outcome.refused("messages.retry.already", d.state().name(), already.get());
                }
                Delivery resent = ledger.resend(d, "retry of delivery " + d.id() + " (" + d.state() + ": "
                        + (d.lastError() == null ? "no reason recorded" : d.lastError()) + ") requested by "
                        + person.getName() + ": " + reason);
                outbox.schedule(WorkKind.DISPATCH, resent.id(), now);
                audit.record(person, RETRY, AuditTrail.subjects("message", messageId, "delivery", d.id(),
                                "delivery", resent.id()),
                        AuditDetail.of().with("state", d.state().name()).with("reason", reason)
                                .with("newDelivery", resent.id()));
                return Outcome.done("messages.retry.resent", d.state().name(), resent.id());
            }
            return Outcome.refused("messages.retry.wrongState", d.state().name());
        });
        if (outcome.done()) {
            runner.wakeUp();
        }
        return outcome;
    }

    Outcome cancel(Authentication person, String messageId, String deliveryId, String reason) {
        return tx.execute(s -> {
            Optional<Outbox.Scheduled> work = outbox.lock(WorkKind.DISPATCH, deliveryId);
            Delivery d = locked(messageId, deliveryId);
            if (d.state() != DeliveryState.ACCEPTED && d.state() != DeliveryState.RETRY_WAIT) {
                return Outcome.refused("messages.cancel.wrongState", d.state().name());
            }
            String why = "cancelled by " + person.getName() + ": " + reason;
            ledger.move(d, Transition.to(DeliveryState.FAILED, EvidenceEvent.RELAY_FAILURE).because(why));
            // a node that claimed the work and has not begun finds its claim gone and sends nothing
            outbox.cancel(WorkKind.DISPATCH, d.id());
            audit.record(person, CANCEL, AuditTrail.subjects("message", messageId, "delivery", d.id()),
                    AuditDetail.of().with("state", d.state().name()).with("reason", reason)
                            .with("claimedBy", work.filter(w -> w.heldAt(clock.instant()))
                                    .map(Outbox.Scheduled::leaseOwner).orElse(null)));
            return Outcome.done("messages.cancel.done", d.state().name());
        });
    }

    private Delivery locked(String messageId, String deliveryId) {
        return ledger.lock(deliveryId).filter(d -> d.messageId().equals(messageId))
                .orElseThrow(() -> new UnknownDeliveryException(messageId, deliveryId));
    }

    /** The message has no delivery with that id. */
    static final class UnknownDeliveryException extends RuntimeException {
        UnknownDeliveryException(String messageId, String deliveryId) {
            super("message " + messageId + " has no delivery " + deliveryId);
        }
    }
}
