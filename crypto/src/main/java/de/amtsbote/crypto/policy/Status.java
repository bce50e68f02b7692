package de.amtsbote.crypto.policy;

/** Where an algorithm, curve or key size stands in the policy: the three tables of the BSI-based policy. */
public enum Status {
    /** Allowed for new messages and accepted inbound. */
    ALLOWED,
    /** Never used for new messages; accepted inbound only so that old partners stay readable, and flagged. */
    LEGACY_INBOUND,
    /** Neither created nor accepted. */
    REFUSED
}
