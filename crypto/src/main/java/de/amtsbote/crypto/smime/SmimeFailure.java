package de.amtsbote.crypto.smime;

/** Why an S/MIME structure could not be opened as a whole (a layer's own checks are in its results). Stable names. */
public enum SmimeFailure {
    /** Headers, boundaries or the transfer encoding of an entity are broken. */
    MALFORMED,
    /** More S/MIME layers than allowed (RFC 8551 allows nesting; the reader stops at a small limit). */
    NESTING_TOO_DEEP,
    /** An S/MIME type this reader does not open (compressed-data, certs-only, an unknown CMS type). */
    UNSUPPORTED
}
