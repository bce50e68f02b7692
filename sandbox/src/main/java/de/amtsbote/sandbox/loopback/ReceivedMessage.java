package de.amtsbote.sandbox.loopback;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A delivery the peer took from the gateway, as one of its mailboxes holds it.
 *
 * @param transportId  the peer's id for it, handed back to the gateway and used in receipts
 * @param deliveryId   the gateway's delivery id, the key the peer deduplicates on
 * @param sender       the sender's loopback address ({@code stadt-bad-vilbel@gateway})
 * @param reference    the sender's file reference, or null
 * @param parts        part 0 is the body, then the attachments
 * @param readAt       when the recipient read it, or null
 * @param rejectedAt   when the recipient rejected it, or null
 * @param rejectReason why it was rejected, or null
 */
public record ReceivedMessage(String transportId, String deliveryId, String messageId, String mailbox, String sender,
                              String subject, String reference, Instant receivedAt, List<StoredPart> parts,
                              Instant readAt, Instant rejectedAt, String rejectReason) {

    public ReceivedMessage {
        Objects.requireNonNull(transportId, "transportId");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(receivedAt, "receivedAt");
        parts = List.copyOf(parts);
    }

    /** Whether the recipient has read or rejected it, after which it gets no second receipt. */
    public boolean answered() {
        return readAt != null || rejectedAt != null;
    }

    ReceivedMessage read(Instant at) {
        return new ReceivedMessage(transportId, deliveryId, messageId, mailbox, sender, subject, reference,
                receivedAt, parts, at, null, null);
    }

    ReceivedMessage rejected(Instant at, String reason) {
        return new ReceivedMessage(transportId, deliveryId, messageId, mailbox, sender, subject, reference,
                receivedAt, parts, null, at, reason);
    }
}
