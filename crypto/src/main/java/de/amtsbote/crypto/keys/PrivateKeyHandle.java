package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key that can be used but never read: the operations CMS and XML security need, done wherever the key
 * lives (in memory from a PKCS#12 file, or inside a PKCS#11 token). Implementations never expose key material, and
 * their {@code toString} names the key, not its value.
 *
 * <p>The operations are the primitives below the message formats, so that CMS and XML code has one path for software
 * and hardware keys: some tokens cannot do RSA-OAEP or hand out an ECDH secret through the JDK's names, and the
 * handle hides how it gets there.
 */
public interface PrivateKeyHandle {

    /** Which key this is. */
    KeyRef ref();

    /** The key's certificate. */
    X509Certificate certificate();

    /** The certificate chain from the key's certificate up to (excluding or including) the root. */
    List<X509Certificate> chain();

    /** Whether the key lives in a hardware or software token (PKCS#11) rather than in process memory. */
    boolean hardware();

    /**
     * Signs {@code data} (the DER of CMS signed attributes, an XML SignedInfo: small, never a payload) with the given
     * scheme; for RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest. ECDSA signatures are
     * returned DER-encoded.
     */
    byte[] sign(SignatureSpec spec, byte[] data) throws KeyOperationException;

    /** Decrypts an RSAES-OAEP encrypted content key (OAEP and MGF1 over {@code digest}, empty label). */
    byte[] decryptOaep(byte[] encryptedKey, Algorithm digest) throws KeyOperationException;

    /**
     * Decrypts a legacy RSA PKCS#1 v1.5 encrypted content key with implicit rejection: a wrong padding yields random
     * bytes of {@code expectedLength} instead of an error, so the caller's later integrity failure is the only signal
     * (no Bleichenbacher oracle, TR-03116-4 4.2).
     */
    byte[] decryptPkcs1v15(byte[] encryptedKey, int expectedLength) throws KeyOperationException;

    /** The raw ECDH shared secret Z with the other party's (ephemeral) public key, for a KDF to turn into a KEK. */
    byte[] agree(PublicKey otherPublicKey) throws KeyOperationException;

    /**
     * The JCA view of the key, for libraries that insist on one (Santuario, TLS key managers). It is a handle: for
     * token keys it holds no key material. Callers must not encode, serialise or log it.
     */
    PrivateKey jcaKey();

    /** The provider that performs operations with {@link #jcaKey()}. */
    Provider jcaProvider();
}
