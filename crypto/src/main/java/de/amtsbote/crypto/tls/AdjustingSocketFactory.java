package de.amtsbote.crypto.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that hands every socket it makes through one adjustment first (limit the protocols,
 * switch on {@code TCP_NODELAY}), because libraries such as Jakarta Mail take a factory, not a socket.
 */
public final class AdjustingSocketFactory extends SSLSocketFactory {

    /** What to do to each socket before it is used. */
    @FunctionalInterface
    public interface Adjustment {
        Socket apply(Socket socket) throws IOException;
    }

    private final SSLSocketFactory d;
    private final Adjustment adjust;

    public AdjustingSocketFactory(SSLSocketFactory delegate, Adjustment adjustment) {
        this.d = delegate;
        this.adjust = adjustment;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return d.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return d.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return adjust.apply(d.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return adjust.apply(d.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return adjust.apply(d.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
        return adjust.apply(d.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return adjust.apply(d.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
        return adjust.apply(d.createSocket(host, port, local, localPort));
    }
}
