package de.amtsbote.gateway.delivery;

import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.spi.TransportProof;
import java.time.Instant;
import java.util.Objects;

/**
 * One step of a delivery with the facts its evidence records. Build with {@link #to(DeliveryState, EvidenceEvent)}
 * and the {@code with…} methods.
 */
public record Transition(DeliveryState target, EvidenceEvent event, String reason, String transportReference,
                         Instant issuerTime, TransportProof proof, boolean countsAttempt) {

    public Transition {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(event, "event");
    }

    public static Transition to(DeliveryState target, EvidenceEvent event) {
        return new Transition(target, event, null, null, null, null, false);
    }

    public Transition because(String why) {
        return new Transition(target, event, why, transportReference, issuerTime, proof, countsAttempt);
    }

    public Transition withTransport(String reference, Instant issuer, TransportProof transportProof) {
        return new Transition(target, event, reason, reference, issuer, transportProof, countsAttempt);
    }

    /** This transition starts a new dispatch attempt. */
    public Transition countingAttempt() {
        return new Transition(target, event, reason, transportReference, issuerTime, proof, true);
    }
}
