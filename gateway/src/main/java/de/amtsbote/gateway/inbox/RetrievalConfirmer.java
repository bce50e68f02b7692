package de.amtsbote.gateway.inbox;

import de.amtsbote.gateway.channels.ChannelRegistry;
import de.amtsbote.gateway.dispatch.Backoff;
import de.amtsbote.gateway.dispatch.DispatchProperties;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkHandler;
import de.amtsbote.gateway.outbox.WorkItem;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.RetrievalConfirmation;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Sends the retrieval receipt of an inbound message once a client system took it; retried like a delivery. */
@Component
class RetrievalConfirmer implements WorkHandler {

    private static final Logger log = LoggerFactory.getLogger(RetrievalConfirmer.class);

    private final InboxRepository inbox;
    private final ChannelRegistry channels;
    private final Outbox outbox;
    private final DispatchProperties properties;
    private final Backoff backoff;
    private final TransactionTemplate tx;
    private final Clock clock;

    RetrievalConfirmer(InboxRepository inbox, ChannelRegistry channels, Outbox outbox, DispatchProperties properties,
                       Backoff backoff, TransactionTemplate tx, Clock clock) {
        this.inbox = inbox;
        this.channels = channels;
        this.outbox = outbox;
        this.properties = properties;
        this.backoff = backoff;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.CONFIRM_RETRIEVAL;
    }

    @Override
    public void handle(WorkItem item) {
        Optional<InboxRepository.Origin> origin = inbox.origin(item.subjectId());
        Optional<ChannelAdapter> adapter = origin.flatMap(o -> channels.find(o.channel()));
        if (origin.isEmpty() || adapter.isEmpty()) {
            release(item, Duration.ofMinutes(5));
            return;
        }
        InboxRepository.Origin o = origin.get();
        try {
            adapter.get().confirmRetrieval(new RetrievalConfirmation(o.transportId(), ChannelAddress.parse(o.to()),
                    ChannelAddress.parse(o.from()), o.acknowledgedAt()));
            tx.executeWithoutResult(s -> outbox.finish(item));
        } catch (TransientTransportException e) {
            if (item.claims() >= properties.maxAttempts()) {
                log.error("gave up sending the retrieval receipt for inbound message {} after {} attempts: {}",
                        item.subjectId(), item.claims(), e.getMessage());
                tx.executeWithoutResult(s -> outbox.finish(item));
            } else {
                release(item, backoff.after(item.claims()));
            }
        } catch (PermanentTransportException e) {
            log.error("the retrieval receipt for inbound message {} was refused: {}", item.subjectId(), e.getMessage());
            tx.executeWithoutResult(s -> outbox.finish(item));
        } catch (TransportException e) {
            throw new IllegalStateException("unexpected transport exception type", e);
        }
    }

    private void release(WorkItem item, Duration wait) {
        tx.executeWithoutResult(s -> outbox.release(item, clock.instant().plus(wait)));
    }
}
