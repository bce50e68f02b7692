package de.amtsbote.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A transport's proof about a message the gateway <em>received</em>: what the recipient's side of the transport
 * vouches for, kept as evidence with the inbound message (De-Mail: the provider sends the signed Eingangs- and
 * Abholbestätigung to the recipient as well as to the sender, TR 01201). It says when the message was put into the
 * gateway's mailbox or taken from it — legally relevant for deadlines — by the issuer's account, not the gateway's.
 *
 * <p>The proof may be handed in before the message it is about (the transport delivers both independently); the
 * gateway keeps it and shows it with the message once that is stored.
 *
 * @param transportId the {@link InboundMessage#transportId()} of the message it is about (same channel)
 * @param event       what it says happened
 * @param at          when it happened, by the issuer's signed time
 * @param proof       the proof itself, verbatim
 */
public record InboundProof(String transportId, Event event, Instant at, TransportProof proof) {

    public enum Event {
        /** The message was put into the gateway's mailbox at the provider (De-Mail Eingangsbestätigung). */
        DELIVERED,
        /** The gateway's mailbox holder took it at a secure login (De-Mail Abholbestätigung). */
        RETRIEVED
    }

    public InboundProof {
        Objects.requireNonNull(transportId, "transportId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(proof, "proof");
        if (transportId.isBlank()) {
            throw new IllegalArgumentException("an inbound proof needs the transport id of its message");
        }
    }
}
