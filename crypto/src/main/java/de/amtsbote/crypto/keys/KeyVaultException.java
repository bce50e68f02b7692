package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.CryptoException;
import java.util.Objects;

/**
 * A key vault refused or could not do what was asked. {@link #reason()} is stable and testable; the message names the
 * key, the store or the secret source concerned.
 */
public final class KeyVaultException extends CryptoException {

    /** Why the vault refused. */
    public enum Reason {
        /** The password or PIN source is not there (environment variable unset, secret file missing or empty). */
        SECRET_UNAVAILABLE,
        /** The store or token refused the password or PIN. */
        WRONG_SECRET,
        /** A new vault's password is too short to protect keys. */
        WEAK_SECRET,
        /** The store cannot be reached: file or PKCS#11 library missing, slot not found, token not present. */
        STORE_UNAVAILABLE,
        /** The store or its ledger cannot be read or written, or they disagree. */
        STORE_FAILURE,
        /** A PKCS#12 file is protected with algorithms weaker than AES-256 and PBKDF2-HMAC-SHA256 (or a SHA-1 MAC). */
        WEAK_STORE_PROTECTION,
        /** No key with this reference in the vault. */
        UNKNOWN_KEY,
        /** The key is not in a state that allows this (a CSR for an active key, an import to a retired key). */
        WRONG_STATE,
        /** The owner already has an active key for this purpose: replacing it is a rotation. */
        ACTIVE_KEY_EXISTS,
        /** The owner has no active key for this purpose. */
        NO_ACTIVE_KEY,
        /** Asked for a key of a purpose that does not do this (a signing key from an encryption key). */
        WRONG_PURPOSE,
        /** The certificate certifies another public key than the pending key's. */
        KEY_MISMATCH,
        /** The certificate's key usage or extended key usage does not fit the key's purpose. */
        WRONG_KEY_USAGE,
        /** The certificate's validity has ended. */
        CERTIFICATE_EXPIRED,
        /** The certificate's validity has not begun. */
        CERTIFICATE_NOT_YET_VALID,
        /** The chain given with the certificate is not a chain: an issuer does not match or does not verify. */
        BROKEN_CHAIN
    }

    private final Reason reason;

    public KeyVaultException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public KeyVaultException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
