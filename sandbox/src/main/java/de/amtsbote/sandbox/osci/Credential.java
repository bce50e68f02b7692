package de.amtsbote.sandbox.osci;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/** A certificate chain (leaf first) and, when the sandbox holds it, its private key. */
record Credential(List<X509Certificate> chain, PrivateKeyHandle key) {

    Credential {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs a certificate");
        }
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    String subject() {
        return certificate().getSubjectX500Principal().getName();
    }

    static List<X509Certificate> certificates(Path pem) throws IOException {
        try {
            return Pem.readCertificates(pem);
        } catch (CertificateException e) {
            throw new IOException("cannot read the certificate(s) in " + pem + ": " + e.getMessage(), e);
        }
    }

    /** Reads the PEM files; {@code key} may be null (a certificate only). */
    static Credential load(Path certificate, Path key, String owner, KeyPurpose purpose) throws IOException {
        if (certificate == null) {
            return null;
        }
        List<X509Certificate> chain = certificates(certificate);
        if (key == null) {
            return new Credential(chain, null);
        }
        String safe = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        safe = safe.length() > 100 ? safe.substring(0, 100) : safe;
        KeyRef ref = new KeyRef(safe, purpose, safe + "." + purpose.name().toLowerCase(Locale.ROOT));
        return new Credential(chain, new SoftwareKeyHandle(ref, Pem.readTestPrivateKey(key), chain));
    }
}
