package de.amtsbote.crypto.cms;

/**
 * The outcome of checking an ESS signed receipt against what we sent.
 *
 * @param signature the verification of the receipt's own signature
 * @param original  the signature we sent that the receipt answers, or null if none was found
 * @param failure   null when the receipt is valid for {@code original}; else the first failing check
 * @param detail    a sentence on the failure, or null
 */
public record ReceiptVerification(VerificationResult signature, SentSignature original, ReceiptCheck failure,
                                  String detail) {

    public boolean valid() {
        return failure == null && signature.valid();
    }

    public String describe() {
        return valid() ? "valid receipt for " + original + ", " + signature.describe()
                : failure + (detail == null ? "" : ": " + detail);
    }
}
