package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.validation.ValidationResult;
import java.security.cert.X509Certificate;

/**
 * A recipient's certificate is not valid for encryption (revoked, expired, unknown issuer, wrong key usage): no new
 * message is encrypted for it. The message names the certificate and the validation reason.
 */
public final class RecipientRefusedException extends CryptoException {

    private final transient X509Certificate certificate;
    private final ValidationResult validation;

    public RecipientRefusedException(X509Certificate certificate, ValidationResult validation) {
        super("recipient certificate " + certificate.getSubjectX500Principal().getName() + " (serial "
                + certificate.getSerialNumber().toString(16) + ") is not valid for encryption: " + validation.status()
                + " — " + validation.detail());
        this.certificate = certificate;
        this.validation = validation;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public ValidationResult validation() {
        return validation;
    }
}
