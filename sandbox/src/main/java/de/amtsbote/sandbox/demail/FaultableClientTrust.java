package de.amtsbote.sandbox.demail;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The provider's check of client certificates: the client CA's PKIX check, unless {@link Faults} says to refuse every
 * client certificate for a while.
 */
final class FaultableClientTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager trusted;
    private final Faults faults;

    FaultableClientTrust(X509ExtendedTrustManager trusted, Faults faults) {
        this.trusted = trusted;
        this.faults = faults;
    }

    private void refuseIfAsked(X509Certificate[] chain) throws CertificateException {
        if (faults.refusesClientCertificates()) {
            throw new CertificateException("client certificate " + chain[0].getSubjectX500Principal()
                    + " is refused by the provider (fault injection)");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        refuseIfAsked(chain);
        trusted.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        refuseIfAsked(chain);
        trusted.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        refuseIfAsked(chain);
        trusted.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("the provider is a TLS server only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("the provider is a TLS server only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("the provider is a TLS server only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trusted.getAcceptedIssuers();
    }
}
