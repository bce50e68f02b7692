package de.amtsbote.adapter.bebpo;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The channel's one HTTP client (the JDK's), for the directory and the intermediaries. TLS 1.3 and 1.2 only; with
 * {@code trust-pem} the servers' certificates must chain to those anchors, otherwise to the JDK's trust store. No
 * client certificate: OSCI authenticates the caller by the client signature in every request.
 */
final class HttpClients {

    private HttpClients() {
    }

    static HttpClient create(List<X509Certificate> anchors, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        builder.sslParameters(parameters);
        if (!anchors.isEmpty()) {
            builder.sslContext(context(anchors));
        }
        return builder.build();
    }

    private static SSLContext context(List<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("amtsbote.channels.bebpo.trust-pem cannot be used as TLS trust"
                    + " anchors: " + e.getMessage(), e);
        }
    }
}
