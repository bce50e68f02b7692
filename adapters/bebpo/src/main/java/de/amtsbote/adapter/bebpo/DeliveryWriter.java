package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.xml.EncryptingOutputStream;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlEncryptor;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSigner;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes the double envelope of contract section 4 for one delivery: the {@code osci:ContentContainer} (body text,
 * reference, one AttachmentInfo per attachment with the SHA-256 of its plain bytes) signed by the sender (content
 * signature) and encrypted for the addressee; each attachment encrypted for the addressee as a stream into a spool
 * file while its plain and encrypted SHA-256 and sizes are computed; the {@code osci:StoreDelivery} around them with
 * the origin signature. The StoreDelivery is then encrypted for the intermediary by the caller, inside the request.
 */
final class DeliveryWriter {

    /** The written delivery: the signed StoreDelivery (its own document) and the encrypted attachment parts. */
    record Written(Document storeDelivery, List<OsciRequest.Part> parts) {
        Written {
            parts = List.copyOf(parts);
        }

        void delete() {
            parts.forEach(p -> OsciClient.deleteQuietly(p.file()));
        }
    }

    /** Plain body text up to this size goes into the XML; the body is a letter, attachments carry documents. */
    static final int MAX_BODY_BYTES = 4 << 20;

    private final XmlEncryptor encryptor;
    private final XmlSigner signer;
    private final OsciClient client;

    DeliveryWriter(XmlEncryptor encryptor, XmlSigner signer, OsciClient client) {
        this.encryptor = encryptor;
        this.signer = signer.idAttribute(Osci.ID);
        this.client = client;
    }

    /**
     * @throws XmlSecurityException signing or encryption failed
     * @throws IOException          content could not be read or the spool not written; too-large content is a
     *                              {@link DigestingStreams.TooLargeException}
     */
    Written write(OutboundEnvelope envelope, String messageId, String originator, String addressee,
                  XmlRecipient recipient, long maxBytes) throws XmlSecurityException, IOException,
            de.amtsbote.spi.TransientTransportException {
        Document delivery = SecureXml.standard().newDocument();
        Element storeDelivery = Osci.root(delivery, "StoreDelivery", "delivery");
        Osci.add(storeDelivery, "MessageId", messageId);
        Osci.add(storeDelivery, "Originator", originator);
        Osci.add(storeDelivery, "Addressee", addressee);
        Osci.add(storeDelivery, "Subject", envelope.subject());
        Element contentPackage = Osci.add(storeDelivery, "ContentPackage", null);

        Document content = SecureXml.standard().newDocument();
        Element container = Osci.root(content, "ContentContainer", "content");
        byte[] body = readBody(envelope);
        long total = body.length;
        Element text = Osci.add(container, "Content", Base64.getEncoder().encodeToString(body));
        text.setAttributeNS(null, "MediaType", "text/plain; charset=UTF-8");
        if (envelope.reference() != null && !envelope.reference().isBlank()) {
            Osci.add(container, "Reference", envelope.reference());
        }

        List<OsciRequest.Part> parts = new ArrayList<>();
        List<Element> attachments = new ArrayList<>();
        boolean done = false;
        try {
            int i = 0;
            for (OutboundAttachment attachment : envelope.attachments()) {
                String id = "att-" + (++i);
                Path file = client.newSpoolFile();
                parts.add(new OsciRequest.Part(id, file, 0));
                Encrypted e = encrypt(attachment, file, delivery, recipient, maxBytes - total, "the message (body and"
                        + " attachments up to " + attachment.fileName() + ") is larger than " + maxBytes + " bytes");
                total += e.plainSize();
                parts.set(parts.size() - 1, new OsciRequest.Part(id, file, e.encryptedSize()));

                Element info = Osci.add(container, "AttachmentInfo", null);
                info.setAttributeNS(null, "Ref", id);
                info.setAttributeNS(null, "Name", attachment.fileName());
                info.setAttributeNS(null, "MediaType", attachment.mediaType());
                info.setAttributeNS(null, "Size", Long.toString(e.plainSize()));
                info.setAttributeNS(null, "Digest", e.plainDigest());
                attachments.add(attachmentElement(delivery, id, e));
            }
            // content signature: enveloped, URI="#content", by the sender's signing key
            content = Osci.reparse(content);
            container = content.getDocumentElement();
            signer.signing(content).coverElement(container).placeIn(container).sign();
            Element imported = (Element) delivery.importNode(container, true);
            contentPackage.appendChild(imported);
            encryptor.encryptElement(imported, List.of(recipient));
            attachments.forEach(contentPackage::appendChild);
            // origin signature: enveloped, URI="#delivery"; covers ids, subject, the encrypted container and each
            // attachment's Size and Digest of its encrypted bytes
            delivery = Osci.reparse(delivery);
            storeDelivery = delivery.getDocumentElement();
            signer.signing(delivery).coverElement(storeDelivery).placeIn(storeDelivery).sign();
            done = true;
            return new Written(delivery, parts);
        } finally {
            if (!done) {
                parts.forEach(p -> OsciClient.deleteQuietly(p.file()));
            }
        }
    }

    private record Encrypted(long plainSize, String plainDigest, long encryptedSize, String encryptedDigest,
                             String method, List<Element> encryptedKeys) {
    }

    private Encrypted encrypt(OutboundAttachment attachment, Path file, Document owner, XmlRecipient recipient,
                              long room, String tooLarge) throws IOException, XmlSecurityException {
        try (InputStream in = attachment.content().open();
             DigestingStreams.In plain = new DigestingStreams.In(in, room, tooLarge)) {
            DigestingStreams.Out encrypted = new DigestingStreams.Out(Files.newOutputStream(file));
            String method;
            List<Element> keys;
            try (EncryptingOutputStream cipher = encryptor.encryptBinary(encrypted, owner, List.of(recipient))) {
                method = cipher.encryptionMethod();
                keys = cipher.encryptedKeys();
                plain.transferTo(cipher);
            } finally {
                encrypted.close();
            }
            return new Encrypted(plain.count(), plain.digest(), encrypted.count(), encrypted.digest(), method, keys);
        }
    }

    private static Element attachmentElement(Document delivery, String id, Encrypted e) {
        Element attachment = delivery.createElementNS(Osci.NS, "osci:Attachment");
        Osci.setId(attachment, id);
        attachment.setAttributeNS(null, "Size", Long.toString(e.encryptedSize()));
        attachment.setAttributeNS(null, "Digest", e.encryptedDigest());
        Element data = delivery.createElementNS(Osci.XENC, "xenc:EncryptedData");
        data.setAttributeNS(Osci.XMLNS, "xmlns:xenc", Osci.XENC);
        data.setAttributeNS(null, "MimeType", "application/octet-stream");
        attachment.appendChild(data);
        Element method = delivery.createElementNS(Osci.XENC, "xenc:EncryptionMethod");
        method.setAttributeNS(null, "Algorithm", e.method());
        data.appendChild(method);
        Element keyInfo = delivery.createElementNS(Osci.DS, "ds:KeyInfo");
        e.encryptedKeys().forEach(keyInfo::appendChild);
        data.appendChild(keyInfo);
        Element cipherData = delivery.createElementNS(Osci.XENC, "xenc:CipherData");
        data.appendChild(cipherData);
        Element cipherValue = delivery.createElementNS(Osci.XENC, "xenc:CipherValue");
        cipherData.appendChild(cipherValue);
        Element include = delivery.createElementNS(Osci.XOP, "xop:Include");
        include.setAttributeNS(Osci.XMLNS, "xmlns:xop", Osci.XOP);
        include.setAttributeNS(null, "href", "cid:" + id);
        cipherValue.appendChild(include);
        return attachment;
    }

    private static byte[] readBody(OutboundEnvelope envelope) throws IOException {
        try (InputStream in = envelope.body().open()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new DigestingStreams.TooLargeException("the body text is larger than " + MAX_BODY_BYTES
                        + " bytes; send long documents as attachments");
            }
            return body;
        }
    }

    static byte[] bytes(Document document) throws XmlSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureXml.standard().serialize(document, out);
        return out.toByteArray();
    }
}
