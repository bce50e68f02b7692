package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;

/**
 * A private key held in process memory (loaded from a PKCS#12 file, or generated for tests). Operations run in
 * Bouncy Castle, which also covers brainpool curves that newer JDKs dropped.
 */
public final class SoftwareKeyHandle extends KeyHandleBase {

    public SoftwareKeyHandle(KeyRef ref, PrivateKey key, List<X509Certificate> chain) {
        super(ref, key, Providers.bouncyCastle(), chain);
    }

    @Override
    String kind() {
        return "key";
    }

    @Override
    public boolean hardware() {
        return false;
    }

    @Override
    public byte[] decryptOaep(byte[] encryptedKey, Algorithm digest) throws KeyOperationException {
        // the same decoding as for token keys: one path, with the ciphertext checked against the modulus first
        return RsaDecoding.oaep(this::rawRsa, rsaKey().getModulus(), digest, encryptedKey, ref.toString());
    }

    @Override
    public byte[] decryptPkcs1v15(byte[] encryptedKey, int expectedLength) throws KeyOperationException {
        // raw RSA, then the padding check of RsaDecoding: implicit rejection without an exception path to time
        return RsaDecoding.pkcs1v15(this::rawRsa, rsaKey().getModulus(), encryptedKey, expectedLength, ref.toString());
    }

    private RSAKey rsaKey() throws KeyOperationException {
        if (!(key instanceof RSAKey rsa)) {
            throw new KeyOperationException("key " + ref + " is not an RSA key; it does not decrypt RSA");
        }
        return rsa;
    }

    private byte[] rawRsa(byte[] ciphertext) throws KeyOperationException {
        try {
            Cipher c = Cipher.getInstance(JcaNames.RAW_RSA, Providers.bouncyCastle());
            c.init(Cipher.DECRYPT_MODE, key);
            return c.doFinal(ciphertext);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Bouncy Castle reports some bad inputs as unchecked DataLengthException
            throw new KeyOperationException("key " + ref + " could not do the RSA operation: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] agree(PublicKey otherPublicKey) throws KeyOperationException {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH", Providers.bouncyCastle());
            ka.init(key);
            ka.doPhase(otherPublicKey, true);
            return ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new KeyOperationException("key " + ref + " could not agree on an ECDH secret: " + e.getMessage(), e);
        }
    }

}
