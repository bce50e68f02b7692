package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;

/**
 * A private key inside a PKCS#11 token, used through the JDK's SunPKCS11; the key never leaves the token.
 *
 * <ul>
 *   <li>Signatures (RSASSA-PSS, ECDSA) are the token's.</li>
 *   <li>RSA decryption is a raw RSA operation in the token ({@code CKM_RSA_X_509}) with the padding checked in
 *       software: SunPKCS11 offers no RSAES-OAEP for token keys, and tokens such as SoftHSM 2.6 do OAEP only with
 *       SHA-1. OAEP is decoded by Bouncy Castle's OAEP encoding, PKCS#1 v1.5 with implicit rejection without
 *       branching on the decrypted block ({@link RsaDecoding}).</li>
 *   <li>ECDH is the token's {@code CKM_ECDH1_DERIVE} into a short-lived session secret of the field's length, which
 *       is read out as Z for the caller's KDF.</li>
 * </ul>
 * Only {@link KeyPurpose#ENCRYPTION} keys decrypt or agree (the token refuses it for others too: their templates
 * leave decryption and derivation off). Every key signs, because a certificate request is signed by its own key.
 */
public final class Pkcs11KeyHandle extends KeyHandleBase {

    private final Pkcs11Token token;
    private final Map<Integer, PrivateKey> derivationKeys = new HashMap<>();

    Pkcs11KeyHandle(KeyRef ref, Pkcs11Token token, Provider provider, PrivateKey key, List<X509Certificate> chain) {
        super(ref, key, provider, chain);
        this.token = Objects.requireNonNull(token, "token");
    }

    @Override
    String kind() {
        return "token key";
    }

    @Override
    String describe(Exception e) {
        return Pkcs11Token.causes(e);
    }

    @Override
    public boolean hardware() {
        return true;
    }

    @Override
    public byte[] decryptOaep(byte[] encryptedKey, Algorithm digest) throws KeyOperationException {
        requireDecryptionKey("decrypt");
        return RsaDecoding.oaep(this::rawRsa, modulus(), digest, encryptedKey, ref.toString());
    }

    @Override
    public byte[] decryptPkcs1v15(byte[] encryptedKey, int expectedLength) throws KeyOperationException {
        requireDecryptionKey("decrypt");
        return RsaDecoding.pkcs1v15(this::rawRsa, modulus(), encryptedKey, expectedLength, ref.toString());
    }

    @Override
    public byte[] agree(PublicKey otherPublicKey) throws KeyOperationException {
        requireDecryptionKey("agree on a key");
        if (!(certificate().getPublicKey() instanceof ECPublicKey own)) {
            throw new KeyOperationException("token key " + ref + " is not an EC key; it does not do ECDH");
        }
        if (!(otherPublicKey instanceof ECPublicKey other) || !sameCurve(own.getParams(), other.getParams())) {
            throw new KeyOperationException("the other party's key is not on the curve of token key " + ref);
        }
        int length = (own.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        try {
            KeyAgreement agreement = KeyAgreement.getInstance(JcaNames.ECDH, token.derivation(length));
            agreement.init(derivationKey(length));
            agreement.doPhase(otherPublicKey, true);
            byte[] z = agreement.generateSecret();
            if (z.length != length) {
                throw new KeyOperationException("token key " + ref + " derived " + z.length + " bytes of ECDH secret"
                        + " for a " + length + "-byte field");
            }
            return z;
        } catch (GeneralSecurityException | ProviderException | IllegalStateException e) {
            throw new KeyOperationException("token key " + ref + " could not agree on an ECDH secret: "
                    + Pkcs11Token.causes(e), e);
        } catch (KeyVaultException e) {
            throw new KeyOperationException("token key " + ref + " is not available for ECDH: " + e.getMessage(), e);
        }
    }

    private byte[] rawRsa(byte[] ciphertext) throws KeyOperationException {
        try {
            Cipher cipher = Cipher.getInstance(JcaNames.RAW_RSA, provider);
            cipher.init(Cipher.DECRYPT_MODE, key);
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyOperationException("token key " + ref + " refused the RSA operation: "
                    + Pkcs11Token.causes(e), e);
        }
    }

    private BigInteger modulus() throws KeyOperationException {
        if (!(certificate().getPublicKey() instanceof RSAPublicKey rsa)) {
            throw new KeyOperationException("token key " + ref + " is not an RSA key; it does not decrypt RSA");
        }
        return rsa.getModulus();
    }

    private void requireDecryptionKey(String what) throws KeyOperationException {
        if (ref.purpose() != KeyPurpose.ENCRYPTION) {
            throw new KeyOperationException("token key " + ref + " is a " + ref.purpose() + " key; only "
                    + KeyPurpose.ENCRYPTION + " keys " + what);
        }
    }

    private synchronized PrivateKey derivationKey(int length) throws KeyVaultException {
        PrivateKey k = derivationKeys.get(length);
        if (k == null) {
            k = token.derivationKey(ref.id(), length);
            derivationKeys.put(length, k);
        }
        return k;
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator())
                && a.getOrder().equals(b.getOrder()) && a.getCofactor() == b.getCofactor();
    }
}
