package de.amtsbote.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message received on a channel for one of the gateway's participants.
 *
 * @param transportId              the channel's id of the message; with the channel it identifies a redelivery
 * @param from                     the sender's address on the channel
 * @param to                       our participant's address on the channel
 * @param subject                  the subject
 * @param body                     the body text
 * @param receivedAt               when the gateway's adapter took it
 * @param retrievalReceiptWanted   whether the sender asked for a retrieval receipt (sent when the client acks)
 * @param signature                what the signature check found; messages that fail it are quarantined instead
 * @param parts                    the attachments
 */
public record InboundMessage(
        String transportId,
        ChannelAddress from,
        ChannelAddress to,
        String subject,
        ContentSource body,
        Instant receivedAt,
        boolean retrievalReceiptWanted,
        SignatureCheck signature,
        List<InboundPart> parts) {

    public InboundMessage {
        Objects.requireNonNull(transportId, "transportId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(signature, "signature");
        parts = List.copyOf(parts);
        if (!from.channel().equals(to.channel())) {
            throw new IllegalArgumentException("from and to are on different channels: " + from + ", " + to);
        }
    }
}
