package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.CryptoException;
import java.util.Objects;

/**
 * A certificate offered as a trust anchor was refused. {@link #reason()} is stable (the API's problem documents and
 * the console's texts switch on it); the message is the sentence a person reads and names the certificate.
 */
public final class TrustAnchorRefusedException extends CryptoException {

    /** Why a certificate cannot become a trust anchor. */
    public enum Reason {
        /** The text is not readable PEM (broken Base64, damaged DER, an unknown PEM block, far too long). */
        MALFORMED_PEM,
        /** The text holds no certificate (empty, or only other objects such as a certificate request). */
        NO_CERTIFICATE,
        /** The text holds more than one certificate: one anchor at a time, so that each is decided on its own. */
        SEVERAL_CERTIFICATES,
        /** The text holds a private key: it must never leave its owner; nothing is stored. */
        PRIVATE_KEY,
        /** basicConstraints cA is not set: an end-entity certificate cannot vouch for others. */
        NOT_A_CA,
        /** The key usage does not include keyCertSign (or the extension is missing). */
        NO_KEY_CERT_SIGN,
        /** The certificate has expired. */
        EXPIRED,
        /** The certificate is not yet valid. */
        NOT_YET_VALID,
        /** The key is below what the algorithm policy allows for new keys. */
        KEY_REFUSED,
        /** A self-signed certificate whose signature does not verify with its own key: damaged or forged. */
        BAD_SELF_SIGNATURE
    }

    private final Reason reason;

    public TrustAnchorRefusedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    public TrustAnchorRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
