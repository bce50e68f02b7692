package de.amtsbote.adapter.demail;

import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Submits one De-Mail to the provider (wire contract section 2): SMTP over implicit TLS (or STARTTLS) with the
 * gateway's TLS client certificate, one message and one recipient per connection. A small client of its own rather
 * than Jakarta Mail's: De-Mail needs the exact reply of each step (the provider's words become the delivery's reason)
 * and a TLS failure told apart from everything else, since a refused client certificate is the most common
 * misconfiguration and must reach the operator by name.
 *
 * <p>Failures: 4xx, refused or lost connections and timeouts are transient; 5xx is permanent with the provider's
 * words — except {@code 530} (the certificate belongs to no account) and TLS failures, which are the installation's
 * problem, not the message's: transient, so the peer's circuit breaker shows them while deliveries wait.
 */
final class SmtpSubmission {

    private final DeMailSettings.Submission config;
    private final SSLSocketFactory tls;
    private final String heloName;

    SmtpSubmission(DeMailSettings.Submission config, SSLSocketFactory tls) {
        this.config = config;
        this.tls = tls;
        this.heloName = config.heloName() != null ? config.heloName() : localName();
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "amtsbote.invalid";
        }
    }

    String peer() {
        return config.peer();
    }

    /** Sends the mail in {@code file} (headers and body, CRLF) from {@code from} to {@code to}; returns on 250. */
    void submit(Path file, String from, String to) throws TransportException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new TransientTransportException("the spooled mail " + file + " cannot be read: " + e.getMessage(), e);
        }
        String stage = "connect";
        try (Socket socket = connect()) {
            if (socket instanceof SSLSocket ssl) {
                stage = "TLS handshake";
                handshake(ssl);
            }
            Conversation c = new Conversation(socket);
            stage = "greeting";
            c.expect(c.read(), 220, stage);
            stage = "EHLO";
            Reply ehlo = c.command("EHLO " + heloName);
            c.expect(ehlo, 250, stage);
            if (config.tls() == de.amtsbote.adapter.mail.MailSettings.Tls.STARTTLS) {
                stage = "STARTTLS";
                c.expect(c.command("STARTTLS"), 220, stage);
                SSLSocket upgraded = (SSLSocket) tls.createSocket(socket, config.host(), config.port(), true);
                handshake(upgraded);
                c = new Conversation(upgraded);
                stage = "EHLO";
                ehlo = c.command("EHLO " + heloName);
                c.expect(ehlo, 250, stage);
            }
            long limit = ehlo.sizeLimit();
            if (limit > 0 && size > limit) {
                throw new PermanentTransportException("the mail has " + size + " bytes; the De-Mail provider "
                        + peer() + " takes at most " + limit + " (SIZE)");
            }
            stage = "MAIL FROM";
            c.expect(c.command("MAIL FROM:<" + from + ">" + (limit >= 0 ? " SIZE=" + size : "")), 250, stage);
            stage = "RCPT TO";
            c.expect(c.command("RCPT TO:<" + to + ">"), 250, stage);
            stage = "DATA";
            c.expect(c.command("DATA"), 354, stage);
            stage = "end of DATA";
            c.data(file);
            c.expect(c.read(), 250, stage);
            stage = "QUIT";
            c.quit();
        } catch (SSLException e) {
            throw tlsFailure(e, stage);
        } catch (SocketTimeoutException e) {
            throw new TransientTransportException("the De-Mail provider " + peer() + " did not answer within "
                    + config.timeout() + " (" + stage + ")", e);
        } catch (ConnectException | UnknownHostException e) {
            throw new TransientTransportException("cannot connect to the De-Mail provider " + peer() + ": "
                    + e.getMessage(), e);
        } catch (EOFException e) {
            throw new TransientTransportException("the De-Mail provider " + peer() + " closed the connection at "
                    + stage + (stage.equals("greeting") ? " right after the TLS handshake: under TLS 1.3 this is how"
                    + " a server refuses a client certificate — check the certificate of the TLS key of '"
                    + config.clientKeyOwner() + "' in the key vault" : ""), e);
        } catch (IOException e) {
            if (stage.equals("TLS handshake") || stage.equals("STARTTLS")) {
                // the server broke off the handshake without an alert the client could read
                throw tlsFailure(new SSLException(e.toString(), e), stage);
            }
            throw new TransientTransportException("the exchange with the De-Mail provider " + peer() + " failed at "
                    + stage + ": " + e, e);
        }
    }

    private Socket connect() throws IOException {
        Socket socket;
        if (config.tls() == de.amtsbote.adapter.mail.MailSettings.Tls.IMPLICIT) {
            socket = tls.createSocket();
        } else {
            socket = new Socket();
        }
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(config.host(), config.port()),
                    (int) config.connectTimeout().toMillis());
            socket.setSoTimeout((int) config.timeout().toMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(SSLSocket socket) throws IOException {
        SSLParameters p = socket.getSSLParameters();
        // the provider's name is checked against its certificate, as for HTTPS
        p.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(p);
        socket.startHandshake();
    }

    private TransientTransportException tlsFailure(SSLException e, String stage) {
        String text = String.valueOf(e.getMessage());
        String lower = text.toLowerCase(Locale.ROOT);
        boolean serverUntrusted = lower.contains("pkix") || lower.contains("certification path")
                || lower.contains("subject alternative") || lower.contains("no name matching");
        if (serverUntrusted) {
            return new TransientTransportException("the TLS certificate of the De-Mail provider " + peer()
                    + " is not trusted (amtsbote.channels.demail.submission.trust-pem): " + text, e);
        }
        return new TransientTransportException("the De-Mail provider " + peer() + " refused the TLS connection ("
                + stage + "): the gateway's client certificate — the TLS key of '" + config.clientKeyOwner()
                + "' in the key vault — is missing, expired, or not registered with the provider: " + text, e);
    }

    /** One SMTP reply: its code and its lines' text. */
    record Reply(int code, List<String> lines) {
        String text() {
            return code + " " + String.join(" ", lines);
        }

        /** The SIZE limit announced in an EHLO reply: the number, 0 for SIZE without one, -1 when not announced. */
        long sizeLimit() {
            for (String l : lines) {
                String[] words = l.trim().split("\\s+");
                if (words.length > 0 && words[0].equalsIgnoreCase("SIZE")) {
                    try {
                        return words.length > 1 ? Long.parseLong(words[1]) : 0;
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
            return -1;
        }
    }

    /** The command-reply exchange on one socket. */
    private final class Conversation {
        private final InputStream in;
        private final OutputStream out;

        Conversation(Socket socket) throws IOException {
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        Reply command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read();
        }

        Reply read() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = line();
                if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    throw new IOException("the provider's reply '" + line + "' is not SMTP");
                }
                int code = Integer.parseInt(line.substring(0, 3));
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) != '-') {
                    return new Reply(code, lines);
                }
                if (lines.size() > 200) {
                    throw new IOException("the provider's reply has more than 200 lines");
                }
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int n = b.length();
                    return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
                }
                if (b.length() > 4096) {
                    throw new IOException("the provider's reply line is longer than 4096 characters");
                }
                b.append((char) c);
            }
            throw new EOFException("connection closed");
        }

        void expect(Reply reply, int wanted, String stage) throws TransportException {
            if (reply.code() == wanted) {
                return;
            }
            String words = reply.text();
            if (reply.code() == 530) {
                throw new TransientTransportException("the De-Mail provider " + peer() + " accepted the TLS client"
                        + " certificate of '" + config.clientKeyOwner() + "' but knows no account for it (" + stage
                        + "): " + words + " — register the certificate with the provider");
            }
            if (reply.code() >= 500) {
                throw new PermanentTransportException("the De-Mail provider " + peer() + " refused the mail at "
                        + stage + ": " + words);
            }
            throw new TransientTransportException("the De-Mail provider " + peer() + " deferred the mail at " + stage
                    + ": " + words);
        }

        /** The mail with dot-stuffing (RFC 5321 4.5.2), then the terminating dot line. */
        void data(Path file) throws IOException {
            try (InputStream mail = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
                boolean lineStart = true;
                int previous = -1;
                int b;
                while ((b = mail.read()) >= 0) {
                    if (lineStart && b == '.') {
                        out.write('.');
                    }
                    out.write(b);
                    lineStart = b == '\n';
                    previous = b;
                }
                if (previous != '\n') {
                    out.write(new byte[] {'\r', '\n'});
                }
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void quit() {
            try {
                command("QUIT");
            } catch (IOException e) {
                // the mail is accepted; a lost QUIT changes nothing
            }
        }
    }
}
