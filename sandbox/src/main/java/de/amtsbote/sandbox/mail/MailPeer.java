package de.amtsbote.sandbox.mail;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.cms.SignerResult;
import de.amtsbote.crypto.cms.VerificationResult;
import de.amtsbote.crypto.smime.SmimeLayer;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.sandbox.mail.MailLogEntry.Event;
import de.amtsbote.sandbox.mail.ReceiptWriter.Disposition;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One mail peer: an outside party (a mail authority, a citizen) with a mailbox on the sandbox's mail server and its
 * own key. What arrives in its mailbox is opened (decrypted with its key, signatures verified against the trust
 * anchors), logged, deduplicated by Message-ID and answered with receipts per its {@link ReceiptMode}; receipts the
 * gateway sends back are logged. It sends its own S/MIME mail to gateway participants with {@link #send}.
 *
 * <p>Get one from {@link MailPeers#peer(String)}. Thread-safe.
 */
public final class MailPeer {

    private static final System.Logger LOG = System.getLogger(MailPeer.class.getName());

    /** Attempts to hand a receipt to the gateway, with doubling pauses (1 s … 30 s): about five minutes in all. */
    private static final int RECEIPT_ATTEMPTS = 14;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    private final MailPeerConfig config;
    private final PeerKeys keys;
    private final PeerLog log;
    private final GatewaySmtp gateway;
    private final Clock clock;
    private final Path spool;
    private final ScheduledExecutorService scheduler;
    private final Mailbox mailbox;
    private final Inbound inbound;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> sentIds = ConcurrentHashMap.newKeySet();
    /** Signatures of sent mail that asked for an ESS receipt, by hex signedContentIdentifier (this run only). */
    private final Map<String, SentMail> sentSignatures = new ConcurrentHashMap<>();

    private record SentMail(String messageId, SentSignature signature) {
    }

    MailPeer(MailPeerConfig config, PeerKeys keys, PeerLog log, GatewaySmtp gateway, Clock clock, Path spool,
             ScheduledExecutorService scheduler, Mailbox mailbox) throws IOException {
        this.config = config;
        this.keys = keys;
        this.log = log;
        this.gateway = gateway;
        this.clock = clock;
        this.spool = Files.createDirectories(spool);
        this.scheduler = scheduler;
        this.mailbox = mailbox;
        this.inbound = new Inbound(this, keys, clock);
        for (MailLogEntry e : log.entries()) {
            if (e.messageId() != null && e.event() != Event.SENT && e.event() != Event.RECEIPT_SENT
                    && e.event() != Event.RECEIPT_FAILED) {
                seen.add(e.messageId());
            }
            if (e.event() == Event.SENT) {
                sentIds.add(e.messageId());
            }
        }
    }

    public String address() {
        return config.address();
    }

    public MailPeerConfig config() {
        return config;
    }

    /** The peer's own certificate (give it to the gateway as the partner's certificate). */
    public X509Certificate certificate() {
        return keys.certificate();
    }

    /** Counts over the peer's log, including earlier runs on the same data directory. */
    public MailPeerStats stats() {
        return log.stats();
    }

    /** Every line of the peer's log, oldest first. */
    public List<MailLogEntry> log() {
        return log.entries();
    }

    /** {@code <dataDir>/<address>/peer-log.jsonl}. */
    public Path logFile() {
        return log.file();
    }

    /**
     * Sends a mail to a gateway participant through the gateway's inbound SMTP listener: signed with the peer's key,
     * encrypted for the participant's certificate (unless the mail says otherwise). Logged as {@code sent}.
     *
     * @return the Message-ID ({@code <uuid@peer-domain>}), which receipts refer to
     * @throws IOException if the recipient certificate is refused (expired, revoked, untrusted, too weak), a file
     *                     cannot be read or the gateway does not take the mail
     */
    public String send(OutgoingMail mail) throws IOException {
        CmsSigner signer = !mail.sign() ? null
                : mail.requestEssReceipt() ? keys.signerRequestingReceipt() : keys.signer();
        CmsEncryptor encryptor = mail.encrypt()
                ? keys.encryptorFor(PeerKeys.certificates(mail.recipientCertificate(), "certificate of " + mail.to()))
                : null;
        String messageId = MimeText.newMessageId(config.domain());
        Instant now = clock.instant();
        Path file = spool.resolve("out-" + UUID.randomUUID() + ".eml");
        try {
            MailComposer.Composed composed;
            try (OutputStream out = Files.newOutputStream(file)) {
                composed = MailComposer.write(out, config, mail, messageId, now, signer, encryptor);
            }
            try {
                gateway.send(file, config.address(), List.of(mail.to()));
            } catch (MessagingException e) {
                throw new IOException("the gateway's SMTP listener did not take the mail from " + address() + " to "
                        + mail.to() + ": " + e.getMessage(), e);
            }
            sentIds.add(messageId);
            if (composed.signature() != null && composed.signature().receiptRequested()) {
                sentSignatures.put(HexFormat.of().formatHex(composed.signature().receiptContentIdentifier()),
                        new SentMail(messageId, composed.signature()));
            }
            MailLogEntry.Builder e = MailLogEntry.of(clock.instant(), Event.SENT).messageId(messageId)
                    .from(address()).to(mail.to()).subject(mail.subject()).signed(mail.sign());
            e.encrypted = mail.encrypt();
            e.attachments = composed.attachments();
            e.dispositionNotificationTo = mail.requestMdn() ? address() : null;
            e.essReceiptRequested = mail.requestEssReceipt();
            log.append(e.build());
            keepCopy(file);
            return messageId;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ------------------------------------------------------------------ what arrives (called by Inbound)

    /** True if the Message-ID is new (and now seen); false for a redelivery. */
    boolean firstTime(String messageId) {
        return messageId == null || seen.add(messageId);
    }

    void record(MailLogEntry entry) {
        log.append(entry);
    }

    boolean sentBefore(String messageId) {
        if (messageId == null) {
            return false;
        }
        if (sentIds.contains(messageId)) {
            return true;
        }
        // mail sent by another process on the same log (the sandbox's send command)
        return log.entries().stream().anyMatch(e -> e.event() == Event.SENT && messageId.equals(e.messageId()));
    }

    Optional<SentSignature> sentSignature(byte[] contentIdentifier) {
        SentMail m = sentSignatures.get(HexFormat.of().formatHex(contentIdentifier));
        return m == null ? Optional.empty() : Optional.of(m.signature());
    }

    String messageIdOf(SentSignature signature) {
        if (signature == null || signature.receiptContentIdentifier() == null) {
            return null;
        }
        SentMail m = sentSignatures.get(HexFormat.of().formatHex(signature.receiptContentIdentifier()));
        return m == null ? null : m.messageId();
    }

    Path spool() {
        return spool;
    }

    Mailbox mailbox() {
        return mailbox;
    }

    /**
     * Plans and schedules the receipts for a new message the peer opened (or failed to open). Returns what it
     * planned, for the log line.
     */
    List<String> planReceipts(OriginalMessage original, boolean readable, String problem,
                              List<ReceiptRequested> essRequests) {
        ReceiptMode mode = config.receipts();
        List<String> plan = new ArrayList<>();
        if (!mode.answers()) {
            return plan;
        }
        List<Receipt> now = new ArrayList<>();
        List<Receipt> later = new ArrayList<>();
        boolean delayed = mode.kind() == ReceiptMode.Kind.AFTER;
        String after = delayed ? " after " + mode.displayedAfter() : "";
        if (original.dispositionNotificationTo() != null) {
            if (readable) {
                now.add(new Receipt.Mdn(original, Disposition.PROCESSED, null));
                plan.add("processed");
                (delayed ? later : now).add(new Receipt.Mdn(original, Disposition.DISPLAYED, null));
                plan.add("displayed" + after);
            } else {
                // A recipient that cannot open a message discards it unread and says why; never "displayed".
                now.add(new Receipt.Mdn(original, Disposition.DELETED_ERROR, problem));
                plan.add("deleted/error");
            }
        }
        if (readable) {
            for (ReceiptRequested r : essRequests) {
                String to = MimeText.address(r.receiptsTo().isEmpty() ? null : r.receiptsTo().get(0));
                if (to == null) {
                    LOG.log(System.Logger.Level.WARNING, address() + ": ESS receipt request for "
                            + original.messageId() + " names no usable address: " + r.receiptsTo());
                    continue;
                }
                (delayed ? later : now).add(new Receipt.Ess(original, r, to));
                plan.add("ess-signed-receipt" + after);
            }
        }
        if (!now.isEmpty()) {
            schedule(now, Duration.ZERO, 1);
        }
        if (!later.isEmpty()) {
            schedule(later, mode.displayedAfter(), 1);
        }
        return plan;
    }

    /** After a restart: the displayed MDNs a previous run planned but did not send, at their due time. */
    void resumePendingReceipts() {
        List<MailLogEntry> entries = log.entries();
        for (MailLogEntry e : entries) {
            if (e.event() != Event.RECEIVED || e.dispositionNotificationTo() == null || e.messageId() == null) {
                continue;
            }
            Optional<String> displayed = e.receiptsPlanned().stream().filter(p -> p.startsWith("displayed")).findFirst();
            if (displayed.isEmpty() || entries.stream().anyMatch(x -> (x.event() == Event.RECEIPT_SENT
                    || x.event() == Event.RECEIPT_FAILED) && "displayed".equals(x.receipt())
                    && e.messageId().equals(x.originalMessageId()))) {
                continue;
            }
            Duration delay = displayed.get().startsWith("displayed after ")
                    ? Duration.parse(displayed.get().substring("displayed after ".length())) : Duration.ZERO;
            Duration due = Duration.between(clock.instant(), e.time().plus(delay));
            OriginalMessage original = new OriginalMessage(e.messageId(), e.from(), e.to() == null ? address() : e.to(),
                    e.subject() == null ? "" : e.subject(), null, e.dispositionNotificationTo(), null);
            schedule(List.of(new Receipt.Mdn(original, Disposition.DISPLAYED, null)),
                    due.isNegative() ? Duration.ZERO : due, 1);
        }
    }

    // ------------------------------------------------------------------ receipts going out

    /** A receipt to send. */
    sealed interface Receipt {
        OriginalMessage original();

        String kind();

        record Mdn(OriginalMessage original, Disposition disposition, String error) implements Receipt {
            public String kind() {
                return disposition.type;
            }
        }

        record Ess(OriginalMessage original, ReceiptRequested request, String to) implements Receipt {
            public String kind() {
                return "ess-signed-receipt";
            }
        }
    }

    private void schedule(List<Receipt> receipts, Duration delay, int attempt) {
        scheduler.schedule(() -> sendInOrder(receipts, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends the receipts in order; when one fails, it and those after it are tried again later. */
    private void sendInOrder(List<Receipt> receipts, int attempt) {
        for (int i = 0; i < receipts.size(); i++) {
            Receipt r = receipts.get(i);
            try {
                sendReceipt(r);
            } catch (IOException | MessagingException | RuntimeException e) {
                List<Receipt> rest = receipts.subList(i, receipts.size());
                if (attempt < RECEIPT_ATTEMPTS) {
                    long pause = Math.min(FIRST_RETRY.toMillis() << Math.min(attempt - 1, 10), LONGEST_RETRY.toMillis());
                    LOG.log(System.Logger.Level.WARNING, address() + ": " + r.kind() + " for "
                            + r.original().messageId() + " not sent (attempt " + attempt + "), next in " + pause
                            + " ms: " + e.getMessage());
                    schedule(List.copyOf(rest), Duration.ofMillis(pause), attempt + 1);
                } else {
                    for (Receipt failed : rest) {
                        log.append(MailLogEntry.of(clock.instant(), Event.RECEIPT_FAILED).from(address())
                                .to(to(failed)).originalMessageId(failed.original().messageId())
                                .receipt(failed.kind()).problem("not sent after " + attempt + " attempts: "
                                        + e.getMessage()).build());
                    }
                }
                return;
            }
        }
    }

    private static String to(Receipt r) {
        return r instanceof Receipt.Ess ess ? ess.to() : r.original().dispositionNotificationTo();
    }

    private void sendReceipt(Receipt receipt) throws IOException, MessagingException {
        String messageId = MimeText.newMessageId(config.domain());
        Path file = spool.resolve("receipt-" + UUID.randomUUID() + ".eml");
        boolean signed;
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                if (receipt instanceof Receipt.Mdn mdn) {
                    signed = config.signReceipts();
                    ReceiptWriter.writeMdn(out, config, mdn.original(), mdn.disposition(), mdn.error(),
                            signed ? keys.signer() : null, messageId, clock.instant());
                } else {
                    Receipt.Ess ess = (Receipt.Ess) receipt;
                    signed = true;
                    ReceiptWriter.writeEssReceipt(out, config, ess.original(), ess.to(), ess.request(),
                            keys.signer(), messageId, clock.instant());
                }
            }
            gateway.send(file, null, List.of(to(receipt)));
            log.append(MailLogEntry.of(clock.instant(), Event.RECEIPT_SENT).messageId(messageId).from(address())
                    .to(to(receipt)).subject(receipt.original().subject())
                    .originalMessageId(receipt.original().messageId()).receipt(receipt.kind()).signed(signed).build());
            keepCopy(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A copy of what the peer sent goes to its IMAP folder "Sent", for people looking in. */
    private void keepCopy(Path file) {
        if (mailbox == null) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            mailbox.keepSent(in);
        } catch (IOException | MessagingException e) {
            LOG.log(System.Logger.Level.WARNING, address() + ": no copy in the Sent folder: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers for Inbound

    /** Signer subject, signer addresses and flags of an S/MIME result, for the log. */
    static void describeSigners(List<VerificationResult> verifications, MailLogEntry.Builder e) {
        List<String> flags = new ArrayList<>();
        for (VerificationResult v : verifications) {
            for (SignerResult s : v.signers()) {
                if (e.signer == null) {
                    e.signer = s.subject();
                    e.signerAddresses = s.certificate() == null ? List.of() : PeerKeys.emailAddresses(s.certificate());
                }
                if (s.certificateValidation() != null) {
                    flags.addAll(s.certificateValidation().flags());
                }
            }
        }
        e.flags = flags;
    }

    static Boolean allValid(SmimeResult r, boolean signedLayers) {
        List<SmimeLayer> layers = r.layers().stream().filter(l -> l.signed() == signedLayers).toList();
        return layers.isEmpty() ? null : layers.stream().allMatch(SmimeLayer::valid);
    }

    Inbound inbound() {
        return inbound;
    }

    void close() {
        inbound.close();
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the log of mail peer " + address(), e);
        }
    }
}
