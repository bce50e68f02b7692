package de.amtsbote.sandbox.mail;

import java.util.Locale;

/**
 * How a mail peer checks the revocation status of the certificates it verifies (the gateway's signing certificates)
 * and encrypts for (the gateway participants' encryption certificates).
 */
public enum RevocationMode {
    /**
     * The default: OCSP then CRL for a certificate that names a responder or distribution point (a test PKI with a
     * running {@code RevocationResponder}); no revocation checking, flagged in every result, for one that names none
     * (the demo PKI, which runs no responder).
     */
    AUTO,
    OCSP_THEN_CRL,
    CRL_THEN_OCSP,
    OCSP_ONLY,
    CRL_ONLY,
    /** No revocation checking at all; every result is flagged. */
    NONE;

    /** {@code auto}, {@code ocsp-then-crl}, {@code crl-then-ocsp}, {@code ocsp-only}, {@code crl-only}, {@code none}. */
    public static RevocationMode parse(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("revocation must be auto, ocsp-then-crl, crl-then-ocsp, ocsp-only, "
                    + "crl-only or none, not '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
