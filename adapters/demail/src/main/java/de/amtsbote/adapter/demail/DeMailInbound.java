package de.amtsbote.adapter.demail;

import de.amtsbote.adapter.mail.HeaderText;
import de.amtsbote.adapter.mail.ImapMailbox.Outcome;
import de.amtsbote.adapter.mail.MessageIds;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.cms.DecryptionResult;
import de.amtsbote.crypto.cms.SignerResult;
import de.amtsbote.crypto.cms.VerificationResult;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.demail.DeMailIntegrity;
import de.amtsbote.crypto.demail.HeaderFields;
import de.amtsbote.crypto.demail.IntegrityException;
import de.amtsbote.crypto.demail.IntegrityResult;
import de.amtsbote.crypto.demail.IntegrityTag;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.smime.SmimeLayer;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.InboundPart;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.SignatureCheck;
import de.amtsbote.spi.TransportProof;
import de.amtsbote.spi.TransportReceipt;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Turns one mail fetched from a De-Mail mailbox into what the gateway stores: a transport receipt for a confirmation
 * or notification that passed every check of the wire contract (section 4, "How the gateway checks a confirmation"),
 * an inbound proof for the recipient's copy of an Eingangs- or Abholbestätigung about a message the gateway received,
 * an inbound message whose integrity (and end-to-end S/MIME, if any) verified, or a quarantined item naming the
 * failed check. It returns only after the sink returned, so the mailbox may then delete the mail.
 */
final class DeMailInbound {

    static final String NS = "urn:de-mail";
    private static final String CHANNEL = DeMailAdapter.CHANNEL;
    private static final System.Logger LOG = System.getLogger(DeMailInbound.class.getName());

    private final ChannelContext context;
    private final Crypto crypto;
    private final DeMailSettings settings;
    private final DeMailAddresses addresses;
    private final DeMailIntegrity integrity;
    private final Session session;

    DeMailInbound(ChannelContext context, Crypto crypto, DeMailSettings settings, DeMailAddresses addresses) {
        this.context = context;
        this.crypto = crypto;
        this.settings = settings;
        this.addresses = addresses;
        this.integrity = crypto.deMailIntegrity(settings.providerAnchors());
        Properties p = new Properties();
        p.put("mail.mime.allowutf8", "true");
        p.put("mail.mime.multipart.ignoremissingendboundary", "false");
        p.put("mail.mime.multipart.allowempty", "false");
        this.session = Session.getInstance(p);
    }

    /** What is known of the mail being handled. */
    private record Mail(Path raw, Instant receivedAt, String transportId, HeaderFields headers,
                        List<String> deliveredTo) {
    }

    /** What a mail from this mailbox was delivered to, kept with it in quarantine for a recheck. */
    static List<String> deliveredTo(String mailboxAddress) {
        return mailboxAddress == null ? List.of() : List.of(mailboxAddress);
    }

    /** Quarantines a mail without reading it (over the size limit). */
    void quarantineUnread(Path raw, String reason, List<String> deliveredTo, Instant receivedAt) throws IOException {
        quarantine(new Mail(raw, receivedAt, "sha256:" + digest(raw), null, deliveredTo), reason);
    }

    /** Handles one mail as it arrives; {@link Outcome#LEAVE} when it waits in the mailbox for another mail. */
    Outcome process(Path raw, String mailboxAddress) throws IOException {
        return processReceived(raw, mailboxAddress, context.clock().instant());
    }

    /**
     * Handles one mail: on its arrival, and again, with the same checks, when an operator releases it from quarantine.
     * {@link Outcome#LEAVE} when it waits in the mailbox for another mail (nothing stored).
     *
     * @param mailboxAddress the address of the mailbox it was found in, or null
     * @param receivedAt     when it arrived
     */
    Outcome processReceived(Path raw, String mailboxAddress, Instant receivedAt) throws IOException {
        List<String> deliveredTo = deliveredTo(mailboxAddress);
        HeaderFields headers;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(raw))) {
            headers = HeaderFields.read(in);
        } catch (IntegrityException e) {
            quarantine(new Mail(raw, receivedAt, "sha256:" + digest(raw), null, deliveredTo), "malformed: " + e.getMessage());
            return Outcome.STORED;
        }
        String id = MessageIds.normalize(headers.value("X-de-mail-message-id").orElse(null));
        if (id == null) {
            id = MessageIds.normalize(headers.value("Message-ID").orElse(null));
        }
        Mail mail = new Mail(raw, receivedAt, id != null ? id : "sha256:" + digest(raw), headers, deliveredTo);
        String type = headers.value("X-de-mail-message-type").map(t -> t.toLowerCase(Locale.ROOT)).orElse(null);
        if (type == null) {
            quarantine(mail, "not a De-Mail: the mail has no X-de-mail-message-type");
            return Outcome.STORED;
        }
        try {
            switch (type) {
                case "confirmation of dispatch", "confirmation of receipt", "confirmation of retrieve",
                        "notification" -> {
                    return confirmation(mail, type, mailboxAddress);
                }
                case "normal" -> message(mail, mailboxAddress);
                default -> quarantine(mail, "unsupported De-Mail message type '" + type + "' (the gateway reads"
                        + " normal messages, confirmations and notifications)");
            }
        } catch (MessagingException e) {
            quarantine(mail, "malformed MIME: " + e.getMessage());
        }
        return Outcome.STORED;
    }

    // ------------------------------------------------------------------ confirmations and notifications

    /**
     * A Bestätigung or Meldung: every check of the wire contract, then a receipt of the delivery it is about — or,
     * for the recipient's copy of an Eingangs- or Abholbestätigung about a message the gateway received, a proof
     * kept with that message ({@link #aboutReceived}).
     */
    private Outcome confirmation(Mail mail, String type, String mailboxAddress) throws IOException,
            MessagingException {
        String rejected = (type.equals("notification") ? "notification" : "confirmation") + " rejected: ";
        IntegrityResult r = verifyIntegrity(mail, true);
        if (!r.valid()) {
            quarantine(mail, rejected + "integrity field: " + r.describe());
            return Outcome.STORED;
        }
        String from = plainAddress(mail.headers().value("From").orElse(null));
        String fromDomain = from == null ? null : DeMailAddresses.domain(from);
        if (fromDomain == null || !fromDomain.equals(r.tag().domain())) {
            quarantine(mail, rejected + "signed by " + r.signer() + " which is not the issuing provider "
                    + (fromDomain == null ? "(the From address cannot be read)" : fromDomain));
            return Outcome.STORED;
        }
        Element root;
        try (SharedFileInputStream shared = new SharedFileInputStream(mail.raw().toFile())) {
            Part xml = xmlPart(new MimeMessage(session, shared));
            if (xml == null) {
                quarantine(mail, rejected + "the body has no application/xml part");
                return Outcome.STORED;
            }
            Document document;
            try (InputStream in = xml.getInputStream()) {
                document = SecureXml.standard().parse(in);
            } catch (XmlSecurityException e) {
                quarantine(mail, rejected + "the XML cannot be read: " + e.getMessage());
                return Outcome.STORED;
            }
            VerifiedXml verified;
            try {
                verified = crypto.xmlVerifier(CertificateUsage.EVIDENCE_SIGNATURE).verify(document,
                        SignatureExpectation.documentElement());
            } catch (XmlSecurityException e) {
                quarantine(mail, rejected + "XML signature invalid: " + e.getMessage());
                return Outcome.STORED;
            }
            if (!verified.signer().equals(r.certificate())) {
                quarantine(mail, rejected + "the XML is signed by " + subject(verified.signer())
                        + ", not by the provider certificate of the integrity field " + r.signer());
                return Outcome.STORED;
            }
            root = verified.documentElement();
        }
        boolean notification = type.equals("notification");
        String expectedRoot = notification ? "Notification" : "Confirmation";
        if (!NS.equals(root.getNamespaceURI()) || !expectedRoot.equals(root.getLocalName())) {
            quarantine(mail, rejected + "the XML is a {" + root.getNamespaceURI() + "}" + root.getLocalName()
                    + ", not a " + expectedRoot + " in " + NS);
            return Outcome.STORED;
        }
        String headerType = notification ? mail.headers().value("X-de-mail-notification-type").orElse("") : type;
        if (!root.getAttribute("Type").equalsIgnoreCase(headerType)) {
            quarantine(mail, rejected + "the XML says Type '" + root.getAttribute("Type") + "', the header '"
                    + headerType + "'");
            return Outcome.STORED;
        }
        String sender = text(root, "Sender");
        if (!from.equalsIgnoreCase(sender)) {
            quarantine(mail, rejected + "the XML names the sender '" + sender + "', the mail comes from " + from);
            return Outcome.STORED;
        }
        Map<String, String> metadata = metadata(root);
        String ownRecipient = notification ? null : ownRecipientsCopy(type, metadata, mail, mailboxAddress);
        if (ownRecipient != null) {
            return aboutReceived(mail, type, root, metadata, ownRecipient, rejected);
        }
        String privateId = mail.headers().value("X-de-mail-private-id").orElse(null);
        String signedPrivateId = metadata.get("x-de-mail-private-id");
        if (privateId == null || !privateId.equals(signedPrivateId)) {
            quarantine(mail, rejected + "the private id of the header (" + privateId + ") is not the one in the"
                    + " signed metadata (" + signedPrivateId + ")");
            return Outcome.STORED;
        }
        SentDelivery sent = context.memory().recall(SentDelivery.key(privateId)).map(DeMailInbound::decodeSent)
                .orElse(null);
        if (sent == null) {
            quarantine(mail, rejected + "it is about a message the gateway did not send or no longer remembers"
                    + " (private id " + privateId + ")");
            return Outcome.STORED;
        }
        String messageId = MessageIds.normalize(metadata.get("message-id"));
        String chosen = metadata.getOrDefault("x-de-mail-chosen-recipient", "").replace(" ", "");
        if (!sent.messageId().equals(messageId) || !chosen.equalsIgnoreCase("to=" + sent.recipient())) {
            quarantine(mail, rejected + "it is about another message (private id " + privateId + ", Message-ID "
                    + messageId + ", recipient " + chosen + "; sent were " + sent.messageId() + " to "
                    + sent.recipient() + ")");
            return Outcome.STORED;
        }
        IntegrityTag original;
        try {
            original = IntegrityTag.parse(text(root, "Hash"));
        } catch (IntegrityException e) {
            quarantine(mail, rejected + "the Hash of the original cannot be read: " + e.getMessage());
            return Outcome.STORED;
        }
        if (!sent.sentBodyWithHash(original.digest(), original.bodyHash())) {
            quarantine(mail, rejected + "it is about another message (private id " + privateId + ", hash bh="
                    + Base64.getEncoder().encodeToString(original.bodyHash()) + " is not the hash of the body sent)");
            return Outcome.STORED;
        }
        Instant at = timeOfKeepableProof(mail, root, rejected);
        if (at == null) {
            return Outcome.STORED;
        }
        TransportReceipt.Event event = switch (type) {
            case "confirmation of dispatch" -> TransportReceipt.Event.DISPATCHED;
            case "confirmation of receipt" -> TransportReceipt.Event.DELIVERED;
            case "confirmation of retrieve" -> TransportReceipt.Event.RETRIEVED;
            default -> TransportReceipt.Event.FAILED;
        };
        String reason = notification ? headerType + ": " + text(root, "Text") : null;
        context.inbound().receipt(new TransportReceipt(CHANNEL, sent.messageId(), event, at, reason,
                new TransportProof("message/rfc822", Files.readAllBytes(mail.raw()), Assurance.PROVIDER_SIGNED)));
        return Outcome.STORED;
    }

    /**
     * The original's recipient when this Eingangs- or Abholbestätigung is the copy TR 01201 gives the recipient: the
     * signed metadata's recipient (actual, else chosen) is the mailbox the confirmation was put into (the mailbox's
     * configured address, else the confirmation's own chosen recipient) and one of the gateway's participants. Null
     * otherwise: then it is the sender's copy, about a delivery the gateway sent. When the gateway is on both sides,
     * each copy lands in its own mailbox and is taken for its own side.
     */
    private String ownRecipientsCopy(String type, Map<String, String> metadata, Mail mail, String mailboxAddress) {
        if (!type.equals("confirmation of receipt") && !type.equals("confirmation of retrieve")) {
            return null;
        }
        String recipient = toAddress(metadata.get("x-de-mail-actual-recipient"));
        if (recipient == null) {
            recipient = toAddress(metadata.get("x-de-mail-chosen-recipient"));
        }
        String mailbox = mailboxAddress != null ? mailboxAddress
                : toAddress(mail.headers().value("X-de-mail-chosen-recipient").orElse(null));
        if (recipient == null || !recipient.equalsIgnoreCase(mailbox)
                || context.directory().participantAt(new ChannelAddress(CHANNEL, recipient)).isEmpty()) {
            return null;
        }
        return recipient;
    }

    /**
     * The recipient's copy of an Eingangs- or Abholbestätigung, already checked like any confirmation (provider
     * signature, XML signature by the same certificate, Type, Sender): believed once its {@code Hash} is exactly the
     * integrity field of the message as the gateway received it (remembered when the message was stored), then kept
     * with that message as its proof. A confirmation read before its message stays in the mailbox for the next poll,
     * for at most {@code confirmation-wait} after its Date.
     */
    private Outcome aboutReceived(Mail mail, String type, Element root, Map<String, String> metadata,
                                  String recipient, String rejected) throws IOException {
        String privateId = mail.headers().value("X-de-mail-private-id").orElse(null);
        String signedPrivateId = metadata.get("x-de-mail-private-id");
        if (!Objects.equals(privateId, signedPrivateId)) {
            quarantine(mail, rejected + "the private id of the header (" + privateId + ") is not the one in the"
                    + " signed metadata (" + signedPrivateId + ")");
            return Outcome.STORED;
        }
        String transportId = MessageIds.normalize(metadata.get("x-de-mail-message-id"));
        if (transportId == null) {
            quarantine(mail, rejected + "its signed metadata names no X-de-mail-message-id of the message to "
                    + recipient + " it confirms");
            return Outcome.STORED;
        }
        Instant at = timeOfKeepableProof(mail, root, rejected);
        if (at == null) {
            return Outcome.STORED;
        }
        Optional<String> received = context.memory().recall(receivedKey(transportId))
                .map(v -> new String(v, StandardCharsets.UTF_8));
        if (received.isEmpty()) {
            Instant issued = issued(mail, at);
            Duration waited = Duration.between(issued, context.clock().instant());
            if (waited.compareTo(settings.confirmationWait()) <= 0) {
                LOG.log(System.Logger.Level.INFO, "a {0} about {1} for {2} came before the message; it stays in the"
                        + " mailbox until the message is stored", type, transportId, recipient);
                return Outcome.LEAVE;
            }
            quarantine(mail, rejected + "it is about a message the gateway has not received (X-de-mail-message-id "
                    + transportId + " to " + recipient + "), still missing " + waited.toMinutes() + " minutes after"
                    + " the confirmation's Date, longer than confirmation-wait (" + settings.confirmationWait() + ")");
            return Outcome.STORED;
        }
        String hash = unfold(text(root, "Hash"));
        if (!hash.equals(received.get())) {
            quarantine(mail, rejected + "it is about another message (X-de-mail-message-id " + transportId
                    + ": its Hash is not the integrity field of the message as the gateway received it)");
            return Outcome.STORED;
        }
        InboundProof.Event event = type.equals("confirmation of receipt") ? InboundProof.Event.DELIVERED
                : InboundProof.Event.RETRIEVED;
        context.inbound().inboundProof(new InboundProof(transportId, event, at,
                new TransportProof("message/rfc822", Files.readAllBytes(mail.raw()), Assurance.PROVIDER_SIGNED)));
        return Outcome.STORED;
    }

    /** When the provider issued the confirmation: its Date (signed by the integrity field), else the XML's Time. */
    private static Instant issued(Mail mail, Instant xmlTime) {
        Optional<String> date = mail.headers().value("Date");
        if (date.isPresent()) {
            try {
                return new MailDateFormat().parse(date.get()).toInstant();
            } catch (ParseException e) {
                LOG.log(System.Logger.Level.WARNING, "the Date ''{0}'' of a confirmation cannot be read; its signed"
                        + " Time counts instead", date.get());
            }
        }
        return xmlTime;
    }

    /**
     * The channel-memory key under which the integrity field of a received message is kept; the transport id is
     * hashed because it may be longer than a memory key may be.
     */
    static String receivedKey(String transportId) {
        return "received:" + ContentDigester.hexOf(transportId.getBytes(StandardCharsets.UTF_8));
    }

    /** A header value unfolded and trimmed, as {@link HeaderFields#value} gives it. */
    private static String unfold(String value) {
        return value.replace("\r\n", "").replace("\n", "").strip();
    }

    private static Part xmlPart(Part part) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            if (!(part.getContent() instanceof Multipart multipart)) {
                throw new MessagingException("a " + part.getContentType() + " without parts");
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                Part found = xmlPart(multipart.getBodyPart(i));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return part.isMimeType("application/xml") || part.isMimeType("text/xml") ? part : null;
    }

    /** The metadata of the original, by lower-case field name: Value (unfolded). */
    /**
     * The confirmation's signed Time, if the mail can be kept as a transport proof (the Time is an xs:dateTime, the
     * mail within the proof size); otherwise it is quarantined with the reason and null is returned.
     */
    private Instant timeOfKeepableProof(Mail mail, Element root, String rejected) throws IOException {
        Instant at;
        try {
            at = Instant.parse(text(root, "Time"));
        } catch (DateTimeParseException e) {
            quarantine(mail, rejected + "the Time '" + text(root, "Time") + "' is not an xs:dateTime in UTC");
            return null;
        }
        long size = Files.size(mail.raw());
        if (size > TransportProof.MAX_BYTES) {
            quarantine(mail, rejected + "the mail has " + size + " bytes, more than a transport proof may have ("
                    + TransportProof.MAX_BYTES + ")");
            return null;
        }
        return at;
    }

    private static Map<String, String> metadata(Element root) {
        Map<String, String> values = new LinkedHashMap<>();
        Element list = child(root, "Metadata");
        if (list == null) {
            return values;
        }
        for (Node n = list.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && "Metadate".equals(e.getLocalName())) {
                String name = text(e, "Name").toLowerCase(Locale.ROOT);
                // the first one counts, as for header fields
                values.putIfAbsent(name, text(e, "Value"));
            }
        }
        return values;
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String localName) {
        Element e = child(parent, localName);
        return e == null ? "" : e.getTextContent().strip();
    }

    // ------------------------------------------------------------------ normal messages

    private void message(Mail mail, String mailboxAddress) throws IOException, MessagingException {
        boolean authoritative = "yes".equals(mail.headers().value("X-de-mail-authoritative").orElse(null));
        IntegrityResult r = verifyIntegrity(mail, authoritative);
        if (!r.valid()) {
            quarantine(mail, "integrity field: " + r.describe());
            return;
        }
        String to = recipient(mail.headers(), mailboxAddress);
        Optional<String> participant = to == null ? Optional.empty()
                : context.directory().participantAt(new ChannelAddress(CHANNEL, to));
        if (participant.isEmpty()) {
            quarantine(mail, "not addressed to a participant: " + (to == null ? "no recipient can be read"
                    : to + " is no participant's De-Mail address"));
            return;
        }
        String from = plainAddress(mail.headers().value("X-de-mail-sender")
                .or(() -> mail.headers().value("From")).orElse(null));
        if (from == null || !addresses.check(from).isValid()) {
            quarantine(mail, "malformed: the sender address cannot be read as a De-Mail address");
            return;
        }
        String subject = HeaderText.decode(mail.headers().value("Subject").orElse(""));
        String control = HeaderText.controlCharacter(subject);
        if (control != null) {
            quarantine(mail, "control characters: the subject contains " + control);
            return;
        }
        SignatureCheck providerCheck = providerCheck(r);
        try (SharedFileInputStream shared = new SharedFileInputStream(mail.raw().toFile())) {
            MimeMessage outer = new MimeMessage(session, shared);
            if (outer.isMimeType("application/pkcs7-mime") || outer.isMimeType("application/x-pkcs7-mime")
                    || outer.isMimeType("multipart/signed")) {
                endToEnd(mail, participant.get(), from, to, subject, providerCheck);
                return;
            }
            accept(mail, outer, from, to, subject, providerCheck);
        }
    }

    /** End-to-end S/MIME (the provider passes it through unchanged): opened with the participant's keys. */
    private void endToEnd(Mail mail, String participant, String from, String to, String subject,
                          SignatureCheck providerCheck) throws IOException, MessagingException {
        Path inner = Files.createTempFile(settings.spoolDirectory(), "demail-inner-", ".eml");
        try {
            SmimeResult result;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(mail.raw()), 64 * 1024);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(inner), 64 * 1024)) {
                result = crypto.smimeOpener(participant).open(in, out);
            } catch (KeyVaultException e) {
                throw new IOException("the key store cannot be read for " + participant + ": " + e.getMessage(), e);
            }
            if (!result.valid()) {
                quarantine(mail, "end-to-end S/MIME: " + result.describe());
                return;
            }
            SignatureCheck check = result.signed() ? endToEndCheck(result) : providerCheck;
            try (SharedFileInputStream shared = new SharedFileInputStream(inner.toFile())) {
                accept(mail, new MimeMessage(session, shared), from, to, subject, check);
            }
        } finally {
            Files.deleteIfExists(inner);
        }
    }

    private void accept(Mail mail, MimeMessage entity, String from, String to, String subject, SignatureCheck check)
            throws IOException, MessagingException {
        List<InboundPart> parts = new ArrayList<>();
        Path[] body = new Path[1];
        try {
            String problem = collect(entity, parts, body);
            if (problem != null) {
                quarantine(mail, problem);
                return;
            }
            Path bodyFile = body[0];
            ContentSource text = bodyFile == null ? InputStream::nullInputStream : () -> Files.newInputStream(bodyFile);
            boolean retrieval = "yes".equals(mail.headers().value("X-de-mail-confirmation-of-retrieve").orElse(null));
            context.inbound().accept(new InboundMessage(mail.transportId(), new ChannelAddress(CHANNEL, from),
                    new ChannelAddress(CHANNEL, to), subject, text, mail.receivedAt(), retrieval, check, parts));
            // after the sink returned (new or a redelivery): the recipient's copies of its Eingangs- and
            // Abholbestätigung quote this field as their Hash, and are believed only if it is exactly this
            String integrityField = mail.headers().value("X-de-mail-integrity").orElseThrow();
            context.memory().remember(receivedKey(mail.transportId()),
                    integrityField.getBytes(StandardCharsets.UTF_8), settings.receiptWindow());
        } finally {
            if (body[0] != null) {
                Files.deleteIfExists(body[0]);
            }
        }
    }

    /**
     * Walks the entity: the first inline text/plain leaf is the body (transcoded to UTF-8 into a spool file), every
     * other leaf an attachment read from the mail when the sink reads it. Returns a quarantine reason, or null.
     */
    private String collect(Part part, List<InboundPart> parts, Path[] body) throws IOException, MessagingException {
        if (part.isMimeType("multipart/*")) {
            if (!(part.getContent() instanceof Multipart multipart)) {
                return "malformed MIME: a " + part.getContentType() + " without parts";
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                String problem = collect(multipart.getBodyPart(i), parts, body);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        String name = part.getFileName();
        if (name != null && name.contains("=?")) {
            name = HeaderText.decode(name);
        }
        if (name != null && HeaderText.controlCharacter(name) != null) {
            return "control characters: a file name contains " + HeaderText.controlCharacter(name);
        }
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || name != null;
        if (body[0] == null && !attachment && part.isMimeType("text/plain")) {
            body[0] = utf8(part);
            return null;
        }
        String fileName = name == null ? "part-" + (parts.size() + 1) : name.substring(Math.max(
                name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String type = new ContentType(Optional.ofNullable(part.getContentType()).orElse("application/octet-stream"))
                .getBaseType().toLowerCase(Locale.ROOT);
        parts.add(new InboundPart(fileName.isBlank() ? "part-" + (parts.size() + 1) : fileName, type, () -> {
            try {
                return part.getInputStream();
            } catch (MessagingException e) {
                throw new IOException("the part " + fileName + " cannot be read: " + e.getMessage(), e);
            }
        }));
        return null;
    }

    private Path utf8(Part part) throws IOException, MessagingException {
        Charset charset = StandardCharsets.UTF_8;
        String declared = new ContentType(part.getContentType()).getParameter("charset");
        if (declared != null) {
            try {
                charset = Charset.forName(MimeUtility.javaCharset(declared.strip()));
            } catch (IllegalArgumentException e) {
                charset = StandardCharsets.ISO_8859_1; // every byte stays a character; nothing is lost
            }
        }
        Path file = Files.createTempFile(settings.spoolDirectory(), "demail-body-", ".txt");
        try (Reader reader = new InputStreamReader(part.getInputStream(), charset);
             Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            reader.transferTo(writer);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** The participant address: the mailbox's, else the actual (or chosen) recipient, else To. */
    private String recipient(HeaderFields headers, String mailboxAddress) {
        if (mailboxAddress != null) {
            return mailboxAddress;
        }
        for (String field : List.of("X-de-mail-actual-recipient", "X-de-mail-chosen-recipient")) {
            String a = toAddress(headers.value(field).orElse(null));
            if (a != null) {
                return a;
            }
        }
        return plainAddress(headers.value("To").orElse(null));
    }

    /** The first {@code to=} address of a chosen- or actual-recipient value, lower case; null when there is none. */
    static String toAddress(String value) {
        if (value == null) {
            return null;
        }
        for (String part : value.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("to=")) {
                String a = plainAddress(p.substring(3).split(",")[0]);
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ checks

    private IntegrityResult verifyIntegrity(Mail mail, boolean requireSignature) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(mail.raw()), 64 * 1024)) {
            return integrity.verify(in, requireSignature);
        }
    }

    /** What the provider's integrity field vouches for, as the inbox shows it. */
    private static SignatureCheck providerCheck(IntegrityResult r) {
        if (!r.signed()) {
            return SignatureCheck.unsigned();
        }
        ValidationResult v = r.validation();
        return new SignatureCheck(r.flags().isEmpty() ? SignatureCheck.Status.VALID
                : SignatureCheck.Status.VALID_WITH_WARNINGS,
                "De-Mail provider signature (absenderbestätigt) by " + r.signer(), v == null ? "not validated"
                : v.status(), List.of(r.spec().displayName()), r.flags());
    }

    private static SignatureCheck endToEndCheck(SmimeResult result) {
        List<String> algorithms = new ArrayList<>();
        SignerResult signer = null;
        for (SmimeLayer layer : result.layers()) {
            DecryptionResult d = layer.decryption();
            if (d != null && d.contentAlgorithm() != null) {
                algorithms.add(d.contentAlgorithm().displayName());
            }
            VerificationResult v = layer.verification();
            if (v != null && !v.signers().isEmpty()) {
                signer = signer == null ? v.signers().get(0) : signer;
                if (v.signers().get(0).signatureSpec() != null) {
                    algorithms.add(v.signers().get(0).signatureSpec().displayName());
                }
            }
        }
        if (signer == null) {
            return SignatureCheck.unsigned();
        }
        ValidationResult v = signer.certificateValidation();
        return new SignatureCheck(result.flags().isEmpty() ? SignatureCheck.Status.VALID
                : SignatureCheck.Status.VALID_WITH_WARNINGS, signer.subject(), v == null ? "not validated"
                : v.status(), algorithms, result.flags());
    }

    // ------------------------------------------------------------------ plumbing

    static SentDelivery decodeSent(byte[] value) {
        try {
            return SentDelivery.decode(value);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a remembered De-Mail delivery cannot be read: {0}", e.getMessage());
            return null;
        }
    }

    /** The addr-spec of a header value holding one address, lower case; null when it cannot be read. */
    static String plainAddress(String value) {
        if (value == null) {
            return null;
        }
        try {
            InternetAddress[] a = InternetAddress.parseHeader(value, false);
            return a.length == 1 && a[0].getAddress() != null ? a[0].getAddress().toLowerCase(Locale.ROOT) : null;
        } catch (AddressException e) {
            return null;
        }
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private void quarantine(Mail mail, String reason) {
        Path raw = mail.raw();
        context.inbound().quarantine(new QuarantinedMessage(mail.transportId(), reason, mail.receivedAt(),
                () -> Files.newInputStream(raw), mail.deliveredTo()));
    }

    private static String digest(Path raw) throws IOException {
        ContentDigester d = new ContentDigester();
        try (InputStream in = d.watch(Files.newInputStream(raw))) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return d.hex();
    }
}
