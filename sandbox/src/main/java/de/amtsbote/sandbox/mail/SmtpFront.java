package de.amtsbote.sandbox.mail;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP side of the sandbox mail server: SubEthaSMTP on 127.0.0.1, delivering into the GreenMail mailboxes that
 * IMAP serves. GreenMail's own SMTP refuses the null reverse-path ({@code MAIL FROM:<>}, GreenMail issue #28), which
 * RFC 8098 asks of every MDN and RFC 5321 of every DSN, so the gateway's receipts to the peers would bounce. Mail for
 * an address that is not a peer is refused at RCPT, as a real mail server does.
 */
final class SmtpFront {

    /** Larger mail is refused at DATA: GreenMail keeps every mailbox in memory. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final Session SESSION = Session.getInstance(new Properties());

    private final SMTPServer server;

    SmtpFront(int port, UserManager users) throws IOException {
        this.server = SMTPServer.port(port).bindAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))
                .hostName("sandbox-mail-peers.localhost").softwareName("Amtsbote sandbox mail peers")
                .maxMessageSize(MAX_MESSAGE_BYTES).connectionTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                .simpleMessageListener(new Delivery(users)).build();
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    void stop() {
        server.stop();
    }

    private record Delivery(UserManager users) implements SimpleMessageListener {
        @Override
        public boolean accept(String from, String recipient) {
            return users.getUserByEmail(recipient) != null;
        }

        @Override
        public void deliver(String from, String recipient, InputStream data) throws IOException {
            GreenMailUser user = users.getUserByEmail(recipient);
            // the final MTA records the envelope sender (RFC 5321 4.4); "<>" for receipts and bounces
            byte[] returnPath = ("Return-Path: <" + MimeText.oneLine(from) + ">\r\n").getBytes(StandardCharsets.UTF_8);
            try {
                user.deliver(new MimeMessage(SESSION, new SequenceInputStream(new ByteArrayInputStream(returnPath),
                        data)));
            } catch (MessagingException | IllegalStateException e) {
                // the client sees the connection fail and tries again later, as after any transient failure
                throw new IOException("cannot store the mail for " + recipient + ": " + e.getMessage(), e);
            }
        }
    }
}
