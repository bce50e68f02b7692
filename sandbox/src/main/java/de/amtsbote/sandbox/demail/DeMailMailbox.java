package de.amtsbote.sandbox.demail;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.smime.SmimeSigningStream;
import de.amtsbote.crypto.smime.SmimeWriter;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.sandbox.MimeWriting;
import de.amtsbote.sandbox.demail.SubmissionRules.Submitter;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * A mailbox at a sandbox provider, operated by the sandbox as its holder would through the provider's webmail: send
 * ({@link #send}), log in securely ({@link #secureLogin}) and look at what is in it ({@link #messages}). The same
 * mailbox is served over IMAP (login: the address). Get one from {@link DeMailProviders#mailbox}.
 */
public final class DeMailMailbox {

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final DeMailProvider provider;
    private final MailboxConfig config;
    private final MailFolder inbox;
    /** Deposited messages that asked for an Abholbestätigung and wait for the holder's secure login. */
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(AcceptedMessage message, Instant deposited) {
    }

    DeMailMailbox(DeMailProvider provider, MailboxConfig config, MailFolder inbox) {
        this.provider = provider;
        this.config = config;
        this.inbox = inbox;
    }

    public String address() {
        return config.address();
    }

    public MailboxConfig config() {
        return config;
    }

    public DeMailProvider provider() {
        return provider;
    }

    /**
     * Sends a De-Mail from this mailbox as its provider's webmail would: the message is written with all De-Mail
     * fields, checked by the same rules as an SMTP submission, given the provider's fields and integrity field and
     * delivered. Confirmations and notifications come back into this mailbox.
     *
     * @return the {@code X-de-mail-message-id} the provider gave it
     * @throws DeMailRefusedException when the provider refuses it (the reply names the rule)
     * @throws IOException            when an attachment or the recipient certificate cannot be read or used
     */
    public String send(OutgoingDeMail mail) throws IOException {
        SubmissionRules.Refusal recipient = SubmissionRules.recipientProblem(mail.to(), provider.deMailDomains());
        if (recipient != null) {
            provider.refused(new Submitter(address(), config.holder(), config.publicBody(), Set.of(address()),
                    "sandbox-webmail"), address(), mail.to(), recipient.code() + " " + recipient.status(),
                    recipient.reason());
            throw new DeMailRefusedException(recipient.reply());
        }
        Path file = provider.newSpoolFile();
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                write(out, mail);
            }
            Submitter me = new Submitter(address(), config.holder(), config.publicBody(), Set.of(address()),
                    "sandbox-webmail");
            DeMailProvider.Outcome o = provider.accept(me, address(), mail.to(), file);
            if (o.refusal() != null) {
                throw new DeMailRefusedException(o.refusal().reply());
            }
            return o.demailMessageId();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The holder logs in securely (authentication level "high"): every deposited message that asked for an
     * Abholbestätigung and has not had one gets it now, to its sender and to this mailbox.
     *
     * @return how many messages were confirmed
     */
    public int secureLogin() {
        return provider.network().onNetwork(this::secureLoginNow);
    }

    /** What is in the mailbox (INBOX), oldest first. */
    public List<DeMailMessage> messages() {
        List<DeMailMessage> out = new ArrayList<>();
        // by UID: the network thread may append while someone looks
        for (long uid : inbox.getMessageUids()) {
            StoredMessage m = inbox.getMessage(uid);
            if (m == null) {
                continue; // expunged meanwhile
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try {
                m.getMimeMessage().writeTo(raw);
            } catch (IOException | MessagingException e) {
                throw new IllegalStateException("cannot read message " + m.getUid() + " of " + address(), e);
            }
            out.add(DeMailMessage.of(m.getUid(), raw.toByteArray()));
        }
        return out;
    }

    // ------------------------------------------------------------------ the provider's side

    void deposit(InputStream message, Instant at) throws IOException {
        try {
            inbox.appendMessage(new MimeMessage(SESSION, message), new Flags(), Date.from(at));
        } catch (MessagingException e) {
            throw new IOException("cannot store a message in " + address() + ": " + e.getMessage(), e);
        }
    }

    synchronized void awaitRetrieval(AcceptedMessage m, Instant deposited) {
        pending.add(new Pending(m, deposited));
    }

    /** After a deposit: the holder's own secure login, if the mailbox has a timer. */
    void deposited() {
        if (config.secureLogin().automatic()) {
            provider.network().schedule(this::secureLoginNow, config.secureLogin().after());
        }
    }

    /** Runs on the network thread. */
    int secureLoginNow() {
        List<Pending> due;
        synchronized (this) {
            due = new ArrayList<>(pending);
            pending.clear();
        }
        Instant now = provider.network().clock().instant();
        for (Pending p : due) {
            provider.confirmRetrieval(p.message(), p.deposited(), now);
        }
        provider.secureLoginLogged(address(), due.size(), now);
        return due.size();
    }

    /**
     * An end-to-end S/MIME message for a mailbox with a key is opened for the log (decrypted, signature checked);
     * the mailbox keeps it as it arrived.
     */
    void openEndToEnd(AcceptedMessage m, Instant now) {
        String type = m.headers().value("Content-Type");
        if (config.encryptionKey() == null || type == null || !type.toLowerCase().startsWith("application/pkcs7-mime")) {
            return;
        }
        CertificateValidator validator = provider.network().e2eValidator();
        if (validator == null) {
            provider.e2eLogged(address(), m.demailMessageId(), false, "no trust-anchors configured to check signers",
                    now);
            return;
        }
        try (InputStream in = Files.newInputStream(m.file())) {
            SmimeOpener opener = new SmimeOpener(CmsOpener.builder(AlgorithmPolicy.bsi(), validator)
                    .decryptionKeys(List.of(key(KeyPurpose.ENCRYPTION))).clock(provider.network().clock()).build());
            SmimeResult r = opener.open(in, OutputStream.nullOutputStream());
            provider.e2eLogged(address(), m.demailMessageId(), r.valid(), r.valid() ? r.contentType()
                    : r.failure() + ": " + r.detail(), now);
        } catch (IOException | RuntimeException e) {
            provider.e2eLogged(address(), m.demailMessageId(), false, e.getMessage(), now);
        }
    }

    // ------------------------------------------------------------------ writing a message

    private void write(OutputStream out, OutgoingDeMail mail) throws IOException {
        String domain = DeMailProvider.lower(DeMailAddress.domain(address()));
        StringBuilder h = new StringBuilder();
        header(h, "From", mailboxName());
        header(h, "To", "<" + mail.to() + ">");
        header(h, "Subject", Confirmations.encode(mail.subject()));
        header(h, "Date", DATE.format(provider.network().clock().instant()));
        header(h, "Message-ID", "<" + UUID.randomUUID() + "@" + domain + ">");
        header(h, "MIME-Version", "1.0");
        header(h, "x-de-mail-sender", address());
        header(h, "x-de-mail-chosen-recipient", "to=" + mail.to());
        header(h, "x-de-mail-confirmation-of-dispatch", yesNo(mail.dispatchConfirmation()));
        header(h, "x-de-mail-confirmation-of-receipt", yesNo(mail.receiptConfirmation()));
        header(h, "x-de-mail-confirmation-of-retrieve", yesNo(mail.retrieveConfirmation()));
        header(h, "x-de-mail-authoritative", yesNo(mail.authoritative()));
        header(h, "x-de-mail-private", yesNo(mail.personal() || mail.retrieveConfirmation()));
        if (mail.privateId() != null) {
            header(h, "x-de-mail-private-id", MimeWriting.oneLine(mail.privateId()));
        }
        out.write(h.toString().getBytes(StandardCharsets.UTF_8));
        if (mail.recipientCertificate() == null) {
            writeMixed(out, mail);
            return;
        }
        // sign-then-encrypt, as the gateway writes ENCRYPT: pkcs7-mime around multipart/signed around multipart/mixed
        CmsSigner signer;
        CmsEncryptor encryptor;
        List<X509Certificate> recipient = recipientChain(mail.recipientCertificate());
        CertificateValidator validator = provider.network().e2eValidator();
        if (validator == null) {
            throw new IOException("end-to-end encryption needs trust-anchors in the De-Mail sandbox configuration");
        }
        try {
            signer = CmsSigner.builder(key(KeyPurpose.SIGNING), AlgorithmPolicy.bsi()).clock(provider.network().clock())
                    .build();
            encryptor = CmsEncryptor.builder(AlgorithmPolicy.bsi(), validator).recipient(recipient.get(0))
                    .intermediates(recipient.subList(1, recipient.size())).clock(provider.network().clock()).build();
        } catch (CryptoException e) {
            throw new IOException(address() + " cannot sign and encrypt for "
                    + recipient.get(0).getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
        }
        OutputStream encrypted = SmimeWriter.encrypted(out, encryptor);
        SmimeSigningStream signed = SmimeWriter.multipartSigned(encrypted, signer);
        try (signed) {
            writeMixed(signed, mail);
        }
    }

    private static void writeMixed(OutputStream out, OutgoingDeMail mail) throws IOException {
        String boundary = "----=_DeMail_Mixed_" + UUID.randomUUID().toString().replace("-", "");
        ascii(out, "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        MimeWriting.quotedPrintable(out, mail.body());
        for (Path file : mail.attachments()) {
            String name = file.getFileName().toString();
            String type = Files.probeContentType(file);
            if (type == null || !type.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
                type = "application/octet-stream";
            }
            ascii(out, "\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; " + MimeWriting.rfc2231("filename", name) + "\r\n\r\n");
            OutputStream base64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
                    .wrap(new MimeWriting.NonClosing(out));
            try (InputStream in = Files.newInputStream(file); base64) {
                in.transferTo(base64);
            }
            if (Files.size(file) > 0) {
                ascii(out, "\r\n");
            }
        }
        ascii(out, "\r\n--" + boundary + "--\r\n");
    }

    private String mailboxName() {
        try {
            return new InternetAddress(address(), MimeWriting.oneLine(config.holder()), "UTF-8").toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    private SoftwareKeyHandle key(KeyPurpose purpose) throws IOException {
        if (config.encryptionKey() == null) {
            throw new IOException("mailbox " + address() + " has no key (encryption-certificate/encryption-key)");
        }
        try {
            List<X509Certificate> chain = Pem.readCertificates(config.encryptionCertificate());
            return new SoftwareKeyHandle(new KeyRef(address().replace('@', '.'), purpose,
                    address().replace('@', '.') + "." + purpose.name().toLowerCase(java.util.Locale.ROOT)), 
                    Pem.readTestPrivateKey(config.encryptionKey()), chain);
        } catch (CertificateException e) {
            throw new IOException("cannot read the certificate of " + address() + " from "
                    + config.encryptionCertificate() + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> recipientChain(Path pem) throws IOException {
        try {
            List<X509Certificate> c = Pem.readCertificates(pem);
            if (c.isEmpty()) {
                throw new IOException("no certificate in " + pem);
            }
            return c;
        } catch (CertificateException e) {
            throw new IOException("cannot read the recipient certificate " + pem + ": " + e.getMessage(), e);
        }
    }

    private static void header(StringBuilder h, String name, String value) {
        h.append(Confirmations.folded(name, value)).append("\r\n");
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }
}
