package de.amtsbote.crypto.validation;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating one certificate: valid, or the one named reason it is not, with the path that was built
 * and where the revocation status came from. Results are shown to people (inbox, console, evidence) as they are.
 *
 * @param reason     null when valid; else why not
 * @param detail     one sentence for a person: "revoked on 2026-03-01 (keyCompromise) according to OCSP http://…"
 * @param path       the certification path from the certificate to (excluding) the trust anchor; empty if none was built
 * @param anchor     the trust anchor the path ends in, or null
 * @param revocation where the revocation status came from ("OCSP http://127.0.0.1:…", "CRL file:/…", "cache"), or null
 * @param flags      what was accepted only as flagged legacy (an RSA-2048 intermediate, a PKCS#1 v1.5 signed CRL)
 * @param checkedAt  the time the certificate was validated for
 */
public record ValidationResult(Reason reason, String detail, List<X509Certificate> path, X509Certificate anchor,
                               String revocation, List<String> flags, Instant checkedAt) {

    /** Why a certificate is not valid. Stable: tests, the API and the console rely on these names. */
    public enum Reason {
        /** Revoked according to a CRL or an OCSP response. */
        REVOKED,
        /** The certificate or one on its path has expired at the time checked. */
        EXPIRED,
        /** The certificate or one on its path is not yet valid at the time checked. */
        NOT_YET_VALID,
        /** Key usage or extended key usage does not allow the use asked for. */
        WRONG_KEY_USAGE,
        /** No path to a configured trust anchor. */
        UNKNOWN_CA,
        /** A signature on the path does not verify. */
        BAD_SIGNATURE,
        /** No revocation source answered (responder down, CRL unreachable); fail-closed turns this into invalid. */
        REVOCATION_UNAVAILABLE,
        /** The only CRL at hand is past its nextUpdate. */
        STALE_CRL,
        /** A key or algorithm on the path is refused by the algorithm policy. */
        POLICY_REFUSED,
        /** The certificate cannot be parsed or is structurally wrong (not a CA where one must be, ...). */
        MALFORMED
    }

    public ValidationResult {
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(checkedAt, "checkedAt");
        path = List.copyOf(path);
        flags = List.copyOf(flags);
    }

    public boolean valid() {
        return reason == null;
    }

    /** The short status a person sees: "valid", "valid (flagged)", "revoked", "unknown issuer", ... */
    public String status() {
        if (reason == null) {
            return flags.isEmpty() ? "valid" : "valid (flagged)";
        }
        return switch (reason) {
            case UNKNOWN_CA -> "unknown issuer";
            case REVOCATION_UNAVAILABLE -> "revocation status unavailable";
            case STALE_CRL -> "revocation status stale";
            default -> reason.name().toLowerCase().replace('_', ' ');
        };
    }
}
