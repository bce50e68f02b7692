package de.amtsbote.crypto.demail;

/**
 * The check of a De-Mail integrity field ({@code X-de-mail-integrity}) that failed. Stable: adapters, tests and
 * quarantine reasons rely on these names.
 */
public enum IntegrityCheck {
    /** The message has no {@code X-de-mail-integrity} field. */
    MISSING,
    /** The field or the header block cannot be read: a tag missing, duplicated, or not of its syntax. */
    MALFORMED,
    /** The field carries {@code l=} (a body length limit), which TR 01201-3.4 forbids: it would leave content unsigned. */
    LENGTH_LIMITED,
    /** {@code h=} is not the TR's list of fields filtered by those present: a present field is left unsigned, or the order differs. */
    HEADER_LIST,
    /** The hash of the body does not match {@code bh=}: the content was changed. */
    BODY_HASH,
    /** Only hashed, and the hash of the header fields does not match {@code b=}: a signed field was changed. */
    HEADER_HASH,
    /** The signature over the header fields does not verify with the certificate's key. */
    SIGNATURE_INVALID,
    /** A hash, signature scheme or key the algorithm policy refuses (SHA-1, a short RSA key, legacy refused). */
    ALGORITHM_REFUSED,
    /** Signed, but there is no {@code X-de-mail-signature-certificate}, or it cannot be read. */
    CERTIFICATE_MISSING,
    /** The certificate does not validate (expired, revoked, unknown issuer, wrong key usage). */
    CERTIFICATE_INVALID,
    /** The certificate validates, but not to one of the De-Mail trust anchors. */
    CERTIFICATE_UNTRUSTED,
    /** The certificate's subject CN is not the signing domain {@code d=}. */
    DOMAIN_MISMATCH,
    /** Only hashed, where a signature is required (absenderbestätigt messages, confirmations, notifications). */
    NOT_SIGNED
}
