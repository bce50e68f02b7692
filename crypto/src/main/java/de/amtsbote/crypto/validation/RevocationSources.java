package de.amtsbote.crypto.validation;

/**
 * Which revocation sources the validator asks, and in which order. The first source that gives a definite answer
 * (good or revoked) decides; the next one is asked only when the first has none (down, unparsable, unauthorised
 * signer, stale). {@link #NONE} must be configured explicitly and is flagged in every result.
 */
public enum RevocationSources {
    /** OCSP first (fresh, small), the CRL when OCSP has no answer. The default. */
    OCSP_THEN_CRL,
    /** The CRL first, OCSP when there is no usable CRL. */
    CRL_THEN_OCSP,
    /** OCSP only. */
    OCSP_ONLY,
    /** CRLs only. */
    CRL_ONLY,
    /** No revocation checking at all: every result says so in its flags. For closed test set-ups only. */
    NONE;

    boolean asksOcsp() {
        return this != CRL_ONLY && this != NONE;
    }

    boolean asksCrl() {
        return this != OCSP_ONLY && this != NONE;
    }

    boolean ocspFirst() {
        return this == OCSP_THEN_CRL || this == OCSP_ONLY;
    }
}
