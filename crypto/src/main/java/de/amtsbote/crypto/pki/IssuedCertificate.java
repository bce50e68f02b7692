package de.amtsbote.crypto.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate the test/demo PKI issued, with its key pair where the PKI generated it (null when it certified a
 * CSR: then the key stays in its store). Test and demo material only: production keys come from key stores.
 */
public final class IssuedCertificate {

    private final KeyPair keyPair;
    private final List<X509Certificate> chain;

    IssuedCertificate(KeyPair keyPair, List<X509Certificate> chain) {
        this.keyPair = keyPair;
        this.chain = List.copyOf(chain);
        Objects.requireNonNull(chain.get(0));
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificate, then its issuers up to and including the root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The generated key pair; null for a certificate issued to a CSR. */
    public KeyPair keyPair() {
        return keyPair;
    }

    public PrivateKey privateKey() {
        if (keyPair == null) {
            throw new IllegalStateException("the key of " + certificate().getSubjectX500Principal()
                    + " is in its key store, not here");
        }
        return keyPair.getPrivate();
    }

    @Override
    public String toString() {
        return "issued " + certificate().getSubjectX500Principal().getName() + " serial "
                + certificate().getSerialNumber().toString(16);
    }
}
