package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.CryptoException;

/** A private-key operation failed: the token refused it, the key is not there, or the input was not for this key. */
public final class KeyOperationException extends CryptoException {

    public KeyOperationException(String message) {
        super(message);
    }

    public KeyOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
