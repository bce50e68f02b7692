package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.Osci.DS;
import static de.amtsbote.sandbox.osci.Osci.NS;
import static de.amtsbote.sandbox.osci.Osci.XENC;
import static de.amtsbote.sandbox.osci.Osci.XOP;

import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.EncryptingOutputStream;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlDecryptor;
import de.amtsbote.crypto.xml.XmlEncryptor;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import de.amtsbote.crypto.xml.XmlSigner;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A mailbox the sandbox plays: a client of its own intermediary that fetches, checks, logs and acknowledges its
 * deliveries, and that sends to any mailbox in the directory as a real client would (directory lookup,
 * getMessageId, storeDelivery at the addressee's intermediary).
 *
 * <p>Log ({@code <dataDir>/peers/<id>/peer-log.jsonl}): {@code sent}, {@code send-refused}, {@code received},
 * {@code acknowledged}, {@code fetch-failed}. Decrypted attachments go to {@code <dataDir>/peers/<id>/received/}.
 */
public final class OsciPeer {

    private static final System.Logger LOG = System.getLogger(OsciPeer.class.getName());

    private final OsciMailboxConfig config;
    private final DirectoryEntry self;
    private final OsciIntermediaries network;
    private final Path home;
    private final OsciLog log;
    private final OsciClient client;
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final Object fetching = new Object();

    OsciPeer(OsciMailboxConfig config, DirectoryEntry self, OsciIntermediaries network, Path home) throws IOException {
        this.config = config;
        this.self = self;
        this.network = network;
        this.home = Files.createDirectories(home);
        this.log = OsciLog.open(home.resolve("peer-log.jsonl"), network.clock());
        this.client = new OsciClient(network.clock(), home.resolve("spool"));
    }

    public String id() {
        return self.id();
    }

    public OsciMailboxConfig config() {
        return config;
    }

    public List<OsciEvent> log() {
        return log.entries();
    }

    public Path logFile() {
        return log.file();
    }

    /** The certificates others see in the directory. */
    public X509Certificate encryptionCertificate() {
        return self.encryption().certificate();
    }

    public X509Certificate signatureCertificate() {
        return self.signature().certificate();
    }

    void close() {
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close the log of " + id() + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends a delivery: looks up the addressee, reserves a message id at its intermediary and stores the double
     * envelope there. Logs {@code sent} or {@code send-refused}.
     *
     * @throws OsciFaultException the intermediary's fault
     * @throws IOException        the directory or the intermediary cannot be reached, or the answer does not verify
     */
    public SentDelivery send(OutgoingDelivery delivery) throws IOException, OsciFaultException {
        List<Path> temporary = new ArrayList<>();
        try {
            OsciClient.Entry to = client.lookup(network.directoryUri(), delivery.to());
            String messageId;
            try (OsciClient.Reply r = client.call(to.intermediary(), to.intermediaryCertificate(), "getMessageId",
                    id(), self.signature(), body -> body.appendChild(Osci.osci(body.getOwnerDocument(),
                            "GetMessageId")), List.of())) {
                Element answer = r.payload();
                if (!Osci.is(answer, NS, "ResponseToGetMessageId")) {
                    throw new IOException("getMessageId was answered with " + answer.getLocalName());
                }
                messageId = Osci.requiredText(answer, "MessageId");
            }
            List<Mtom.Part> parts = new ArrayList<>();
            Document sd = storeDelivery(delivery, to, messageId, parts, temporary);
            try (OsciClient.Reply r = client.call(to.intermediary(), to.intermediaryCertificate(), "storeDelivery",
                    id(), self.signature(), body -> {
                        Element imported = (Element) body.getOwnerDocument().importNode(sd.getDocumentElement(), true);
                        body.appendChild(imported);
                        new XmlEncryptor(Envelopes.POLICY).encryptElement(imported,
                                List.of(XmlRecipient.of(to.intermediaryCertificate())));
                    }, parts)) {
                Element answer = r.payload();
                if (!Osci.is(answer, NS, "ResponseToStoreDelivery")) {
                    throw new IOException("storeDelivery was answered with " + answer.getLocalName());
                }
                Element bundle = Osci.required(answer, NS, "ProcessCardBundle");
                Document card = Osci.own(bundle);
                verifyBundle(card, to.intermediaryCertificate());
                Instant creation = Instant.parse(Osci.requiredText(Osci.required(card.getDocumentElement(), NS,
                        "ProcessCard"), "Creation"));
                String xml = new String(Osci.serialize(card), StandardCharsets.UTF_8);
                log.append("sent", "messageId", messageId, "to", delivery.to(), "subject", delivery.subject(),
                        "attachments", Integer.toString(parts.size()), "creation", creation.toString());
                return new SentDelivery(messageId, creation, xml);
            }
        } catch (OsciFaultException f) {
            log.append("send-refused", "to", delivery.to(), "subcode", f.subcode().name(), "reason", f.reason());
            throw f;
        } catch (XmlSecurityException e) {
            log.append("send-refused", "to", delivery.to(), "reason", e.getMessage());
            throw new IOException("cannot build the delivery to " + delivery.to() + ": " + e.getMessage(), e);
        } finally {
            for (Path p : temporary) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Document storeDelivery(OutgoingDelivery delivery, OsciClient.Entry to, String messageId,
                                   List<Mtom.Part> parts, List<Path> temporary)
            throws IOException, XmlSecurityException {
        Document d = SecureXml.standard().newDocument();
        Element root = Osci.osci(d, "StoreDelivery");
        d.appendChild(root);
        Osci.declare(root);
        Osci.setId(root, "delivery");
        root.appendChild(Osci.osci(d, "MessageId", messageId));
        root.appendChild(Osci.osci(d, "Originator", id()));
        root.appendChild(Osci.osci(d, "Addressee", delivery.to()));
        root.appendChild(Osci.osci(d, "Subject", delivery.subject()));
        Element contentPackage = Osci.append(root, Osci.osci(d, "ContentPackage"));
        List<XmlRecipient> addressee = List.of(XmlRecipient.of(to.encryptionCertificate()));

        // the content container: text, reference, what each attachment is; signed, then encrypted end to end
        Element container = Osci.append(contentPackage, Osci.osci(d, "ContentContainer"));
        Osci.declare(container);
        Osci.setId(container, "content");
        Element content = Osci.append(container, Osci.osci(d, "Content",
                Base64.getEncoder().encodeToString(delivery.body().getBytes(StandardCharsets.UTF_8))));
        content.setAttributeNS(null, "MediaType", "text/plain; charset=UTF-8");
        if (delivery.reference() != null) {
            container.appendChild(Osci.osci(d, "Reference", delivery.reference()));
        }
        List<Element> attachments = new ArrayList<>();
        int n = 0;
        for (Path file : delivery.attachments()) {
            String ref = "att-" + (++n);
            MessageDigest plain = Osci.sha256();
            long plainSize;
            Path encrypted = Files.createTempFile(home, "outgoing-", ".bin");
            temporary.add(encrypted);
            CountingDigest cipher = new CountingDigest(Files.newOutputStream(encrypted));
            EncryptingOutputStream eos = new XmlEncryptor(Envelopes.POLICY).encryptBinary(cipher, d, addressee);
            try (InputStream in = Files.newInputStream(file); eos) {
                plainSize = Osci.copy(in, eos, plain);
            }
            Element info = Osci.append(container, Osci.osci(d, "AttachmentInfo"));
            info.setAttributeNS(null, "Ref", ref);
            info.setAttributeNS(null, "Name", file.getFileName().toString());
            info.setAttributeNS(null, "MediaType", mediaType(file));
            info.setAttributeNS(null, "Size", Long.toString(plainSize));
            info.setAttributeNS(null, "Digest", Osci.b64(plain.digest()));

            Element att = Osci.osci(d, "Attachment");
            Osci.setId(att, ref);
            att.setAttributeNS(null, "Size", Long.toString(cipher.count));
            att.setAttributeNS(null, "Digest", Osci.b64(cipher.digest.digest()));
            Element ed = Osci.append(att, d.createElementNS(XENC, "xenc:EncryptedData"));
            ed.setAttributeNS(Osci.XMLNS, "xmlns:xenc", XENC);
            ed.setAttributeNS(null, "MimeType", "application/octet-stream");
            Osci.append(ed, d.createElementNS(XENC, "xenc:EncryptionMethod"))
                    .setAttributeNS(null, "Algorithm", eos.encryptionMethod());
            Element keyInfo = Osci.append(ed, d.createElementNS(DS, "ds:KeyInfo"));
            keyInfo.setAttributeNS(Osci.XMLNS, "xmlns:ds", DS);
            eos.encryptedKeys().forEach(keyInfo::appendChild);
            Element cv = Osci.append(Osci.append(ed, d.createElementNS(XENC, "xenc:CipherData")),
                    d.createElementNS(XENC, "xenc:CipherValue"));
            Element include = Osci.append(cv, d.createElementNS(XOP, "xop:Include"));
            include.setAttributeNS(Osci.XMLNS, "xmlns:xop", XOP);
            include.setAttributeNS(null, "href", "cid:" + ref);
            attachments.add(att);
            parts.add(new Mtom.Part(ref, encrypted));
        }
        new XmlSigner(self.signature().key(), Envelopes.POLICY).idAttribute(Osci.ID).signing(d)
                .coverElement(container).placeIn(container).sign();
        new XmlEncryptor(Envelopes.POLICY).encryptElement(container, addressee);
        attachments.forEach(contentPackage::appendChild);

        // the origin signature (VHN for a beBPo) over the whole usage data, as the intermediary will read it
        Credential origin = self.originSigner();
        Document signed = Osci.reparsed(d);
        new XmlSigner(origin.key(), Envelopes.POLICY).idAttribute(Osci.ID).signing(signed)
                .coverElement(signed.getDocumentElement()).placeIn(signed.getDocumentElement()).sign();
        return signed;
    }

    private static String mediaType(Path file) {
        try {
            String t = Files.probeContentType(file);
            return t == null ? "application/octet-stream" : t;
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }

    /** Counts and hashes what passes to the file: the encrypted bytes' Size and Digest. */
    private static final class CountingDigest extends FilterOutputStream {
        final MessageDigest digest = Osci.sha256();
        long count;

        CountingDigest(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }
    }

    // ------------------------------------------------------------------ fetching

    /** The poller's turn: fetch what waits, never throwing. */
    void poll() {
        try {
            fetchNow();
        } catch (IOException | RuntimeException e) {
            log.append("fetch-failed", "reason", String.valueOf(e.getMessage()));
        }
    }

    /**
     * Fetches every delivery waiting in this mailbox now, checks and logs it, and acknowledges it as configured.
     * Stops at the first delivery it has already received and not yet acknowledged (with {@code never} or a delay,
     * the intermediary keeps returning it).
     *
     * @return the deliveries received by this call
     */
    public List<ReceivedDelivery> fetchNow() throws IOException {
        List<ReceivedDelivery> got = new ArrayList<>();
        synchronized (fetching) {
            for (int i = 0; i < 1000; i++) {
                ReceivedDelivery r;
                try {
                    r = fetchOne();
                } catch (OsciFaultException f) {
                    log.append("fetch-failed", "subcode", f.subcode().name(), "reason", f.reason());
                    throw new IOException("fetchDelivery was refused: " + f.getMessage(), f);
                }
                if (r == null) {
                    break;
                }
                got.add(r);
                AckMode mode = config.acknowledge();
                if (mode.never()) {
                    continue;
                }
                if (mode.delay().isZero()) {
                    try {
                        acknowledge(r.messageId());
                    } catch (OsciFaultException f) {
                        log.append("acknowledge-failed", "messageId", r.messageId(), "subcode", f.subcode().name(),
                                "reason", f.reason());
                        throw new IOException("acknowledgeDelivery was refused: " + f.getMessage(), f);
                    }
                } else {
                    network.scheduler().schedule(() -> {
                        try {
                            acknowledge(r.messageId());
                        } catch (IOException | OsciFaultException | RuntimeException e) {
                            log.append("acknowledge-failed", "messageId", r.messageId(), "reason", e.getMessage());
                        }
                    }, mode.delay().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        return got;
    }

    /**
     * Acknowledges a fetched delivery (Reception); for {@code never}, or to acknowledge early.
     *
     * @return the process card bundle of the answer, as XML
     */
    public String acknowledge(String messageId) throws IOException, OsciFaultException {
        try (OsciClient.Reply r = client.call(self.intermediary(), self.intermediaryCertificate(),
                "acknowledgeDelivery", id(), self.signature(), body -> {
                    Element a = Osci.append(body, Osci.osci(body.getOwnerDocument(), "AcknowledgeDelivery"));
                    a.appendChild(Osci.osci(body.getOwnerDocument(), "MessageId", messageId));
                }, List.of())) {
            Element bundle = Osci.required(r.payload(), NS, "ProcessCardBundle");
            Document card = Osci.own(bundle);
            verifyBundle(card, self.intermediaryCertificate());
            log.append("acknowledged", "messageId", messageId);
            return new String(Osci.serialize(card), StandardCharsets.UTF_8);
        } catch (XmlSecurityException e) {
            throw new IOException("the process card of " + messageId + " does not verify: " + e.getMessage(), e);
        }
    }

    /** One fetchDelivery; null when nothing new waits. */
    private ReceivedDelivery fetchOne() throws IOException, OsciFaultException {
        try (OsciClient.Reply r = client.call(self.intermediary(), self.intermediaryCertificate(), "fetchDelivery",
                id(), self.signature(), body -> {
                    Element f = Osci.append(body, Osci.osci(body.getOwnerDocument(), "FetchDelivery"));
                    f.appendChild(Osci.osci(body.getOwnerDocument(), "Addressee", id()));
                }, List.of())) {
            Element answer = r.payload();
            if (!Osci.is(answer, NS, "ResponseToFetchDelivery")) {
                throw new IOException("fetchDelivery was answered with " + answer.getLocalName());
            }
            if (Osci.child(answer, NS, "NoDelivery") != null) {
                return null;
            }
            Element bundle = Osci.required(answer, NS, "ProcessCardBundle");
            try {
                verifyBundle(Osci.own(bundle), self.intermediaryCertificate());
            } catch (XmlSecurityException e) {
                throw new IOException("the process card of the fetched delivery does not verify: " + e.getMessage(),
                        e);
            }
            Element encrypted = Osci.required(answer, XENC, "EncryptedData");
            Document delivery;
            try {
                delivery = Osci.own(new XmlDecryptor(Envelopes.POLICY).decrypt(encrypted, self.encryption().key())
                        .element());
            } catch (XmlSecurityException e) {
                throw new IOException("the fetched usage data cannot be decrypted: " + e.getMessage(), e);
            }
            String messageId = Osci.requiredText(delivery.getDocumentElement(), "MessageId");
            if (received.contains(messageId)) {
                return null; // fetched before and not acknowledged yet: nothing new
            }
            ReceivedDelivery got = open(delivery, r.received);
            received.add(messageId);
            logReceived(got);
            return got;
        }
    }

    private ReceivedDelivery open(Document delivery, Mtom.Received parts) throws IOException, OsciFaultException {
        List<String> problems = new ArrayList<>();
        Element root = delivery.getDocumentElement();
        String messageId = Osci.requiredText(root, "MessageId");
        String originator = Osci.requiredText(root, "Originator");
        String subject = Osci.optionalText(root, "Subject");
        OsciClient.Entry from;
        try {
            from = client.lookup(network.directoryUri(), originator);
        } catch (IOException e) {
            from = null;
            problems.add("the originator " + originator + " is not in the directory: " + e.getMessage());
        }
        boolean originValid = false;
        String signer = null;
        if (from != null) {
            try {
                VerifiedXml v = XmlSignatureVerifier.withExpectedSigner(Envelopes.POLICY, from.originSigner())
                        .idAttributes(Osci.ID).verify(delivery, SignatureExpectation.documentElement()
                                .signatureAt(ElementPath.root(NS, "StoreDelivery").child(DS, "Signature")));
                root = v.documentElement();
                originValid = true;
                signer = v.signer().getSubjectX500Principal().getName();
            } catch (XmlSecurityException e) {
                problems.add("origin signature: " + e.getMessage());
            }
        }
        Element contentPackage = Osci.required(root, NS, "ContentPackage");
        // the container first, so that the attachments' plain digests are known
        Element containerData = Osci.required(contentPackage, XENC, "EncryptedData");
        String body = "";
        String reference = null;
        boolean contentValid = false;
        Map<String, Element> infos = new HashMap<>();
        try {
            Element container = new XmlDecryptor(Envelopes.POLICY).decrypt(containerData, self.encryption().key())
                    .element();
            Document c = Osci.own(container);
            Element read = c.getDocumentElement();
            if (from != null) {
                try {
                    read = XmlSignatureVerifier.withExpectedSigner(Envelopes.POLICY, from.signatureCertificate())
                            .idAttributes(Osci.ID).verify(c, SignatureExpectation.documentElement()
                                    .signatureAt(ElementPath.root(NS, "ContentContainer").child(DS, "Signature")))
                            .documentElement();
                    contentValid = true;
                } catch (XmlSecurityException e) {
                    problems.add("content signature: " + e.getMessage());
                }
            }
            Osci.required(read, NS, "Content");
            body = new String(Base64.getMimeDecoder().decode(Osci.optionalText(read, "Content")),
                    StandardCharsets.UTF_8);
            reference = Osci.optionalText(read, "Reference");
            for (Element info : Osci.children(read, NS, "AttachmentInfo")) {
                infos.put(info.getAttribute("Ref"), info);
            }
        } catch (XmlSecurityException e) {
            problems.add("the content container cannot be decrypted: " + e.getMessage());
        }
        List<ReceivedDelivery.Attachment> attachments = new ArrayList<>();
        Path dir = Files.createDirectories(home.resolve("received").resolve(safe(messageId)));
        int n = 0;
        for (Element att : Osci.children(contentPackage, NS, "Attachment")) {
            attachments.add(attachment(att, infos, parts, dir, ++n, problems));
        }
        return new ReceivedDelivery(messageId, originator, subject, body, reference, signer, originValid,
                contentValid, attachments, problems);
    }

    private ReceivedDelivery.Attachment attachment(Element att, Map<String, Element> infos, Mtom.Received parts,
                                                   Path dir, int n, List<String> problems)
            throws IOException, OsciFaultException {
        String ref = att.getAttributeNS(NS, "Id");
        Element info = infos.get(ref);
        String name = info == null ? ref : info.getAttribute("Name");
        String mediaType = info == null ? "application/octet-stream" : info.getAttribute("MediaType");
        Element ed = Osci.required(att, XENC, "EncryptedData");
        String method = Osci.required(ed, XENC, "EncryptionMethod").getAttribute("Algorithm");
        List<Element> keys = new ArrayList<>();
        Element keyInfo = Osci.child(ed, DS, "KeyInfo");
        if (keyInfo != null) {
            keys.addAll(Osci.children(keyInfo, XENC, "EncryptedKey"));
        }
        String cid = Mtom.contentIdOf(Osci.required(Osci.required(Osci.required(ed, XENC, "CipherData"), XENC,
                "CipherValue"), Osci.XOP, "Include").getAttribute("href"));
        String safeName = name.replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = dir.resolve(n + "-" + (safeName.isBlank() ? "attachment" : safeName));
        MessageDigest encryptedDigest = Osci.sha256();
        MessageDigest plainDigest = Osci.sha256();
        long plainSize = -1;
        long encryptedSize = 0;
        boolean intact = true;
        try (InputStream raw = parts.open(cid);
             CountingInput counted = new CountingInput(new DigestInputStream(raw, encryptedDigest));
             InputStream plain = new XmlDecryptor(Envelopes.POLICY).decryptBinary(counted, method, keys,
                     self.encryption().key());
             OutputStream out = Files.newOutputStream(file)) {
            plainSize = Osci.copy(plain, out, plainDigest);
            encryptedSize = counted.count;
        } catch (XmlSecurityException e) {
            intact = false;
            problems.add("attachment " + name + " cannot be decrypted: " + e.getMessage());
        }
        String plainSha = Osci.b64(plainDigest.digest());
        if (intact) {
            if (encryptedSize != Long.parseLong(att.getAttribute("Size"))
                    || !Osci.b64(encryptedDigest.digest()).equals(att.getAttribute("Digest"))) {
                intact = false;
                problems.add("attachment " + name + ": the encrypted bytes do not match the signed Size/Digest");
            }
            if (info == null || plainSize != Long.parseLong(info.getAttribute("Size"))
                    || !plainSha.equals(info.getAttribute("Digest"))) {
                intact = false;
                problems.add("attachment " + name + ": the decrypted bytes do not match the AttachmentInfo");
            }
        }
        return new ReceivedDelivery.Attachment(name, mediaType, plainSize, plainSha, file, intact);
    }

    /** Counts what the decryptor reads: the encrypted bytes, after the digest saw them. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private void logReceived(ReceivedDelivery r) {
        ObjectNode o = log.event("received");
        o.put("messageId", r.messageId());
        o.put("originator", r.originator());
        o.put("subject", r.subject());
        o.put("signer", r.signer());
        o.put("origin", r.originValid());
        o.put("content", r.contentValid());
        o.put("valid", r.valid());
        ArrayNode atts = o.putArray("attachments");
        for (ReceivedDelivery.Attachment a : r.attachments()) {
            ObjectNode j = atts.addObject();
            j.put("name", a.name());
            j.put("size", a.size());
            j.put("sha256", a.sha256());
            j.put("intact", a.intact());
        }
        ArrayNode problems = o.putArray("problems");
        r.problems().forEach(problems::add);
        log.append(o);
    }

    private static void verifyBundle(Document card, X509Certificate intermediary) throws XmlSecurityException {
        XmlSignatureVerifier.withExpectedSigner(Envelopes.POLICY, intermediary).idAttributes(Osci.ID)
                .verify(card, SignatureExpectation.documentElement());
    }

    private static String safe(String messageId) {
        return messageId.replace('/', '_').replace('+', '-').replace("=", "");
    }
}
