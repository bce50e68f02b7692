package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.validation.ValidationResult;
import java.util.Objects;
import java.util.Optional;

/**
 * XML was refused or an XML security operation failed. {@link #reason()} is stable (tests, the API and the console
 * rely on the names); the message names the problem: which limit, which reference, which algorithm, which signer.
 */
public final class XmlSecurityException extends CryptoException {

    /** Why. Grouped by the step that failed: parsing, signature verification, signing, encryption. */
    public enum Reason {
        // ---- parsing (SecureXml)
        /** The document has a DOCTYPE declaration; DTDs are never processed (XXE, billion laughs). */
        DOCTYPE_REFUSED,
        /** The input is larger than the configured byte limit. */
        TOO_LARGE,
        /** Elements are nested deeper than the configured limit. */
        TOO_DEEP,
        /** Another parser limit was hit: attributes per element, name length, entity sizes. */
        LIMIT_EXCEEDED,
        /** Not well-formed XML, or not the structure the operation needs. */
        MALFORMED,

        // ---- signature verification (XmlSignatureVerifier)
        /** There is no ds:Signature where one was expected. */
        NOT_SIGNED,
        /** More than one ds:Signature could be the one to verify, and the caller did not say which. */
        AMBIGUOUS_SIGNATURE,
        /** An algorithm, transform, canonicalisation or key the policy or the XML whitelist refuses. */
        ALGORITHM_REFUSED,
        /** A reference the verifier does not resolve: XPointer, an external URI nobody supplied, an unknown Id. */
        UNEXPECTED_REFERENCE,
        /** Two elements carry the same Id value. */
        DUPLICATE_ID,
        /** What the caller reads is not what was signed (signature wrapping). */
        WRAPPING_SUSPECTED,
        /** No certificate to verify the signature with. */
        SIGNER_UNKNOWN,
        /** The signature value over SignedInfo does not verify with the signer's key. */
        SIGNATURE_INVALID,
        /** A reference's digest does not match: the signed content was changed. {@link #subject()} is the URI. */
        DIGEST_MISMATCH,
        /** The signer's certificate did not validate; {@link #validation()} says why. */
        CERTIFICATE_INVALID,

        // ---- signing and encryption
        /** Creating a signature failed (the key handle refused, the document could not be digested). */
        SIGNING_FAILED,
        /** Encrypting failed. */
        ENCRYPTION_FAILED,
        /** The encrypted data holds no key for the decrypting key's certificate. */
        RECIPIENT_NOT_FOUND,
        /** The content key could not be recovered with the given key. */
        DECRYPTION_FAILED,
        /** The ciphertext failed authentication (AES-GCM tag): altered, truncated, or a wrong key. */
        INTEGRITY_FAILED
    }

    private final Reason reason;
    private final String subject;
    private final transient ValidationResult validation;

    public XmlSecurityException(Reason reason, String subject, String message) {
        this(reason, subject, message, null, null);
    }

    public XmlSecurityException(Reason reason, String subject, String message, Throwable cause) {
        this(reason, subject, message, cause, null);
    }

    private XmlSecurityException(Reason reason, String subject, String message, Throwable cause,
                                 ValidationResult validation) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.subject = subject;
        this.validation = validation;
    }

    /** A policy refusal met while processing XML; the policy's own reason stays available. */
    static XmlSecurityException refused(PolicyViolationException e, String where) {
        return new XmlSecurityException(Reason.ALGORITHM_REFUSED, e.subject(), where + ": " + e.getMessage(), e);
    }

    /** The signer's certificate did not validate. */
    static XmlSecurityException certificateInvalid(String signer, ValidationResult result) {
        return new XmlSecurityException(Reason.CERTIFICATE_INVALID, signer, "the certificate of signer " + signer
                + " is not valid: " + result.status() + " (" + result.detail() + ")", null, result);
    }

    public Reason reason() {
        return reason;
    }

    /** What the failure is about (a reference URI, an algorithm, an element, a signer), or null. */
    public String subject() {
        return subject;
    }

    /** The policy's refusal when {@link #reason()} is {@link Reason#ALGORITHM_REFUSED} because of the policy. */
    public Optional<PolicyViolationException> policyViolation() {
        return getCause() instanceof PolicyViolationException p ? Optional.of(p) : Optional.empty();
    }

    /** The policy's reason, or null when the policy was not involved. */
    public PolicyViolationException.Reason policyReason() {
        return policyViolation().map(PolicyViolationException::reason).orElse(null);
    }

    /** For {@link Reason#CERTIFICATE_INVALID}: the validation result; else null. */
    public ValidationResult validation() {
        return validation;
    }
}
