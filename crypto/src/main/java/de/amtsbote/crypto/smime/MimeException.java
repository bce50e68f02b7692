package de.amtsbote.crypto.smime;

/** A MIME structure is broken (headers, boundaries, encodings). Turned into a result state by the reader. */
final class MimeException extends Exception {

    MimeException(String message) {
        super(message);
    }
}
