package de.amtsbote.adapter.smime;

import de.amtsbote.adapter.mail.Sockets;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * The SMTP relay all outbound mail goes to, with a small pool of connections kept open between mails (a new
 * connection with TLS and authentication costs more than the mail). Thread-safe: at most {@code relay.pool-size}
 * mails are sent at once; further callers wait for a connection up to the connect timeout.
 *
 * <p>Failures: a reply code 4xx, a refused or lost connection and a timeout are transient (the gateway retries; the
 * Message-ID stays the same, so a peer recognises a mail it did take); 5xx is permanent, with the server's own words.
 * A refused login is transient, though a 5xx: it is the installation's problem, not the message's, and the circuit
 * breaker of the relay shows it to the operator while the deliveries wait.
 */
final class SmtpRelay implements AutoCloseable {

    private final SmimeSettings.Relay relay;
    private final Session session;
    private final Semaphore permits;
    private final Deque<SMTPTransport> idle = new ArrayDeque<>();
    private volatile boolean closed;

    SmtpRelay(SmimeSettings.Relay relay) {
        this.relay = relay;
        this.permits = new Semaphore(relay.poolSize(), true);
        Properties p = new Properties();
        p.put("mail.smtp.host", relay.host());
        p.put("mail.smtp.port", Integer.toString(relay.port()));
        p.put("mail.smtp.connectiontimeout", Long.toString(relay.connectTimeout().toMillis()));
        p.put("mail.smtp.timeout", Long.toString(relay.timeout().toMillis()));
        p.put("mail.smtp.socketFactory", Sockets.plain());
        // never fall back to a default socket: a failing factory must surface, not be bypassed
        p.put("mail.smtp.socketFactory.fallback", "false");
        p.put("mail.smtp.ssl.socketFactory", Sockets.tls(relay.trustPem(), "amtsbote.channels.smime.relay.trust-pem"));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.quitwait", "false");
        switch (relay.tls()) {
            case IMPLICIT -> p.put("mail.smtp.ssl.enable", "true");
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case NONE -> {
                // plain SMTP, for loopback relays and tests
            }
        }
        if (relay.user() != null) {
            p.put("mail.smtp.auth", "true");
        }
        if (relay.heloName() != null) {
            p.put("mail.smtp.localhost", relay.heloName());
        }
        this.session = Session.getInstance(p);
    }

    String peer() {
        return relay.peer();
    }

    /** What the relay offers for a mail about to be sent (DSN or not). */
    interface Preparation {
        void prepare(SMTPMessage message, boolean dsnAnnounced) throws MessagingException;
    }

    /**
     * Sends the mail in {@code file} (headers and body, CRLF, as written) from {@code envelopeFrom} to
     * {@code recipient}. Returns when the relay accepted it (250 after DATA).
     */
    void send(Path file, String envelopeFrom, String recipient, Preparation preparation) throws TransportException {
        Address[] to;
        try {
            to = new Address[] {new InternetAddress(recipient, true)};
        } catch (AddressException e) {
            throw new PermanentTransportException("recipient address '" + recipient + "' is not valid: "
                    + e.getMessage());
        }
        acquirePermit();
        SMTPTransport transport = null;
        boolean reusable = false;
        try {
            transport = connection();
            SpooledMessage message = new SpooledMessage(session, file);
            message.setEnvelopeFrom(envelopeFrom);
            preparation.prepare(message, transport.supportsExtension("DSN"));
            transport.sendMessage(message, to);
            reusable = true;
        } catch (MessagingException e) {
            throw failure(e, "sending to " + recipient);
        } finally {
            release(transport, reusable);
            permits.release();
        }
    }

    private void acquirePermit() throws TransientTransportException {
        try {
            if (!permits.tryAcquire(relay.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TransientTransportException("all " + relay.poolSize() + " connections to relay "
                        + peer() + " are busy; no connection free within " + relay.connectTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientTransportException("interrupted while waiting for a connection to " + peer(), e);
        }
    }

    /** An idle connection that still answers (NOOP), or a new one. */
    private SMTPTransport connection() throws MessagingException, TransientTransportException {
        while (true) {
            SMTPTransport t;
            synchronized (idle) {
                t = idle.pollFirst();
            }
            if (t == null) {
                break;
            }
            if (t.isConnected()) {
                return t;
            }
            quietClose(t);
        }
        if (closed) {
            throw new TransientTransportException("the S/MIME channel is shutting down");
        }
        // implicit TLS is the smtp transport with mail.smtp.ssl.enable, so that one set of properties applies
        SMTPTransport t = (SMTPTransport) session.getTransport("smtp");
        if (relay.user() != null) {
            char[] password = relay.password().read();
            try {
                t.connect(relay.host(), relay.port(), relay.user(), new String(password));
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        } else {
            t.connect();
        }
        return t;
    }

    private void release(SMTPTransport t, boolean reusable) {
        if (t == null) {
            return;
        }
        if (reusable && !closed) {
            synchronized (idle) {
                idle.addFirst(t);
            }
        } else {
            quietClose(t);
        }
    }

    private static void quietClose(SMTPTransport t) {
        try {
            t.close();
        } catch (MessagingException e) {
            // the connection is being dropped anyway; nothing depends on a clean QUIT
        }
    }

    /** Maps what Jakarta Mail reports to retry or give up, keeping the server's words. */
    TransportException failure(MessagingException e, String what) {
        int code = -1;
        String serverText = null;
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException a) {
                code = a.getReturnCode();
                serverText = a.getMessage();
                break;
            }
            if (x instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
                code = s.getReturnCode();
                serverText = s.getMessage();
                if (code >= 500) {
                    break;
                }
            }
        }
        String where = "relay " + peer() + " ";
        if (e instanceof AuthenticationFailedException) {
            return new TransientTransportException(where + "refused the login of " + relay.user() + ": "
                    + clean(e.getMessage()) + " (check amtsbote.channels.smime.relay.user and its password)", e);
        }
        if (code >= 500 && code < 600) {
            return new PermanentTransportException(where + "refused the mail (" + what + "): " + clean(serverText), e);
        }
        if (code >= 400 && code < 500) {
            return new TransientTransportException(where + "deferred the mail (" + what + "): " + clean(serverText),
                    e);
        }
        Throwable cause = rootCause(e);
        if (cause instanceof SocketTimeoutException) {
            return new TransientTransportException(where + "did not answer within " + relay.timeout() + " ("
                    + what + ")", e);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
            return new TransientTransportException("cannot connect to " + where + "(" + what + "): "
                    + clean(cause.getMessage()), e);
        }
        if (cause instanceof InterruptedIOException) {
            return new TransientTransportException(where + "connection interrupted (" + what + ")", e);
        }
        return new TransientTransportException("exchange with " + where + "failed (" + what + "): "
                + clean(e.getMessage()) + (cause != e ? " (" + cause + ")" : ""), e);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (true) {
            Throwable next = c instanceof MessagingException m && m.getNextException() != null ? m.getNextException()
                    : c.getCause();
            if (next == null || next == c) {
                return c;
            }
            c = next;
        }
    }

    private static String clean(String text) {
        return text == null ? "(no text)" : text.replace("\r", " ").replace("\n", " ").strip();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(SmtpRelay::quietClose);
            idle.clear();
        }
    }

    /** A message whose bytes are the spooled file, sent as they are (Jakarta Mail neither parses nor rewrites it). */
    private static final class SpooledMessage extends SMTPMessage {
        private final Path file;

        SpooledMessage(Session session, Path file) {
            super(session);
            this.file = file;
        }

        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(os);
            }
        }

        @Override
        public void writeTo(OutputStream os) throws IOException {
            writeTo(os, null);
        }
    }
}
