package de.amtsbote.gateway.routing;

import de.amtsbote.spi.ChannelAddress;

/**
 * Where one recipient of a message goes.
 *
 * @param recipient     the recipient as the client wrote it ({@code participant:stadt-viernheim})
 * @param address       the channel address chosen for it, in the adapter's normal form
 * @param senderAddress the sending participant's own address on that channel
 * @param peer          the remote party the delivery depends on (one circuit breaker per peer)
 * @param maxBytes      the largest message the channel carries
 */
public record Route(String recipient, ChannelAddress address, ChannelAddress senderAddress, String peer,
                    long maxBytes) {
}
