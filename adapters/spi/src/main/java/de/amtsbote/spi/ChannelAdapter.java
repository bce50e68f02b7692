package de.amtsbote.spi;

import java.util.Optional;

/**
 * A transport channel: S/MIME e-mail, De-Mail, beBPo, or anything else that can carry an official message.
 *
 * <p>The gateway drives the adapter; the adapter never calls into the gateway except through the
 * {@link InboundSink} it is given. Its life cycle:
 *
 * <ol>
 *   <li>{@link ChannelAdapterProvider#create(ChannelSettings)} builds the adapter from its configuration
 *       (the keys under {@code amtsbote.channels.<channel>.*}). Invalid configuration fails here, at start-up.
 *   <li>{@link #start(ChannelContext)} is called once, before anything else. An adapter that listens
 *       (an SMTP server) opens its listener here and hands what it receives to {@link ChannelContext#inbound()}.
 *   <li>{@link #describe()}, {@link #checkAddress(String)} and {@link #peerOf(ChannelAddress)} may be called at
 *       any time from any thread; they must be fast and must not do I/O, because submission calls them while a
 *       client waits.
 *   <li>{@link #dispatch(OutboundEnvelope)} is called from several dispatcher threads at once, one call per
 *       attempt of one delivery. It returns when the next hop (relay, provider, intermediary) has taken the
 *       message, or throws a {@link TransientTransportException} (the gateway retries later with backoff) or a
 *       {@link PermanentTransportException} (the delivery ends as failed with that reason). The same delivery may
 *       be dispatched again after a crash, so peers should be able to recognise
 *       {@link OutboundEnvelope#deliveryId()} as a duplicate.
 *   <li>{@link #poll()} is called periodically if the adapter fetches inbound messages or receipts (IMAP, OSCI
 *       fetchDelivery). Items must be acknowledged to the remote side only after the sink call returned: the sink
 *       returns only once the item is durably stored.
 *   <li>{@link #confirmRetrieval(RetrievalConfirmation)} sends the channel's retrieval receipt (MDN, OSCI
 *       acknowledgement) after a client system took an inbound message that asked for one.
 *   <li>{@link #recheck(QuarantinedMessage, InboundSink)} runs the inbound checks again on a quarantined item when an
 *       operator releases it (after a trust anchor or a partner's certificate was added, say). Any thread, any time
 *       after start, also while a poll runs.
 *   <li>{@link #close()} is called once at shutdown; in-flight calls have finished or been abandoned by then.
 * </ol>
 *
 * <p>Adapters are found with {@link java.util.ServiceLoader} through {@link ChannelAdapterProvider}; an adapter
 * jar on the class path plus its configuration is all the gateway needs. Adapters must not depend on Spring.
 */
public interface ChannelAdapter extends AutoCloseable {

    /** Called once, before any other method; opens listeners if the channel has any. */
    void start(ChannelContext context) throws TransportException;

    /** What this channel is and which options it can honour. Constant for the adapter's life. */
    ChannelDescription describe();

    /**
     * Checks a channel-specific address (the part after {@code "<channel>:"}) without any I/O: syntax, length,
     * forbidden system addresses. Returns the address in its normal form, or the reason it is not usable.
     */
    AddressCheck checkAddress(String address);

    /**
     * The remote party a delivery to this address depends on (a relay host, a provider, an intermediary), used to
     * keep one circuit breaker per peer: when one intermediary is down, others are still tried. No I/O.
     */
    default String peerOf(ChannelAddress recipient) {
        return describe().channel();
    }

    /**
     * Whether the channel refuses this combination of sender, recipient and options, for a reason that is known
     * before anything is sent (an option the channel reserves to public bodies, a sender address the channel's
     * rules do not allow with an option). The router calls it after {@link #checkAddress} and the option check, while
     * the client waits; the answer is the refusal in words for the client, or empty. Fast, no I/O.
     */
    default Optional<String> refusal(RouteRequest request) {
        return Optional.empty();
    }

    /** Hands one delivery to the next hop. See the class comment for the contract on failures and duplicates. */
    DispatchResult dispatch(OutboundEnvelope envelope) throws TransportException;

    /** Fetches inbound messages and receipts and hands them to the sink. Adapters that only listen do nothing. */
    default void poll() throws TransportException {
    }

    /** Sends the channel's retrieval receipt for an inbound message. Channels without one do nothing. */
    default void confirmRetrieval(RetrievalConfirmation confirmation) throws TransportException {
    }

    /**
     * Checks a quarantined item again, exactly as on its first receipt, because an operator asked to release it.
     * The item is what this channel once handed to {@link InboundSink#quarantine}: {@code quarantined.raw()} is the
     * item exactly as received (it may be opened as often as needed), {@code quarantined.deliveredTo()} the addresses
     * the transport delivered it to, {@code quarantined.receivedAt()} when it first arrived.
     *
     * <p>The adapter runs the same checks as on first receipt, in the same code (no second, weaker path), with the
     * configuration, keys, trust anchors and partners' certificates of now, and hands the outcome to {@code sink}
     * (not to the context's sink): {@link InboundSink#accept} once per addressed participant, or
     * {@link InboundSink#receipt} / {@link InboundSink#inboundProof} if the item turns out to be one, each with
     * {@code receivedAt} the first arrival; or {@link InboundSink#quarantine} with the reason it still fails. It
     * returns after the sink returned. A recheck changes nothing on the remote side: nothing is fetched,
     * acknowledged, deleted or sent. The gateway lets the item into the inbox only if every outcome handed in was
     * an acceptance; any quarantine keeps it quarantined with the new reason.
     *
     * <p>Channels that cannot check a stored item again keep this default, which says so; the operator sees it.
     *
     * @throws TransientTransportException when something needed is not available now (the key store cannot be read);
     *                                     the item stays as it is and may be released again later
     * @throws PermanentTransportException when the item cannot be checked again on this channel
     */
    default void recheck(QuarantinedMessage quarantined, InboundSink sink) throws TransportException {
        throw new PermanentTransportException("channel '" + describe().channel() + "' cannot check a quarantined"
                + " message again; only reject it, or ask the sender to send it again");
    }

    /** Releases listeners, connections and threads. */
    @Override
    void close();
}
