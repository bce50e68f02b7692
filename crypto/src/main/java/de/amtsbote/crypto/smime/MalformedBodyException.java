package de.amtsbote.crypto.smime;

import java.io.IOException;

/**
 * A body's transfer encoding cannot be decoded (illegal base64). It is an {@link IOException} only because it
 * surfaces while streams are read; it is about the message, never about the caller's streams, so the reader turns it
 * into a {@link SmimeFailure#MALFORMED} result.
 */
final class MalformedBodyException extends IOException {
    MalformedBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
