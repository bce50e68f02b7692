package de.amtsbote.gateway.evidence;

/**
 * What an evidence document attests. Names follow ETSI EN 319 522-1 (electronic registered delivery) where it
 * has one; {@link #DISPATCH_ATTEMPT} and {@link #RESUBMISSION} are the gateway's own: a node started handing a delivery
 * over, an operator had an ended delivery sent again.
 */
public enum EvidenceEvent {
    /** The gateway accepted the message for delivery (EN 319 522: A.1 SubmissionAcceptance). */
    SUBMISSION_ACCEPTANCE("SubmissionAcceptance"),
    /** A gateway node started an attempt to hand the delivery to the next hop (gateway-specific). */
    DISPATCH_ATTEMPT("DispatchAttempt"),
    /** The next hop (relay, provider, intermediary) accepted it (B.1 RelayAcceptance). */
    RELAY_ACCEPTANCE("RelayAcceptance"),
    /** Handing it over failed, for now or for good (B.3 RelayFailure). */
    RELAY_FAILURE("RelayFailure"),
    /** It reached the recipient's mailbox (D.1 ContentConsignment). */
    DELIVERY_ACCEPTANCE("DeliveryAcceptance"),
    /** The recipient's side refused or lost it (D.2 ContentConsignmentFailure). */
    DELIVERY_NON_ACCEPTANCE("DeliveryNonAcceptance"),
    /** The recipient took it (E.1 ContentHandover). */
    RETRIEVAL("Retrieval"),
    /** The receipt asked for did not come in time. */
    RETRIEVAL_EXPIRY("RetrievalExpiry"),
    /**
     * An operator had a delivery that ended FAILED or EXPIRED sent again: this starts the chain of the new delivery to
     * the same recipient, names the ended one and why (gateway-specific).
     */
    RESUBMISSION("Resubmission"),
    /** The gateway received a message for one of its participants (F.3 ReceivedFromNonERDS). */
    RECEIPT("Receipt");

    private final String standardName;

    EvidenceEvent(String standardName) {
        this.standardName = standardName;
    }

    /** The name in evidence documents and the API. */
    public String standardName() {
        return standardName;
    }
}
