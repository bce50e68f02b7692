package de.amtsbote.gateway.dispatch;

import de.amtsbote.gateway.delivery.Delivery;
import de.amtsbote.gateway.delivery.DeliveryLedger;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.delivery.Transition;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkHandler;
import de.amtsbote.gateway.outbox.WorkItem;
import de.amtsbote.gateway.outbox.WorkKind;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Ends a delivery as EXPIRED when the receipt it asked for did not come within the receipt timeout. */
@Component
class DeliveryExpiry implements WorkHandler {

    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final DispatchProperties properties;
    private final TransactionTemplate tx;

    DeliveryExpiry(Outbox outbox, DeliveryLedger ledger, DispatchProperties properties, TransactionTemplate tx) {
        this.outbox = outbox;
        this.ledger = ledger;
        this.properties = properties;
        this.tx = tx;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.EXPIRE;
    }

    @Override
    public void handle(WorkItem item) {
        tx.executeWithoutResult(s -> {
            if (!outbox.holds(item)) {
                return;
            }
            Optional<Delivery> d = ledger.lock(item.subjectId());
            if (d.isPresent() && d.get().awaiting() != null && d.get().state().canMoveTo(DeliveryState.EXPIRED)
                    && !d.get().state().reached(d.get().awaiting())) {
                ledger.move(d.get(), Transition.to(DeliveryState.EXPIRED, EvidenceEvent.RETRIEVAL_EXPIRY)
                        .because("no " + d.get().awaiting() + " receipt within " + properties.receiptTimeout()));
            }
            outbox.finish(item);
        });
    }
}
