package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.RevocationResponder;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/**
 * A CA of the test PKI together with the loopback responder that publishes its revocation status; what it issues
 * names that responder as CRL distribution point and OCSP responder.
 */
final class LocalCa implements AutoCloseable {

    private final CertificateAuthority ca;
    private final RevocationResponder responder;
    private final Clock responderClock;

    private LocalCa(CertificateAuthority ca, Clock responderClock) throws IOException {
        this.ca = ca;
        this.responderClock = responderClock;
        this.responder = RevocationResponder.start(ca, responderClock);
    }

    /** A root CA issuing with {@code caClock}; its responder dates answers by {@code responderClock}. */
    static LocalCa root(String cn, KeySpec key, Clock caClock, Clock responderClock)
            throws GeneralSecurityException, IOException {
        return new LocalCa(CertificateAuthority.root(cn, key, caClock), responderClock);
    }

    /** A root CA that signs with RSA PKCS#1 v1.5, as most real CAs do. */
    static LocalCa legacyRoot(String cn, KeySpec key, Clock caClock, Clock responderClock)
            throws GeneralSecurityException, IOException {
        return new LocalCa(CertificateAuthority.root(cn, key, caClock, true), responderClock);
    }

    /** An intermediate CA, valid five years, whose status this CA's responder publishes. */
    LocalCa intermediate(String cn, KeySpec key) throws GeneralSecurityException, IOException {
        return intermediate(request(cn).key(key).validFor(Duration.ofDays(1825)));
    }

    LocalCa intermediate(IssueRequest request) throws GeneralSecurityException, IOException {
        return new LocalCa(ca.intermediate(request), responderClock);
    }

    /** A request that names this CA's responder for CRL and OCSP. */
    IssueRequest request(String cn) {
        return IssueRequest.named(cn).crl(responder.crlUrl()).ocsp(responder.ocspUrl());
    }

    IssuedCertificate issue(String cn, CertificateProfile profile, KeySpec key) throws GeneralSecurityException {
        return ca.issue(request(cn).profile(profile).key(key));
    }

    IssuedCertificate issue(IssueRequest request) throws GeneralSecurityException {
        return ca.issue(request);
    }

    X509Certificate certificate() {
        return ca.certificate();
    }

    CertificateAuthority authority() {
        return ca;
    }

    RevocationResponder responder() {
        return responder;
    }

    @Override
    public void close() {
        responder.close();
    }
}
