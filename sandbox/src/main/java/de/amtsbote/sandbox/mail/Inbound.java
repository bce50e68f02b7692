package de.amtsbote.sandbox.mail;

import com.icegreen.greenmail.store.StoredMessage;
import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.cms.ReceiptVerification;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.smime.SmimeLayer;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.sandbox.mail.MailLogEntry.Event;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What arrives in a peer's mailbox, one message at a time in the order of arrival, on the peer's own thread: a
 * message to open, log and answer, or a receipt for something the peer sent. Every message is spooled to a file
 * first and read from there, streaming; decrypted content is untrusted until the S/MIME result is valid, so
 * attachments are only listed for readable messages.
 */
final class Inbound {

    private static final System.Logger LOG = System.getLogger(Inbound.class.getName());

    /** Jakarta Mail only parses here; RFC 2231 parameters (file names) are decoded. */
    private static final Session SESSION;

    static {
        Properties p = new Properties();
        p.put("mail.mime.decodeparameters", "true");
        p.put("mail.mime.decodefilename", "true");
        SESSION = Session.getInstance(p);
    }

    private final MailPeer peer;
    private final PeerKeys keys;
    private final Clock clock;
    private final ExecutorService worker;
    /**
     * The INBOX messages looked at, by UID. Not a high-water mark: GreenMail numbers a message before it stores it, so
     * of two mails arriving at once the later UID can be visible first, and a mark would skip the earlier one for good
     * (seen under load: a few of every hundred mails sent by several connections at once were never answered).
     */
    private final Set<Long> seen = new HashSet<>();

    Inbound(MailPeer peer, PeerKeys keys, Clock clock) {
        this.peer = peer;
        this.keys = keys;
        this.clock = clock;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mail-peer-" + peer.address());
            t.setDaemon(true);
            return t;
        });
    }

    /** Something arrived in INBOX: look at every message not looked at yet, on the peer's thread. */
    void arrived() {
        if (!worker.isShutdown()) {
            worker.execute(this::scan);
        }
    }

    void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, peer.address() + ": the inbound thread did not stop in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void scan() {
        Mailbox mailbox = peer.mailbox();
        long[] uids = mailbox.inboxUids();
        // forget what was expunged over IMAP (UIDs are never reused), so the set stays as large as the INBOX
        Set<Long> present = new HashSet<>();
        for (long uid : uids) {
            present.add(uid);
        }
        seen.retainAll(present);
        for (long uid : uids) {
            if (!seen.add(uid)) {
                continue;
            }
            StoredMessage message = mailbox.inboxMessage(uid);
            if (message == null) {
                continue; // expunged over IMAP in the meantime
            }
            try {
                process(message.getMimeMessage());
            } catch (IOException | MessagingException | RuntimeException e) {
                // Recorded, not only logged: a test or a person looking at the peer log must see it.
                LOG.log(System.Logger.Level.ERROR, peer.address() + ": message " + uid + " could not be processed", e);
                MailLogEntry.Builder entry = MailLogEntry.of(clock.instant(), Event.RECEIVED).to(peer.address())
                        .problem("the peer could not process the message: " + e);
                entry.readable = false;
                peer.record(entry.build());
            }
        }
    }

    // ------------------------------------------------------------------ one message

    void process(MimeMessage stored) throws IOException, MessagingException {
        Path raw = peer.spool().resolve("in-" + UUID.randomUUID() + ".eml");
        Path inner = peer.spool().resolve("in-" + UUID.randomUUID() + ".inner");
        try {
            try (OutputStream out = Files.newOutputStream(raw)) {
                stored.writeTo(out);
            }
            SharedFileInputStream rawIn = new SharedFileInputStream(raw.toFile());
            try {
                handle(new MimeMessage(SESSION, rawIn), raw, inner);
            } finally {
                rawIn.close();
            }
        } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(inner);
        }
    }

    private void handle(MimeMessage message, Path raw, Path inner) throws IOException, MessagingException {
        String messageId = MimeText.messageId(message.getHeader("Message-ID", null));
        String from = MimeText.address(message.getHeader("From", ","));
        String subject = subject(message);
        if (!peer.firstTime(messageId)) {
            peer.record(MailLogEntry.of(clock.instant(), Event.DUPLICATE).messageId(messageId).from(from)
                    .to(peer.address()).subject(subject).originalMessageId(messageId).build());
            return;
        }
        ContentType type = contentType(message);
        if (type != null && type.match("application/pkcs7-mime")
                && "signed-receipt".equalsIgnoreCase(type.getParameter("smime-type"))) {
            essReceiptReceived(raw, messageId, from, subject);
            return;
        }
        if (type != null && type.match("multipart/report")) {
            reportReceived(message, null, messageId, from, subject);
            return;
        }
        SmimeResult result;
        try (InputStream in = Files.newInputStream(raw); OutputStream out = Files.newOutputStream(inner)) {
            result = keys.opener().open(in, out);
        }
        if (!result.layers().isEmpty() && "multipart/report".equalsIgnoreCase(result.contentType())) {
            SharedFileInputStream innerIn = new SharedFileInputStream(inner.toFile());
            try {
                reportReceived(new MimeMessage(SESSION, innerIn), result, messageId, from, subject);
            } finally {
                innerIn.close();
            }
            return;
        }
        messageReceived(message, result, inner, messageId, from, subject);
    }

    private void messageReceived(MimeMessage message, SmimeResult result, Path inner, String messageId, String from,
                                 String subject) throws IOException, MessagingException {
        boolean readable = result.failure() == null && result.contentType() != null
                && result.layers().stream().allMatch(SmimeLayer::valid);
        MailLogEntry.Builder e = MailLogEntry.of(clock.instant(), Event.RECEIVED).messageId(messageId).from(from)
                .to(peer.address()).subject(subject);
        e.readable = readable;
        e.encrypted = result.encrypted();
        e.decrypted = MailPeer.allValid(result, false);
        Boolean signedValid = MailPeer.allValid(result, true);
        // a signature inside an encryption that did not open cannot be seen: unknown, not "unsigned"
        e.signed = signedValid != null ? Boolean.TRUE : Boolean.FALSE.equals(e.decrypted) ? null : Boolean.FALSE;
        e.signatureValid = signedValid;
        MailPeer.describeSigners(result.verifications(), e);
        List<String> flags = new ArrayList<>(result.flags());
        e.flags.stream().filter(f -> !flags.contains(f)).forEach(flags::add);
        e.flags = flags;
        if (!readable) {
            e.problem = result.describe();
        } else {
            e.attachments = attachments(inner);
        }
        String dnt = MimeText.address(message.getHeader("Disposition-Notification-To", ","));
        e.dispositionNotificationTo = dnt;
        List<ReceiptRequested> requests = result.receiptRequests();
        e.essReceiptRequested = !requests.isEmpty();
        List<ReceiptRequested> answered = peer.config().essReceipts()
                ? requests.stream().filter(r -> r.asks(peer.address())).toList() : List.of();
        OriginalMessage original = new OriginalMessage(messageId, from, peer.address(), subject,
                message.getHeader("Date", null), dnt, message.getHeader("Original-Recipient", null));
        if (messageId == null && (dnt != null || !answered.isEmpty())) {
            // a receipt must name the message it answers; without a usable Message-ID there is nothing to name
            e.problem = (e.problem == null ? "" : e.problem + "; ") + "no usable Message-ID: no receipt is sent";
            e.receiptsPlanned = List.of();
        } else {
            e.receiptsPlanned = peer.planReceipts(original, readable, e.problem, answered);
        }
        // logged before any receipt can be sent: the scheduler only starts them, and the log is written here first
        peer.record(e.build());
        if (readable && !result.layers().isEmpty()) {
            keepOpened(message, result, inner);
        }
    }

    /** An MDN (or a DSN) for the peer: log what it says and whether it is about mail the peer sent. */
    private void reportReceived(MimeMessage report, SmimeResult result, String messageId, String from,
                                String subject) throws IOException, MessagingException {
        MailLogEntry.Builder e = MailLogEntry.of(clock.instant(), Event.RECEIPT_RECEIVED).messageId(messageId)
                .from(from).to(peer.address()).subject(subject);
        if (result != null) {
            e.signed = result.signed();
            e.signatureValid = MailPeer.allValid(result, true);
            MailPeer.describeSigners(result.verifications(), e);
            boolean valid = result.failure() == null && result.layers().stream()
                    .allMatch(SmimeLayer::valid);
            if (!valid) {
                e.problem = result.describe();
            }
        } else {
            e.signed = false;
        }
        ContentType type = contentType(report);
        String reportType = type == null ? null : type.getParameter("report-type");
        MimeMultipart parts = new MimeMultipart(new MimePartDataSource(report));
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("message/disposition-notification")) {
                InternetHeaders fields = fields(part);
                e.originalMessageId = MimeText.messageId(fields.getHeader("Original-Message-ID", null));
                e.receipt = MimeText.oneLine(fields.getHeader("Disposition", null)).trim();
                String error = fields.getHeader("Error", null);
                if (error != null) {
                    e.problem = (e.problem == null ? "" : e.problem + "; ") + "Error: " + MimeText.oneLine(error);
                }
            } else if (part.isMimeType("message/delivery-status")) {
                e.receipt = "delivery-status";
            } else if (part.isMimeType("text/rfc822-headers") && e.originalMessageId == null) {
                e.originalMessageId = MimeText.messageId(fields(part).getHeader("Message-ID", null));
            }
        }
        if (e.receipt == null) {
            e.receipt = "report " + reportType + " without a disposition";
        }
        e.matchesSent = peer.sentBefore(e.originalMessageId);
        peer.record(e.build());
    }

    private void essReceiptReceived(Path raw, String messageId, String from, String subject) throws IOException {
        ReceiptVerification v;
        try (InputStream in = Files.newInputStream(raw)) {
            v = keys.opener().verifyReceipt(in, peer::sentSignature);
        }
        MailLogEntry.Builder e = MailLogEntry.of(clock.instant(), Event.RECEIPT_RECEIVED).messageId(messageId)
                .from(from).to(peer.address()).subject(subject).receipt("ess-signed-receipt").signed(true);
        e.signatureValid = v.signature().valid();
        MailPeer.describeSigners(List.of(v.signature()), e);
        e.originalMessageId = peer.messageIdOf(v.original());
        e.matchesSent = v.valid();
        if (!v.valid()) {
            e.problem = v.describe();
        }
        peer.record(e.build());
    }

    // ------------------------------------------------------------------ parts

    /** The attachments of a readable inner entity: name, type, size and SHA-256 of the decoded bytes. */
    private static List<MailLogEntry.Attachment> attachments(Path inner) throws IOException, MessagingException {
        SharedFileInputStream in = new SharedFileInputStream(inner.toFile());
        try {
            List<MailLogEntry.Attachment> found = new ArrayList<>();
            collect(new MimeMessage(SESSION, in), found, 0);
            return found;
        } finally {
            in.close();
        }
    }

    private static void collect(MimePart part, List<MailLogEntry.Attachment> found, int depth)
            throws IOException, MessagingException {
        if (part.isMimeType("multipart/*")) {
            if (depth > 10) {
                throw new MessagingException("multipart nesting deeper than 10");
            }
            MimeMultipart mp = new MimeMultipart(new MimePartDataSource(part));
            for (int i = 0; i < mp.getCount(); i++) {
                collect((MimePart) mp.getBodyPart(i), found, depth + 1);
            }
            return;
        }
        String name = part.getFileName();
        if (name == null && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return; // the text body
        }
        ContentDigester digester = new ContentDigester();
        try (InputStream content = digester.watch(part.getInputStream())) {
            content.transferTo(OutputStream.nullOutputStream());
        }
        ContentType type = contentType(part);
        found.add(new MailLogEntry.Attachment(name == null ? null : MimeText.oneLine(name),
                type == null ? "application/octet-stream" : type.getBaseType().toLowerCase(Locale.ROOT),
                digester.bytes(), digester.hex()));
    }

    /** The fields of a message/disposition-notification (or headers) part: a header block. */
    private static InternetHeaders fields(BodyPart part) throws IOException, MessagingException {
        try (InputStream in = part.getInputStream()) {
            return new InternetHeaders(in);
        }
    }

    /**
     * A readable copy for people in the IMAP folder "Opened": the outer headers (without the MIME ones), a header
     * saying what the peer checked, then the decrypted entity.
     */
    private void keepOpened(MimeMessage message, SmimeResult result, Path inner) throws MessagingException {
        StringBuilder head = new StringBuilder();
        for (Enumeration<Header> h = message.getAllHeaders(); h.hasMoreElements(); ) {
            Header header = h.nextElement();
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (!name.startsWith("content-") && !name.equals("mime-version")) {
                head.append(MimeText.header(header.getName(), MimeText.oneLine(header.getValue())));
            }
        }
        head.append(MimeText.header("X-Sandbox-Opened", MimeText.encoded(result.describe())));
        head.append(MimeText.header("MIME-Version", "1.0"));
        try (InputStream in = new SequenceInputStream(
                new ByteArrayInputStream(head.toString().getBytes(StandardCharsets.UTF_8)), Files.newInputStream(inner))) {
            peer.mailbox().keepOpened(in);
        } catch (IOException | MessagingException e) {
            LOG.log(System.Logger.Level.WARNING, peer.address() + ": no readable copy in the Opened folder: "
                    + e.getMessage());
        }
    }

    private static String subject(MimeMessage message) {
        try {
            String s = message.getSubject();
            return s == null ? "" : MimeText.oneLine(s);
        } catch (MessagingException e) {
            return "";
        }
    }

    private static ContentType contentType(MimePart part) {
        try {
            String header = part.getHeader("Content-Type", null);
            return new ContentType(header == null ? "text/plain" : header);
        } catch (ParseException e) {
            return null;
        } catch (MessagingException e) {
            return null;
        }
    }
}
