package de.amtsbote.gateway.messages;

import java.time.Instant;

/**
 * A delivery as the API shows it.
 *
 * @param retryOf the delivery that ended FAILED or EXPIRED and that an operator had sent again as this one, or null
 */
public record DeliveryView(String id, String recipient, String channel, String address, String state, int attempts,
                           String lastError, String transportReference, Instant updatedAt, String retryOf) {
}
