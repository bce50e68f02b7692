package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * The keys of the gateway and its participants, and their life: generated inside a store (a PKCS#12 file or a PKCS#11
 * token), certified through a PKCS#10 request, activated when the certificate comes back, rotated with an overlap in
 * which the old key still decrypts, retired. The gateway and the CLI use keys only through this door; no method
 * returns private key material, and nothing is ever exported.
 *
 * <p>Life cycle of a key:
 * <ol>
 *   <li>{@link #generate} (the owner's first key for a purpose) or {@link #rotate} (a successor): a key pair is
 *       generated inside the store, {@link KeyState#PENDING}, with a self-signed placeholder certificate. The
 *       algorithm policy refuses weak key specifications before anything is generated.</li>
 *   <li>{@link #csr}: a PKCS#10 request, signed by the key itself, asking for the key usages of its purpose.</li>
 *   <li>{@link #importCertificate}: the issued certificate replaces the placeholder once it is checked (same public
 *       key, key usage fitting the purpose, valid now, chain linked); the key becomes {@link KeyState#ACTIVE}. A
 *       predecessor goes to {@link KeyState#OVERLAP} for the overlap given to {@link #rotate}, or is retired at once
 *       after {@link #generate}.</li>
 *   <li>{@link #retire} ends a key early; an overlap ends by itself when its time has passed.</li>
 * </ol>
 *
 * <p>Use: {@link #signingKey} gives the active key of an owner and purpose; {@link #decryptionKeys} gives the keys that
 * may decrypt an owner's inbound messages, the active one first. State survives closing and reopening; time comes from
 * the vault's injected clock. Implementations are thread-safe, and changes made by another process (the CLI beside a
 * running gateway) are picked up by the next call.
 */
public interface KeyVault extends AutoCloseable {

    /**
     * Generates the first key of an owner for a purpose, pending its certificate.
     *
     * @throws PolicyViolationException with the policy's reason if the specification is too weak (RSA-2048, P-224)
     * @throws KeyVaultException        {@link KeyVaultException.Reason#ACTIVE_KEY_EXISTS} if the owner has an active
     *                                  key for the purpose (replacing it is a {@link #rotate rotation})
     */
    KeyRef generate(String owner, KeyPurpose purpose, KeySpec spec) throws KeyVaultException, PolicyViolationException;

    /**
     * Generates a successor to the owner's active key for a purpose, pending its certificate. When its certificate is
     * imported, the current active key goes to {@link KeyState#OVERLAP} for {@code overlap} (zero: retired at once).
     */
    KeyRef rotate(String owner, KeyPurpose purpose, KeySpec spec, Duration overlap)
            throws KeyVaultException, PolicyViolationException;

    /**
     * A PKCS#10 certificate request (PEM) for a pending key, signed with that key: subject {@code C=DE,
     * O=<organisation>, CN=<common name or owner>}, rfc822Name alternative names for the given addresses, and an
     * extension request with the key usage and extended key usage of the key's purpose.
     */
    String csr(KeyRef key, CsrSubject subject) throws KeyVaultException, KeyOperationException, PolicyViolationException;

    /**
     * Imports the certificate (first) and its issuers for a pending key and activates the key.
     *
     * @throws KeyVaultException {@link KeyVaultException.Reason#KEY_MISMATCH}, {@code WRONG_KEY_USAGE},
     *                           {@code CERTIFICATE_EXPIRED}, {@code CERTIFICATE_NOT_YET_VALID}, {@code BROKEN_CHAIN},
     *                           {@code WRONG_STATE} (the key is not pending)
     */
    KeyInfo importCertificate(KeyRef key, List<X509Certificate> chain)
            throws KeyVaultException, PolicyViolationException;

    /** Every key of the vault, oldest first: what it is and where it stands, never key material. */
    List<KeyInfo> list() throws KeyVaultException;

    /**
     * The certificate chain a key holds now, its certificate first (the self-signed placeholder while the key is
     * {@link KeyState#PENDING}): public data only, for showing a key's certificate and checking its revocation. Empty
     * for a retired key whose entry someone removed from the store.
     *
     * @throws KeyVaultException {@link KeyVaultException.Reason#UNKNOWN_KEY}
     */
    List<X509Certificate> certificates(KeyRef key) throws KeyVaultException;

    /**
     * The active key of an owner for signing (messages, evidence, TLS).
     *
     * @throws KeyVaultException {@link KeyVaultException.Reason#NO_ACTIVE_KEY}, or {@code WRONG_PURPOSE} for
     *                           {@link KeyPurpose#ENCRYPTION} (see {@link #decryptionKeys})
     */
    PrivateKeyHandle signingKey(String owner, KeyPurpose purpose) throws KeyVaultException;

    /**
     * The keys that may decrypt an owner's inbound messages: the active encryption key first, then keys in overlap,
     * the most recently active first. Pending and retired keys are not among them; the list may be empty.
     */
    List<PrivateKeyHandle> decryptionKeys(String owner) throws KeyVaultException;

    /** Retires a key now: it no longer signs or decrypts. Retiring a retired key changes nothing. */
    void retire(KeyRef key) throws KeyVaultException;

    /** Whether the keys live in a hardware or software token (PKCS#11) rather than in process memory. */
    boolean hardware();

    /** Forgets the password or PIN held in memory; the vault cannot be used afterwards. */
    @Override
    void close();
}
