package de.amtsbote.spi;

/**
 * A failure that repeating will not fix: an unknown recipient, an SMTP 5xx, a rejected signature. The delivery
 * ends as failed, and the message (the remote side's own words where there are any) becomes its reason.
 */
public final class PermanentTransportException extends TransportException {

    public PermanentTransportException(String message) {
        super(message, null);
    }

    public PermanentTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
