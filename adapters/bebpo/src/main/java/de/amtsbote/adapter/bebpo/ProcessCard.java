package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.TransportProof;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * A verified process card (Laufzettel, contract section 5): the {@code osci:ProcessCardBundle} signed on its own by
 * the intermediary, kept verbatim as the proof. Verified as a document of its own, so that several bundles in one
 * answer cannot stand in for each other, and what is kept is exactly what was verified.
 *
 * @param messageId  the message id it is about (base64, as on the wire)
 * @param creation   when the delivery was stored at the intermediary
 * @param forwarding when the addressee first fetched it, or null
 * @param reception  when the addressee acknowledged it, or null
 * @param bundle     the bundle's bytes, as verified
 */
record ProcessCard(String messageId, Instant creation, Instant forwarding, Instant reception, String subject,
                   byte[] bundle) {

    static final ElementPath BUNDLE = ElementPath.root(Osci.NS, "ProcessCardBundle");
    static final ElementPath SIGNATURE = BUNDLE.child(Osci.DS, "Signature");
    static final String MEDIA_TYPE = "application/xml";

    ProcessCard {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(creation, "creation");
        bundle = bundle.clone();
    }

    @Override
    public byte[] bundle() {
        return bundle.clone();
    }

    TransportProof proof() {
        return new TransportProof(MEDIA_TYPE, bundle, Assurance.INTERMEDIARY_SIGNED);
    }

    /**
     * Verifies a bundle found in a verified answer: its own enveloped signature by the intermediary certificate (the
     * one the directory names), then reads it.
     *
     * @throws CardRefused naming the failed check
     */
    static ProcessCard verify(Element bundle, X509Certificate intermediaryCertificate, AlgorithmPolicy policy)
            throws CardRefused {
        byte[] bytes = standalone(bundle);
        return verify(bytes, intermediaryCertificate, policy);
    }

    static ProcessCard verify(byte[] bytes, X509Certificate intermediaryCertificate, AlgorithmPolicy policy)
            throws CardRefused {
        if (bytes.length > TransportProof.MAX_BYTES) {
            throw new CardRefused("the process card has " + bytes.length + " bytes, more than a proof may have");
        }
        VerifiedXml verified;
        try {
            Document document = SecureXml.standard().parse(new ByteArrayInputStream(bytes));
            verified = XmlSignatureVerifier.withExpectedSigner(policy, intermediaryCertificate).idAttributes(Osci.ID)
                    .verify(document, SignatureExpectation.element(BUNDLE).signatureAt(SIGNATURE));
        } catch (XmlSecurityException e) {
            throw new CardRefused("the process card's signature by the intermediary "
                    + intermediaryCertificate.getSubjectX500Principal().getName() + " is refused (" + e.reason()
                    + "): " + e.getMessage());
        } catch (IOException e) {
            throw new CardRefused("the process card cannot be read: " + e.getMessage());
        }
        Element root = verified.element(BUNDLE);
        try {
            String messageId = Osci.text(root, "MessageId");
            Element card = Osci.required(root, Osci.NS, "ProcessCard");
            String creation = Osci.optionalText(card, "Creation");
            if (creation == null) {
                throw new CardRefused("the process card of " + messageId + " has no Creation time");
            }
            String forwarding = Osci.optionalText(card, "Forwarding");
            String reception = Osci.optionalText(card, "Reception");
            return new ProcessCard(messageId, Osci.parseTime(creation, "Creation"),
                    forwarding == null ? null : Osci.parseTime(forwarding, "Forwarding"),
                    reception == null ? null : Osci.parseTime(reception, "Reception"),
                    Osci.optionalText(card, "Subject"), bytes);
        } catch (Osci.MalformedException e) {
            throw new CardRefused("the process card is malformed: " + e.getMessage());
        }
    }

    /**
     * The element as a document of its own: a deep copy with the namespace declarations it inherits from its
     * ancestors, serialised. Exclusive c14n digests only the namespaces an element uses, so the signature still holds.
     */
    static byte[] standalone(Element element) throws CardRefused {
        try {
            return serialize(element);
        } catch (XmlSecurityException e) {
            throw new CardRefused("the process card cannot be serialised: " + e.getMessage());
        }
    }

    static byte[] serialize(Element element) throws XmlSecurityException {
        Document copy = SecureXml.standard().newDocument();
        Element root = (Element) copy.importNode(element, true);
        copy.appendChild(root);
        for (Node n = element.getParentNode(); n instanceof Element ancestor; n = n.getParentNode()) {
            NamedNodeMap attributes = ancestor.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr a = (Attr) attributes.item(i);
                if (Osci.XMLNS.equals(a.getNamespaceURI()) && !root.hasAttributeNS(Osci.XMLNS, a.getLocalName())) {
                    root.setAttributeNS(Osci.XMLNS, a.getName(), a.getValue());
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        SecureXml.standard().serialize(copy, out);
        return out.toByteArray();
    }

    /** A process card that is not believed. */
    static final class CardRefused extends Exception {
        CardRefused(String message) {
            super(message);
        }
    }
}
