package de.amtsbote.bench.micro;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.xml.EncryptingOutputStream;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlEncryptor;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSecurityException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * OSCI-style two-layer encryption with crypto.xml's {@link XmlEncryptor}, as the beBPo channel writes a delivery
 * (adapters/bebpo {@code DeliveryWriter}, {@code BebpoAdapter}): the attachment is encrypted as a stream for the
 * addressee (AES-256-GCM, an MTOM part); the content container (body text and attachment info) is encrypted as an
 * element for the addressee; the delivery that holds it is put into the request and encrypted again, for the
 * intermediary. Signatures are left out: the evidence benchmark measures XML signatures. RSA-3072 keys, as the
 * demo's beBPo participants and intermediary have.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OsciEnvelopeBenchmark {

    private static final String NS = "urn:amtsbote:bench:osci";

    @Param({"10240", "1048576"})
    public int attachmentSize;

    private XmlEncryptor encryptor;
    private List<XmlRecipient> addressee;
    private List<XmlRecipient> intermediary;
    private byte[] attachment;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        MicroKeys keys = new MicroKeys();
        encryptor = new XmlEncryptor(keys.policy);
        addressee = List.of(XmlRecipient.of(keys.key("Amtsgericht", KeyPurpose.ENCRYPTION, "RSA-3072").certificate()));
        intermediary = List.of(XmlRecipient.of(keys.key("Intermediaer Justiz", KeyPurpose.ENCRYPTION, "RSA-3072")
                .certificate()));
        attachment = MicroContent.bytes(attachmentSize, 5);
        body = "Sehr geehrte Damen und Herren,\nanbei die Klage.".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        twoLayers();
    }

    @Benchmark
    public Document twoLayers() throws XmlSecurityException, IOException {
        Document delivery = SecureXml.standard().newDocument();
        Element store = delivery.createElementNS(NS, "osci:StoreDelivery");
        delivery.appendChild(store);
        add(store, "MessageId", "bench-message");
        add(store, "Subject", "Klage wegen Erschliessungsbeitraegen");
        Element contentPackage = add(store, "ContentPackage", null);
        Element container = add(contentPackage, "ContentContainer", null);
        add(container, "Content", Base64.getEncoder().encodeToString(body));
        Element info = add(container, "AttachmentInfo", null);
        info.setAttributeNS(null, "Ref", "att-1");
        // the attachment: streamed through AES-GCM for the addressee, as an MTOM part would be
        try (EncryptingOutputStream cipher = encryptor.encryptBinary(OutputStream.nullOutputStream(), delivery,
                addressee)) {
            new ByteArrayInputStream(attachment).transferTo(cipher);
            Element part = add(contentPackage, "Attachment", null);
            cipher.encryptedKeys().forEach(part::appendChild);
        }
        // inner layer: the content, end to end for the addressee
        encryptor.encryptElement(container, addressee);
        // outer layer: the delivery (with the encrypted content) in the request, for the intermediary
        Document request = SecureXml.standard().newDocument();
        Element envelope = request.createElementNS(NS, "osci:Request");
        request.appendChild(envelope);
        Element imported = (Element) request.importNode(store, true);
        envelope.appendChild(imported);
        encryptor.encryptElement(imported, intermediary);
        return request;
    }

    private static Element add(Element parent, String name, String text) {
        Element e = parent.getOwnerDocument().createElementNS(NS, "osci:" + name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }
}
