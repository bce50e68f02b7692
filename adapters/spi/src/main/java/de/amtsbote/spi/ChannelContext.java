package de.amtsbote.spi;

import de.amtsbote.crypto.Crypto;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway gives an adapter at {@link ChannelAdapter#start(ChannelContext)}.
 *
 * @param inbound   where received messages, receipts and unreadable messages go
 * @param clock     the gateway's clock; adapters take every time stamp from it, so tests control time
 * @param nodeId    the name of this gateway process, for logs and transport headers when several nodes run
 * @param crypto    signing, encryption and verification with the participants' keys under the algorithm policy;
 *                  empty when the installation has no key store configured (then only channels without
 *                  cryptography can run)
 * @param directory the participants and partners' certificates
 * @param memory    small records shared by all gateway nodes (what was sent, to check receipts later)
 */
public record ChannelContext(InboundSink inbound, Clock clock, String nodeId, Optional<Crypto> crypto,
                             PartyDirectory directory, ChannelMemory memory) {
    public ChannelContext {
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(memory, "memory");
    }

    /** A context without cryptography, directory or shared memory, for channels that need none of them. */
    public ChannelContext(InboundSink inbound, Clock clock, String nodeId) {
        this(inbound, clock, nodeId, Optional.empty(), PartyDirectory.empty(), ChannelMemory.inProcess());
    }

    /** The same context with another sink: a recheck hands its outcome to the sink the gateway gave it. */
    public ChannelContext withInbound(InboundSink sink) {
        return new ChannelContext(sink, clock, nodeId, crypto, directory, memory);
    }

    /**
     * The crypto door, or a clear start-up failure for a channel that cannot work without it.
     *
     * @throws PermanentTransportException naming the channel and the missing configuration
     */
    public Crypto requireCrypto(String channel) throws PermanentTransportException {
        return crypto.orElseThrow(() -> new PermanentTransportException("channel '" + channel
                + "' signs and encrypts, but no key store is configured (amtsbote.crypto.key-store)"));
    }
}
