package de.amtsbote.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Ask the channel to tell the sender of an inbound message that it was taken.
 *
 * @param transportId the {@link InboundMessage#transportId()} of the message taken
 * @param recipient   our participant's address (who took it)
 * @param sender      the address of the original sender (who gets the receipt)
 * @param retrievedAt when the client system acknowledged it
 */
public record RetrievalConfirmation(String transportId, ChannelAddress recipient, ChannelAddress sender,
                                    Instant retrievedAt) {
    public RetrievalConfirmation {
        Objects.requireNonNull(transportId, "transportId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(retrievedAt, "retrievedAt");
    }
}
