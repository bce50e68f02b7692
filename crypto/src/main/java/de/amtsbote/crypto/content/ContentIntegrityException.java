package de.amtsbote.crypto.content;

import java.io.IOException;

/** Stored content failed authentication: it was altered, truncated, swapped with another item, or the key is wrong. */
public final class ContentIntegrityException extends IOException {
    public ContentIntegrityException(String message) {
        super(message);
    }
}
