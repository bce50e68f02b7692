package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.util.List;

/**
 * The outcome of decrypting an EnvelopedData or AuthEnvelopedData: which of our keys opened it and with which
 * algorithms, or which check failed.
 *
 * <p>Failures about the message are states of this result, never exceptions; only a failing stream of the caller's
 * throws. Content decrypted before an integrity failure was already handed out: it must be discarded.
 *
 * @param key               the key that opened the message, or null
 * @param contentAlgorithm  the content cipher, or null if not classified
 * @param keyManagement     RSAES-OAEP, ECDH-ES or legacy RSA PKCS#1 v1.5 key transport, or null
 * @param keyWrap           the AES key wrap for key agreement, else null
 * @param kdfDigest         the OAEP digest or the ECDH KDF digest, else null
 * @param authenticated     whether the content cipher authenticates (AuthEnvelopedData with GCM)
 * @param contentType       the encrypted content's type (object identifier), or null
 * @param flags             legacy algorithms accepted only as flagged (AES-CBC, PKCS#1 v1.5 key transport)
 * @param recipients        the recipient identifiers found in the message (named in NO_MATCHING_KEY)
 * @param failure           null when the content decrypted and (if authenticated) verified; else what failed
 * @param detail            a sentence naming what failed, or null
 * @param policyReason      for {@link DecryptionFailure#ALGORITHM_REFUSED}, the policy's stable reason
 */
public record DecryptionResult(KeyRef key, Algorithm contentAlgorithm, Algorithm keyManagement, Algorithm keyWrap,
                               Algorithm kdfDigest, boolean authenticated, String contentType, List<String> flags,
                               List<String> recipients, DecryptionFailure failure, String detail,
                               PolicyViolationException.Reason policyReason) {

    public DecryptionResult {
        flags = List.copyOf(flags);
        recipients = List.copyOf(recipients);
    }

    public boolean valid() {
        return failure == null;
    }

    /** One line for a person. */
    public String describe() {
        if (failure != null) {
            return failure + (detail == null ? "" : ": " + detail);
        }
        return "decrypted with key " + key + " (" + contentAlgorithm + ", " + keyManagement
                + (keyWrap == null ? "" : " + " + keyWrap) + (kdfDigest == null ? "" : "/" + kdfDigest) + ")"
                + (flags.isEmpty() ? "" : " flagged: " + String.join("; ", flags));
    }
}
