package de.amtsbote.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A receipt for an outbound delivery, as the channel reported it.
 *
 * @param channel            the channel it came on
 * @param transportReference the {@link DispatchResult#transportReference()} of the delivery it is about
 * @param event              what it says happened
 * @param at                 when it happened, by the issuer's account (the issuer's signed time is authoritative)
 * @param reason             for {@link Event#FAILED}: the issuer's reason; otherwise null
 * @param proof              the receipt itself, verbatim, or null where the channel has nothing to keep
 */
public record TransportReceipt(String channel, String transportReference, Event event, Instant at, String reason,
                               TransportProof proof) {

    public enum Event {
        /** The sender's provider sent it on (De-Mail Versandbestätigung). */
        DISPATCHED,
        /** It is in the recipient's mailbox (Eingangsbestätigung, OSCI reception at the intermediary). */
        DELIVERED,
        /** The recipient took it (Abholbestätigung, MDN "displayed", OSCI acknowledgement). */
        RETRIEVED,
        /** The far side gave up on it (unknown recipient, closed account, MDN "deleted"). */
        FAILED
    }

    public TransportReceipt {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(transportReference, "transportReference");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        if (event == Event.FAILED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a FAILED receipt needs a reason");
        }
    }
}
