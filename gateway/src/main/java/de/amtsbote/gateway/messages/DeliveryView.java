package de.amtsbote.gateway.messages;

import java.time.Instant;

/** A delivery as the API shows it. */
public record DeliveryView(String id, String recipient, String channel, String address, String state, int attempts,
                           String lastError, String transportReference, Instant updatedAt) {
}
