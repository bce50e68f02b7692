package de.amtsbote.crypto.cms;

/**
 * Which check of a signature failed. Stable names: tests, the inbox and the evidence rely on them. The checks run in
 * this order for each signer, and the first failing one is reported.
 */
public enum SignatureCheck {
    /** The input is not CMS SignedData, or it carries no signer at all. */
    NOT_SIGNED,
    /** The structure cannot be parsed, is truncated, or contradicts itself. */
    MALFORMED,
    /** A digest, signature scheme, parameter, key size or curve is refused by the algorithm policy. */
    ALGORITHM_REFUSED,
    /** No certificate in the message (or given) matches the signer identifier. */
    SIGNER_CERTIFICATE_MISSING,
    /** The signingCertificate(V2) attribute names another certificate than the one found (substituted certificate). */
    SIGNER_CERTIFICATE_MISMATCH,
    /** The content's digest differs from the signed messageDigest: the content was changed. */
    CONTENT_DIGEST_MISMATCH,
    /** The signature value does not verify with the signer's public key. */
    SIGNATURE_INVALID,
    /** The signer's certificate is not valid (see the validation result for the reason). */
    CERTIFICATE_INVALID
}
