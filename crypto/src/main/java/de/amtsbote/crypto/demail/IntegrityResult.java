package de.amtsbote.crypto.demail;

import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.validation.ValidationResult;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What the check of a De-Mail integrity field found: valid, or the one {@link IntegrityCheck} that failed, in words.
 *
 * @param failure     null when valid
 * @param detail      one sentence for a person ("signed by CN=dmda-b.de-mail.de with ECDSA/SHA-256", or the failure)
 * @param tag         the field as read, or null when it could not be read
 * @param certificate the provider's certificate from {@code X-de-mail-signature-certificate}, or null (hashed only)
 * @param spec        the signature scheme, or null (hashed only)
 * @param validation  the certificate's validation, or null when it was not validated
 * @param flags       what was accepted only as flagged legacy (an RSA PKCS#1 v1.5 signature, a legacy key)
 */
public record IntegrityResult(IntegrityCheck failure, String detail, IntegrityTag tag, X509Certificate certificate,
                              SignatureSpec spec, ValidationResult validation, List<String> flags) {

    public IntegrityResult {
        Objects.requireNonNull(detail, "detail");
        flags = List.copyOf(flags);
    }

    static IntegrityResult failed(IntegrityException e, IntegrityTag tag, X509Certificate certificate,
                                  SignatureSpec spec, ValidationResult validation, List<String> flags) {
        return new IntegrityResult(e.check(), e.getMessage(), tag, certificate, spec, validation, flags);
    }

    public boolean valid() {
        return failure == null;
    }

    /** Whether the field was signed by the provider (valid results only say so when the signature verified). */
    public boolean signed() {
        return tag != null && tag.signed();
    }

    /** The signer's subject ("CN=dmda-b.de-mail.de,OU=De-Mail,O=Bund,C=de"), or null when not signed. */
    public String signer() {
        return certificate == null ? null : certificate.getSubjectX500Principal().getName();
    }

    /** "valid: …" or "<check>: …", for logs and quarantine reasons. */
    public String describe() {
        return (failure == null ? "valid" : failure.name().toLowerCase().replace('_', ' ')) + ": " + detail;
    }
}
