package de.amtsbote.crypto.cms;

/** Why a message could not be decrypted. Stable names: tests, the inbox and the evidence rely on them. */
public enum DecryptionFailure {
    /** The input is not CMS EnvelopedData or AuthEnvelopedData. */
    NOT_ENCRYPTED,
    /** The structure cannot be parsed, is truncated, or contradicts itself. */
    MALFORMED,
    /** The content cipher, key transport or agreement, key wrap or KDF digest is refused by the algorithm policy. */
    ALGORITHM_REFUSED,
    /** None of the recipient identifiers is one of our keys; the result lists the identifiers found. */
    NO_MATCHING_KEY,
    /** Our key could not recover the content key (wrong key data, a token error, a content key of the wrong size). */
    KEY_DECRYPTION_FAILED,
    /** The content failed its integrity check: the GCM tag did not verify, or (CBC) the padding was wrong. */
    INTEGRITY_FAILED
}
