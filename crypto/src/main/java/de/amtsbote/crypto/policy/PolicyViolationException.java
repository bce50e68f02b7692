package de.amtsbote.crypto.policy;

import de.amtsbote.crypto.CryptoException;
import java.util.Objects;

/** The algorithm policy refused something. {@link #reason()} is stable and testable; the message names the object. */
public final class PolicyViolationException extends CryptoException {

    /** Why the policy refused. */
    public enum Reason {
        /** In the "refused" table (SHA-1, MD5, 3DES, RC2, DES, DSA, ...). */
        ALGORITHM_REFUSED,
        /** In the "legacy inbound" table and asked for a new message without a peer exception. */
        LEGACY_NOT_FOR_NEW_MESSAGES,
        /** In the "legacy inbound" table, but this installation refuses legacy inbound (strict mode). */
        LEGACY_REFUSED_INBOUND,
        /** Used for something it is not (a digest offered as a content cipher). */
        WRONG_KIND,
        /** An object identifier or URI the policy does not know; unknown means refused (fail closed). */
        UNKNOWN_ALGORITHM,
        /** RSA modulus, EC field or symmetric key shorter than the table allows. */
        KEY_TOO_SHORT,
        /** An elliptic curve outside the named curves of TR-03116-4 (or an explicit-parameter curve). */
        CURVE_NOT_ALLOWED,
        /** A key type the policy has no table for (DSA, DH, EdDSA for new keys). */
        KEY_TYPE_NOT_ALLOWED
    }

    private final Reason reason;
    private final String subject;

    public PolicyViolationException(Reason reason, String subject, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
        this.subject = Objects.requireNonNull(subject);
    }

    public Reason reason() {
        return reason;
    }

    /** The algorithm, curve or key the refusal is about, as a person reads it. */
    public String subject() {
        return subject;
    }
}
