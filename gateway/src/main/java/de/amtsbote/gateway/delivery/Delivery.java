package de.amtsbote.gateway.delivery;

import de.amtsbote.spi.ChannelAddress;

/**
 * A delivery as the ledger reads it, with the facts of its message that evidence documents carry.
 *
 * @param awaiting the state the requested receipts lead to, or null when nothing more is awaited
 */
public record Delivery(
        String id,
        String messageId,
        String recipient,
        ChannelAddress address,
        ChannelAddress senderAddress,
        String peer,
        DeliveryState state,
        int attempts,
        String lastError,
        String transportReference,
        DeliveryState awaiting,
        String evidenceHead,
        String sender,
        String contentDigest,
        String reference) {
}
