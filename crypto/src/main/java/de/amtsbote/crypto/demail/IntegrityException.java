package de.amtsbote.crypto.demail;

import java.util.Objects;

/** A De-Mail integrity field that cannot be used, naming the {@link IntegrityCheck} that failed. */
public final class IntegrityException extends Exception {

    private final IntegrityCheck check;

    public IntegrityException(IntegrityCheck check, String message) {
        this(check, message, null);
    }

    public IntegrityException(IntegrityCheck check, String message, Throwable cause) {
        super(message, cause);
        this.check = Objects.requireNonNull(check, "check");
    }

    public IntegrityCheck check() {
        return check;
    }
}
