package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.policy.SignatureSpec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** What every key handle shares: its name, certificate chain, JCA key and provider, and how it signs. */
abstract class KeyHandleBase implements PrivateKeyHandle {

    final KeyRef ref;
    final PrivateKey key;
    final Provider provider;
    private final List<X509Certificate> chain;

    KeyHandleBase(KeyRef ref, PrivateKey key, Provider provider, List<X509Certificate> chain) {
        this.ref = Objects.requireNonNull(ref, "ref");
        this.key = Objects.requireNonNull(key, "key");
        this.provider = Objects.requireNonNull(provider, "provider");
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("key " + ref + " needs at least its own certificate");
        }
        this.chain = List.copyOf(chain);
    }

    /** "key" or "token key", for messages. */
    abstract String kind();

    /** A failure's cause as a person reads it (tokens nest theirs). */
    String describe(Exception e) {
        return e.getMessage();
    }

    @Override
    public final KeyRef ref() {
        return ref;
    }

    @Override
    public final X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public final List<X509Certificate> chain() {
        return chain;
    }

    @Override
    public final byte[] sign(SignatureSpec spec, byte[] data) throws KeyOperationException {
        try {
            Signature s = JcaNames.signature(spec, provider);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyOperationException(kind() + " " + ref + " could not sign with " + spec.displayName() + ": "
                    + describe(e), e);
        }
    }

    @Override
    public final PrivateKey jcaKey() {
        return key;
    }

    @Override
    public final Provider jcaProvider() {
        return provider;
    }

    @Override
    public String toString() {
        return kind() + " " + ref + " (" + certificate().getSubjectX500Principal().getName() + ")";
    }
}
