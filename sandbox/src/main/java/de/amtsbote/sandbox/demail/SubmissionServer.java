package de.amtsbote.sandbox.demail;

import de.amtsbote.sandbox.demail.SubmissionRules.Refusal;
import de.amtsbote.sandbox.demail.SubmissionRules.Submitter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * SMTP submission over implicit TLS (SMTPS) with a required client certificate (wire contract section 2). Written
 * out rather than on SubEthaSMTP because the contract fixes every reply (a certificate without an account gets
 * {@code 530 5.7.0} for every command, sizes are refused with the contract's reason) and the message is spooled to
 * a file while its size is counted, which SubEthaSMTP's fixed replies and buffering did not allow.
 */
final class SubmissionServer {

    private static final System.Logger LOG = System.getLogger(SubmissionServer.class.getName());
    private static final Pattern PATH = Pattern.compile("(?i)^(MAIL FROM|RCPT TO):\\s*<([^>]*)>(.*)$");
    private static final int MAX_COMMAND = 4096;

    private final DeMailProvider provider;
    private volatile SSLContext tls;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile int port;

    SubmissionServer(DeMailProvider provider, SSLContext tls, int port) {
        this.provider = provider;
        this.tls = tls;
        this.port = port;
        this.connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "demail-smtp-" + provider.name());
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        // a plain listener; each connection becomes TLS with the context current at accept time (renewTls)
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        port = s.getLocalPort();
        server = s;
        Thread acceptor = new Thread(() -> acceptLoop(s), "demail-smtp-accept-" + provider.name());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Uses new TLS state for every connection from now on (new session-ticket keys, so no client resumes a session
     * it had and every client certificate is checked again).
     */
    void renewTls(SSLContext next) {
        this.tls = next;
    }

    /** Stops listening and drops open connections; {@link #start()} listens on the same port again. */
    synchronized void stop() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the SMTP listener: " + e.getMessage());
            }
        }
        for (Socket c : open) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing an SMTP connection: " + e.getMessage());
            }
        }
    }

    void close() {
        stop();
        connections.shutdownNow();
    }

    int port() {
        return port;
    }

    boolean running() {
        return server != null;
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket plain = s.accept();
                SSLSocket c = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
                c.setUseClientMode(false);
                c.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                c.setNeedClientAuth(true);
                open.add(c);
                connections.execute(() -> {
                    try {
                        session(c);
                    } finally {
                        open.remove(c);
                        try {
                            c.close();
                        } catch (IOException e) {
                            LOG.log(System.Logger.Level.DEBUG, "closing an SMTP connection: " + e.getMessage());
                        }
                    }
                });
            } catch (IOException e) {
                if (!s.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, provider.name() + " SMTP accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void session(SSLSocket socket) {
        X509Certificate client;
        try {
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            Certificate[] peer = socket.getSession().getPeerCertificates();
            client = (X509Certificate) peer[0];
        } catch (SSLPeerUnverifiedException e) {
            provider.tlsRefused("no client certificate: " + e.getMessage());
            return;
        } catch (SSLException e) {
            provider.tlsRefused("TLS handshake failed: " + e.getMessage());
            return;
        } catch (IOException e) {
            provider.tlsRefused("connection failed during the TLS handshake: " + e.getMessage());
            return;
        }
        try (InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            new Session(provider.accountFor(client), client, in, out).run();
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "SMTP connection ended: " + e.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "SMTP connection failed: " + e.getMessage());
        }
    }

    /** One SMTP conversation. */
    private final class Session {
        private final Submitter account;
        private final X509Certificate client;
        private final InputStream in;
        private final OutputStream out;
        private boolean greeted;
        private String mailFrom;
        private String recipient;

        Session(Submitter account, X509Certificate client, InputStream in, OutputStream out) {
            this.account = account;
            this.client = client;
            this.in = in;
            this.out = out;
        }

        void run() throws IOException {
            reply("220 " + provider.dmdaDomain() + " ESMTP sandbox De-Mail submission");
            while (true) {
                String line = readCommand();
                if (line == null) {
                    return;
                }
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> {
                        greeted = true;
                        reset();
                        reply("250-" + provider.dmdaDomain() + " greets " + argument(line),
                                "250-SIZE " + provider.maxMessageBytes(), "250-8BITMIME", "250-ENHANCEDSTATUSCODES",
                                "250 PIPELINING");
                    }
                    case "HELO" -> {
                        greeted = true;
                        reset();
                        reply("250 " + provider.dmdaDomain());
                    }
                    case "QUIT" -> {
                        reply("221 2.0.0 bye");
                        return;
                    }
                    default -> {
                        if (greeted && account == null) {
                            reply("530 5.7.0 the client certificate " + client.getSubjectX500Principal().getName()
                                    + " (SHA-256 " + DeMailProvider.fingerprint(client) + ") belongs to no account");
                            continue;
                        }
                        command(verb, line);
                    }
                }
            }
        }

        private void command(String verb, String line) throws IOException {
            switch (verb) {
                case "NOOP" -> reply("250 2.0.0 ok");
                case "RSET" -> {
                    reset();
                    reply("250 2.0.0 ok");
                }
                case "VRFY" -> reply("252 2.1.5 cannot verify, send and see");
                case "MAIL" -> mail(line);
                case "RCPT" -> rcpt(line);
                case "DATA" -> data();
                default -> reply("500 5.5.1 unknown command " + verb);
            }
        }

        private void mail(String line) throws IOException {
            if (!greeted) {
                reply("503 5.5.1 EHLO first");
                return;
            }
            if (mailFrom != null) {
                reply("503 5.5.1 MAIL FROM was already given; RSET first");
                return;
            }
            if (provider.faults().takeTempFailure()) {
                provider.logFault("451 at MAIL FROM");
                reply("451 4.3.0 the provider is busy (injected fault), try again later");
                return;
            }
            Matcher m = PATH.matcher(line);
            if (!m.matches() || !m.group(1).toUpperCase(Locale.ROOT).startsWith("MAIL")) {
                reply("501 5.5.4 syntax: MAIL FROM:<address> [SIZE=n]");
                return;
            }
            String from = m.group(2).strip();
            for (String parameter : m.group(3).strip().split("\\s+")) {
                if (parameter.toUpperCase(Locale.ROOT).startsWith("SIZE=")) {
                    long size;
                    try {
                        size = Long.parseLong(parameter.substring(5));
                    } catch (NumberFormatException e) {
                        reply("501 5.5.4 SIZE=" + parameter.substring(5) + " is not a number");
                        return;
                    }
                    if (size > provider.maxMessageBytes()) {
                        provider.refused(account, from, null, "552 5.3.4", "announced size " + size);
                        reply("552 5.3.4 the message size " + size + " is larger than the limit of "
                                + provider.maxMessageBytes() + " bytes");
                        return;
                    }
                }
            }
            if (!account.addresses().contains(from)) {
                provider.refused(account, from, null, "550 5.7.1", "sender not of the account");
                reply("550 5.7.1 " + (from.isEmpty() ? "the empty reverse-path" : from) + " is not an address of account "
                        + account.id());
                return;
            }
            mailFrom = from;
            reply("250 2.1.0 sender " + from + " ok");
        }

        private void rcpt(String line) throws IOException {
            if (mailFrom == null) {
                reply("503 5.5.1 MAIL FROM first");
                return;
            }
            if (recipient != null) {
                reply("452 4.5.3 one recipient per message: " + recipient + " is already given");
                return;
            }
            Matcher m = PATH.matcher(line);
            if (!m.matches() || !m.group(1).toUpperCase(Locale.ROOT).startsWith("RCPT")) {
                reply("501 5.5.4 syntax: RCPT TO:<address>");
                return;
            }
            String to = m.group(2).strip();
            Refusal r = SubmissionRules.recipientProblem(to, provider.deMailDomains());
            if (r != null) {
                provider.refused(account, mailFrom, to, r.code() + " " + r.status(), r.reason());
                reply(r.reply());
                return;
            }
            recipient = to;
            reply("250 2.1.5 recipient " + to + " ok");
        }

        private void data() throws IOException {
            if (recipient == null) {
                reply("503 5.5.1 " + (mailFrom == null ? "MAIL FROM" : "RCPT TO") + " first");
                return;
            }
            reply("354 end data with <CR><LF>.<CR><LF>");
            Path spool = provider.newSpoolFile();
            try {
                long size;
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(spool))) {
                    size = readData(file, provider.maxMessageBytes());
                }
                if (size < 0) {
                    provider.refused(account, mailFrom, recipient, "552 5.3.4", "message larger than the limit");
                    reply("552 5.3.4 the message is larger than the limit of " + provider.maxMessageBytes() + " bytes");
                } else {
                    reply(provider.submitted(account, mailFrom, recipient, spool));
                }
            } finally {
                Files.deleteIfExists(spool);
                reset();
            }
        }

        /**
         * Copies the DATA section (dot-unstuffed, without the final dot line) into {@code file}; past {@code limit}
         * bytes the rest is read and dropped. Returns the size, or -1 if it exceeded the limit.
         */
        private long readData(OutputStream file, long limit) throws IOException {
            long size = 0;
            boolean lineStart = true;
            int pending = -1; // a CR not yet known to end a line
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection ended inside DATA");
                }
                if (lineStart && b == '.') {
                    int next = in.read();
                    if (next == '\r') {
                        int lf = in.read();
                        if (lf == '\n') {
                            return size > limit ? -1 : size;
                        }
                        throw new IOException("a line of DATA starts with '.' CR without LF");
                    }
                    if (next < 0) {
                        throw new IOException("the connection ended inside DATA");
                    }
                    b = next; // a stuffed dot is dropped (RFC 5321 4.5.2)
                }
                lineStart = false;
                if (pending >= 0) {
                    size = write(file, pending, size, limit);
                    pending = -1;
                }
                if (b == '\r') {
                    pending = b;
                    continue;
                }
                size = write(file, b, size, limit);
                if (b == '\n') {
                    lineStart = true;
                }
            }
        }

        private long write(OutputStream file, int b, long size, long limit) throws IOException {
            if (size < limit) {
                file.write(b);
            }
            return size + 1;
        }

        private String readCommand() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                if (line.size() >= MAX_COMMAND) {
                    throw new IOException("an SMTP command line is longer than " + MAX_COMMAND + " bytes");
                }
                line.write(b);
            }
        }

        private void reset() {
            mailFrom = null;
            recipient = null;
        }

        private void reply(String... lines) throws IOException {
            for (String l : lines) {
                out.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }

        private String argument(String line) {
            return line.length() > 5 ? line.substring(5).strip() : "";
        }
    }
}
