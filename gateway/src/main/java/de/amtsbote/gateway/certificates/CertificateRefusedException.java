package de.amtsbote.gateway.certificates;

import java.util.Objects;

/**
 * The inventory refused a change and changed nothing. {@link #reason()} is stable (the console translates it, the API
 * returns it): the vault's reasons ({@code KEY_MISMATCH}, {@code WRONG_KEY_USAGE}, {@code CERTIFICATE_EXPIRED},
 * {@code BROKEN_CHAIN}, {@code WRONG_STATE}, {@code ACTIVE_KEY_EXISTS}, …), the validator's ({@code EXPIRED},
 * {@code REVOKED}, {@code UNKNOWN_CA}, …) and the inventory's own: {@code MALFORMED_PEM}, {@code PRIVATE_KEY_IN_PEM},
 * {@code MALFORMED_ADDRESS}, {@code OWN_ADDRESS}, {@code CONFIGURED_ADDRESS}, {@code POLICY_REFUSED},
 * {@code INVALID_REQUEST}, {@code NO_KEY_STORE}, {@code UNKNOWN_CERTIFICATE}. The message names the key or
 * certificate concerned.
 */
public final class CertificateRefusedException extends Exception {

    private final String reason;

    public CertificateRefusedException(String reason, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public CertificateRefusedException(String reason, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String reason() {
        return reason;
    }

    /** Whether the refusal is about something that does not exist (an unknown key or certificate): 404, not 422. */
    public boolean notFound() {
        return reason.equals("UNKNOWN_KEY") || reason.equals("UNKNOWN_CERTIFICATE");
    }
}
