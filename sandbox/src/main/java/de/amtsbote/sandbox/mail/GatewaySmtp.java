package de.amtsbote.sandbox.mail;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.net.SocketFactory;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * Hands mail to the gateway's inbound SMTP listener with Jakarta Mail (Angus). The message is sent exactly as it was
 * written to its file: it is never re-encoded (a signature covers its bytes), and streamed from the file.
 */
final class GatewaySmtp {

    private final Session session;

    GatewaySmtp(String host, int port, String heloName) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.localhost", heloName);
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "30000");
        // Loopback SMTP with Nagle's algorithm stalls ~40 ms per exchange against delayed ACKs (DEPENDENCIES.md).
        p.put("mail.smtp.socketFactory", new NoDelaySockets());
        p.put("mail.smtp.socketFactory.fallback", "false");
        this.session = Session.getInstance(p);
    }

    /**
     * Sends the mail in {@code file}.
     *
     * @param envelopeFrom the SMTP MAIL FROM; null for the null reverse-path {@code <>} that receipts use (RFC 8098:
     *                     nobody is to answer a receipt with a bounce)
     * @param recipients   the SMTP RCPT TO addresses
     */
    void send(Path file, String envelopeFrom, List<String> recipients) throws MessagingException, IOException {
        SharedFileInputStream in = new SharedFileInputStream(file.toFile());
        try {
            SMTPMessage message = new SMTPMessage(session, in);
            message.setEnvelopeFrom(envelopeFrom == null ? "<>" : envelopeFrom);
            Address[] to = new Address[recipients.size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = new InternetAddress(recipients.get(i), true);
            }
            // Transport.send would call saveChanges(), which rewrites headers and re-encodes parts: not here.
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
                transport.sendMessage(message, to);
            }
        } finally {
            in.close();
        }
    }

    /** Plain sockets with TCP_NODELAY; Jakarta Mail connects them itself, with its connect timeout. */
    static final class NoDelaySockets extends SocketFactory {
        @Override
        public Socket createSocket() throws SocketException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = new Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            Socket s = new Socket(host, port, localHost, localPort);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = new Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            Socket s = new Socket(address, port, localAddress, localPort);
            s.setTcpNoDelay(true);
            return s;
        }
    }
}
