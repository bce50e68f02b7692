package de.amtsbote.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass: a timeout, a refused connection, an SMTP 4xx, an HTTP 503. The gateway retries with
 * exponential backoff, and counts the failure against the peer's circuit breaker.
 */
public final class TransientTransportException extends TransportException {

    private final Duration retryAfter;

    public TransientTransportException(String message) {
        this(message, null, null);
    }

    public TransientTransportException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** @param retryAfter when the peer asked to be tried again (HTTP Retry-After), or null */
    public TransientTransportException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
