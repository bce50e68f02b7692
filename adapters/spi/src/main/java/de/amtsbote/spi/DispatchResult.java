package de.amtsbote.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What the next hop said when it took a delivery.
 *
 * @param outcome            {@link Outcome#SENT} when the next hop accepted it for onward transport,
 *                           {@link Outcome#DELIVERED} when the recipient's mailbox confirmed it in the same exchange
 * @param transportReference the channel's own id for the message (Message-ID, OSCI message id); receipts that come
 *                           back later are matched to the delivery by it
 * @param at                 when the next hop took it, by its own account if it said so
 * @param proof              what the next hop handed back as proof (a signed process card), or null
 */
public record DispatchResult(Outcome outcome, String transportReference, Instant at, TransportProof proof) {

    public enum Outcome { SENT, DELIVERED }

    public DispatchResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(transportReference, "transportReference");
        Objects.requireNonNull(at, "at");
    }

    public static DispatchResult sent(String transportReference, Instant at) {
        return new DispatchResult(Outcome.SENT, transportReference, at, null);
    }

    public static DispatchResult delivered(String transportReference, Instant at, TransportProof proof) {
        return new DispatchResult(Outcome.DELIVERED, transportReference, at, proof);
    }
}
