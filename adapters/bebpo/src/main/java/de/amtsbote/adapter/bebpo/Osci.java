package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.IdAttribute;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The names of the wire contract (docs/channels/bebpo.md section 2) and small DOM helpers for them. */
final class Osci {

    static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    static final String NS = "http://www.osci.de/2002/04/osci";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XOP = "http://www.w3.org/2004/08/xop/include";
    static final String XMLNS = "http://www.w3.org/2000/xmlns/";

    /** {@code osci:Id}: namespace-qualified, so that no other attribute can name a signed element. */
    static final IdAttribute ID = new IdAttribute(NS, "Id");

    static final ElementPath ENVELOPE = ElementPath.root(SOAP, "Envelope");
    static final ElementPath HEADER = ENVELOPE.child(SOAP, "Header");
    static final ElementPath CONTROL_BLOCK = HEADER.child(NS, "ControlBlock");
    static final ElementPath BODY = ENVELOPE.child(SOAP, "Body");
    static final ElementPath INTERMEDIARY_SIGNATURE = HEADER.child(NS, "IntermediarySignature").child(DS, "Signature");

    private Osci() {
    }

    static QName osci(String localName) {
        return new QName(NS, localName);
    }

    /** A new element {@code osci:<name>} appended to {@code parent}, with text if given. */
    static Element add(Element parent, String localName, String text) {
        Element e = parent.getOwnerDocument().createElementNS(NS, "osci:" + localName);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    /** A new document element {@code osci:<name>} with the osci and ds prefixes declared on it. */
    static Element root(Document document, String localName, String id) {
        Element e = document.createElementNS(NS, "osci:" + localName);
        e.setAttributeNS(XMLNS, "xmlns:osci", NS);
        e.setAttributeNS(XMLNS, "xmlns:ds", DS);
        if (id != null) {
            setId(e, id);
        }
        document.appendChild(e);
        return e;
    }

    static void setId(Element e, String id) {
        e.setAttributeNS(NS, "osci:Id", id);
        e.setIdAttributeNS(NS, "Id", true);
    }

    static boolean is(Node n, String namespace, String localName) {
        return n instanceof Element e && localName.equals(e.getLocalName()) && namespace.equals(e.getNamespaceURI());
    }

    static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    static List<Element> children(Element parent, String namespace, String localName) {
        return children(parent).stream().filter(e -> is(e, namespace, localName)).toList();
    }

    /** The one child of that name, or null when there is none; two are malformed. */
    static Element child(Element parent, String namespace, String localName) throws MalformedException {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() > 1) {
            throw new MalformedException(parent.getLocalName() + " has " + found.size() + " " + localName
                    + " elements; the contract allows one");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    static Element required(Element parent, String namespace, String localName) throws MalformedException {
        Element e = child(parent, namespace, localName);
        if (e == null) {
            throw new MalformedException(parent.getLocalName() + " lacks its " + localName);
        }
        return e;
    }

    static String text(Element parent, String localName) throws MalformedException {
        return required(parent, NS, localName).getTextContent().trim();
    }

    static String optionalText(Element parent, String localName) throws MalformedException {
        Element e = child(parent, NS, localName);
        return e == null ? null : e.getTextContent().trim();
    }

    /**
     * The document as the far side will parse it: serialised and parsed again. Signatures are made only over parsed
     * documents, since elements created in memory (Santuario's EncryptedKey, AgreementMethod) may use prefixes that no
     * attribute declares; the serialiser adds those declarations, which would change what the digest covered.
     */
    static Document reparse(Document document) throws de.amtsbote.crypto.xml.XmlSecurityException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 * 1024);
        de.amtsbote.crypto.xml.SecureXml.standard().serialize(document, out);
        try {
            return de.amtsbote.crypto.xml.SecureXml.standard().parse(new java.io.ByteArrayInputStream(out.toByteArray()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("reading from memory failed", e);
        }
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Instant parseTime(String value, String what) throws MalformedException {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedException(what + " is not an xs:dateTime in UTC: '" + value + "'");
        }
    }

    /** Something on the wire is not shaped as the contract says. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }
}
