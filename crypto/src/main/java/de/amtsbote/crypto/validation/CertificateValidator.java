package de.amtsbote.crypto.validation;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;

/**
 * Validates certificates against configured trust anchors: path building, validity, key usage for the intended use,
 * the algorithm policy on every key and signature of the path, and revocation (CRL, OCSP), fail-closed by default.
 * Implementations are thread-safe and cache revocation information.
 */
public interface CertificateValidator {

    /**
     * Validates {@code certificate} for {@code usage} at time {@code at}.
     *
     * @param intermediates certificates that may help to build the path (from a CMS message, an XML signature)
     */
    ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> intermediates,
                              CertificateUsage usage, Instant at);
}
