package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.validation.ValidationResult;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The outcome for one SignerInfo: who signed (as far as known), what was used, and — if not valid — which check failed
 * and why.
 *
 * @param index                 the signer's position in the SignedData, from 1
 * @param subject               the signer certificate's subject, or null if no certificate was found
 * @param issuer                the issuer named by the signer identifier (or the certificate), if any
 * @param serial                the serial number named by the signer identifier (or the certificate), if any
 * @param certificate           the signer's certificate, or null
 * @param certificateValidation the validation of that certificate, or null if it was not validated
 * @param signatureSpec         the scheme and digest seen, or null if they could not be classified
 * @param signingTime           the signingTime attribute (claimed by the signer; not a trusted time), or null
 * @param flags                 legacy algorithms, key sizes or certificate path elements accepted only as flagged
 * @param failure               null when valid; else the first failing check
 * @param detail                a sentence naming what failed ("the content digest does not match ..."), or null
 * @param policyReason          for {@link SignatureCheck#ALGORITHM_REFUSED}, the policy's stable reason
 * @param receiptRequest        an ESS receipt request in the signed attributes, or null
 */
public record SignerResult(int index, String subject, String issuer, BigInteger serial, X509Certificate certificate,
                           ValidationResult certificateValidation, SignatureSpec signatureSpec, Instant signingTime,
                           List<String> flags, SignatureCheck failure, String detail,
                           PolicyViolationException.Reason policyReason, ReceiptRequested receiptRequest) {

    public SignerResult {
        flags = List.copyOf(flags);
    }

    public boolean valid() {
        return failure == null;
    }

    /** "signer 1 (CN=...)" — how results name a signer. */
    public String name() {
        String who = subject != null ? subject
                : issuer != null ? "issuer " + issuer + ", serial " + (serial == null ? "?" : serial.toString(16))
                : "unidentified";
        return "signer " + index + " (" + who + ")";
    }

    /** One line for a person: "signer 1 (CN=Alice): valid" or "signer 1 (CN=Alice): CONTENT_DIGEST_MISMATCH: ...". */
    public String describe() {
        if (valid()) {
            return name() + ": valid, " + signatureSpec.displayName() + (flags.isEmpty() ? "" : " (flagged: "
                    + String.join("; ", flags) + ")");
        }
        return name() + ": " + failure + (detail == null ? "" : ": " + detail);
    }
}
