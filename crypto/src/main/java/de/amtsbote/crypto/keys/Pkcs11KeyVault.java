package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.keys.KeyVaultException.Reason;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys in a PKCS#11 token (an HSM, a smart card, SoftHSM) through the JDK's SunPKCS11, configured here rather than
 * in {@code java.security}. Keys are generated inside the token as token objects, sensitive and never extractable;
 * each is found by its alias (the {@code CKA_ID} of the key and the {@code CKA_LABEL} of its certificate). The key
 * ledger is a file given at opening, because PKCS#11 has no portable place for it; keep it with the gateway's
 * configuration (and back it up with it).
 *
 * <p>PKCS#11 login belongs to the process: {@link #close} forgets the PIN but does not log out, because another vault
 * on the same token in the same process would be logged out with it.
 */
public final class Pkcs11KeyVault extends LedgerKeyVault {

    private final Pkcs11Token token;

    private Pkcs11KeyVault(Pkcs11Token token, KeyLedger ledger, AlgorithmPolicy policy, Clock clock) {
        super(ledger, policy, clock);
        this.token = token;
    }

    /**
     * Logs in to the token with the PIN from {@code pin} and opens the ledger (created on the first change).
     *
     * @throws KeyVaultException {@link Reason#WRONG_SECRET} if the token refuses the PIN,
     *                           {@link Reason#STORE_UNAVAILABLE} if library, slot or token cannot be reached
     */
    public static Pkcs11KeyVault open(Pkcs11Config config, SecretSource pin, Path ledger, AlgorithmPolicy policy,
                                      Clock clock) throws KeyVaultException {
        Pkcs11Token token = Pkcs11Token.login(config, pin);
        try {
            Pkcs11KeyVault vault = new Pkcs11KeyVault(token, KeyLedger.open(ledger, config.describe()), policy, clock);
            vault.requireLedgerKeysInStore();
            return vault;
        } catch (KeyVaultException | RuntimeException e) {
            token.forgetPin();
            throw e;
        }
    }

    @Override
    public boolean hardware() {
        return true;
    }

    // ------------------------------------------------------------------ store

    @Override
    void refreshStore(boolean ledgerChanged) {
        if (ledgerChanged) {
            // another process changed the ledger, and so probably the token: read its objects again
            token.changed();
        }
    }

    @Override
    boolean storeContains(String alias) throws KeyVaultException {
        try {
            return token.operationsStore().containsAlias(alias);
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    PublicKey generateInStore(String alias, KeyPurpose purpose, KeySpec spec) throws CryptoException {
        Provider provider = token.generator(purpose);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(spec.type(), provider);
            if (spec.type().equals("RSA")) {
                generator.initialize(new RSAKeyGenParameterSpec(spec.bits(), RSAKeyGenParameterSpec.F4));
            } else {
                generator.initialize(new ECGenParameterSpec(KeySpec.bcCurveName(spec.curve())));
            }
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure("cannot generate a " + spec + " key in", e);
        }
        PrivateKey key = pair.getPrivate();
        X509Certificate placeholder = placeholder(alias, pair.getPublic(), (s, data) -> {
            try {
                Signature signature = JcaNames.signature(s, provider);
                signature.initSign(key);
                signature.update(data);
                return signature.sign();
            } catch (GeneralSecurityException | ProviderException e) {
                throw new KeyOperationException("new token key " + alias + " could not sign its placeholder: "
                        + Pkcs11Token.causes(e), e);
            }
        });
        try {
            token.generatorStore(purpose).setKeyEntry(alias, key, null, new Certificate[] {placeholder});
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure("cannot store key " + alias + " in", e);
        } finally {
            token.changed();
        }
        return placeholder.getPublicKey();
    }

    @Override
    List<X509Certificate> storedChain(String alias) throws KeyVaultException {
        try {
            KeyStore store = token.operationsStore();
            Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias) : null;
            if (chain == null) {
                return null;
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : chain) {
                certificates.add((X509Certificate) c);
            }
            return List.copyOf(certificates);
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    void storeChain(String alias, List<X509Certificate> chain) throws KeyVaultException {
        try {
            KeyStore store = token.operationsStore();
            // SunPKCS11 finds the existing entry by its public key and replaces only the certificates
            store.setKeyEntry(alias, privateKey(alias), null, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure("cannot store the certificate of key " + alias + " in", e);
        } finally {
            token.changed();
        }
    }

    @Override
    PrivateKeyHandle loadHandle(KeyRef ref, List<X509Certificate> chain) throws KeyVaultException {
        return new Pkcs11KeyHandle(ref, token, token.operations(), privateKey(ref.id()), chain);
    }

    @Override
    String describe() {
        return token.describe();
    }

    @Override
    void forgetSecrets() {
        token.forgetPin();
    }

    private PrivateKey privateKey(String alias) throws KeyVaultException {
        try {
            Key key = token.operationsStore().getKey(alias, null);
            if (!(key instanceof PrivateKey)) {
                throw new KeyVaultException(Reason.STORE_FAILURE, describe() + " holds no private key " + alias);
            }
            return (PrivateKey) key;
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure("cannot read key " + alias + " from", e);
        }
    }

    private KeyVaultException failure(String what, Exception e) {
        return new KeyVaultException(Reason.STORE_FAILURE, what + " " + describe() + ": " + Pkcs11Token.causes(e), e);
    }
}
