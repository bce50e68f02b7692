package de.amtsbote.adapter.smime;

import de.amtsbote.adapter.mail.HeaderText;
import de.amtsbote.adapter.mail.ImapMailbox;
import de.amtsbote.adapter.mail.SpoolFiles;
import de.amtsbote.adapter.mail.MailAddresses;
import de.amtsbote.adapter.mail.MailSettings;
import de.amtsbote.adapter.mail.MessageIds;
import de.amtsbote.adapter.mail.OutboundMail;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.ReceiptRequest;
import de.amtsbote.crypto.cms.RecipientRefusedException;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.smime.SmimeSigningStream;
import de.amtsbote.crypto.smime.SmimeWriter;
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
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import jakarta.mail.Session;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The S/MIME e-mail channel. Outbound: one mail per delivery, signed with the sending participant's key and
 * encrypted for the recipient's certificate (S/MIME 4.0, sign-then-encrypt), sent over SMTP to the configured relay.
 * Inbound: an SMTP listener and IMAP mailboxes; mail is decrypted with the addressed participant's keys (including
 * keys in their rotation overlap), verified under the algorithm policy, and stored, or quarantined with a named
 * reason. Receipts: MDN (RFC 8098), DSN (RFC 3464) and ESS signed receipts (RFC 2634) become transport receipts of
 * the delivery they answer. The wire format is described in the package documentation.
 */
public final class SmimeAdapter implements ChannelAdapter {

    static final String CHANNEL = "smime";
    static final String DISPLAY_NAME = "S/MIME e-mail";

    private final SmimeSettings settings;
    private final ChannelDescription description;
    private final Session parsing = InboundProcessor.parsingSession();
    private volatile ChannelContext context;
    private volatile Crypto crypto;
    private volatile SmtpRelay relay;
    private volatile SmtpListener listener;
    private volatile InboundProcessor processor;
    private final List<ImapMailbox> mailboxes = new ArrayList<>();

    SmimeAdapter(SmimeSettings settings) {
        this.settings = settings;
        this.description = new ChannelDescription(CHANNEL, DISPLAY_NAME, Set.of(DeliveryOption.SIGN,
                DeliveryOption.ENCRYPT, DeliveryOption.DELIVERY_RECEIPT, DeliveryOption.RETRIEVAL_RECEIPT),
                settings.maxMessageBytes());
    }

    @Override
    public void start(ChannelContext context) throws TransportException {
        this.context = context;
        this.crypto = context.requireCrypto(CHANNEL);
        this.processor = new InboundProcessor(context, crypto, settings, parsing);
        try {
            Files.createDirectories(settings.spoolDirectory());
        } catch (IOException e) {
            throw new PermanentTransportException("the spool directory " + settings.spoolDirectory()
                    + " (amtsbote.channels.smime.spool-dir) cannot be created: " + e.getMessage(), e);
        }
        settings.relayIfConfigured().ifPresent(r -> relay = new SmtpRelay(r));
        if (settings.listener().enabled()) {
            try {
                SmtpListener l = new SmtpListener(settings, context.directory(),
                        (raw, recipients) -> processor.process(raw, recipients, null), "amtsbote-" + context.nodeId());
                l.start();
                listener = l;
            } catch (IOException | RuntimeException e) {
                throw new PermanentTransportException("the SMTP listener cannot listen on " + settings.listener().host()
                        + ":" + settings.listener().port() + " (amtsbote.channels.smime.listen.*): " + e.getMessage(),
                        e);
            }
        }
        for (MailSettings.Mailbox m : settings.mailboxes()) {
            ImapMailbox mailbox = new ImapMailbox(m, settings.maxMessageBytes(), settings.spoolDirectory(),
                    new ImapMailbox.Processing() {
                        @Override
                        public ImapMailbox.Outcome process(Path raw, String mailboxAddress) throws IOException {
                            processor.process(raw, List.of(), mailboxAddress);
                            return ImapMailbox.Outcome.STORED;
                        }

                        @Override
                        public void oversized(Path raw, String detail) throws IOException {
                            processor.quarantineAsIs(raw, Quarantine.OVERSIZED.because(detail),
                                    InboundProcessor.deliveredTo(List.of(), m.address()),
                                    context.clock().instant());
                        }
                    });
            mailboxes.add(mailbox);
            mailbox.startIdle();
        }
    }

    /** The port the SMTP listener is bound to, or -1 without a listener (for tests with port 0). */
    int listenerPort() {
        SmtpListener l = listener;
        return l == null ? -1 : l.port();
    }

    List<ImapMailbox> mailboxes() {
        return List.copyOf(mailboxes);
    }

    @Override
    public ChannelDescription describe() {
        return description;
    }

    @Override
    public AddressCheck checkAddress(String address) {
        return MailAddresses.check(address);
    }

    /** All mail leaves through one relay: its {@code host:port} is the peer (one circuit breaker). */
    @Override
    public String peerOf(ChannelAddress recipient) {
        return settings.relayIfConfigured().map(SmimeSettings.Relay::peer).orElse(CHANNEL);
    }

    // ------------------------------------------------------------------ dispatch

    @Override
    public DispatchResult dispatch(OutboundEnvelope envelope) throws TransportException {
        ChannelContext ctx = started();
        SmtpRelay r = relay;
        if (r == null) {
            throw new PermanentTransportException("the S/MIME channel has no relay configured"
                    + " (amtsbote.channels.smime.relay.host)");
        }
        String from = address(envelope.senderAddress(), "sender");
        String to = address(envelope.recipient(), "recipient");
        OutboundMail.checkHeaderText(envelope);
        Set<DeliveryOption> options = envelope.options();
        boolean sign = options.contains(DeliveryOption.SIGN);
        boolean encrypt = options.contains(DeliveryOption.ENCRYPT);
        boolean retrieval = options.contains(DeliveryOption.RETRIEVAL_RECEIPT);
        boolean receipts = retrieval || options.contains(DeliveryOption.DELIVERY_RECEIPT);
        String peer = envelope.recipient().toString();

        CmsSigner signer = null;
        CmsEncryptor encryptor = null;
        try {
            if (sign) {
                signer = crypto.messageSigner(envelope.sender(), peer);
                if (retrieval) {
                    signer = signer.withReceiptRequest(ReceiptRequest.to(from));
                }
            }
            if (encrypt) {
                List<X509Certificate> certificates = ctx.directory().encryptionCertificates(envelope.recipient());
                if (certificates.isEmpty()) {
                    throw new PermanentTransportException("no encryption certificate is known for " + peer
                            + "; configure one in the participant directory or receive a signed mail from it first");
                }
                encryptor = crypto.messageEncryptor(certificates,
                        ctx.directory().intermediates(envelope.recipient()), peer);
            }
        } catch (RecipientRefusedException | PolicyViolationException e) {
            throw new PermanentTransportException("cannot encrypt or sign for " + peer + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new PermanentTransportException("cannot sign as " + envelope.sender() + " for " + peer + ": "
                    + e.getMessage(), e);
        }

        String messageId = OutboundMail.messageId(envelope.deliveryId(), MailAddresses.domain(from));
        List<String> headers = new ArrayList<>();
        headers.add("From: " + from);
        headers.add("To: " + to);
        headers.add(HeaderText.unstructured("Subject", envelope.subject()));
        headers.add("Date: " + OutboundMail.date(ctx.clock().instant()));
        headers.add("Message-ID: " + messageId);
        headers.add("MIME-Version: 1.0");
        if (envelope.reference() != null) {
            headers.add(HeaderText.unstructured("X-Amtsbote-Reference", envelope.reference()));
        }
        if (receipts) {
            headers.add("Disposition-Notification-To: <" + from + ">");
        }

        Path file = SpoolFiles.create(settings.spoolDirectory(), "smtp-out-");
        try {
            SentSignature sent;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                sent = OutboundMail.write(out, headers, envelope, signer, encryptor);
            } catch (IOException e) {
                throw new TransientTransportException("cannot build the mail of delivery " + envelope.deliveryId()
                        + ": " + e.getMessage(), e);
            }
            // remembered before sending: a fast peer's receipt may arrive before dispatch returns
            SentRecord record = new SentRecord(messageId, to, sent != null && sent.receiptRequested() ? sent : null);
            byte[] value = record.encode();
            ctx.memory().remember(SentRecord.sentKey(envelope.deliveryId()), value, settings.receiptWindow());
            if (record.signature() != null) {
                ctx.memory().remember(SentRecord.essKey(record.signature().receiptContentIdentifier()), value,
                        settings.receiptWindow());
            }
            String deliveryId = envelope.deliveryId();
            r.send(file, from, to, (SMTPMessage message, boolean dsn) -> {
                if (dsn) {
                    message.setNotifyOptions(SMTPMessage.NOTIFY_SUCCESS | SMTPMessage.NOTIFY_FAILURE);
                    message.setReturnOption(SMTPMessage.RETURN_HDRS);
                    String envid = OutboundMail.xtext(deliveryId);
                    if (envid.length() <= 100) {
                        message.setMailExtension("ENVID=" + envid);
                    }
                }
            });
            return DispatchResult.sent(messageId, ctx.clock().instant());
        } finally {
            SpoolFiles.deleteQuietly(file);
        }
    }

    private static String address(ChannelAddress address, String role) throws PermanentTransportException {
        AddressCheck check = MailAddresses.check(address.address());
        if (!check.isValid()) {
            throw new PermanentTransportException("the " + role + " address " + address + " is not usable: "
                    + check.problem());
        }
        return check.normalized();
    }

    // ------------------------------------------------------------------ inbound

    /** Polls every configured IMAP mailbox; a mailbox that fails does not stop the others. */
    @Override
    public void poll() throws TransportException {
        started();
        ImapMailbox.pollAll(mailboxes);
    }

    // ------------------------------------------------------------------ recheck

    /**
     * Checks a quarantined mail again with the very code that checked it on arrival ({@link InboundProcessor}), for
     * the recipients the SMTP envelope or the IMAP mailbox named then, as received then. The size limit comes first,
     * as the listener and the mailboxes apply it before anything is parsed.
     */
    @Override
    public void recheck(QuarantinedMessage quarantined, InboundSink sink) throws TransportException {
        ChannelContext ctx = started();
        InboundProcessor checking = new InboundProcessor(ctx.withInbound(sink), crypto, settings, parsing);
        SpoolFiles.Spooled spooled = SpoolFiles.copy(settings.spoolDirectory(), "recheck-", quarantined.raw(),
                "the quarantined mail " + quarantined.transportId());
        Path raw = spooled.file();
        long size = spooled.size();
        try {
            try {
                if (size > settings.maxMessageBytes()) {
                    checking.quarantineAsIs(raw, Quarantine.OVERSIZED.because("the mail has " + size
                            + " bytes, more than max-message-size (" + settings.maxMessageBytes() + ")"),
                            quarantined.deliveredTo(), quarantined.receivedAt());
                    return;
                }
                checking.processReceived(raw, quarantined.deliveredTo(), quarantined.receivedAt());
            } catch (IOException e) {
                throw new TransientTransportException("the quarantined mail " + quarantined.transportId()
                        + " could not be checked again: " + e.getMessage(), e);
            }
        } finally {
            SpoolFiles.deleteQuietly(raw);
        }
    }

    // ------------------------------------------------------------------ retrieval receipts

    /**
     * Sends a signed MDN ({@code displayed}, manual action) from our participant to the original sender's
     * Disposition-Notification-To address (or its From when that is not remembered), signed with the participant's
     * key: {@code multipart/signed} around the {@code multipart/report}.
     */
    @Override
    public void confirmRetrieval(RetrievalConfirmation confirmation) throws TransportException {
        ChannelContext ctx = started();
        SmtpRelay r = relay;
        if (r == null) {
            throw new PermanentTransportException("the S/MIME channel has no relay configured"
                    + " (amtsbote.channels.smime.relay.host), so no MDN can be sent");
        }
        String ours = address(confirmation.recipient(), "participant");
        String participant = ctx.directory().participantAt(new ChannelAddress(CHANNEL, ours)).orElseThrow(() ->
                new PermanentTransportException(confirmation.recipient() + " is not an address of a participant"));
        String to = ctx.memory().recall(InboundProcessor.inboundKey(confirmation.transportId()))
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .orElse(address(confirmation.sender(), "sender"));
        String original = MessageIds.normalize(confirmation.transportId().split(" ", 2)[0]);
        if (original == null) {
            throw new PermanentTransportException("the transport id '" + confirmation.transportId()
                    + "' is not a Message-ID, so an MDN cannot name the message it confirms");
        }
        CmsSigner signer;
        try {
            signer = crypto.messageSigner(participant, new ChannelAddress(CHANNEL, to).toString());
        } catch (CryptoException e) {
            throw new PermanentTransportException("cannot sign the MDN as " + participant + ": " + e.getMessage(), e);
        }
        String domain = MailAddresses.domain(ours);
        String messageId = "<mdn-" + digestHex(original + "\n" + ours) + "@" + domain + ">";
        String report = OutboundMail.boundary();
        StringBuilder mail = new StringBuilder();
        mail.append("From: ").append(ours).append("\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Subject: Disposition notification (displayed)\r\n")
                .append("Date: ").append(OutboundMail.date(confirmation.retrievedAt())).append("\r\n")
                .append("Message-ID: ").append(messageId).append("\r\n")
                .append("In-Reply-To: ").append(original).append("\r\n")
                .append("References: ").append(original).append("\r\n")
                .append("Auto-Submitted: auto-replied\r\n")
                .append("MIME-Version: 1.0\r\n");
        String entity = "Content-Type: multipart/report; report-type=disposition-notification;\r\n\tboundary=\""
                + report + "\"\r\n\r\n"
                + "--" + report + "\r\n"
                + "Content-Type: text/plain; charset=US-ASCII\r\n\r\n"
                + "The message " + original + " sent to " + ours + " was taken by the recipient's system on "
                + OutboundMail.date(confirmation.retrievedAt()) + ".\r\n"
                + "\r\n--" + report + "\r\n"
                + "Content-Type: message/disposition-notification\r\n\r\n"
                + "Reporting-UA: " + domain + "; Amtsbote\r\n"
                + "Original-Recipient: rfc822;" + ours + "\r\n"
                + "Final-Recipient: rfc822;" + ours + "\r\n"
                + "Original-Message-ID: " + original + "\r\n"
                + "Disposition: manual-action/MDN-sent-manually; displayed\r\n"
                + "\r\n--" + report + "--\r\n";
        Path file = SpoolFiles.create(settings.spoolDirectory(), "smtp-mdn-");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                OutboundMail.ascii(out, mail.toString());
                try (SmimeSigningStream signed = SmimeWriter.multipartSigned(out, signer)) {
                    new ByteArrayInputStream(entity.getBytes(StandardCharsets.US_ASCII)).transferTo(signed);
                }
            } catch (IOException e) {
                throw new TransientTransportException("cannot build the MDN for " + original + ": " + e.getMessage(),
                        e);
            }
            r.send(file, ours, to, (message, dsn) -> {
                // an MDN asks for no notifications of its own (RFC 8098 2.1)
            });
        } finally {
            SpoolFiles.deleteQuietly(file);
        }
    }

    private static String digestHex(String text) {
        ContentDigester d = new ContentDigester();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        d.update(b, 0, b.length);
        return d.hex().substring(0, 32);
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public void close() {
        SmtpListener l = listener;
        if (l != null) {
            l.close();
        }
        for (ImapMailbox m : mailboxes) {
            m.close();
        }
        SmtpRelay r = relay;
        if (r != null) {
            r.close();
        }
    }

    private ChannelContext started() {
        ChannelContext c = context;
        if (c == null) {
            throw new IllegalStateException("the S/MIME channel was not started");
        }
        return c;
    }
}
