package de.amtsbote.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something received that cannot be accepted, kept with its reason; or, handed to
 * {@link ChannelAdapter#recheck(QuarantinedMessage, InboundSink)}, such an item coming back to be checked again.
 *
 * @param transportId the channel's id of it, if one could be read, else a generated one
 * @param reason      why it is not accepted, in words an operator understands ("signature by unknown issuer
 *                    CN=…", "no key to decrypt for recipient …")
 * @param receivedAt  when it arrived
 * @param raw         the item exactly as received, so nothing is lost
 * @param deliveredTo the addresses the transport delivered it to, which the item itself may not show: the SMTP
 *                    envelope recipients (RCPT TO), the address of the mailbox it was fetched from. Kept with the item
 *                    and handed back on a recheck, so that the check again addresses it exactly as the first did.
 *                    Empty when the transport named none (the item's own headers are read then, both times)
 */
public record QuarantinedMessage(String transportId, String reason, Instant receivedAt, ContentSource raw,
                                 List<String> deliveredTo) {
    public QuarantinedMessage {
        Objects.requireNonNull(transportId, "transportId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(raw, "raw");
        deliveredTo = List.copyOf(deliveredTo);
    }

    /** An item whose transport named no recipients of its own. */
    public QuarantinedMessage(String transportId, String reason, Instant receivedAt, ContentSource raw) {
        this(transportId, reason, receivedAt, raw, List.of());
    }
}
