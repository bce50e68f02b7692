package de.amtsbote.crypto;

/**
 * A cryptographic operation failed for a reason the caller can name to a person: a refused algorithm, a bad
 * signature, a revoked certificate, a key that is not there. Subclasses say which; the message always names the
 * object concerned (signer, recipient, key, algorithm).
 */
public class CryptoException extends Exception {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
