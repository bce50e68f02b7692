package de.amtsbote.gateway.certificates;

/**
 * Where a certificate stands for a person looking at the inventory. Dates decide {@link #VALID}, {@link #EXPIRING},
 * {@link #EXPIRED} and {@link #NOT_YET_VALID}; {@link #REVOKED} and {@link #UNKNOWN} are what the last on-demand
 * revocation check found; {@link #PENDING} is a key of ours still waiting for its certificate.
 */
public enum CertificateStatus {
    VALID("ok"),
    /** Ends within {@code amtsbote.certificates.expiry-warning}. */
    EXPIRING("warn"),
    EXPIRED("bad"),
    NOT_YET_VALID("warn"),
    REVOKED("bad"),
    /** The last revocation check could not say (no answer from the responder, stale CRL, no path to an anchor). */
    UNKNOWN("neutral"),
    PENDING("neutral");

    private final String badge;

    CertificateStatus(String badge) {
        this.badge = badge;
    }

    /** The console's badge class: ok, warn, bad or neutral (the badge also carries the status as text). */
    public String badge() {
        return badge;
    }

    /** Whether someone has to act: the certificate ends soon, has ended or was revoked. */
    public boolean needsAttention() {
        return this == EXPIRING || this == EXPIRED || this == REVOKED;
    }
}
