package de.amtsbote.gateway.inbox;

import de.amtsbote.gateway.channels.ChannelRegistry;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.quarantine.QuarantineEntry;
import de.amtsbote.gateway.quarantine.QuarantineRefusal;
import de.amtsbote.gateway.quarantine.QuarantineStore;
import de.amtsbote.gateway.receipts.ReceiptProcessor;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.InboundSink;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import de.amtsbote.spi.TransportReceipt;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An operator's release of a quarantined item: its channel checks the raw item again
 * ({@link ChannelAdapter#recheck}), and what passes is filed exactly as on arrival — into the inbox with its Receipt
 * evidence, or as the receipt or proof it turns out to be. Fail-closed: the item is released only when everything the
 * channel handed back passed; one quarantine among it, or nothing at all, keeps the item quarantined with the reason,
 * and nothing of it is filed.
 *
 * <p>Two steps, so that the channel's work (keys, revocation answers from the network) runs outside any transaction
 * and the filing runs in the caller's transaction, beside the person's audit entry: {@link #check} runs the channel,
 * {@link Check#commit} files the outcome. A {@link Check} is closed in any case; content written for a filing that did
 * not commit is removed then.
 */
@Service
public class QuarantineRecheck {

    private static final Logger log = LoggerFactory.getLogger(QuarantineRecheck.class);

    private final ChannelRegistry channels;
    private final QuarantineStore quarantine;
    private final InboxService inbox;
    private final ReceiptProcessor receipts;
    private final Clock clock;

    QuarantineRecheck(ChannelRegistry channels, QuarantineStore quarantine, InboxService inbox,
                      ReceiptProcessor receipts, Clock clock) {
        this.channels = channels;
        this.quarantine = quarantine;
        this.inbox = inbox;
        this.receipts = receipts;
        this.clock = clock;
    }

    /**
     * Has the item's channel check it again; nothing is stored yet.
     *
     * @throws QuarantineRefusal when the item does not exist, is decided, was made by the gateway, its channel is not
     *                           active, or the channel cannot check it (now or at all) — nothing changed then
     */
    public Check check(String quarantineId) {
        QuarantineEntry e = quarantine.require(quarantineId);
        if (!e.open()) {
            throw QuarantineStore.decided(e);
        }
        if (!e.recheckable() || e.contentId() == null) {
            throw new QuarantineRefusal(QuarantineRefusal.Kind.NOT_RECHECKABLE, "quarantined item " + e.id()
                    + " was put there by the gateway itself, not handed in by channel " + e.channel()
                    + " as received, so the channel cannot check it again");
        }
        ChannelAdapter adapter = channels.find(e.channel()).orElseThrow(() -> new QuarantineRefusal(
                QuarantineRefusal.Kind.CHANNEL_INACTIVE, "channel '" + e.channel() + "' of quarantined item " + e.id()
                + " is not active in this gateway", e.channel()));
        Collector outcome = new Collector(e.channel());
        try {
            adapter.recheck(new QuarantinedMessage(e.transportId(), e.reason(), e.receivedAt(),
                    () -> quarantine.raw(e.contentId()), e.deliveredTo()), outcome);
        } catch (TransientTransportException ex) {
            outcome.discard();
            throw new QuarantineRefusal(QuarantineRefusal.Kind.CHANNEL_UNAVAILABLE, "channel '" + e.channel()
                    + "' could not check quarantined item " + e.id() + " now: " + ex.getMessage(), ex.getMessage());
        } catch (PermanentTransportException ex) {
            outcome.discard();
            throw new QuarantineRefusal(QuarantineRefusal.Kind.CHANNEL_REFUSED, ex.getMessage(), ex.getMessage());
        } catch (TransportException ex) {
            outcome.discard(); // sealed: one of the two above
            throw new IllegalStateException(ex);
        } catch (RuntimeException ex) {
            outcome.discard();
            throw ex;
        }
        return new Check(e, outcome);
    }

    /** What a recheck led to. */
    public record Result(QuarantineEntry entry, boolean released, String reason, List<String> inboxIds) {
    }

    /** A finished check by the channel, to be committed in the caller's transaction, then closed. */
    public final class Check implements AutoCloseable {

        private final QuarantineEntry entry;
        private final Collector outcome;
        private boolean committing;

        private Check(QuarantineEntry entry, Collector outcome) {
            this.entry = entry;
            this.outcome = outcome;
        }

        /**
         * In the caller's transaction: releases the entry and files what passed, or keeps it open with the new reason.
         * Refuses an entry another operator decided in the meantime.
         *
         * @param person who released it
         */
        public Result commit(String person) {
            QuarantineEntry locked = quarantine.lockOpen(entry.id());
            committing = true;
            boolean[] keep = {false};
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED || !keep[0]) {
                        outcome.discard();
                    }
                }
            });
            Instant now = clock.instant();
            Optional<String> failure = outcome.failure();
            if (failure.isEmpty()) {
                for (TransportReceipt r : outcome.receipts) {
                    if (!receipts.claimed(r)) {
                        failure = Optional.of(r.event() + " receipt for transport reference " + r.transportReference()
                                + ", which no delivery has");
                        break;
                    }
                }
            }
            if (failure.isPresent()) {
                quarantine.recheckFailed(locked, person, now, failure.get());
                log.info("quarantined {} item {} checked again at the request of {}: still fails: {}",
                        entry.channel(), entry.id(), person, failure.get());
                return new Result(locked, false, failure.get(), List.of());
            }
            String note = "released from quarantine (" + entry.id() + ") by " + person
                    + " after its channel checked it again";
            List<String> inboxIds = new ArrayList<>();
            List<String> done = new ArrayList<>();
            for (InboxService.Prepared p : outcome.prepared) {
                String id = inbox.file(p, note);
                inboxIds.add(id);
                done.add("filed as inbox message " + id + " for " + p.participant().id());
            }
            for (String existing : outcome.alreadyFiled) {
                inboxIds.add(existing);
                done.add("already in the inbox as " + existing);
            }
            for (TransportReceipt r : outcome.receipts) {
                receipts.applyClaimed(r);
                done.add("applied as " + r.event() + " receipt of transport reference " + r.transportReference());
            }
            for (InboundProof p : outcome.proofs) {
                inbox.keepProof(entry.channel(), p);
                done.add("kept as " + p.event() + " proof about " + p.transportId());
            }
            String result = String.join("; ", done);
            quarantine.released(locked, person, now, inboxIds, result);
            keep[0] = true;
            log.info("quarantined {} item {} released by {}: {}", entry.channel(), entry.id(), person, result);
            return new Result(locked, true, result, inboxIds);
        }

        /** Removes content written for this check unless a commit is taking care of it. */
        @Override
        public void close() {
            if (!committing) {
                outcome.discard();
            }
        }
    }

    /**
     * The sink a recheck hands its outcome to: messages are streamed into the content store (their sources are only
     * readable during the call) but filed only on commit; receipts, proofs and quarantine reasons are kept as they are.
     */
    private final class Collector implements InboundSink {

        private final String channel;
        final List<InboxService.Prepared> prepared = new ArrayList<>();
        final List<String> alreadyFiled = new ArrayList<>();
        final List<TransportReceipt> receipts = new ArrayList<>();
        final List<InboundProof> proofs = new ArrayList<>();
        final Set<String> failures = new LinkedHashSet<>();

        Collector(String channel) {
            this.channel = channel;
        }

        @Override
        public synchronized Stored accept(InboundMessage message) {
            if (!message.to().channel().equals(channel)) {
                failures.add("channel '" + channel + "' handed back a message for " + message.to());
                return Stored.NEW;
            }
            Optional<Participant> participant = inbox.addressee(channel, message);
            if (participant.isEmpty()) {
                failures.add(InboxService.notAParticipant(message));
                return Stored.NEW;
            }
            Optional<String> existing = inbox.existing(channel, message.transportId());
            if (existing.isPresent()) {
                alreadyFiled.add(existing.get());
                return Stored.DUPLICATE;
            }
            prepared.add(inbox.prepare(channel, message, participant.get()));
            return Stored.NEW;
        }

        @Override
        public synchronized void receipt(TransportReceipt receipt) {
            if (!receipt.channel().equals(channel)) {
                failures.add("channel '" + channel + "' handed back a receipt for channel '" + receipt.channel() + "'");
                return;
            }
            receipts.add(receipt);
        }

        @Override
        public synchronized void inboundProof(InboundProof proof) {
            proofs.add(proof);
        }

        @Override
        public synchronized void quarantine(QuarantinedMessage message) {
            failures.add(message.reason());
        }

        /** Why the item stays quarantined; empty when everything handed back passed. */
        synchronized Optional<String> failure() {
            if (!failures.isEmpty()) {
                return Optional.of(String.join("; ", failures));
            }
            if (prepared.isEmpty() && alreadyFiled.isEmpty() && receipts.isEmpty() && proofs.isEmpty()) {
                return Optional.of("the channel's check handed back nothing to file");
            }
            return Optional.empty();
        }

        synchronized void discard() {
            prepared.forEach(inbox::discard);
            prepared.clear();
        }
    }
}
