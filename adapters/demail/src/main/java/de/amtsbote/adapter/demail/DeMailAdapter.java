package de.amtsbote.adapter.demail;

import de.amtsbote.adapter.mail.HeaderText;
import de.amtsbote.adapter.mail.ImapMailbox;
import de.amtsbote.adapter.mail.SpoolFiles;
import de.amtsbote.adapter.mail.MailSettings;
import de.amtsbote.adapter.mail.OutboundMail;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.RecipientRefusedException;
import de.amtsbote.crypto.demail.BodyHash;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.spi.AddressCheck;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ChannelDescription;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.InboundSink;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.RetrievalConfirmation;
import de.amtsbote.spi.RouteRequest;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The De-Mail channel: the gateway as an institutional user of its De-Mail provider. Out: one De-Mail per delivery,
 * submitted over SMTPS with the gateway's TLS client certificate, written exactly as the wire contract says
 * ({@code docs/channels/demail.md} section 2). In: the provider's IMAP mailboxes, with messages, confirmations
 * (Versand-, Eingangs-, Abholbestätigung) and notifications (Meldungen), each checked before the gateway believes it
 * ({@link DeMailInbound}). See the package documentation for settings and the wire summary.
 */
final class DeMailAdapter implements ChannelAdapter {

    static final String CHANNEL = "demail";
    static final Set<DeliveryOption> OPTIONS = Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT,
            DeliveryOption.PERSONAL, DeliveryOption.DISPATCH_RECEIPT, DeliveryOption.DELIVERY_RECEIPT,
            DeliveryOption.RETRIEVAL_RECEIPT);
    /** TR 01201-3.4: the private id is at most 1024 characters. */
    static final int MAX_PRIVATE_ID = 1024;

    private final DeMailSettings settings;
    private final DeMailAddresses addresses;
    private final ChannelDescription description;
    private final List<ImapMailbox> mailboxes = new CopyOnWriteArrayList<>();
    private volatile ChannelContext context;
    private volatile Crypto crypto;
    private volatile SmtpSubmission submission;

    DeMailAdapter(DeMailSettings settings) {
        this.settings = settings;
        this.addresses = new DeMailAddresses(settings.domains());
        this.description = new ChannelDescription(CHANNEL, "De-Mail", OPTIONS, settings.maxMessageBytes());
    }

    @Override
    public void start(ChannelContext context) throws TransportException {
        this.context = context;
        this.crypto = context.requireCrypto(CHANNEL);
        try {
            Files.createDirectories(settings.spoolDirectory());
        } catch (IOException e) {
            throw new PermanentTransportException("the spool directory " + settings.spoolDirectory()
                    + " (amtsbote.channels.demail.spool-dir) cannot be created: " + e.getMessage(), e);
        }
        Optional<DeMailSettings.Submission> s = settings.submissionIfConfigured();
        if (s.isPresent()) {
            try {
                submission = new SmtpSubmission(s.get(), crypto.tlsClientSockets(s.get().clientKeyOwner(),
                        s.get().trustAnchors()));
            } catch (CryptoException e) {
                throw new PermanentTransportException("the De-Mail submission cannot be set up"
                        + " (amtsbote.channels.demail.submission.*): " + e.getMessage(), e);
            }
        }
        DeMailInbound inbound = new DeMailInbound(context, crypto, settings, addresses);
        for (MailSettings.Mailbox m : settings.mailboxes()) {
            ImapMailbox mailbox = new ImapMailbox(m, settings.maxMessageBytes(), settings.spoolDirectory(),
                    new ImapMailbox.Processing() {
                        @Override
                        public ImapMailbox.Outcome process(Path raw, String mailboxAddress) throws IOException {
                            return inbound.process(raw, mailboxAddress);
                        }

                        @Override
                        public void oversized(Path raw, String detail) throws IOException {
                            inbound.quarantineUnread(raw, "oversized: " + detail,
                                    DeMailInbound.deliveredTo(m.address()), context.clock().instant());
                        }
                    });
            mailboxes.add(mailbox);
            mailbox.startIdle();
        }
    }

    @Override
    public ChannelDescription describe() {
        return description;
    }

    @Override
    public AddressCheck checkAddress(String address) {
        return addresses.checkRecipient(address);
    }

    /** All De-Mail leaves through the provider's submission: its {@code host:port} is the peer. */
    @Override
    public String peerOf(ChannelAddress recipient) {
        return settings.submissionIfConfigured().map(DeMailSettings.Submission::peer).orElse(CHANNEL);
    }

    @Override
    public Optional<String> refusal(RouteRequest request) {
        if (request.options().contains(DeliveryOption.RETRIEVAL_RECEIPT) && !request.senderPublicBody()) {
            return Optional.of("the Abholbestätigung (retrieval receipt) may be asked only by public bodies"
                    + " (öffentliche Stellen, the basis of formal service by De-Mail); " + request.sender()
                    + " is not configured as a public body (public-body: true)");
        }
        ChannelContext ctx = context;
        if (request.options().contains(DeliveryOption.SIGN) && ctx != null) {
            Optional<ChannelAddress> own = ctx.directory().addressOf(request.sender(), CHANNEL);
            if (own.isPresent() && DeMailAddresses.isPseudonym(own.get().address())) {
                return Optional.of("absenderbestätigt (SIGN) cannot be combined with the pseudonym address "
                        + own.get().address() + " (TR 01201 3.1 §3.3): the provider confirms the sender's identity,"
                        + " which a pseudonym hides");
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ dispatch

    @Override
    public DispatchResult dispatch(OutboundEnvelope envelope) throws TransportException {
        ChannelContext ctx = started();
        SmtpSubmission smtp = submission;
        if (smtp == null) {
            throw new PermanentTransportException("the De-Mail channel has no submission configured"
                    + " (amtsbote.channels.demail.submission.host)");
        }
        String from = address(envelope.senderAddress(), "sender", addresses.check(envelope.senderAddress().address()));
        String to = address(envelope.recipient(), "recipient",
                addresses.checkRecipient(envelope.recipient().address()));
        OutboundMail.checkHeaderText(envelope);
        String privateId = envelope.deliveryId();
        if (privateId.length() > MAX_PRIVATE_ID || HeaderText.controlCharacter(privateId) != null
                || !privateId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new PermanentTransportException("the delivery id '" + privateId + "' cannot be the De-Mail private"
                    + " id (printable ASCII without spaces, at most " + MAX_PRIVATE_ID + " characters)");
        }
        Set<DeliveryOption> options = envelope.options();
        if (options.contains(DeliveryOption.SIGN) && DeMailAddresses.isPseudonym(from)) {
            throw new PermanentTransportException("absenderbestätigt (SIGN) cannot be sent from the pseudonym address "
                    + from);
        }
        CmsSigner signer = null;
        CmsEncryptor encryptor = null;
        String peer = envelope.recipient().toString();
        if (options.contains(DeliveryOption.ENCRYPT)) {
            List<X509Certificate> certificates = ctx.directory().encryptionCertificates(envelope.recipient());
            if (certificates.isEmpty()) {
                throw new PermanentTransportException("no encryption certificate is known for " + peer
                        + "; configure one in the participant directory (De-Mail publishes them in its directory"
                        + " service, ÖVD)");
            }
            try {
                signer = crypto.messageSigner(envelope.sender(), peer);
                encryptor = crypto.messageEncryptor(certificates, ctx.directory().intermediates(envelope.recipient()),
                        peer);
            } catch (RecipientRefusedException | PolicyViolationException e) {
                throw new PermanentTransportException("cannot encrypt for " + peer + ": " + e.getMessage(), e);
            } catch (CryptoException e) {
                throw new PermanentTransportException("cannot sign as " + envelope.sender() + " for " + peer + ": "
                        + e.getMessage(), e);
            }
        }

        String messageId = OutboundMail.messageId(envelope.deliveryId(), DeMailAddresses.domain(from));
        List<String> headers = headers(envelope, from, to, messageId, ctx);
        Path file = SpoolFiles.create(settings.spoolDirectory(), "demail-out-");
        try {
            BodyHash bodyHash = new BodyHash(SentDelivery.DIGESTS);
            try (OutputStream out = new BodyTee(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024),
                    bodyHash)) {
                OutboundMail.write(out, headers, envelope, signer, encryptor);
            } catch (IOException e) {
                throw new TransientTransportException("cannot build the De-Mail of delivery " + envelope.deliveryId()
                        + ": " + e.getMessage(), e);
            }
            bodyHash.close();
            Map<Algorithm, byte[]> hashes = new EnumMap<>(Algorithm.class);
            for (Algorithm a : SentDelivery.DIGESTS) {
                hashes.put(a, bodyHash.digest(a));
            }
            // remembered before sending: the provider's Versandbestätigung may arrive before dispatch returns
            String key = SentDelivery.key(envelope.deliveryId());
            SentDelivery earlier = ctx.memory().recall(key).map(DeMailInbound::decodeSent).orElse(null);
            SentDelivery record = (earlier == null ? new SentDelivery(messageId, from, to, envelope.subject(),
                    List.of()) : earlier).withAttempt(messageId, from, to, envelope.subject(), hashes);
            ctx.memory().remember(key, record.encode(), settings.receiptWindow());
            smtp.submit(file, from, to);
            return DispatchResult.sent(messageId, ctx.clock().instant());
        } finally {
            SpoolFiles.deleteQuietly(file);
        }
    }

    /** The header fields of the wire contract, section 2, in its order. */
    static List<String> headers(OutboundEnvelope envelope, String from, String to, String messageId,
                                ChannelContext ctx) {
        Set<DeliveryOption> o = envelope.options();
        boolean retrieve = o.contains(DeliveryOption.RETRIEVAL_RECEIPT);
        List<String> h = new ArrayList<>();
        h.add("From: " + from);
        h.add("To: " + to);
        h.add(HeaderText.unstructured("Subject", envelope.subject()));
        h.add("Date: " + OutboundMail.date(ctx.clock().instant()));
        h.add("Message-ID: " + messageId);
        h.add("MIME-Version: 1.0");
        h.add("x-de-mail-sender: " + from);
        h.add("x-de-mail-chosen-recipient: to=" + to);
        h.add("x-de-mail-confirmation-of-dispatch: " + yesNo(o.contains(DeliveryOption.DISPATCH_RECEIPT)));
        h.add("x-de-mail-confirmation-of-receipt: " + yesNo(o.contains(DeliveryOption.DELIVERY_RECEIPT)));
        h.add("x-de-mail-confirmation-of-retrieve: " + yesNo(retrieve));
        h.add("x-de-mail-authoritative: " + yesNo(o.contains(DeliveryOption.SIGN)));
        // the Abholbestätigung implies persönlich (TR 01201 3.1 §3.3)
        h.add("x-de-mail-private: " + yesNo(retrieve || o.contains(DeliveryOption.PERSONAL)));
        h.add("x-de-mail-private-id: " + envelope.deliveryId());
        if (envelope.reference() != null) {
            h.add(HeaderText.unstructured("X-Amtsbote-Reference", envelope.reference()));
        }
        return h;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String address(ChannelAddress address, String role, AddressCheck check)
            throws PermanentTransportException {
        if (!check.isValid()) {
            throw new PermanentTransportException("the " + role + " address " + address + " is not usable: "
                    + check.problem());
        }
        return check.normalized();
    }

    /**
     * Passes everything to the file and, from the first byte after the empty line that ends the header block, also
     * to the body hash: the hash is of exactly the bytes the provider will hash.
     */
    private static final class BodyTee extends FilterOutputStream {
        private final BodyHash hash;
        private int matched;
        private boolean inBody;

        BodyTee(OutputStream out, BodyHash hash) {
            super(out);
            this.hash = hash;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (inBody) {
                hash.write(b, off, len);
                return;
            }
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
                if (matched == 4) {
                    inBody = true;
                    hash.write(b, i + 1, off + len - i - 1);
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ inbound

    /** Polls every configured IMAP mailbox; a mailbox that fails does not stop the others. */
    @Override
    public void poll() throws TransportException {
        started();
        ImapMailbox.pollAll(mailboxes);
    }

    /**
     * Checks a quarantined mail again with the code that checked it when it was fetched ({@link DeMailInbound}), as if
     * it were found again in the mailbox it came from: size limit, integrity field, signatures, addressing, or, for a
     * confirmation, every check of the wire contract. A recipient's confirmation whose message has still not been
     * received stays quarantined (on a poll it would wait in the mailbox; a recheck cannot wait).
     */
    @Override
    public void recheck(QuarantinedMessage quarantined, InboundSink sink) throws TransportException {
        ChannelContext ctx = started();
        DeMailInbound checking = new DeMailInbound(ctx.withInbound(sink), crypto, settings, addresses);
        String mailbox = quarantined.deliveredTo().isEmpty() ? null : quarantined.deliveredTo().get(0);
        SpoolFiles.Spooled spooled = SpoolFiles.copy(settings.spoolDirectory(), "recheck-", quarantined.raw(),
                "the quarantined mail " + quarantined.transportId());
        Path raw = spooled.file();
        long size = spooled.size();
        try {
            try {
                if (size > settings.maxMessageBytes()) {
                    checking.quarantineUnread(raw, "oversized: the mail has " + size + " bytes, more than"
                            + " max-message-size (" + settings.maxMessageBytes() + ")", quarantined.deliveredTo(),
                            quarantined.receivedAt());
                    return;
                }
                if (checking.processReceived(raw, mailbox, quarantined.receivedAt()) == ImapMailbox.Outcome.LEAVE) {
                    sink.quarantine(new QuarantinedMessage(quarantined.transportId(), "confirmation rejected: it is"
                            + " about a message the gateway has not received yet; check it again once that message"
                            + " is in the inbox", quarantined.receivedAt(), quarantined.raw(),
                            quarantined.deliveredTo()));
                }
            } catch (IOException e) {
                throw new TransientTransportException("the quarantined mail " + quarantined.transportId()
                        + " could not be checked again: " + e.getMessage(), e);
            }
        } finally {
            SpoolFiles.deleteQuietly(raw);
        }
    }

    /**
     * Does nothing: on De-Mail the Abholbestätigung is issued by the recipient's provider when the recipient logs in
     * securely (TR 01201 3.1 §3.3), signed by the provider — the gateway taking a message from its mailbox is that
     * event, and a receipt written by the gateway itself would carry no provider signature.
     */
    @Override
    public void confirmRetrieval(RetrievalConfirmation confirmation) {
        // the provider confirms the retrieval, not the gateway
    }

    List<ImapMailbox> mailboxes() {
        return List.copyOf(mailboxes);
    }

    @Override
    public void close() {
        for (ImapMailbox m : mailboxes) {
            m.close();
        }
    }

    private ChannelContext started() {
        ChannelContext c = context;
        if (c == null) {
            throw new IllegalStateException("the De-Mail channel was not started");
        }
        return c;
    }
}
