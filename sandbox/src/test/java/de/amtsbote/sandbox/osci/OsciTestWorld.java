package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.SoapTestClient.OSCI;
import static de.amtsbote.sandbox.osci.SoapTestClient.OSCI_ID;
import static de.amtsbote.sandbox.osci.SoapTestClient.el;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.EncryptingOutputStream;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlEncryptor;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSigner;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A sandbox OSCI world for the tests: intermediaries {@code justiz} and {@code behoerden}, a played court mailbox,
 * a played beBPo agency mailbox, and an external "gateway participant" mailbox whose keys the test holds.
 */
final class OsciTestWorld implements AutoCloseable {

    static final String COURT = "DE.Justiz.court-1";
    static final String AGENCY = "DE.BehoerdeBPo.agency-1";
    static final String PARTICIPANT = "DE.Gateway.participant-1";
    static final String STRANGER = "DE.Gateway.stranger-1";

    final Path dir;
    final OsciIntermediaries osci;
    final OsciPki pki;
    final SoapTestClient client;

    private OsciTestWorld(Path dir, OsciIntermediaries osci) throws Exception {
        this.dir = dir;
        this.osci = osci;
        this.pki = osci.pki();
        this.client = new SoapTestClient(Files.createDirectories(dir.resolve("client")));
    }

    static OsciTestWorld start(Path dir, Consumer<OsciConfig.Builder> tweak) throws Exception {
        OsciPki pki = OsciPki.generateOrLoad(dir.resolve("pki"), java.time.Clock.systemUTC());
        OsciConfig.Builder b = OsciConfig.builder(dir.resolve("data")).pkiDir(dir.resolve("pki"))
                .pollInterval(Duration.ZERO)
                .intermediary(IntermediaryConfig.generated("justiz"))
                .intermediary(IntermediaryConfig.generated("behoerden"))
                .mailbox(OsciMailboxConfig.played(COURT, "justiz").name("Amtsgericht Musterstadt").build())
                .mailbox(OsciMailboxConfig.played(AGENCY, "behoerden").name("Landratsamt Musterkreis").bebpo(true)
                        .build())
                .mailbox(external(pki, PARTICIPANT, "behoerden"))
                .mailbox(external(pki, STRANGER, "behoerden"));
        tweak.accept(b);
        return new OsciTestWorld(dir, OsciIntermediaries.start(b.build()));
    }

    static OsciMailboxConfig external(OsciPki pki, String id, String intermediary) throws Exception {
        return OsciMailboxConfig.external(id, intermediary).name("Gemeinde " + id)
                .encryption(pki.encryption(id).certificate(), null)
                .signature(pki.signature(id).certificate(), null).build();
    }

    static PrivateKeyHandle handle(OsciPki.Pair pair) throws Exception {
        List<X509Certificate> chain = Pem.readCertificates(pair.certificate());
        return new SoftwareKeyHandle(new KeyRef("test", KeyPurpose.SIGNING, "test." + Math.abs(pair.key().hashCode())),
                Pem.readTestPrivateKey(pair.key()), chain);
    }

    PrivateKeyHandle signing(String id) throws Exception {
        return handle(pki.signature(id));
    }

    PrivateKeyHandle encryption(String id) throws Exception {
        return handle(pki.encryption(id));
    }

    X509Certificate certificate(OsciPki.Pair pair) throws Exception {
        return Pem.readCertificates(pair.certificate()).get(0);
    }

    Intermediary justiz() {
        return osci.intermediary("justiz");
    }

    Intermediary behoerden() {
        return osci.intermediary("behoerden");
    }

    // ------------------------------------------------------------------ requests of the test client

    SoapTestClient.Request request(String operation, String caller, PrivateKeyHandle key) {
        return new SoapTestClient.Request(operation, caller, key);
    }

    String getMessageId(Intermediary at, String caller, PrivateKeyHandle key) throws Exception {
        SoapTestClient.Answer a = client.send(at.url(), request("getMessageId", caller, key)
                .body(b -> el(b, "GetMessageId", null)));
        a.assertOk();
        return SoapTestClient.child(a.payload(), OSCI, "MessageId").getTextContent();
    }

    /** What a test delivery is made of; change fields to make it wrong. */
    static final class Delivery {
        String messageId;
        String originator;
        String addressee;
        String subject = "Klage in Sachen Muster";
        X509Certificate addresseeEncryption;
        X509Certificate intermediary;
        PrivateKeyHandle originKey;
        PrivateKeyHandle contentKey;
        Path attachment;
        boolean wrongDigest;
        final List<String[]> parts = new java.util.ArrayList<>();
    }

    /** A storeDelivery request for the delivery: the double envelope, built in the test from the contract. */
    SoapTestClient.Request storeRequest(Delivery dl, PrivateKeyHandle callerKey) throws Exception {
        Document sd = SecureXml.standard().newDocument();
        Element root = sd.createElementNS(OSCI, "osci:StoreDelivery");
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:osci", OSCI);
        sd.appendChild(root);
        root.setAttributeNS(OSCI, "osci:Id", "delivery");
        el(root, "MessageId", dl.messageId);
        el(root, "Originator", dl.originator);
        el(root, "Addressee", dl.addressee);
        el(root, "Subject", dl.subject);
        Element pkg = el(root, "ContentPackage", null);
        Element container = el(pkg, "ContentContainer", null);
        container.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:osci", OSCI);
        container.setAttributeNS(OSCI, "osci:Id", "content");
        el(container, "Content", Base64.getEncoder().encodeToString("Sehr geehrte Damen und Herren"
                .getBytes(StandardCharsets.UTF_8))).setAttribute("MediaType", "text/plain; charset=UTF-8");
        List<XmlRecipient> to = List.of(XmlRecipient.of(dl.addresseeEncryption));
        Element attachment = null;
        if (dl.attachment != null) {
            MessageDigest plain = JcaNames.messageDigest(Algorithm.SHA256);
            MessageDigest cipher = JcaNames.messageDigest(Algorithm.SHA256);
            Path encrypted = Files.createTempFile(dir, "enc-", ".bin");
            long plainSize;
            EncryptingOutputStream eos = new XmlEncryptor(AlgorithmPolicy.bsi()).encryptBinary(
                    new DigestOutputStream(Files.newOutputStream(encrypted), cipher), sd, to);
            try (InputStream in = Files.newInputStream(dl.attachment); OutputStream out = eos) {
                plainSize = in.transferTo(new DigestOutputStream(out, plain));
            }
            Element info = el(container, "AttachmentInfo", null);
            info.setAttribute("Ref", "att-1");
            info.setAttribute("Name", dl.attachment.getFileName().toString());
            info.setAttribute("MediaType", "application/pdf");
            info.setAttribute("Size", Long.toString(plainSize));
            info.setAttribute("Digest", Base64.getEncoder().encodeToString(plain.digest()));
            attachment = sd.createElementNS(OSCI, "osci:Attachment");
            attachment.setAttributeNS(OSCI, "osci:Id", "att-1");
            attachment.setAttribute("Size", Long.toString(Files.size(encrypted)));
            byte[] digest = cipher.digest();
            if (dl.wrongDigest) {
                digest[0] ^= 1;
            }
            attachment.setAttribute("Digest", Base64.getEncoder().encodeToString(digest));
            String xenc = "http://www.w3.org/2001/04/xmlenc#";
            Element ed = (Element) attachment.appendChild(sd.createElementNS(xenc, "xenc:EncryptedData"));
            ed.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:xenc", xenc);
            ed.setAttribute("MimeType", "application/octet-stream");
            ((Element) ed.appendChild(sd.createElementNS(xenc, "xenc:EncryptionMethod")))
                    .setAttribute("Algorithm", eos.encryptionMethod());
            Element keyInfo = (Element) ed.appendChild(sd.createElementNS("http://www.w3.org/2000/09/xmldsig#",
                    "ds:KeyInfo"));
            keyInfo.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:ds", "http://www.w3.org/2000/09/xmldsig#");
            eos.encryptedKeys().forEach(keyInfo::appendChild);
            Element cv = (Element) ed.appendChild(sd.createElementNS(xenc, "xenc:CipherData"))
                    .appendChild(sd.createElementNS(xenc, "xenc:CipherValue"));
            Element include = (Element) cv.appendChild(sd.createElementNS("http://www.w3.org/2004/08/xop/include",
                    "xop:Include"));
            include.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:xop", "http://www.w3.org/2004/08/xop/include");
            include.setAttribute("href", "cid:att-1");
            dl.parts.add(new String[] {"att-1", encrypted.toString()});
        }
        new XmlSigner(dl.contentKey, AlgorithmPolicy.bsi()).idAttribute(OSCI_ID).signing(sd).coverElement(container)
                .placeIn(container).sign();
        new XmlEncryptor(AlgorithmPolicy.bsi()).encryptElement(container, to);
        if (attachment != null) {
            pkg.appendChild(attachment);
        }
        Document signed = SoapTestClient.reparse(sd);
        Element root2 = signed.getDocumentElement();
        new XmlSigner(dl.originKey, AlgorithmPolicy.bsi()).idAttribute(OSCI_ID).signing(signed).coverElement(root2)
                .placeIn(root2).sign();
        SoapTestClient.Request r = request("storeDelivery", dl.originator, callerKey).body(b -> {
            Element imported = (Element) b.getOwnerDocument().importNode(root2, true);
            b.appendChild(imported);
            try {
                new XmlEncryptor(AlgorithmPolicy.bsi()).encryptElement(imported,
                        List.of(XmlRecipient.of(dl.intermediary)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        r.parts.addAll(dl.parts);
        return r;
    }

    /** A correct delivery from the participant to the agency's mailbox at behoerden (message id reserved). */
    Delivery participantToAgency() throws Exception {
        Delivery d = new Delivery();
        d.originator = PARTICIPANT;
        d.addressee = AGENCY;
        d.messageId = getMessageId(behoerden(), PARTICIPANT, signing(PARTICIPANT));
        d.addresseeEncryption = certificate(pki.encryption(AGENCY));
        d.intermediary = behoerden().certificate();
        d.originKey = signing(PARTICIPANT);
        d.contentKey = signing(PARTICIPANT);
        return d;
    }

    /** A correct delivery between two external mailboxes whose keys the test holds: stranger to participant. */
    Delivery strangerToParticipant() throws Exception {
        Delivery d = new Delivery();
        d.originator = STRANGER;
        d.addressee = PARTICIPANT;
        d.messageId = getMessageId(behoerden(), STRANGER, signing(STRANGER));
        d.addresseeEncryption = certificate(pki.encryption(PARTICIPANT));
        d.intermediary = behoerden().certificate();
        d.originKey = signing(STRANGER);
        d.contentKey = signing(STRANGER);
        return d;
    }

    @Override
    public void close() {
        osci.close();
    }
}
