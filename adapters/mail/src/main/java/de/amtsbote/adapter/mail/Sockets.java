package de.amtsbote.adapter.mail;

import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.tls.AdjustingSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sockets with {@code TCP_NODELAY}. SMTP and IMAP are chatty: with Nagle's algorithm and delayed acknowledgements a
 * loopback exchange stalls about 40 ms per command (DEPENDENCIES.md), and Jakarta Mail has no property for the
 * option, so it gets these factories. TLS factories trust the configured PEM anchors, or the JDK's when none are set.
 */
public final class Sockets {

    private Sockets() {
    }

    /** Plain sockets with TCP_NODELAY. */
    public static SocketFactory plain() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
                return s;
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return noDelay(new Socket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return noDelay(new Socket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return noDelay(new Socket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                    throws IOException {
                return noDelay(new Socket(host, port, local, localPort));
            }
        };
    }

    /** TLS sockets (implicit TLS and STARTTLS layering) with TCP_NODELAY, trusting {@code trustPem} if given. */
    public static SSLSocketFactory tls(Path trustPem, String setting) {
        SSLSocketFactory delegate;
        try {
            if (trustPem == null) {
                delegate = (SSLSocketFactory) SSLSocketFactory.getDefault();
            } else {
                List<X509Certificate> anchors = Pem.readCertificates(trustPem);
                if (anchors.isEmpty()) {
                    throw new IllegalArgumentException(setting + " names " + trustPem + ", which holds no certificate");
                }
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < anchors.size(); i++) {
                    store.setCertificateEntry("anchor-" + i, anchors.get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                delegate = context.getSocketFactory();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + ": cannot read the trust anchors in " + trustPem + ": "
                    + e.getMessage(), e);
        }
        return new AdjustingSocketFactory(delegate, Sockets::noDelay);
    }

    /** A server socket whose accepted connections have TCP_NODELAY. */
    public static ServerSocket serverSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                return noDelay(super.accept());
            }
        };
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }
}
