package de.amtsbote.crypto.tls;

import de.amtsbote.crypto.keys.KeyVault;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS client connections that authenticate with a key from the key vault (the De-Mail provider's SMTP and IMAP
 * login by client certificate, TR 01201 1.2), trusting only the given anchors, with TLS 1.3 and 1.2 only
 * (BSI TR-03116-4: older versions must not be used). The cipher suites are the JDK's defaults for these versions.
 */
public final class TlsClients {

    /** The protocol versions offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsClients() {
    }

    /**
     * An SSL context presenting the owner's TLS key and chain, trusting {@code trustAnchors} (the JDK's trust store
     * when empty). Sockets made from it directly must be limited to {@link #PROTOCOLS}; {@link #socketFactory} does.
     */
    public static SSLContext context(KeyVault keys, String owner, Collection<X509Certificate> trustAnchors)
            throws GeneralSecurityException {
        TrustManager[] trust = null;
        if (!trustAnchors.isEmpty()) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException("an empty key store cannot be made", e);
            }
            int i = 0;
            for (X509Certificate anchor : trustAnchors) {
                store.setCertificateEntry("anchor-" + i++, anchor);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            trust = tmf.getTrustManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new VaultKeyManager(keys, owner)}, trust, null);
        return context;
    }

    /** Sockets from {@link #context}, limited to TLS 1.3 and 1.2. */
    public static SSLSocketFactory socketFactory(KeyVault keys, String owner, Collection<X509Certificate> trustAnchors)
            throws GeneralSecurityException {
        return new AdjustingSocketFactory(context(keys, owner, trustAnchors).getSocketFactory(), s -> {
            if (s instanceof SSLSocket ssl) {
                ssl.setEnabledProtocols(PROTOCOLS.toArray(String[]::new));
            }
            return s;
        });
    }
}
