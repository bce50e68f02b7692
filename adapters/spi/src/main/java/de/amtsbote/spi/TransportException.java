package de.amtsbote.spi;

/**
 * A transport failed. The two subclasses say whether trying again can help; adapters throw one of them, never
 * this class itself.
 */
public abstract sealed class TransportException extends Exception
        permits TransientTransportException, PermanentTransportException {

    protected TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
