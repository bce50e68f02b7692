package de.amtsbote.crypto.xml;

import java.io.IOException;

/**
 * Streamed ciphertext failed authentication (AES-GCM tag) when its end was reached: it was altered, truncated, or
 * decrypted with the wrong key. Every byte read before is unauthenticated and must be discarded.
 */
public final class AttachmentIntegrityException extends IOException {
    public AttachmentIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
