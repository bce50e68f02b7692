package de.amtsbote.crypto.validation;

import java.util.Objects;

/**
 * Ends a validation with a named reason; the message is the sentence a person reads. Internal to the validator:
 * callers get a {@link ValidationResult}, never this exception.
 */
final class Refusal extends Exception {

    private final ValidationResult.Reason reason;

    Refusal(ValidationResult.Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    ValidationResult.Reason reason() {
        return reason;
    }
}
