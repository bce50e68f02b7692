package de.amtsbote.gateway.quarantine;

/** Where a quarantined item stands: waiting for an operator, or decided one way or the other. */
public enum QuarantineStatus {
    /** Waiting for an operator's decision. */
    OPEN,
    /** Checked again by its channel, passed, and filed like any inbound item. */
    RELEASED,
    /** An operator decided it is not to be accepted; kept, with the reason. */
    REJECTED
}
