package de.amtsbote.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What the gateway gives an adapter at {@link ChannelAdapter#start(ChannelContext)}.
 *
 * @param inbound where received messages, receipts and unreadable messages go
 * @param clock   the gateway's clock; adapters take every time stamp from it, so tests control time
 * @param nodeId  the name of this gateway process, for logs and transport headers when several nodes run
 */
public record ChannelContext(InboundSink inbound, Clock clock, String nodeId) {
    public ChannelContext {
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
