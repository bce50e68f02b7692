package de.amtsbote.sandbox.loopback;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message an outside party sent to one of the gateway's participants through the peer.
 *
 * @param id           the peer's transport id for it; the gateway's retrieval receipt names it
 * @param from         the sender's address, {@code <mailbox>@<domain>}
 * @param to           the gateway participant's loopback address ({@code stadt-bad-vilbel@gateway})
 * @param parts        part 0 is the body, then the attachments
 * @param acknowledged whether the gateway fetched it and deleted it from the outbound queue
 * @param retrievedAt  when the gateway's client took it, by the gateway's retrieval receipt; null until then
 */
public record OutgoingMessage(String id, String mailbox, String from, String to, String subject,
                              boolean receiptWanted, Instant sentAt, List<StoredPart> parts, boolean acknowledged,
                              Instant retrievedAt) {

    public OutgoingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(sentAt, "sentAt");
        parts = List.copyOf(parts);
    }

    OutgoingMessage acknowledge() {
        return new OutgoingMessage(id, mailbox, from, to, subject, receiptWanted, sentAt, parts, true, retrievedAt);
    }

    OutgoingMessage retrieved(Instant at) {
        return new OutgoingMessage(id, mailbox, from, to, subject, receiptWanted, sentAt, parts, acknowledged, at);
    }
}
