package de.amtsbote.sandbox.demail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapServer;
import com.icegreen.greenmail.util.ServerSetup;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.xml.XmlSigner;
import de.amtsbote.sandbox.demail.Confirmations.Kind;
import de.amtsbote.sandbox.demail.SubmissionRules.Refusal;
import de.amtsbote.sandbox.demail.SubmissionRules.Submitter;
import jakarta.mail.internet.MimeUtility;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One sandbox DMDA: SMTPS submission for its institutional accounts, IMAP for its mailboxes, its signing key for
 * integrity fields, confirmations and notifications, and its log. Get one from {@link DeMailProviders#provider}.
 */
public final class DeMailProvider {

    static final String VERSION = "1.7";
    private static final System.Logger LOG = System.getLogger(DeMailProvider.class.getName());

    private final ProviderConfig config;
    private final DeMailProviders network;
    private final DeMailLog log;
    private final Faults faults = new Faults();
    private final Integrity.Signer signer;
    private final Confirmations.Issuer issuer;
    private final Map<String, Submitter> accounts = new LinkedHashMap<>();
    private final Map<String, DeMailMailbox> mailboxes = new LinkedHashMap<>();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Managers managers = new Managers();
    private final Path spool;
    private final SubmissionServer smtp;
    private volatile ImapServer imap;
    private volatile int imapPort;

    private record Seen(Instant at, String demailMessageId) {
    }

    private DeMailProvider(ProviderConfig config, DeMailProviders network, Path dataDir) throws IOException {
        this.config = config;
        this.network = network;
        Path dir = dataDir.resolve(config.name());
        this.spool = Files.createDirectories(dir.resolve("spool"));
        List<X509Certificate> chain = certificates(config.signingCertificate(), "signing certificate");
        PrivateKey key = key(config.signingKey(), "signing key");
        SoftwareKeyHandle handle = new SoftwareKeyHandle(new KeyRef(config.dmdaDomain(), KeyPurpose.SIGNING,
                config.dmdaDomain() + ".demail-signing"), key, chain);
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        try {
            this.signer = new Integrity.Signer(handle, policy.signatureFor(chain.get(0).getPublicKey(), null));
        } catch (PolicyViolationException e) {
            throw new IOException("provider " + config.name() + ": the policy refuses the signing key in "
                    + config.signingKey() + ": " + e.getMessage(), e);
        }
        this.issuer = new Confirmations.Issuer(config.dmdaDomain(), signer, chain.get(0), new XmlSigner(handle, policy));
        this.smtp = new SubmissionServer(this, tls(), config.smtpPort());
        // a resumed TLS session skips the client-certificate check: refusing certificates takes fresh TLS state
        faults.onRefusal(() -> {
            try {
                smtp.renewTls(tls());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("provider " + name() + ": cannot renew its TLS state", e);
            }
        });
        this.imapPort = config.imapPort();
        this.log = DeMailLog.open(dir.resolve("demail-log.jsonl"));
    }

    static DeMailProvider start(ProviderConfig config, DeMailProviders network, Path dataDir) throws IOException {
        DeMailProvider p = new DeMailProvider(config, network, dataDir);
        try {
            p.registerAccounts();
            p.startImap();
            p.smtp.start();
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void registerAccounts() throws IOException {
        for (AccountConfig a : config.accounts()) {
            Submitter s = new Submitter(a.id(), a.holder(), a.publicBody(), Set.copyOf(a.addresses()),
                    "tls-client-certificate");
            Set<String> fingerprints = new LinkedHashSet<>(a.clientFingerprints());
            for (Path pem : a.clientCertificates()) {
                fingerprints.add(fingerprint(certificates(pem, "client certificate of account " + a.id()).get(0)));
            }
            for (String f : fingerprints) {
                if (accounts.putIfAbsent(f, s) != null) {
                    throw new IllegalArgumentException("provider " + name() + ": client certificate " + f
                            + " is registered for two accounts");
                }
            }
            for (String address : a.addresses()) {
                addMailbox(MailboxConfig.builder(address).holder(a.holder()).password(a.password())
                        .publicBody(a.publicBody()).build());
            }
        }
        for (MailboxConfig m : config.mailboxes()) {
            addMailbox(m);
        }
    }

    private void addMailbox(MailboxConfig m) throws IOException {
        try {
            com.icegreen.greenmail.user.GreenMailUser user = managers.getUserManager().createUser(m.address(),
                    m.address(), m.password());
            mailboxes.put(m.address(), new DeMailMailbox(this, m, managers.getImapHostManager().getInbox(user)));
        } catch (com.icegreen.greenmail.user.UserException | com.icegreen.greenmail.store.FolderException e) {
            throw new IOException("provider " + name() + ": cannot create the mailbox " + m.address() + ": "
                    + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ public API

    public String name() {
        return config.name();
    }

    public String dmdaDomain() {
        return config.dmdaDomain();
    }

    public ProviderConfig config() {
        return config;
    }

    /** The SMTPS submission port (the free one chosen if the configuration said 0). */
    public int smtpPort() {
        return smtp.port();
    }

    /** The IMAP port of the mailboxes (login: the address; password: the configured one). */
    public int imapPort() {
        return imapPort;
    }

    /** Fault injection for submission. */
    public Faults faults() {
        return faults;
    }

    /** Stops SMTP submission (connections are refused) until {@link #startSmtp()}, which reuses the port. */
    public void stopSmtp() {
        smtp.stop();
        log.append(network.clock().instant(), "fault", "what", "smtp stopped");
    }

    public void startSmtp() throws IOException {
        smtp.start();
        log.append(network.clock().instant(), "fault", "what", "smtp started", "port", String.valueOf(smtpPort()));
    }

    /** Stops IMAP until {@link #startImap()}; the mailboxes keep their content. */
    public synchronized void stopImap() {
        ImapServer s = imap;
        imap = null;
        if (s != null) {
            s.stopService();
        }
    }

    /** Starts IMAP on its port (the same port again after {@link #stopImap()}). */
    public synchronized void startImap() throws IOException {
        if (imap != null) {
            return;
        }
        ImapServer s = new ImapServer(new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP), managers);
        s.startService();
        try {
            if (!s.waitTillRunning(10_000)) {
                s.stopService();
                throw new IOException("provider " + name() + ": IMAP did not start on 127.0.0.1:" + imapPort);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.stopService();
            throw new IOException("interrupted while IMAP starts", e);
        }
        imapPort = s.getPort();
        imap = s;
    }

    /** The certificate of its signing key (the one in {@code X-de-mail-signature-certificate}). */
    public X509Certificate signingCertificate() {
        return issuer.certificate();
    }

    public DeMailMailbox mailbox(String address) {
        DeMailMailbox m = mailboxes.get(address);
        if (m == null) {
            throw new NoSuchElementException("provider " + name() + " has no mailbox " + address + " (it has "
                    + mailboxes.keySet() + ")");
        }
        return m;
    }

    public List<DeMailMailbox> mailboxes() {
        return new ArrayList<>(mailboxes.values());
    }

    /** Every event of this provider, oldest first. */
    public List<DeMailEvent> log() {
        return log.entries();
    }

    public Path logFile() {
        return log.file();
    }

    // ------------------------------------------------------------------ submission (SMTP and webmail)

    long maxMessageBytes() {
        return network.config().maxMessageBytes();
    }

    Set<String> deMailDomains() {
        return network.allDomains();
    }

    Submitter accountFor(X509Certificate client) {
        return accounts.get(fingerprint(client));
    }

    void tlsRefused(String reason) {
        log.append(network.clock().instant(), "tls-refused", "reason", reason);
    }

    void logFault(String what) {
        log.append(network.clock().instant(), "fault", "what", what);
    }

    void refused(Submitter account, String from, String to, String reply, String reason) {
        log.append(network.clock().instant(), "refused", "account", account == null ? null : account.id(), "from",
                from, "to", to, "reply", reply, "reason", reason);
    }

    Path newSpoolFile() throws IOException {
        return Files.createTempFile(spool, "in-", ".eml");
    }

    /** End of DATA over SMTP: the reply line. */
    String submitted(Submitter account, String mailFrom, String recipient, Path file) {
        try {
            Outcome o = accept(account, mailFrom, recipient, file);
            return o.refusal() != null ? o.refusal().reply() : "250 2.0.0 accepted as " + o.demailMessageId()
                    + (o.duplicate() ? " (already accepted earlier)" : "");
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, name() + ": cannot accept a message: " + e.getMessage(), e);
            return "451 4.3.0 the provider cannot take the message now: " + e.getMessage();
        }
    }

    /** What became of a submission: refused, accepted, or accepted before (duplicate). */
    record Outcome(Refusal refusal, String demailMessageId, boolean duplicate) {
    }

    /**
     * Checks a submitted message, adds the provider's fields and the integrity field, and hands it to the network.
     * The file is read twice (header check and body hash, then the copy) and never held in memory.
     */
    Outcome accept(Submitter submitter, String mailFrom, String recipient, Path file) throws IOException {
        Instant now = network.clock().instant();
        HeaderFields h;
        try (InputStream in = Files.newInputStream(file)) {
            h = HeaderFields.read(in);
        } catch (IOException e) {
            Refusal r = new Refusal(554, "5.6.0", "invalid-format: " + e.getMessage());
            refused(submitter, mailFrom, recipient, "554 5.6.0", r.reason());
            return new Outcome(r, null, false);
        }
        Refusal r = SubmissionRules.check(h, mailFrom, recipient, submitter);
        if (r != null) {
            refused(submitter, mailFrom, recipient, r.code() + " " + r.status(), r.reason());
            return new Outcome(r, null, false);
        }
        String messageId = h.value("Message-ID");
        String key = submitter.id() + "\n" + messageId;
        synchronized (seen) {
            Seen before = seen.get(key);
            if (before != null && before.at().plus(network.config().dedupWindow()).isAfter(now)) {
                log.append(now, "duplicate", "account", submitter.id(), "messageId", messageId, "demailMessageId",
                        before.demailMessageId());
                return new Outcome(null, before.demailMessageId(), true);
            }
            String demailMessageId = "<" + UUID.randomUUID() + "@" + dmdaDomain() + ">";
            seen.put(key, new Seen(now, demailMessageId));
            try {
                AcceptedMessage m = finish(submitter, h, file, mailFrom, recipient, demailMessageId, now);
                network.dispatch(m);
                return new Outcome(null, demailMessageId, false);
            } catch (IOException | RuntimeException e) {
                seen.remove(key);
                throw e;
            }
        }
    }

    private AcceptedMessage finish(Submitter submitter, HeaderFields h, Path file, String mailFrom, String recipient,
                                   String demailMessageId, Instant now) throws IOException {
        boolean authoritative = SubmissionRules.yes(h, "X-de-mail-authoritative");
        Integrity.Signer sign = authoritative ? signer : null;
        List<HeaderFields.Field> fields = new ArrayList<>(h.all());
        add(fields, "X-de-mail-message-id", demailMessageId);
        add(fields, "X-de-mail-originator-provider", dmdaDomain());
        add(fields, "X-de-mail-message-type", "normal");
        add(fields, "X-de-mail-version", VERSION);
        add(fields, "X-de-mail-auth-level", "high");
        add(fields, "X-de-mail-auth-mechanism", submitter.authMechanism());
        add(fields, "X-de-mail-account-holder", Confirmations.encode(submitter.holder()));
        add(fields, "X-de-mail-actual-recipient", "to=" + recipient);
        Integrity.BodyHash bodyHash = new Integrity.BodyHash(Integrity.digestFor(sign));
        try (InputStream in = Files.newInputStream(file)) {
            HeaderFields.read(in);
            in.transferTo(bodyHash);
        }
        String integrity;
        try {
            integrity = Integrity.field(HeaderFields.of(fields), bodyHash.hash(), dmdaDomain(), now, sign);
        } catch (KeyOperationException e) {
            throw new IOException(name() + " cannot sign the integrity field: " + e.getMessage(), e);
        }
        fields.add(new HeaderFields.Field(Integrity.FIELD, integrity));
        if (authoritative) {
            fields.add(new HeaderFields.Field(Integrity.CERTIFICATE_FIELD,
                    Integrity.certificateField(signingCertificate())));
        }
        HeaderFields all = HeaderFields.of(fields);
        Path accepted = Files.createTempFile(spool, "accepted-", ".eml");
        try (InputStream in = Files.newInputStream(file);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(accepted))) {
            HeaderFields.read(in);
            out.write(all.bytes());
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            in.transferTo(out);
        }
        String subject = decode(h.value("Subject"));
        log.append(now, "accepted", "account", submitter.id(), "from", mailFrom, "to", recipient, "messageId",
                h.value("Message-ID"), "demailMessageId", demailMessageId, "subject", subject, "privateId",
                h.value("X-de-mail-private-id"), "options", options(h), "signed", String.valueOf(authoritative));
        return new AcceptedMessage(this, all, accepted, mailFrom, recipient, subject, demailMessageId, now);
    }

    private static void add(List<HeaderFields.Field> fields, String name, String value) {
        fields.add(new HeaderFields.Field(name, Confirmations.folded(name, value)));
    }

    private static String options(HeaderFields h) {
        List<String> on = new ArrayList<>();
        for (String f : SubmissionRules.OPTION_FIELDS) {
            if (SubmissionRules.yes(h, f)) {
                on.add(f.substring("X-de-mail-".length()));
            }
        }
        return String.join(",", on);
    }

    static String decode(String text) {
        if (text == null) {
            return "";
        }
        // header bytes are read as ISO-8859-1; raw UTF-8 (RFC 6532) is taken as such where it is valid UTF-8
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(
                    text.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            // not UTF-8: keep the Latin-1 reading
        }
        try {
            return MimeUtility.decodeText(text);
        } catch (UnsupportedEncodingException e) {
            return text;
        }
    }

    // ------------------------------------------------------------------ the network's side

    /** At acceptance: the Versandbestätigung, if asked for (on the network thread). */
    void confirmDispatch(AcceptedMessage m) {
        if (m.asks("X-de-mail-confirmation-of-dispatch")) {
            issue(Kind.DISPATCH, null, m, m.sender(), m.acceptedAt(), null, "Die Nachricht mit dem Betreff „"
                    + m.subject() + "“ von " + m.sender() + " an " + m.recipient() + " wurde am "
                    + Confirmations.german(m.acceptedAt()) + " von " + dmdaDomain() + " zum Versand angenommen.");
        }
    }

    /** A message for one of this provider's domains arrives (on the network thread). */
    void receive(AcceptedMessage m) {
        DeMailMailbox box = mailboxes.get(m.recipient());
        Instant now = network.clock().instant();
        if (box == null) {
            notify(m, "unknown-recipient", "unter der Adresse " + m.recipient() + " gibt es kein De-Mail-Konto.");
            return;
        }
        if (box.config().closed()) {
            notify(m, "closed-account", "das De-Mail-Konto " + m.recipient() + " ist geschlossen.");
            return;
        }
        try (InputStream in = Files.newInputStream(m.file())) {
            box.deposit(in, now);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, name() + ": cannot deposit " + m.demailMessageId() + ": " + e, e);
            notify(m, "other", "die Nachricht konnte nicht in das Postfach eingelegt werden.");
            return;
        }
        log.append(now, "deposited", "to", m.recipient(), "from", m.sender(), "demailMessageId", m.demailMessageId(),
                "messageType", "normal", "subject", m.subject());
        box.openEndToEnd(m, now);
        if (m.asks("X-de-mail-confirmation-of-receipt")) {
            String text = "Die Nachricht mit dem Betreff „" + m.subject() + "“ von " + m.sender() + " wurde am "
                    + Confirmations.german(now) + " in das Postfach von " + m.recipient() + " eingelegt.";
            issue(Kind.RECEIPT, null, m, m.sender(), now, null, text);
            issue(Kind.RECEIPT, null, m, m.recipient(), now, null, text);
        }
        if (m.asks("X-de-mail-confirmation-of-retrieve")) {
            box.awaitRetrieval(m, now);
        }
        box.deposited();
    }

    /** The recipient logged in securely: the Abholbestätigung to sender and recipient (on the network thread). */
    void confirmRetrieval(AcceptedMessage m, Instant deposited, Instant login) {
        String text = "Die Nachricht mit dem Betreff „" + m.subject() + "“ von " + m.sender() + " wurde am "
                + Confirmations.german(deposited) + " in das Postfach von " + m.recipient() + " eingelegt. Der "
                + "Empfänger hat sich am " + Confirmations.german(login) + " an seinem De-Mail-Konto sicher angemeldet.";
        issue(Kind.RETRIEVE, null, m, m.sender(), login, deposited, text);
        issue(Kind.RETRIEVE, null, m, m.recipient(), login, deposited, text);
    }

    void secureLoginLogged(String address, int confirmed, Instant at) {
        log.append(at, "secure-login", "mailbox", address, "confirmations", String.valueOf(confirmed));
    }

    void e2eLogged(String address, String demailMessageId, boolean valid, String detail, Instant at) {
        log.append(at, "e2e-opened", "to", address, "demailMessageId", demailMessageId, "valid", String.valueOf(valid),
                "detail", detail);
    }

    /** A Meldung (notification) from this provider to the original's sender. */
    void notify(AcceptedMessage m, String type, String reason) {
        Instant now = network.clock().instant();
        issue(Kind.NOTIFICATION, type, m, m.sender(), now, null, "Die Nachricht mit dem Betreff „" + m.subject()
                + "“ von " + m.sender() + " an " + m.recipient() + " konnte nicht zugestellt werden: " + reason);
    }

    private void issue(Kind kind, String notificationType, AcceptedMessage m, String to, Instant time,
                       Instant deliveryTime, String text) {
        try {
            Confirmations.Issued issued = Confirmations.write(issuer,
                    new Confirmations.Request(kind, notificationType, m, to, time, deliveryTime, text));
            boolean delivered = network.depositSystemMessage(to, issued.message(), time);
            log.append(time, kind == Kind.NOTIFICATION ? "notification-issued" : "confirmation-issued", "type",
                    kind == Kind.NOTIFICATION ? notificationType : kind.messageType, "to", to, "from", issued.from(),
                    "about", m.demailMessageId(), "messageId", m.headers().value("Message-ID"), "demailMessageId",
                    issued.demailMessageId(), "delivered", String.valueOf(delivered), "text", text);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name() + ": cannot issue the " + kind.title + " about "
                    + m.demailMessageId() + ": " + e.getMessage(), e);
            log.append(time, "issue-failed", "type", kind.messageType, "to", to, "about", m.demailMessageId(),
                    "reason", String.valueOf(e.getMessage()));
        }
    }

    /** Puts a confirmation or notification into one of this provider's mailboxes; false if there is none. */
    boolean depositSystemMessage(String address, byte[] message, Instant at) throws IOException {
        DeMailMailbox box = mailboxes.get(address);
        if (box == null) {
            return false;
        }
        box.deposit(new java.io.ByteArrayInputStream(message), at);
        return true;
    }

    boolean serves(String domain) {
        return config.domains().contains(domain);
    }

    DeMailProviders network() {
        return network;
    }

    Path spool() {
        return spool;
    }

    void close() {
        smtp.close();
        stopImap();
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name() + ": cannot close the log: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ keys

    /** SHA-256 of the certificate's DER, lower-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(JcaNames.messageDigest(Algorithm.SHA256).digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    private SSLContext tls() throws IOException {
        List<X509Certificate> chain = certificates(config.tlsCertificate(), "TLS certificate");
        PrivateKey key = key(config.tlsKey(), "TLS key");
        List<X509Certificate> clientCas = certificates(config.clientCa(), "client CA");
        try {
            char[] none = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("tls", key, none, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : clientCas) {
                trust.setCertificateEntry("client-ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            X509ExtendedTrustManager trusted = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
            context.init(kmf.getKeyManagers(), new TrustManager[] {new FaultableClientTrust(trusted, faults)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("provider " + name() + ": cannot set up TLS with " + config.tlsCertificate() + ": "
                    + e.getMessage(), e);
        }
    }

    private List<X509Certificate> certificates(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("provider " + config.name() + ": the " + what + " is not a file: " + file);
        }
        try {
            List<X509Certificate> c = Pem.readCertificates(file);
            if (c.isEmpty()) {
                throw new IOException("provider " + config.name() + ": no certificate in " + file + " (" + what + ")");
            }
            return c;
        } catch (CertificateException e) {
            throw new IOException("provider " + config.name() + ": cannot read the " + what + " from " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private PrivateKey key(Path file, String what) throws IOException {
        try {
            return Pem.readTestPrivateKey(file);
        } catch (IOException | RuntimeException e) {
            throw new IOException("provider " + config.name() + ": cannot read the " + what + " from " + file + ": "
                    + e.getMessage(), e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static Collection<String> names(Collection<DeMailProvider> providers) {
        return providers.stream().map(DeMailProvider::name).toList();
    }
}
