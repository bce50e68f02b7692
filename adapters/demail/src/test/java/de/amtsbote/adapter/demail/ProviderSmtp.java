package de.amtsbote.adapter.demail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The provider's submission port for the tests: a real SMTPS server on 127.0.0.1 that demands a TLS client
 * certificate chaining to its client CA, records each mail's bytes (dot-stuffing removed) and answers every command
 * with 250, or with a scripted reply ({@link #reply}) to provoke the provider's refusals.
 */
final class ProviderSmtp implements AutoCloseable {

    /** A mail as the provider received it. */
    record Received(String mailFrom, String rcptTo, byte[] data, String clientCertificate) {
        String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> handshakeFailures = new CopyOnWriteArrayList<>();
    /** Replies by command verb ({@code MAIL}, {@code RCPT}, {@code DATA}) or {@code END} (after the data). */
    final Map<String, String> replies = new ConcurrentHashMap<>();
    private final SSLServerSocket server;
    private final Thread thread;

    ProviderSmtp(X509Certificate serverCertificate, PrivateKey serverKey, X509Certificate clientCa) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverKey, "x".toCharArray(), new X509Certificate[] {serverCertificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, "x".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("client-ca", clientCa);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 10,
                InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        thread = new Thread(this::serve, "provider-smtps");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    ProviderSmtp reply(String verb, String reply) {
        replies.put(verb, reply);
        return this;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(10_000);
                try {
                    s.startHandshake();
                } catch (IOException e) {
                    handshakeFailures.add(String.valueOf(e.getMessage()));
                    continue;
                }
                session(s, ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName());
            } catch (IOException e) {
                // closed, or a client that went away: the next connection is served
            }
        }
    }

    private void session(Socket s, String client) throws IOException {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        send(out, "220 dmda-a.de-mail.de ESMTP test provider");
        String from = null;
        String to = null;
        while (true) {
            String line = line(in);
            if (line == null) {
                return;
            }
            String verb = line.split("[ :]", 2)[0].toUpperCase();
            String scripted = replies.get(verb);
            switch (verb) {
                case "EHLO" -> send(out, "250-dmda-a.de-mail.de\r\n250-SIZE 20971520\r\n250 8BITMIME");
                case "MAIL" -> {
                    from = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    send(out, scripted != null ? scripted : "250 2.1.0 ok");
                }
                case "RCPT" -> {
                    to = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    send(out, scripted != null ? scripted : "250 2.1.5 ok");
                }
                case "DATA" -> {
                    if (scripted != null) {
                        send(out, scripted);
                        continue;
                    }
                    send(out, "354 go ahead");
                    byte[] data = data(in);
                    String end = replies.get("END");
                    if (end == null) {
                        received.add(new Received(from, to, data, client));
                    }
                    send(out, end != null ? end : "250 2.0.0 accepted");
                }
                case "QUIT" -> {
                    send(out, "221 bye");
                    return;
                }
                default -> send(out, "502 5.5.1 unknown command");
            }
        }
    }

    private static byte[] data(InputStream in) throws IOException {
        ByteArrayOutputStream mail = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            byte[] l = line.toByteArray();
            if (b < 0 || new String(l, StandardCharsets.ISO_8859_1).equals(".\r\n")) {
                return mail.toByteArray();
            }
            int skip = l.length > 0 && l[0] == '.' ? 1 : 0;
            mail.write(l, skip, l.length - skip);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return c < 0 && b.length() == 0 ? null : b.toString();
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
