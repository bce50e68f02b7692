package de.amtsbote.adapter.smime;

import de.amtsbote.adapter.mail.HeaderText;
import de.amtsbote.adapter.mail.MailAddresses;
import de.amtsbote.adapter.mail.MessageIds;
import de.amtsbote.adapter.mail.OutboundMail;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.cms.DecryptionResult;
import de.amtsbote.crypto.cms.ReceiptVerification;
import de.amtsbote.crypto.cms.SignerResult;
import de.amtsbote.crypto.cms.VerificationResult;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.smime.SmimeLayer;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundPart;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.SignatureCheck;
import de.amtsbote.spi.TransportProof;
import de.amtsbote.spi.TransportReceipt;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns one received mail, spooled to a file, into what the gateway stores: a verified {@link InboundMessage} per
 * addressed participant, a {@link TransportReceipt} for an MDN, DSN or ESS signed receipt, or a
 * {@link QuarantinedMessage} naming the reason. It returns only after the sink returned for everything, so the
 * caller may then acknowledge the mail (SMTP 250, IMAP delete); an {@link IOException} or a runtime failure of the
 * sink means nothing may be acknowledged.
 *
 * <p>Content is untrusted until the S/MIME result is valid: the opener writes the innermost entity to a temporary
 * file, which is only parsed once the result says valid, and deleted when the sink has taken what it needs.
 */
final class InboundProcessor {

    static final String CHANNEL = SmimeAdapter.CHANNEL;
    /** The outer header block is read through this limit before any parser sees it. */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    private static final System.Logger LOG = System.getLogger(InboundProcessor.class.getName());

    private final ChannelContext context;
    private final Crypto crypto;
    private final SmimeSettings settings;
    private final Session session;

    InboundProcessor(ChannelContext context, Crypto crypto, SmimeSettings settings, Session session) {
        this.context = context;
        this.crypto = crypto;
        this.settings = settings;
        this.session = session;
    }

    /**
     * Quarantines a mail without reading it (an IMAP mail over the size limit), under its Message-ID if it has one.
     *
     * @param deliveredTo the address of the mailbox it was found in, or empty
     */
    void quarantineAsIs(Path raw, String reason, List<String> deliveredTo, Instant receivedAt) throws IOException {
        Incoming in = new Incoming(raw, receivedAt, "sha256:" + digest(raw), deliveredTo);
        if (headerBlockProblem(raw) == null) {
            try (SharedFileInputStream shared = new SharedFileInputStream(raw.toFile())) {
                String id = MessageIds.normalize(new MimeMessage(session, shared).getHeader("Message-ID", null));
                if (id != null) {
                    in.transportId = id;
                }
            } catch (MessagingException e) {
                // no Message-ID to be read: the digest names it
            }
        }
        quarantine(in, reason);
    }

    /** A Jakarta Mail session for parsing only: strict about boundaries, lenient about UTF-8 in headers. */
    static Session parsingSession() {
        java.util.Properties p = new java.util.Properties();
        p.put("mail.mime.allowutf8", "true");
        p.put("mail.mime.multipart.ignoremissingendboundary", "false");
        p.put("mail.mime.multipart.ignoremissingboundaryparameter", "false");
        p.put("mail.mime.multipart.allowempty", "false");
        return Session.getInstance(p);
    }

    /**
     * Processes one mail as it arrives.
     *
     * @param raw        the mail as received (headers and body)
     * @param recipients the envelope recipients (SMTP RCPT, already checked to be participants), or empty to take
     *                   them from {@code mailbox} or the To and Cc headers (IMAP)
     * @param mailbox    the address of the IMAP mailbox it was found in, or null
     */
    void process(Path raw, List<String> recipients, String mailbox) throws IOException {
        processReceived(raw, deliveredTo(recipients, mailbox), context.clock().instant());
    }

    /**
     * What the transport delivered a mail to: the envelope recipients, else the mailbox's address, else nothing (then
     * the To and Cc headers name the recipients). Kept with a quarantined mail for its recheck.
     */
    static List<String> deliveredTo(List<String> recipients, String mailbox) {
        return !recipients.isEmpty() ? List.copyOf(recipients) : mailbox != null ? List.of(mailbox) : List.of();
    }

    /**
     * Processes one mail: on its arrival, and again, with the same checks, when an operator releases it from
     * quarantine.
     *
     * @param deliveredTo what the transport delivered it to ({@link #deliveredTo(List, String)})
     * @param receivedAt  when it arrived
     */
    void processReceived(Path raw, List<String> deliveredTo, Instant receivedAt) throws IOException {
        String fallbackId = "sha256:" + digest(raw);
        Incoming in = new Incoming(raw, receivedAt, fallbackId, deliveredTo);
        MimeMessage outer;
        SharedFileInputStream shared = null;
        try {
            String headerProblem = headerBlockProblem(raw);
            if (headerProblem != null) {
                quarantine(in, Quarantine.MALFORMED_MIME.because(headerProblem));
                return;
            }
            shared = new SharedFileInputStream(raw.toFile());
            outer = new MimeMessage(session, shared);
            String messageId = MessageIds.normalize(outer.getHeader("Message-ID", null));
            if (messageId != null) {
                in.transportId = messageId;
            }
            processParsed(in, outer);
        } catch (MessagingException e) {
            quarantine(in, Quarantine.MALFORMED_MIME.because("the mail cannot be parsed: " + e.getMessage()));
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
    }

    /** What is known of the mail being processed. */
    private static final class Incoming {
        final Path raw;
        final Instant receivedAt;
        final List<String> deliveredTo;
        String transportId;

        Incoming(Path raw, Instant receivedAt, String transportId, List<String> deliveredTo) {
            this.raw = raw;
            this.receivedAt = receivedAt;
            this.transportId = transportId;
            this.deliveredTo = deliveredTo;
        }
    }

    private void processParsed(Incoming in, MimeMessage outer) throws MessagingException, IOException {
        String subjectRaw = outer.getHeader("Subject", null);
        String subject = subjectRaw == null ? "" : HeaderText.decode(subjectRaw);
        String control = HeaderText.controlCharacter(subject);
        if (control != null) {
            quarantine(in, Quarantine.CONTROL_CHARACTERS.because("the subject contains the control character "
                    + control + " (CR/LF in a header is an injection attempt)"));
            return;
        }
        ContentType type;
        try {
            type = new ContentType(Optional.ofNullable(outer.getContentType()).orElse("text/plain"));
        } catch (MessagingException e) {
            quarantine(in, Quarantine.MALFORMED_MIME.because("the Content-Type cannot be parsed: " + e.getMessage()));
            return;
        }
        // receipts are answers to what we sent: they are correlated by their content, not by who they are addressed to
        String reportType = Reports.reportType(outer);
        if (reportType != null && (Reports.isMdn(reportType) || Reports.isDsn(reportType))) {
            receipt(in, outer, reportType, null, null);
            return;
        }
        boolean pkcs7 = type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime");
        if (pkcs7 && "signed-receipt".equalsIgnoreCase(type.getParameter("smime-type"))) {
            essReceipt(in);
            return;
        }
        List<String> participantAddresses = participants(outer, in.deliveredTo);
        if (participantAddresses.isEmpty()) {
            quarantine(in, Quarantine.NOT_ADDRESSED_TO_A_PARTICIPANT.because("none of the recipients ("
                    + String.join(", ", headerRecipients(outer)) + ") is a participant of this gateway"));
            return;
        }
        if (pkcs7 || type.match("multipart/signed")) {
            smime(in, outer, subject, participantAddresses);
            return;
        }
        if (settings.requireSignature()) {
            quarantine(in, Quarantine.UNSIGNED.because("the mail (" + type.getBaseType() + ") is neither signed nor"
                    + " encrypted, and this channel requires signed mail (require-signature)"));
            return;
        }
        accept(in, outer, outer, subject, participantAddresses, SignatureCheck.unsigned(), null, List.of());
    }

    // ------------------------------------------------------------------ S/MIME messages

    private void smime(Incoming in, MimeMessage outer, String subject, List<String> participantAddresses)
            throws IOException, MessagingException {
        SmimeOpener opener = opener(participantAddresses);
        Path inner = Files.createTempFile(settings.spoolDirectory(), "smime-inner-", ".eml");
        try {
            SmimeResult result;
            try (InputStream entity = new BufferedInputStream(Files.newInputStream(in.raw), 64 * 1024);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(inner), 64 * 1024)) {
                result = opener.open(entity, out);
            }
            boolean report = result.contentType() != null && result.contentType().equals("multipart/report");
            if (report && readableDespiteFailure(result)) {
                try (SharedFileInputStream shared = new SharedFileInputStream(inner.toFile())) {
                    MimeMessage innerEntity = new MimeMessage(session, shared);
                    String reportType = Reports.reportType(innerEntity);
                    if (reportType != null && (Reports.isMdn(reportType) || Reports.isDsn(reportType))) {
                        receipt(in, innerEntity, reportType, result, outer);
                        return;
                    }
                }
            }
            if (!result.valid()) {
                quarantine(in, reasonFor(result));
                return;
            }
            if (!result.signed() && settings.requireSignature()) {
                quarantine(in, Quarantine.UNSIGNED.because("the mail is encrypted but not signed, and this channel"
                        + " requires signed mail (require-signature)"));
                return;
            }
            if ("ESS receipt (id-ct-receipt)".equals(result.contentType())) {
                quarantine(in, Quarantine.UNSUPPORTED_SMIME.because("an ESS signed receipt inside an encrypted layer"
                        + " is not read; receipts are expected as application/pkcs7-mime; smime-type=signed-receipt"));
                return;
            }
            String from = fromAddress(outer);
            List<String> warnings = new ArrayList<>(result.flags());
            SignerResult signer = firstSigner(result);
            boolean signerNamesFrom = signer != null && from != null && names(signer.certificate(), from);
            if (signer != null && !signerNamesFrom) {
                warnings.add("the signer's certificate does not name the From address " + from);
            }
            SignatureCheck check = signatureCheck(result, signer, warnings);
            try (SharedFileInputStream shared = new SharedFileInputStream(inner.toFile())) {
                MimeMessage entity = new MimeMessage(session, shared);
                boolean accepted = accept(in, outer, entity, subject, participantAddresses, check, result,
                        result.receiptRequests().isEmpty() ? List.of() : List.of("ess"));
                if (accepted && signerNamesFrom) {
                    // a verified signer: the directory may learn its certificate for encryption (its documented rule)
                    context.directory().offer(new ChannelAddress(CHANNEL, from), chain(signer));
                }
            }
        } finally {
            Files.deleteIfExists(inner);
        }
    }

    /** Opens S/MIME with the keys of every addressed participant that has keys (and verifies for all). */
    private SmimeOpener opener(Collection<String> addresses) throws IOException {
        List<String> withKeys = new ArrayList<>();
        for (String address : addresses) {
            Optional<String> participant = context.directory().participantAt(new ChannelAddress(CHANNEL, address));
            if (participant.isEmpty() || withKeys.contains(participant.get())) {
                continue;
            }
            try {
                crypto.decryptionKeys(participant.get());
                withKeys.add(participant.get());
            } catch (KeyVaultException e) {
                LOG.log(System.Logger.Level.DEBUG, "participant {0} has no decryption key: {1}", participant.get(),
                        e.getMessage());
            }
        }
        try {
            return crypto.smimeOpener(withKeys.toArray(String[]::new));
        } catch (KeyVaultException e) {
            throw new IOException("the key store cannot be read for " + withKeys + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a report inside S/MIME can still be read as weak evidence although the result is not valid: every
     * encrypted layer decrypted (so the content is what was sent to us), only a signature failed.
     */
    private static boolean readableDespiteFailure(SmimeResult result) {
        if (result.failure() != null) {
            return false;
        }
        return result.layers().stream().filter(l -> !l.signed()).allMatch(SmimeLayer::valid);
    }

    private static SignerResult firstSigner(SmimeResult result) {
        for (VerificationResult v : result.verifications()) {
            if (!v.signers().isEmpty()) {
                return v.signers().get(0);
            }
        }
        return null;
    }

    private static List<X509Certificate> chain(SignerResult signer) {
        ValidationResult v = signer.certificateValidation();
        if (v != null && !v.path().isEmpty()) {
            return v.path();
        }
        return List.of(signer.certificate());
    }

    /** The quarantine reason for an S/MIME result that is not valid: the first layer that failed, named. */
    static String reasonFor(SmimeResult result) {
        for (SmimeLayer layer : result.layers()) {
            if (layer.valid()) {
                continue;
            }
            if (layer.problem() != null) {
                return Quarantine.MALFORMED_MIME.because(layer.describe());
            }
            if (layer.kind() == SmimeLayer.Kind.ENCRYPTED) {
                DecryptionResult d = layer.decryption();
                return switch (d.failure()) {
                    case NO_MATCHING_KEY -> Quarantine.ENCRYPTED_FOR_ANOTHER_KEY.because(d.describe());
                    case ALGORITHM_REFUSED -> Quarantine.REFUSED_ALGORITHM.because(d.describe());
                    case MALFORMED, NOT_ENCRYPTED -> Quarantine.MALFORMED_MIME.because(d.describe());
                    default -> Quarantine.UNDECRYPTABLE.because(d.describe());
                };
            }
            VerificationResult v = layer.verification();
            if (v.failure() != null) {
                return (v.failure() == de.amtsbote.crypto.cms.SignatureCheck.MALFORMED
                        ? Quarantine.MALFORMED_MIME : Quarantine.BAD_SIGNATURE).because(v.describe());
            }
            SignerResult s = v.failedSigner().orElse(null);
            if (s == null) {
                return Quarantine.BAD_SIGNATURE.because(v.describe());
            }
            return signerReason(s).because(s.describe());
        }
        if (result.failure() != null) {
            return (switch (result.failure()) {
                case MALFORMED -> Quarantine.MALFORMED_MIME;
                case NESTING_TOO_DEEP, UNSUPPORTED -> Quarantine.UNSUPPORTED_SMIME;
            }).because(result.detail());
        }
        return Quarantine.MALFORMED_MIME.because(result.describe());
    }

    private static Quarantine signerReason(SignerResult s) {
        return switch (s.failure()) {
            case ALGORITHM_REFUSED -> s.detail() != null && s.detail().contains("SHA-1")
                    ? Quarantine.SHA1_SIGNATURE : Quarantine.REFUSED_ALGORITHM;
            case CERTIFICATE_INVALID -> {
                ValidationResult v = s.certificateValidation();
                ValidationResult.Reason r = v == null ? null : v.reason();
                if (r == ValidationResult.Reason.REVOKED) {
                    yield Quarantine.REVOKED_SIGNER;
                }
                if (r == ValidationResult.Reason.UNKNOWN_CA) {
                    yield Quarantine.UNKNOWN_CA;
                }
                yield Quarantine.INVALID_SIGNER_CERTIFICATE;
            }
            case MALFORMED -> Quarantine.MALFORMED_MIME;
            default -> Quarantine.BAD_SIGNATURE;
        };
    }

    private static SignatureCheck signatureCheck(SmimeResult result, SignerResult signer, List<String> warnings) {
        List<String> algorithms = new ArrayList<>();
        for (SmimeLayer layer : result.layers()) {
            if (layer.decryption() != null) {
                DecryptionResult d = layer.decryption();
                add(algorithms, d.contentAlgorithm() == null ? null : d.contentAlgorithm().displayName());
                add(algorithms, d.keyManagement() == null ? null : d.keyManagement().displayName());
                add(algorithms, d.keyWrap() == null ? null : d.keyWrap().displayName());
            }
            if (layer.verification() != null) {
                for (SignerResult s : layer.verification().signers()) {
                    add(algorithms, s.signatureSpec() == null ? null : s.signatureSpec().displayName());
                }
            }
        }
        if (signer == null) {
            return new SignatureCheck(SignatureCheck.Status.UNSIGNED, null, null, algorithms, warnings);
        }
        ValidationResult v = signer.certificateValidation();
        String certificateStatus = v == null ? "not validated"
                : v.status() + (v.revocation() == null ? "" : " (" + v.revocation() + ")");
        return new SignatureCheck(warnings.isEmpty() ? SignatureCheck.Status.VALID
                : SignatureCheck.Status.VALID_WITH_WARNINGS, signer.subject(), certificateStatus, algorithms, warnings);
    }

    private static void add(List<String> list, String value) {
        if (value != null && !list.contains(value)) {
            list.add(value);
        }
    }

    // ------------------------------------------------------------------ messages

    /**
     * Hands the message to the sink once per addressed participant. {@code entity} is the innermost MIME entity (the
     * outer mail for unsigned mail). Returns false when it was quarantined instead.
     */
    private boolean accept(Incoming in, MimeMessage outer, MimeMessage entity, String subject, List<String> to,
                           SignatureCheck check, SmimeResult result, List<String> essRequested)
            throws IOException, MessagingException {
        String from = fromAddress(outer);
        if (from == null) {
            quarantine(in, Quarantine.MALFORMED_MIME.because("the mail has no valid From address ("
                    + outer.getHeader("From", ", ") + ")"));
            return false;
        }
        Content content = new Content();
        try {
            collect(entity, content);
        } catch (MessagingException e) {
            quarantine(in, Quarantine.MALFORMED_MIME.because("the MIME structure is broken: " + e.getMessage()));
            return false;
        } catch (UnusableContent e) {
            quarantine(in, e.reason);
            return false;
        }
        String notificationTo = notificationAddress(outer);
        boolean receiptWanted = notificationTo != null || !essRequested.isEmpty();
        Path body = null;
        try {
            body = bodyText(content);
            Path bodyFile = body;
            ContentSource bodySource = bodyFile == null
                    ? () -> InputStream.nullInputStream()
                    : () -> Files.newInputStream(bodyFile);
            for (String address : to) {
                String transportId = to.size() == 1 ? in.transportId : in.transportId + " " + address;
                if (receiptWanted) {
                    // the address the retrieval receipt goes to, for confirmRetrieval at any node, days later
                    context.memory().remember(inboundKey(transportId),
                            (notificationTo != null ? notificationTo : from).getBytes(StandardCharsets.UTF_8),
                            settings.receiptWindow());
                }
                context.inbound().accept(new InboundMessage(transportId, new ChannelAddress(CHANNEL, from),
                        new ChannelAddress(CHANNEL, address), subject, bodySource, in.receivedAt, receiptWanted, check,
                        content.attachments));
            }
            return true;
        } finally {
            if (body != null) {
                Files.deleteIfExists(body);
            }
        }
    }

    static String inboundKey(String transportId) {
        return "in:" + transportId;
    }

    /** A part that makes the message unacceptable: quarantined with this reason. */
    private static final class UnusableContent extends Exception {
        final String reason;

        UnusableContent(String reason) {
            super(reason);
            this.reason = reason;
        }
    }

    private static final class Content {
        Part body;
        final List<InboundPart> attachments = new ArrayList<>();
        int leaves;
    }

    /** Walks the entity: the first inline text/plain is the body, every other leaf an attachment. */
    private void collect(Part part, Content content) throws MessagingException, IOException, UnusableContent {
        if (part.isMimeType("multipart/*")) {
            Object c = part.getContent();
            if (!(c instanceof MimeMultipart multipart)) {
                throw new MessagingException("a " + part.getContentType() + " part without parts");
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), content);
            }
            return;
        }
        content.leaves++;
        MimePart mime = (MimePart) part;
        String fileName = fileName(mime, content.leaves);
        checkDecodes(mime, content.leaves);
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || mime.getFileName() != null;
        if (content.body == null && !attachment && part.isMimeType("text/plain")) {
            content.body = part;
            return;
        }
        String mediaType = new ContentType(Optional.ofNullable(part.getContentType()).orElse("text/plain"))
                .getBaseType().toLowerCase(Locale.ROOT);
        content.attachments.add(new InboundPart(fileName, mediaType, () -> decoded(mime)));
    }

    /** Reads a part through its transfer decoding once, so that a broken encoding is found before the sink reads. */
    private static void checkDecodes(MimePart part, int n) throws UnusableContent, MessagingException {
        try (InputStream in = decoded(part)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UnusableContent(Quarantine.MALFORMED_MIME.because("part " + n + " cannot be decoded ("
                    + part.getEncoding() + "): " + e.getMessage()));
        }
    }

    private static InputStream decoded(MimePart part) throws IOException {
        try {
            String encoding = part.getEncoding();
            return MimeUtility.decode(Reports.raw(part), encoding == null ? "7bit" : encoding);
        } catch (MessagingException e) {
            throw new IOException("the part cannot be decoded: " + e.getMessage(), e);
        }
    }

    /**
     * The part's file name, decoded (RFC 2231 parameters, RFC 2047 words) and made safe to show and store: no
     * directories, no characters that file systems or terminals misread. A control character is not cleaned but
     * refused: it is an attack on whoever processes the name.
     */
    static String fileName(MimePart part, int n) throws MessagingException, UnusableContent {
        String name = part.getFileName();
        if (name == null) {
            return "part-" + n + extension(part);
        }
        if (name.contains("=?")) {
            name = HeaderText.decode(name);
        }
        String control = HeaderText.controlCharacter(name);
        if (control != null) {
            throw new UnusableContent(Quarantine.CONTROL_CHARACTERS.because("the file name of part " + n
                    + " contains the control character " + control));
        }
        return sanitizedFileName(name, n);
    }

    static String sanitizedFileName(String name, int n) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            int type = Character.getType(cp);
            boolean bad = type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || ":*?\"<>|".indexOf(cp) >= 0;
            b.appendCodePoint(bad ? '_' : cp);
            i += Character.charCount(cp);
        }
        String clean = b.toString().strip();
        while (clean.startsWith(".")) {
            clean = clean.substring(1);
        }
        if (clean.isBlank()) {
            return "part-" + n;
        }
        while (clean.getBytes(StandardCharsets.UTF_8).length > 255) {
            int dot = clean.lastIndexOf('.');
            String ext = dot > 0 && clean.length() - dot <= 16 ? clean.substring(dot) : "";
            clean = clean.substring(0, clean.length() - ext.length() - 1) + ext;
        }
        return clean;
    }

    private static String extension(MimePart part) throws MessagingException {
        if (part.isMimeType("text/plain")) {
            return ".txt";
        }
        if (part.isMimeType("text/html")) {
            return ".html";
        }
        if (part.isMimeType("message/rfc822")) {
            return ".eml";
        }
        if (part.isMimeType("application/pdf")) {
            return ".pdf";
        }
        return ".bin";
    }

    /** The body text as UTF-8 in a temporary file (from its own charset), or null when there is no body part. */
    private Path bodyText(Content content) throws IOException, MessagingException {
        if (content.body == null) {
            return null;
        }
        Charset charset = StandardCharsets.UTF_8;
        String declared = new ContentType(Optional.ofNullable(content.body.getContentType()).orElse("text/plain"))
                .getParameter("charset");
        if (declared != null) {
            try {
                charset = Charset.forName(MimeUtility.javaCharset(declared.strip()));
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // an unknown charset: the bytes are kept as ISO-8859-1, which maps every byte to a character
                charset = StandardCharsets.ISO_8859_1;
            }
        }
        Path file = Files.createTempFile(settings.spoolDirectory(), "smime-body-", ".txt");
        try (InputStream in = decoded((MimePart) content.body);
             java.io.Reader reader = new java.io.InputStreamReader(in, charset);
             java.io.Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            reader.transferTo(writer);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    // ------------------------------------------------------------------ receipts

    /**
     * An MDN or DSN, plain ({@code smime} null) or inside S/MIME. Recorded, never dropped: its assurance says how far
     * it can be trusted.
     */
    private void receipt(Incoming in, MimeMessage report, String reportType, SmimeResult smime, MimeMessage outer)
            throws IOException, MessagingException {
        List<Reports.Finding> findings;
        try {
            findings = Reports.read(report, reportType);
        } catch (Reports.UnreadableReport e) {
            quarantine(in, Quarantine.MALFORMED_MIME.because(e.getMessage()));
            return;
        }
        MimeMessage headers = outer != null ? outer : report;
        for (Reports.Finding f : findings) {
            SentRecord sent = recall(f);
            String reference = sent != null ? sent.messageId() : f.originalMessageId();
            if (reference == null) {
                quarantine(in, Quarantine.UNKNOWN_RECEIPT.because("the " + (Reports.isMdn(reportType) ? "MDN" : "DSN")
                        + " names neither an envelope id nor a Message-ID we sent (" + f.summary() + ")"));
                return;
            }
            SignerResult signer = smime != null && smime.valid() ? firstSigner(smime) : null;
            boolean recipientSigned = signer != null && f.finalRecipient() != null
                    && names(signer.certificate(), f.finalRecipient())
                    && (sent == null || MailAddresses.same(sent.recipient(), f.finalRecipient()));
            Instant at = recipientSigned && signer.signingTime() != null ? signer.signingTime()
                    : Optional.ofNullable(headers.getSentDate()).map(java.util.Date::toInstant).orElse(in.receivedAt);
            context.inbound().receipt(new TransportReceipt(CHANNEL, reference, f.event(), at, f.reason(),
                    proof(in.raw, recipientSigned ? Assurance.RECIPIENT_SIGNED : Assurance.UNAUTHENTICATED)));
        }
    }

    private SentRecord recall(Reports.Finding f) {
        String deliveryId = f.envelopeId() != null ? f.envelopeId()
                : f.originalMessageId() != null ? OutboundMail.deliveryIdOf(f.originalMessageId()) : null;
        if (deliveryId == null) {
            return null;
        }
        return context.memory().recall(SentRecord.sentKey(deliveryId)).map(InboundProcessor::decodeRecord)
                .filter(r -> f.originalMessageId() == null || r.messageId().equals(f.originalMessageId()))
                .orElse(null);
    }

    private static SentRecord decodeRecord(byte[] value) {
        try {
            return SentRecord.decode(value);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a remembered record of a sent mail cannot be read: {0}",
                    e.getMessage());
            return null;
        }
    }

    /** An ESS signed receipt (RFC 2634): checked against the signature we remembered for its content identifier. */
    private void essReceipt(Incoming in) throws IOException {
        AtomicReference<SentRecord> found = new AtomicReference<>();
        ReceiptVerification v;
        SmimeOpener opener;
        try {
            opener = crypto.smimeOpener();
        } catch (KeyVaultException e) {
            throw new IOException("the key store cannot be read: " + e.getMessage(), e);
        }
        try (InputStream entity = new BufferedInputStream(Files.newInputStream(in.raw))) {
            v = opener.verifyReceipt(entity, id -> {
                Optional<SentRecord> r = context.memory().recall(SentRecord.essKey(id))
                        .map(InboundProcessor::decodeRecord);
                r.ifPresent(found::set);
                return r.map(SentRecord::signature);
            });
        }
        if (!v.valid()) {
            Quarantine q = v.failure() == de.amtsbote.crypto.cms.ReceiptCheck.UNKNOWN_CONTENT_IDENTIFIER
                    ? Quarantine.UNKNOWN_RECEIPT : v.failure() == de.amtsbote.crypto.cms.ReceiptCheck.NOT_A_RECEIPT
                    || v.failure() == de.amtsbote.crypto.cms.ReceiptCheck.MALFORMED
                    ? Quarantine.MALFORMED_MIME : Quarantine.INVALID_RECEIPT;
            quarantine(in, q.because(v.describe()));
            return;
        }
        SentRecord sent = found.get();
        SignerResult signer = v.signature().signers().get(0);
        boolean recipientSigned = names(signer.certificate(), sent.recipient());
        Instant at = signer.signingTime() != null ? signer.signingTime() : in.receivedAt;
        context.inbound().receipt(new TransportReceipt(CHANNEL, sent.messageId(), TransportReceipt.Event.RETRIEVED, at,
                null, proof(in.raw, recipientSigned ? Assurance.RECIPIENT_SIGNED : Assurance.UNAUTHENTICATED)));
    }

    /** The receipt mail verbatim as its proof; a mail over the proof limit keeps its first part only. */
    private static TransportProof proof(Path raw, Assurance assurance) throws IOException {
        long size = Files.size(raw);
        byte[] content;
        try (InputStream in = Files.newInputStream(raw)) {
            content = in.readNBytes(TransportProof.MAX_BYTES);
        }
        if (size > TransportProof.MAX_BYTES) {
            LOG.log(System.Logger.Level.WARNING, "a receipt of {0} bytes is kept as proof only up to {1} bytes", size,
                    TransportProof.MAX_BYTES);
        }
        return new TransportProof("message/rfc822", content, assurance);
    }

    // ------------------------------------------------------------------ addresses

    /** The participants' addresses this mail is for: what it was delivered to (envelope, mailbox), or To and Cc. */
    private List<String> participants(MimeMessage outer, List<String> deliveredTo) throws MessagingException {
        Set<String> candidates = new LinkedHashSet<>(deliveredTo);
        if (candidates.isEmpty()) {
            candidates.addAll(headerRecipients(outer));
        }
        List<String> participants = new ArrayList<>();
        for (String a : candidates) {
            if (context.directory().participantAt(new ChannelAddress(CHANNEL, a)).isPresent()) {
                participants.add(a);
            }
        }
        return participants;
    }

    private static List<String> headerRecipients(MimeMessage outer) throws MessagingException {
        List<String> out = new ArrayList<>();
        for (String header : List.of("To", "Cc")) {
            String value = outer.getHeader(header, ",");
            if (value == null) {
                continue;
            }
            try {
                for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                    var check = MailAddresses.check(a.getAddress());
                    if (check.isValid() && !out.contains(check.normalized())) {
                        out.add(check.normalized());
                    }
                }
            } catch (AddressException e) {
                // an unreadable header names no participant
            }
        }
        return out;
    }

    private static String fromAddress(MimeMessage outer) throws MessagingException {
        String value = outer.getHeader("From", ",");
        if (value == null) {
            return null;
        }
        try {
            InternetAddress[] from = InternetAddress.parseHeader(value, true);
            if (from.length != 1) {
                return null;
            }
            var check = MailAddresses.check(from[0].getAddress());
            return check.isValid() ? check.normalized() : null;
        } catch (AddressException e) {
            return null;
        }
    }

    private static String notificationAddress(MimeMessage outer) throws MessagingException {
        String value = outer.getHeader("Disposition-Notification-To", ",");
        if (value == null) {
            return null;
        }
        try {
            InternetAddress[] to = InternetAddress.parseHeader(value, true);
            if (to.length == 0) {
                return null;
            }
            var check = MailAddresses.check(to[0].getAddress());
            return check.isValid() ? check.normalized() : null;
        } catch (AddressException e) {
            return null;
        }
    }

    /** Whether the certificate names this address as an rfc822Name (RFC 8550 3: the S/MIME address binding). */
    static boolean names(X509Certificate certificate, String address) {
        if (certificate == null || address == null) {
            return false;
        }
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> name : names) {
                if (Integer.valueOf(1).equals(name.get(0)) && name.get(1) instanceof String email
                        && MailAddresses.same(email.strip(), address)) {
                    return true;
                }
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private void quarantine(Incoming in, String reason) {
        Path raw = in.raw;
        context.inbound().quarantine(new QuarantinedMessage(in.transportId, reason, in.receivedAt,
                () -> Files.newInputStream(raw), in.deliveredTo));
    }

    /** Whether the header block ends within {@value #MAX_HEADER_BYTES} bytes; else why not. */
    private static String headerBlockProblem(Path raw) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(raw))) {
            int previous = -1;
            int beforePrevious = -1;
            for (int i = 0; i < MAX_HEADER_BYTES; i++) {
                int b = in.read();
                if (b < 0) {
                    return i == 0 ? "the mail is empty" : null;
                }
                if (b == '\n' && (previous == '\n' || previous == '\r' && beforePrevious == '\n')) {
                    return null;
                }
                beforePrevious = previous;
                previous = b;
            }
        }
        return "the header block is longer than " + MAX_HEADER_BYTES + " bytes";
    }

    private static String digest(Path raw) throws IOException {
        ContentDigester digester = new ContentDigester();
        try (InputStream in = digester.watch(Files.newInputStream(raw))) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return digester.hex();
    }

}
