package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.Osci.DS;
import static de.amtsbote.sandbox.osci.Osci.NS;
import static de.amtsbote.sandbox.osci.Osci.SOAP;
import static de.amtsbote.sandbox.osci.Osci.XENC;
import static de.amtsbote.sandbox.osci.Osci.XOP;

import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.DecryptedXml;
import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlDecryptor;
import de.amtsbote.crypto.xml.XmlEncryptor;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import de.amtsbote.sandbox.osci.OsciFaultException.Subcode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One sandbox intermediary: the operations of contract sections 3–6 on its mailboxes. Written from the contract,
 * never from the gateway's adapter. State (reservations, nonces, process cards) lives in memory; deliveries in files
 * under {@code <dataDir>/<name>/deliveries/}.
 */
public final class Intermediary {

    static final Duration CREATED_WINDOW = Duration.ofMinutes(5);
    static final Duration NONCE_WINDOW = Duration.ofMinutes(10);
    static final Duration RESERVATION = Duration.ofHours(24);
    private static final Set<String> OPERATIONS = Set.of("getMessageId", "storeDelivery", "fetchDelivery",
            "acknowledgeDelivery", "fetchProcessCard");

    private final IntermediaryConfig config;
    private final Credential credential;
    private final OsciIntermediaries network;
    private final Path deliveriesDir;
    private final Path spoolDir;
    private final OsciLog log;
    private final OsciFaults faults;
    private final Map<String, Instant> nonces = new HashMap<>();
    private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
    private final Map<String, StoredDelivery> deliveries = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    Intermediary(IntermediaryConfig config, Credential credential, OsciIntermediaries network, Path dataDir)
            throws IOException {
        this.config = config;
        this.credential = credential;
        this.network = network;
        Path home = dataDir.resolve(config.name());
        this.deliveriesDir = Files.createDirectories(home.resolve("deliveries"));
        this.spoolDir = Files.createDirectories(home.resolve("spool"));
        this.log = OsciLog.open(home.resolve("osci-log.jsonl"), network.clock());
        this.faults = new OsciFaults(network);
    }

    public String name() {
        return config.name();
    }

    /** The endpoint URL: {@code http://127.0.0.1:<port>/osci/<name>}. */
    public URI url() {
        return network.intermediaryUrl(config.name());
    }

    /** The certificate clients encrypt usage data for and verify responses and process cards with. */
    public java.security.cert.X509Certificate certificate() {
        return credential.certificate();
    }

    public long maxBytes() {
        return config.maxBytes();
    }

    public OsciFaults faults() {
        return faults;
    }

    /** The intermediary's log: stored, fetched, acknowledged, refused (with subcode and reason). */
    public List<OsciEvent> log() {
        return log.entries();
    }

    public Path logFile() {
        return log.file();
    }

    /** How many deliveries are stored and not yet acknowledged. */
    public int pendingDeliveries() {
        return (int) deliveries.values().stream().filter(s -> s.reception == null).count();
    }

    Credential credential() {
        return credential;
    }

    Path spoolDir() {
        return spoolDir;
    }

    void close() throws IOException {
        log.close();
    }

    // ------------------------------------------------------------------ requests

    /** A response to send: the signed envelope and the attachment parts to stream after it. */
    record Response(byte[] envelope, List<Mtom.Part> parts) {
    }

    /** What the log says about a request that was refused. */
    static final class Call {
        String operation;
        String caller;
    }

    void refused(Call call, OsciFaultException f) {
        log.append("refused", "operation", call.operation, "caller", call.caller, "subcode", f.subcode().name(),
                "reason", f.reason());
    }

    Response handle(Mtom.Received request, Call call) throws OsciFaultException, IOException {
        if (faults.takeUnavailable()) {
            throw new OsciFaultException(Subcode.Unavailable, "intermediary " + name() + " cannot store now"
                    + " (sandbox fault injection); retry later");
        }
        Document doc;
        try {
            doc = SecureXml.standard().parse(request.envelope());
        } catch (XmlSecurityException e) {
            throw OsciFaultException.malformed("the envelope is not acceptable XML: " + e.getMessage());
        }
        Element envelope = Envelopes.envelope(doc);
        Element header = Osci.required(envelope, SOAP, "Header");
        Element control = Osci.required(header, NS, "ControlBlock");
        Osci.required(envelope, SOAP, "Body");
        String operation = Osci.requiredText(control, "Operation");
        call.operation = operation;
        if (!OPERATIONS.contains(operation)) {
            throw OsciFaultException.malformed("unknown operation '" + operation + "' (known: "
                    + OPERATIONS.stream().sorted().toList() + ")");
        }
        String caller = Osci.requiredText(control, "Caller");
        call.caller = caller;

        // ---- the client signature: the caller's certificate, exactly ControlBlock and Body of this envelope
        Element holder = Osci.child(header, NS, "ClientSignature");
        Element signature = holder == null ? null : Osci.child(holder, DS, "Signature");
        if (signature == null) {
            throw new OsciFaultException(Subcode.SignatureInvalid, "the request carries no"
                    + " osci:ClientSignature/ds:Signature");
        }
        DirectoryEntry callerEntry = network.entry(caller);
        if (callerEntry == null) {
            throw new OsciFaultException(Subcode.SignatureInvalid, "the caller " + caller + " is not in the"
                    + " directory, so no certificate is the caller's");
        }
        byte[] der = Envelopes.keyInfoCertificate(signature);
        Credential signer = null;
        for (Credential c : Stream.of(callerEntry.signature(), callerEntry.origin()).filter(c -> c != null).toList()) {
            if (der != null && Arrays.equals(der, encoded(c))) {
                signer = c;
            }
        }
        if (signer == null) {
            throw new OsciFaultException(Subcode.SignatureInvalid, "the ClientSignature's certificate is not the"
                    + " signature or origin certificate the directory names for " + caller);
        }
        Envelopes.Signed signed;
        try {
            signed = Envelopes.verify(doc, Osci.CLIENT_SIGNATURE, signer.certificate());
        } catch (XmlSecurityException e) {
            throw new OsciFaultException(Subcode.SignatureInvalid, "the ClientSignature does not hold ("
                    + e.reason() + "): " + e.getMessage());
        }
        Inspection clientInspection = inspect(signer, CertificateUsage.MESSAGE_SIGNATURE, "ClientSignature",
                "the caller's certificate");

        // ---- freshness
        Instant now = network.clock().instant();
        String createdText = Osci.requiredText(signed.control(), "Created");
        Instant created;
        try {
            created = Instant.parse(createdText);
        } catch (DateTimeParseException e) {
            throw OsciFaultException.malformed("Created '" + createdText + "' is not an xs:dateTime in UTC");
        }
        if (Duration.between(created, now).abs().compareTo(CREATED_WINDOW) > 0) {
            throw new OsciFaultException(Subcode.RequestReplayed, "Created " + createdText + " is more than 5"
                    + " minutes from the intermediary's clock (" + ProcessCards.time(now) + ")");
        }
        String nonce = Osci.requiredText(signed.control(), "Nonce");
        synchronized (nonces) {
            nonces.values().removeIf(seen -> seen.plus(NONCE_WINDOW).isBefore(now));
            if (nonces.putIfAbsent(nonce, now) != null) {
                throw new OsciFaultException(Subcode.RequestReplayed, "the nonce " + nonce + " was seen in the last"
                        + " 10 minutes: a replayed request");
            }
        }
        List<Element> payload = Osci.children(signed.body());
        if (payload.size() != 1) {
            throw OsciFaultException.malformed("the Body must hold exactly one element, not " + payload.size());
        }
        Element op = payload.get(0);
        return switch (operation) {
            case "getMessageId" -> getMessageId(op, caller, nonce);
            case "storeDelivery" -> storeDelivery(op, callerEntry, request, nonce, clientInspection);
            case "fetchDelivery" -> fetchDelivery(op, caller, nonce);
            case "acknowledgeDelivery" -> acknowledgeDelivery(op, caller, nonce);
            case "fetchProcessCard" -> fetchProcessCard(op, caller, nonce);
            default -> throw new IllegalStateException(operation);
        };
    }

    private static byte[] encoded(Credential c) {
        try {
            return c.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Inspection inspect(Credential c, CertificateUsage usage, String certType, String what)
            throws OsciFaultException {
        ValidationResult r = network.validate(c, usage);
        if (!r.valid()) {
            throw new OsciFaultException(Subcode.CertificateInvalid, what + " " + c.subject() + " is " + r.status()
                    + ": " + r.detail());
        }
        return Inspection.of(r, c.subject(), certType, true);
    }

    private static void expect(Element op, String localName, String operation) throws OsciFaultException {
        if (!Osci.is(op, NS, localName)) {
            throw OsciFaultException.malformed(operation + " needs osci:" + localName + " in the Body, not {"
                    + op.getNamespaceURI() + "}" + op.getLocalName());
        }
    }

    // ------------------------------------------------------------------ getMessageId

    private Response getMessageId(Element op, String caller, String nonce) throws OsciFaultException {
        expect(op, "GetMessageId", "getMessageId");
        Instant now = network.clock().instant();
        reservations.values().removeIf(r -> r.state.get() == Reservation.RESERVED && r.expires.isBefore(now));
        String id = Osci.random16();
        reservations.put(id, new Reservation(caller, now.plus(RESERVATION)));
        return respond("getMessageId", nonce, List.of(), body -> {
            Element r = Osci.append(body, Osci.osci(body.getOwnerDocument(), "ResponseToGetMessageId"));
            r.appendChild(Osci.osci(body.getOwnerDocument(), "MessageId", id));
        });
    }

    /** A message id reserved for a caller; used once. */
    static final class Reservation {
        static final int RESERVED = 0;
        static final int STORING = 1;
        static final int STORED = 2;
        final String caller;
        final Instant expires;
        final AtomicInteger state = new AtomicInteger(RESERVED);

        Reservation(String caller, Instant expires) {
            this.caller = caller;
            this.expires = expires;
        }
    }

    // ------------------------------------------------------------------ storeDelivery

    private Response storeDelivery(Element op, DirectoryEntry caller, Mtom.Received request, String nonce,
                                   Inspection clientInspection) throws OsciFaultException, IOException {
        if (!Osci.is(op, XENC, "EncryptedData")) {
            throw OsciFaultException.malformed("storeDelivery needs an xenc:EncryptedData of osci:StoreDelivery in"
                    + " the Body, not {" + op.getNamespaceURI() + "}" + op.getLocalName());
        }
        Element sd;
        try {
            DecryptedXml decrypted = new XmlDecryptor(Envelopes.POLICY).decrypt(op, credential.key());
            sd = decrypted.element();
        } catch (XmlSecurityException | IllegalStateException e) {
            throw new OsciFaultException(Subcode.NotForThisIntermediary, "the usage data cannot be decrypted with"
                    + " the key of intermediary " + name() + ": " + e.getMessage());
        }
        if (!Osci.is(sd, NS, "StoreDelivery")) {
            throw OsciFaultException.malformed("the usage data is not an osci:StoreDelivery but "
                    + sd.getLocalName());
        }
        Document delivery;
        try {
            delivery = Osci.own(sd);
        } catch (XmlSecurityException e) {
            throw OsciFaultException.malformed("the usage data cannot be read: " + e.getMessage());
        }
        Element unverified = delivery.getDocumentElement();
        String originator = Osci.requiredText(unverified, "Originator");
        if (!originator.equals(caller.id())) {
            throw new OsciFaultException(Subcode.OriginInvalid, "the originator " + originator + " is not the"
                    + " caller " + caller.id());
        }
        String addressee = Osci.requiredText(unverified, "Addressee");
        DirectoryEntry addresseeEntry = network.entry(addressee);
        if (addresseeEntry == null || !addresseeEntry.intermediaryName().equals(name())) {
            throw new OsciFaultException(Subcode.UnknownAddressee, "intermediary " + name() + " holds no mailbox "
                    + addressee);
        }
        String messageId = Osci.requiredText(unverified, "MessageId");
        Reservation reservation = reservations.get(messageId);
        if (reservation == null || !reservation.caller.equals(caller.id())
                || reservation.expires.isBefore(network.clock().instant())) {
            throw new OsciFaultException(Subcode.MessageIdUnknown, "the message id " + messageId + " is not"
                    + " reserved for " + caller.id() + " (getMessageId first)");
        }
        if (!reservation.state.compareAndSet(Reservation.RESERVED, Reservation.STORING)) {
            throw new OsciFaultException(Subcode.MessageIdUsed, "a delivery with message id " + messageId
                    + " was already stored");
        }
        long seq = sequence.incrementAndGet();
        Path dir = deliveriesDir.resolve("d-" + seq);
        boolean stored = false;
        try {
            StoredDelivery s = store(delivery, caller, addresseeEntry, messageId, request, seq, dir,
                    clientInspection);
            deliveries.put(messageId, s);
            reservation.state.set(Reservation.STORED);
            stored = true;
            log.append("stored", "messageId", messageId, "originator", originator, "addressee", addressee,
                    "subject", s.subject, "attachments", Integer.toString(s.attachments.size()));
            return respond("storeDelivery", nonce, List.of(), body -> {
                Element r = Osci.append(body, Osci.osci(body.getOwnerDocument(), "ResponseToStoreDelivery"));
                ProcessCards.append(r, s, "card", credential.key());
            });
        } finally {
            if (!stored) {
                reservation.state.compareAndSet(Reservation.STORING, Reservation.RESERVED);
                deleteTree(dir);
            }
        }
    }

    private StoredDelivery store(Document delivery, DirectoryEntry originator, DirectoryEntry addressee,
                                 String messageId, Mtom.Received request, long seq, Path dir,
                                 Inspection clientInspection)
            throws OsciFaultException, IOException {
        Credential originSigner = originator.originSigner();
        if (originSigner == null) {
            throw new OsciFaultException(Subcode.OriginInvalid, "the directory names no origin certificate for"
                    + " beBPo " + originator.id());
        }
        VerifiedXml origin;
        try {
            origin = XmlSignatureVerifier.withExpectedSigner(Envelopes.POLICY, originSigner.certificate())
                    .idAttributes(Osci.ID).verify(delivery, SignatureExpectation.documentElement()
                            .signatureAt(ElementPath.root(NS, "StoreDelivery").child(DS, "Signature")));
        } catch (XmlSecurityException e) {
            throw new OsciFaultException(Subcode.OriginInvalid, "the origin signature does not hold by the "
                    + (originator.bebpo() ? "origin" : "signature") + " certificate of " + originator.id() + " ("
                    + e.reason() + "): " + e.getMessage());
        }
        Element root = origin.documentElement();
        Inspection originInspection = inspect(originSigner, CertificateUsage.MESSAGE_SIGNATURE, "Origin",
                "the originator's " + (originator.bebpo() ? "origin" : "signature") + " certificate");
        String subject = Osci.optionalText(root, "Subject");
        Element contentPackage = Osci.required(root, NS, "ContentPackage");

        Files.createDirectories(dir);
        List<Mtom.Part> parts = new ArrayList<>();
        Set<String> used = new HashSet<>();
        int n = 0;
        for (Element att : Osci.children(contentPackage, NS, "Attachment")) {
            String attId = att.getAttributeNS(NS, "Id");
            long size;
            try {
                size = Long.parseLong(att.getAttribute("Size"));
            } catch (NumberFormatException e) {
                throw OsciFaultException.malformed("attachment " + attId + " has no whole-number Size");
            }
            String digest = att.getAttribute("Digest");
            Element cipherValue = Osci.required(Osci.required(Osci.required(att, XENC, "EncryptedData"), XENC,
                    "CipherData"), XENC, "CipherValue");
            String cid = Mtom.contentIdOf(Osci.required(cipherValue, XOP, "Include").getAttribute("href"));
            if (!request.parts().containsKey(cid) || !used.add(cid)) {
                throw new OsciFaultException(Subcode.OriginInvalid, "attachment " + attId + " refers to MIME part <"
                        + cid + ">, which the request does not carry (once)");
            }
            Path file = dir.resolve("part-" + (++n) + ".bin");
            MessageDigest sha = Osci.sha256();
            long count;
            try (InputStream in = request.open(cid); OutputStream out = Files.newOutputStream(file)) {
                count = Osci.copy(in, out, sha);
            }
            String actual = Osci.b64(sha.digest());
            if (count != size || !actual.equals(digest)) {
                throw new OsciFaultException(Subcode.OriginInvalid, "attachment " + attId + " does not match its"
                        + " signed Size and Digest: " + count + " bytes with SHA-256 " + actual + ", signed " + size
                        + " bytes with " + digest);
            }
            parts.add(new Mtom.Part(cid, file));
        }
        Set<String> extra = new HashSet<>(request.parts().keySet());
        extra.removeAll(used);
        if (!extra.isEmpty()) {
            throw OsciFaultException.malformed("MIME parts " + extra + " are not attachments of the delivery");
        }
        Inspection encryption = Inspection.of(network.validate(addressee.encryption(),
                CertificateUsage.MESSAGE_ENCRYPTION), addressee.encryption().subject(), "Encryption", true);
        Path usage = dir.resolve("usage.xml");
        try (OutputStream out = Files.newOutputStream(usage)) {
            SecureXml.standard().serialize(delivery, out);
        } catch (XmlSecurityException e) {
            throw new IOException("cannot store the usage data: " + e.getMessage(), e);
        }
        return new StoredDelivery(messageId, originator.id(), addressee.id(), subject == null ? "" : subject,
                seq, dir, usage, parts, List.of(clientInspection, originInspection, encryption),
                network.clock().instant());
    }

    // ------------------------------------------------------------------ fetchDelivery, acknowledgeDelivery

    private Response fetchDelivery(Element op, String caller, String nonce) throws OsciFaultException, IOException {
        expect(op, "FetchDelivery", "fetchDelivery");
        String addressee = Osci.requiredText(op, "Addressee");
        if (!addressee.equals(caller)) {
            throw new OsciFaultException(Subcode.NotAddressee, caller + " may not fetch the deliveries of "
                    + addressee);
        }
        DirectoryEntry entry = network.entry(addressee);
        if (entry == null || !entry.intermediaryName().equals(name())) {
            throw new OsciFaultException(Subcode.UnknownAddressee, "intermediary " + name() + " holds no mailbox "
                    + addressee);
        }
        String messageId = Osci.optionalText(op, "MessageId");
        StoredDelivery s;
        if (messageId != null) {
            s = deliveries.get(messageId);
            if (s != null && !s.addressee.equals(caller)) {
                throw new OsciFaultException(Subcode.NotAddressee, caller + " is not the addressee of " + messageId);
            }
            if (s == null || s.reception != null) {
                throw new OsciFaultException(Subcode.MessageIdUnknown, "no delivery " + messageId + " waits in "
                        + addressee);
            }
        } else {
            s = deliveries.values().stream().filter(d -> d.addressee.equals(caller) && d.reception == null)
                    .min(Comparator.comparingLong(d -> d.sequence)).orElse(null);
        }
        if (s == null) {
            return respond("fetchDelivery", nonce, List.of(), body -> {
                Element r = Osci.append(body, Osci.osci(body.getOwnerDocument(), "ResponseToFetchDelivery"));
                r.appendChild(Osci.osci(body.getOwnerDocument(), "NoDelivery"));
            });
        }
        synchronized (s) {
            if (s.forwarding == null) {
                s.forwarding = network.clock().instant();
            }
        }
        Document usage;
        try (InputStream in = Files.newInputStream(s.usageXml)) {
            usage = SecureXml.standard().parse(in);
        } catch (XmlSecurityException e) {
            throw new IOException("the stored usage data of " + s.messageId + " cannot be read: " + e.getMessage(), e);
        }
        log.append("fetched", "messageId", s.messageId, "addressee", caller);
        return respond("fetchDelivery", nonce, s.attachments, body -> {
            Document d = body.getOwnerDocument();
            Element r = Osci.append(body, Osci.osci(d, "ResponseToFetchDelivery"));
            Element imported = (Element) d.importNode(usage.getDocumentElement(), true);
            r.appendChild(imported);
            new XmlEncryptor(Envelopes.POLICY).encryptElement(imported,
                    List.of(XmlRecipient.of(entry.encryption().certificate())));
            ProcessCards.append(r, s, "card", credential.key());
        });
    }

    private Response acknowledgeDelivery(Element op, String caller, String nonce) throws OsciFaultException {
        expect(op, "AcknowledgeDelivery", "acknowledgeDelivery");
        String messageId = Osci.requiredText(op, "MessageId");
        StoredDelivery s = deliveries.get(messageId);
        if (s == null) {
            throw new OsciFaultException(Subcode.MessageIdUnknown, "no delivery " + messageId + " is stored at "
                    + name());
        }
        if (!s.addressee.equals(caller)) {
            throw new OsciFaultException(Subcode.NotAddressee, caller + " is not the addressee of " + messageId);
        }
        boolean first;
        synchronized (s) {
            first = s.reception == null;
            if (first) {
                Instant now = network.clock().instant();
                if (s.forwarding == null) {
                    s.forwarding = now; // acknowledged without a fetch we saw: it was forwarded by then
                }
                s.reception = now;
            }
        }
        if (first) {
            deleteTree(s.dir);
            log.append("acknowledged", "messageId", messageId, "addressee", caller);
        }
        return respond("acknowledgeDelivery", nonce, List.of(), body -> {
            Element r = Osci.append(body, Osci.osci(body.getOwnerDocument(), "ResponseToAcknowledgeDelivery"));
            ProcessCards.append(r, s, "card", credential.key());
        });
    }

    // ------------------------------------------------------------------ fetchProcessCard

    private Response fetchProcessCard(Element op, String caller, String nonce) throws OsciFaultException {
        expect(op, "FetchProcessCard", "fetchProcessCard");
        List<Element> ids = Osci.children(op, NS, "MessageId");
        if (ids.isEmpty() || ids.size() > 100) {
            throw OsciFaultException.malformed("fetchProcessCard takes 1 to 100 message ids, not " + ids.size());
        }
        List<StoredDelivery> visible = new ArrayList<>();
        for (Element id : ids) {
            StoredDelivery s = deliveries.get(id.getTextContent().trim());
            if (s != null && (s.originator.equals(caller) || s.addressee.equals(caller)) && !visible.contains(s)) {
                visible.add(s);
            }
        }
        return respond("fetchProcessCard", nonce, List.of(), body -> {
            Element r = Osci.append(body, Osci.osci(body.getOwnerDocument(), "ResponseToFetchProcessCard"));
            for (int i = 0; i < visible.size(); i++) {
                // Ids must be unique in one document: "card" for one bundle, card-1… for several
                ProcessCards.append(r, visible.get(i), visible.size() == 1 ? "card" : "card-" + (i + 1),
                        credential.key());
            }
        });
    }

    // ------------------------------------------------------------------ responses

    @FunctionalInterface
    private interface BodyWriter {
        void write(Element body) throws XmlSecurityException;
    }

    private Response respond(String operation, String inResponseTo, List<Mtom.Part> parts, BodyWriter writer) {
        String answer = "responseTo" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1);
        Envelopes.Draft d = Envelopes.draft(answer, name(), inResponseTo, network.clock().instant());
        try {
            writer.write(d.body());
            return new Response(d.sign(credential.key(), "IntermediarySignature"), parts);
        } catch (XmlSecurityException e) {
            throw new IllegalStateException("intermediary " + name() + " cannot sign or encrypt its response: "
                    + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
