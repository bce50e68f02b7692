package de.amtsbote.adapter.mail;

import de.amtsbote.spi.TransientTransportException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * One IMAP mailbox on an existing mail server, polled for mail. Each mail is streamed to a spool file, processed like
 * a mail to the SMTP listener, and only after the gateway stored the outcome deleted, moved or marked seen
 * ({@code imap.<name>.processed}); a mail whose processing fails, or that waits for another mail
 * ({@link Outcome#LEAVE}), stays where it is and is tried at the next poll.
 *
 * <p>Where the server offers IDLE (RFC 2177) and {@code imap.<name>.idle} is on, a thread per mailbox keeps a second
 * connection in IDLE and polls as soon as the server announces new mail; the gateway's periodic {@code poll()} runs
 * anyway and catches what IDLE missed. Polls of one mailbox never overlap.
 */
public final class ImapMailbox implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImapMailbox.class.getName());
    /** Mails handled per poll, so that one poll cannot run without end. */
    public static final int BATCH = 200;
    /** An IDLE connection is silent for long; servers end IDLE after 30 minutes (RFC 2177), so re-IDLE before. */
    private static final Duration IDLE_READ_TIMEOUT = Duration.ofMinutes(25);

    /** What became of a processed mail. */
    public enum Outcome {
        /** The gateway stored the outcome (accepted, receipt, quarantined): the mail is done with. */
        STORED,
        /**
         * Nothing was stored: the mail waits for something that has not arrived yet (a De-Mail confirmation read
         * before the message it confirms). It stays in the mailbox untouched and is processed again at the next poll.
         */
        LEAVE
    }

    /** Processes one spooled mail found in this mailbox. */
    public interface Processing {
        Outcome process(Path raw, String mailboxAddress) throws IOException;

        /** A mail larger than the limit, not parsed; {@code detail} says how large it is (to quarantine it with). */
        void oversized(Path raw, String detail) throws IOException;
    }

    private final MailSettings.Mailbox config;
    private final long maxMessageBytes;
    private final Path spool;
    private final Processing processing;
    private final Session session;
    private final Session idleSession;
    private final ReentrantLock polling = new ReentrantLock();
    private volatile boolean closed;
    private volatile Thread idleThread;
    private volatile IMAPFolder idleFolder;
    private volatile boolean idleAvailable;
    private Store store;

    public ImapMailbox(MailSettings.Mailbox config, long maxMessageBytes, Path spool, Processing processing) {
        this.config = config;
        this.maxMessageBytes = maxMessageBytes;
        this.spool = spool;
        this.processing = processing;
        this.session = Session.getInstance(properties(config.timeout()));
        this.idleSession = Session.getInstance(properties(IDLE_READ_TIMEOUT.compareTo(config.timeout()) > 0
                ? IDLE_READ_TIMEOUT : config.timeout()));
    }

    private Properties properties(Duration readTimeout) {
        Properties p = new Properties();
        p.put("mail.imap.host", config.host());
        p.put("mail.imap.port", Integer.toString(config.port()));
        p.put("mail.imap.connectiontimeout", Long.toString(config.connectTimeout().toMillis()));
        p.put("mail.imap.timeout", Long.toString(readTimeout.toMillis()));
        p.put("mail.imap.socketFactory", Sockets.plain());
        p.put("mail.imap.socketFactory.fallback", "false");
        p.put("mail.imap.ssl.socketFactory", Sockets.tls(config.trustPem(), config.setting("trust-pem")));
        p.put("mail.imap.ssl.checkserveridentity", "true");
        // fetching must not mark a mail seen: that happens only once the gateway stored it
        p.put("mail.imap.peek", "true");
        switch (config.tls()) {
            case IMPLICIT -> p.put("mail.imap.ssl.enable", "true");
            case STARTTLS -> {
                p.put("mail.imap.starttls.enable", "true");
                p.put("mail.imap.starttls.required", "true");
            }
            case NONE -> {
                // plain IMAP, for loopback servers and tests
            }
        }
        return p;
    }

    public String name() {
        return config.name();
    }

    /**
     * Fetches and processes the mailbox's mail (at most {@value #BATCH}). Returns how many mails were handled; throws
     * when the server cannot be reached or some mails could not be stored (they stay on the server).
     */
    /**
     * Polls every mailbox; one that fails does not stop the others, and the failures are reported together as one
     * transient failure naming each.
     */
    public static void pollAll(List<ImapMailbox> mailboxes) throws TransientTransportException {
        List<String> problems = new ArrayList<>();
        TransientTransportException first = null;
        for (ImapMailbox m : mailboxes) {
            try {
                m.poll();
            } catch (TransientTransportException e) {
                problems.add(e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw new TransientTransportException(String.join("; ", problems), first);
        }
    }

    public int poll() throws TransientTransportException {
        if (!polling.tryLock()) {
            return 0; // a poll of this mailbox is running (the IDLE thread's or the gateway's): it gets the new mail
        }
        try {
            return pollLocked();
        } finally {
            polling.unlock();
        }
    }

    private int pollLocked() throws TransientTransportException {
        Folder folder = null;
        int handled = 0;
        int failed = 0;
        String lastFailure = null;
        try {
            folder = connected(session).getFolder(config.folder());
            folder.open(Folder.READ_WRITE);
            Message[] messages = config.processed() == MailSettings.Processed.SEEN
                    ? folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false)) : folder.getMessages();
            Folder target = config.processed() == MailSettings.Processed.MOVE ? store.getFolder(config.moveTo())
                    : null;
            if (target != null && !target.exists()) {
                target.create(Folder.HOLDS_MESSAGES);
            }
            for (Message m : Arrays.copyOf(messages, Math.min(messages.length, BATCH))) {
                if (closed) {
                    break;
                }
                if (m.isSet(Flags.Flag.DELETED)) {
                    continue;
                }
                try {
                    if (handle((IMAPMessage) m) == Outcome.STORED) {
                        done(folder, target, m);
                        handled++;
                    }
                } catch (IOException | RuntimeException | MessagingException e) {
                    failed++;
                    lastFailure = e.getMessage();
                    LOG.log(System.Logger.Level.WARNING, "a mail in " + config.describe() + " could not be stored;"
                            + " it stays on the server for the next poll", e);
                }
            }
            folder.close(true);
            folder = null;
        } catch (MessagingException e) {
            dropConnection();
            throw new TransientTransportException(config.describe() + " cannot be read: " + e.getMessage(), e);
        } finally {
            if (folder != null && folder.isOpen()) {
                try {
                    folder.close(true);
                } catch (MessagingException e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing the folder of " + config.describe() + " failed", e);
                }
            }
        }
        if (failed > 0) {
            throw new TransientTransportException(failed + " mail(s) in " + config.describe() + " could not be"
                    + " stored and stay on the server (last: " + lastFailure + ")");
        }
        return handled;
    }

    private Outcome handle(IMAPMessage m) throws IOException, MessagingException {
        Path raw = Files.createTempFile(spool, "imap-in-", ".eml");
        try {
            try (OutputStream out = Files.newOutputStream(raw)) {
                m.writeTo(out);
            }
            long size = Files.size(raw);
            if (size > maxMessageBytes) {
                processing.oversized(raw, "the mail has " + size + " bytes, more than max-message-size ("
                        + maxMessageBytes + " bytes)");
                return Outcome.STORED;
            }
            return processing.process(raw, config.address());
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private void done(Folder folder, Folder target, Message m) throws MessagingException {
        switch (config.processed()) {
            case SEEN -> m.setFlag(Flags.Flag.SEEN, true);
            case DELETE -> m.setFlag(Flags.Flag.DELETED, true);
            case MOVE -> {
                folder.copyMessages(new Message[] {m}, target);
                m.setFlag(Flags.Flag.DELETED, true);
            }
        }
    }

    private Store connected(Session s) throws MessagingException {
        if (store != null && store.isConnected()) {
            return store;
        }
        dropConnection();
        store = open(s);
        return store;
    }

    private Store open(Session s) throws MessagingException {
        Store st = s.getStore("imap");
        char[] password = config.password().read();
        try {
            st.connect(config.host(), config.port(), config.user(), new String(password));
        } finally {
            Arrays.fill(password, '\0');
        }
        return st;
    }

    private void dropConnection() {
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + config.describe() + " failed", e);
            }
            store = null;
        }
    }

    /** Starts the IDLE thread if configured; it ends by itself when the server has no IDLE. */
    public void startIdle() {
        if (!config.idle()) {
            return;
        }
        Thread t = new Thread(this::idleLoop, config.channel() + "-imap-idle-" + config.name());
        t.setDaemon(true);
        idleThread = t;
        t.start();
    }

    /** Whether the IDLE thread is waiting on the server (for tests and health). */
    public boolean idling() {
        return idleAvailable && idleFolder != null && idleFolder.isOpen();
    }

    private void idleLoop() {
        long backoff = 1000;
        while (!closed) {
            Store idleStore = null;
            try {
                idleStore = open(idleSession);
                if (!((IMAPStore) idleStore).hasCapability("IDLE")) {
                    LOG.log(System.Logger.Level.INFO, config.describe() + " offers no IDLE; it is polled only");
                    return;
                }
                IMAPFolder folder = (IMAPFolder) idleStore.getFolder(config.folder());
                folder.open(Folder.READ_ONLY);
                idleFolder = folder;
                idleAvailable = true;
                backoff = 1000;
                while (!closed && folder.isOpen()) {
                    pollQuietly();
                    folder.idle(true);
                }
            } catch (MessagingException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, "IDLE on " + config.describe() + " ended; reconnecting", e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 60_000);
            } finally {
                idleAvailable = false;
                if (idleStore != null) {
                    try {
                        idleStore.close();
                    } catch (MessagingException e) {
                        LOG.log(System.Logger.Level.DEBUG, "closing the IDLE connection failed", e);
                    }
                }
            }
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (TransientTransportException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        IMAPFolder f = idleFolder;
        if (f != null) {
            try {
                // using the folder from another thread ends its IDLE; closing it ends the loop
                f.close(false);
            } catch (MessagingException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the IDLE folder failed", e);
            }
        }
        Thread t = idleThread;
        if (t != null) {
            t.interrupt();
        }
        polling.lock();
        try {
            dropConnection();
        } finally {
            polling.unlock();
        }
    }
}
