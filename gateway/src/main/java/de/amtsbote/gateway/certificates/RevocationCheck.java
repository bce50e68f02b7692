package de.amtsbote.gateway.certificates;

import java.time.Instant;
import java.util.Objects;

/**
 * What an on-demand revocation check found for one certificate, kept until the next check of it.
 *
 * @param fingerprint the certificate's SHA-256 fingerprint (hex)
 * @param outcome     good, revoked, unknown, or invalid for another reason
 * @param reason      the validator's reason ({@code REVOKED}, {@code REVOCATION_UNAVAILABLE}, …), null when good
 * @param detail      the validator's sentence for a person
 * @param revokedAt   when the certificate was revoked, for {@link Outcome#REVOKED}; else null
 * @param source      where the revocation status came from ("OCSP http://…"), or null
 * @param checkedAt   when the check ran
 * @param checkedBy   who asked for it (a console user or a client system)
 */
public record RevocationCheck(String fingerprint, Outcome outcome, String reason, String detail, Instant revokedAt,
                              String source, Instant checkedAt, String checkedBy) {

    /** The result of a check. */
    public enum Outcome {
        /** Valid, and the revocation status was positively confirmed for the whole path. */
        GOOD,
        /** Revoked according to a CRL or an OCSP answer. */
        REVOKED,
        /** No revocation answer could be had (responder down, stale CRL, revocation checking switched off). */
        UNKNOWN,
        /** Not valid for another reason (expired, unknown issuer, wrong key usage); revocation is moot. */
        INVALID
    }

    public RevocationCheck {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }
}
