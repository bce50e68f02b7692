package de.amtsbote.crypto.cms;

/** Which check of an ESS signed receipt (RFC 2634 2.6) failed. Stable names. */
public enum ReceiptCheck {
    /** The input is not a SignedData encapsulating an id-ct-receipt. */
    NOT_A_RECEIPT,
    /** The Receipt cannot be parsed. */
    MALFORMED,
    /** The receipt's own signature failed (see the verification result for which signer and which check). */
    SIGNATURE_INVALID,
    /** No message we sent has this signedContentIdentifier. */
    UNKNOWN_CONTENT_IDENTIFIER,
    /** The receipt names another content type than the message we sent. */
    CONTENT_TYPE_MISMATCH,
    /** The receipt's originatorSignatureValue is not the signature we sent. */
    SIGNATURE_VALUE_MISMATCH,
    /** The receipt's signer did not sign a msgSigDigest attribute. */
    MSG_SIG_DIGEST_MISSING,
    /** The msgSigDigest is not the digest of the signed attributes we sent: the receipt is for another message. */
    MSG_SIG_DIGEST_MISMATCH
}
