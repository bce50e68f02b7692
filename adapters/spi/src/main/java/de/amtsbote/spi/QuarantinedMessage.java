package de.amtsbote.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Something received that cannot be accepted, kept with its reason.
 *
 * @param transportId the channel's id of it, if one could be read, else a generated one
 * @param reason      why it is not accepted, in words an operator understands ("signature by unknown issuer
 *                    CN=…", "no key to decrypt for recipient …")
 * @param receivedAt  when it arrived
 * @param raw         the item exactly as received, so nothing is lost
 */
public record QuarantinedMessage(String transportId, String reason, Instant receivedAt, ContentSource raw) {
    public QuarantinedMessage {
        Objects.requireNonNull(transportId, "transportId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(raw, "raw");
    }
}
