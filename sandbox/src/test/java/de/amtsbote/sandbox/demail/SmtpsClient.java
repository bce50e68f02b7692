package de.amtsbote.sandbox.demail;

import de.amtsbote.crypto.pki.Pem;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A raw SMTPS client over a real TLS socket with a client certificate, to see the provider's exact replies. */
final class SmtpsClient implements AutoCloseable {

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    final String greeting;

    private SmtpsClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.greeting = reply();
    }

    /** Connects with this client certificate (null: none), trusting {@code anchor} for the server. */
    static SmtpsClient connect(int port, Path certificate, Path key, Path anchor) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = null;
            if (certificate != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<X509Certificate> chain = Pem.readCertificates(certificate);
                ks.setKeyEntry("client", Pem.readTestPrivateKey(key), new char[0], chain.toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", Pem.readCertificates(anchor).get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            s.setSoTimeout(20_000);
            s.startHandshake();
            return new SmtpsClient(s);
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Sends a command line and returns the reply (the last line of a multi-line reply, with its code). */
    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** EHLO, MAIL, RCPT, DATA with {@code message}: the first reply that is not positive, or the final one. */
    String send(String from, String to, byte[] message) throws IOException {
        String r = command("EHLO gateway.test");
        if (!r.startsWith("250")) {
            return r;
        }
        return transaction(from, to, message);
    }

    String transaction(String from, String to, byte[] message) throws IOException {
        String r = command("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        r = command("RCPT TO:<" + to + ">");
        if (!r.startsWith("250")) {
            command("RSET");
            return r;
        }
        r = command("DATA");
        if (!r.startsWith("354")) {
            return r;
        }
        return data(message);
    }

    /** Writes the message dot-stuffed and the final dot; returns the reply. */
    String data(byte[] message) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte x : message) {
            if (lineStart && x == '.') {
                b.write('.');
            }
            b.write(x);
            lineStart = x == '\n';
        }
        if (!lineStart) {
            b.write('\r');
            b.write('\n');
        }
        b.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(b.toByteArray());
        out.flush();
        return reply();
    }

    private String reply() throws IOException {
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("the server closed the connection");
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line;
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
