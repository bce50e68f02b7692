package de.amtsbote.gateway.dispatch;

import de.amtsbote.gateway.channels.ChannelRegistry;
import de.amtsbote.gateway.content.ContentStore;
import de.amtsbote.gateway.delivery.Delivery;
import de.amtsbote.gateway.delivery.DeliveryLedger;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.delivery.Transition;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkHandler;
import de.amtsbote.gateway.outbox.WorkItem;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.gateway.receipts.ReceiptProcessor;
import de.amtsbote.gateway.messages.MessageRepository;
import de.amtsbote.gateway.messages.StoredMessage;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands one delivery to its channel: records the attempt, calls the adapter outside any transaction, then
 * records the outcome — each step fenced by the outbox lease, so a node that lost its lease records nothing.
 */
@Component
class DeliveryDispatcher implements WorkHandler {

    private static final Logger log = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final MessageRepository messages;
    private final ContentStore content;
    private final ChannelRegistry channels;
    private final PeerBreakers breakers;
    private final Backoff backoff;
    private final ReceiptProcessor receipts;
    private final DispatchProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MeterRegistry meters;

    DeliveryDispatcher(Outbox outbox, DeliveryLedger ledger, MessageRepository messages, ContentStore content,
                       ChannelRegistry channels, PeerBreakers breakers, Backoff backoff, ReceiptProcessor receipts,
                       DispatchProperties properties, TransactionTemplate tx, Clock clock, MeterRegistry meters) {
        this.outbox = outbox;
        this.ledger = ledger;
        this.messages = messages;
        this.content = content;
        this.channels = channels;
        this.breakers = breakers;
        this.backoff = backoff;
        this.receipts = receipts;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.DISPATCH;
    }

    @Override
    public void handle(WorkItem item) {
        Optional<Delivery> current = ledger.read(item.subjectId());
        if (current.isEmpty()) {
            tx.executeWithoutResult(s -> outbox.finish(item));
            return;
        }
        Optional<ChannelAdapter> adapter = channels.find(current.get().address().channel());
        if (adapter.isEmpty()) {
            // configuration changed since acceptance: wait for the channel to come back rather than fail
            String reason = "channel '" + current.get().address().channel() + "' is not active on node";
            retryLater(item, reason, Duration.ofMinutes(5), false);
            return;
        }
        CircuitBreaker breaker = breakers.of(current.get().address().channel(), current.get().peer());
        if (!breaker.tryAcquirePermission()) {
            // the peer is known to be down: wait without spending an attempt and without evidence noise
            tx.executeWithoutResult(s -> outbox.release(item, clock.instant().plus(breakers.openWait(breaker))));
            return;
        }
        Optional<Attempt> attempt = tx.execute(s -> begin(item));
        if (attempt == null || attempt.isEmpty()) {
            breaker.releasePermission();
            return;
        }
        Delivery delivery = attempt.get().delivery();
        long start = System.nanoTime();
        try {
            DispatchResult result = adapter.get().dispatch(attempt.get().envelope());
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            record(delivery, "success", start);
            tx.executeWithoutResult(s -> succeeded(item, result));
        } catch (TransientTransportException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            record(delivery, "transient", start);
            log.info("delivery {} to {}: attempt {} failed, will retry: {}", delivery.id(), delivery.address(),
                    delivery.attempts(), e.getMessage());
            retryLater(item, e.getMessage(), e.retryAfter().orElse(null), true);
        } catch (PermanentTransportException e) {
            // the peer answered and refused: it is healthy, this delivery is not
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            record(delivery, "permanent", start);
            log.info("delivery {} to {} failed for good: {}", delivery.id(), delivery.address(), e.getMessage());
            tx.executeWithoutResult(s -> failed(item, e.getMessage()));
        } catch (TransportException e) {
            throw new IllegalStateException("unexpected transport exception type", e);
        } catch (RuntimeException e) {
            // a defect in an adapter must not lose the delivery: count it as a failed attempt and retry
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            record(delivery, "error", start);
            log.error("adapter '{}' failed unexpectedly on delivery {}", delivery.address().channel(), delivery.id(), e);
            retryLater(item, "adapter error: " + e, null, true);
        }
    }

    private Optional<Attempt> begin(WorkItem item) {
        if (!outbox.holds(item)) {
            return Optional.empty();
        }
        Optional<Delivery> locked = ledger.lock(item.subjectId());
        if (locked.isEmpty() || locked.get().state().isTerminal() || locked.get().state().isHandedOver()) {
            outbox.finish(item); // stale work: the delivery is already past dispatch
            return Optional.empty();
        }
        Delivery d = locked.get();
        // the claim knows whether it took over a lease that ran out; the dead node may not have begun its attempt
        String reason = item.previousOwner() != null
                ? "taking over from node " + item.previousOwner() + ", whose lease ran out" : null;
        Delivery started = ledger.move(d, Transition.to(DeliveryState.DISPATCHING, EvidenceEvent.DISPATCH_ATTEMPT)
                .because(reason).countingAttempt());
        StoredMessage message = messages.find(d.messageId()).orElseThrow();
        return Optional.of(new Attempt(started, envelope(message, started)));
    }

    private OutboundEnvelope envelope(StoredMessage m, Delivery d) {
        List<OutboundAttachment> attachments = m.attachments().stream()
                .map(a -> new OutboundAttachment(a.fileName(), a.mediaType(), a.size(), a.sha256(),
                        () -> content.open(a.contentId())))
                .toList();
        return new OutboundEnvelope(m.id(), d.id(), d.attempts(), m.sender(), d.senderAddress(), d.address(),
                m.subject(), () -> content.open(m.bodyContentId()), m.reference(), m.options(), attachments);
    }

    private void succeeded(WorkItem item, DispatchResult result) {
        if (!outbox.holds(item)) {
            log.warn("delivery {} was handed over, but this node's lease had been taken over; the result is "
                    + "dropped and the new owner sends again (the peer sees a duplicate)", item.subjectId());
            return;
        }
        Delivery d = ledger.lock(item.subjectId()).orElseThrow();
        boolean delivered = result.outcome() == DispatchResult.Outcome.DELIVERED;
        Transition t = delivered
                ? Transition.to(DeliveryState.DELIVERED, EvidenceEvent.DELIVERY_ACCEPTANCE)
                : Transition.to(DeliveryState.SENT, EvidenceEvent.RELAY_ACCEPTANCE);
        Delivery moved = ledger.move(d, t.withTransport(result.transportReference(), result.at(), result.proof()));
        outbox.finish(item);
        if (moved.awaiting() != null && !moved.state().reached(moved.awaiting())) {
            outbox.schedule(WorkKind.EXPIRE, moved.id(), clock.instant().plus(properties.receiptTimeout()));
        }
        receipts.applyWaiting(moved);
    }

    private void failed(WorkItem item, String reason) {
        if (!outbox.holds(item)) {
            return;
        }
        Delivery d = ledger.lock(item.subjectId()).orElseThrow();
        ledger.move(d, Transition.to(DeliveryState.FAILED, EvidenceEvent.RELAY_FAILURE).because(reason));
        outbox.finish(item);
        meters.counter("amtsbote.deliveries.failed", "channel", d.address().channel()).increment();
    }

    private void retryLater(WorkItem item, String reason, Duration requestedWait, boolean countsAgainstLimit) {
        tx.executeWithoutResult(s -> {
            if (!outbox.holds(item)) {
                return;
            }
            Delivery d = ledger.lock(item.subjectId()).orElseThrow();
            if (countsAgainstLimit && d.attempts() >= properties.maxAttempts()) {
                ledger.move(d, Transition.to(DeliveryState.FAILED, EvidenceEvent.RELAY_FAILURE)
                        .because("gave up after " + d.attempts() + " attempts; last: " + reason));
                outbox.finish(item);
                meters.counter("amtsbote.deliveries.failed", "channel", d.address().channel()).increment();
                return;
            }
            Duration wait = requestedWait != null ? requestedWait : backoff.after(Math.max(1, d.attempts()));
            Instant due = clock.instant().plus(wait);
            if (d.state() == DeliveryState.DISPATCHING) {
                ledger.move(d, Transition.to(DeliveryState.RETRY_WAIT, EvidenceEvent.RELAY_FAILURE)
                        .because(reason + " (next attempt at " + due + ")"));
            }
            outbox.release(item, due);
        });
    }

    private void record(Delivery d, String outcome, long startNanos) {
        String channel = d.address().channel();
        meters.counter("amtsbote.deliveries.dispatched", "channel", channel, "outcome", outcome).increment();
        Timer.builder("amtsbote.dispatch.latency").tag("channel", channel).publishPercentileHistogram()
                .register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private record Attempt(Delivery delivery, OutboundEnvelope envelope) {
    }
}
