package de.amtsbote.crypto.evidence;

/**
 * Why an evidence document, or a sequence of them, does not prove what it says. Stable: the CLI prints these names.
 */
public enum EvidenceProblem {
    /** Not XML, or XML whose root is not an Amtsbote evidence document. */
    NOT_EVIDENCE,
    /** An evidence document without a signature (written by a gateway without a key store, or stripped). */
    UNSIGNED,
    /** The signature does not verify, or its shape is refused (algorithm, references, wrapping). */
    BAD_SIGNATURE,
    /** The signed content was changed after signing: a reference digest does not match. */
    ALTERED,
    /** The signer's certificate does not lead to the trusted CA. */
    UNKNOWN_SIGNER,
    /** The signer's certificate chains to the CA but is not an evidence certificate (key usage). */
    WRONG_SIGNER,
    /** The signer's certificate is revoked, expired at the event time, or its revocation status is required but unknown. */
    CERTIFICATE_INVALID,
    /** Several files: they are not about one message. */
    OTHER_MESSAGE,
    /** Several files: a PreviousEvidence digest names a document that is not among the files. */
    MISSING_LINK,
    /** Several files: a PreviousEvidence digest names a file given after it. */
    WRONG_ORDER,
    /** Several files: the same document twice. */
    DUPLICATE
}
