package de.amtsbote.sandbox.osci;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.IdAttribute;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Names and small DOM helpers of the beBPo wire contract ({@code docs/channels/bebpo.md}). */
final class Osci {

    static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    static final String NS = "http://www.osci.de/2002/04/osci";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XOP = "http://www.w3.org/2004/08/xop/include";
    static final String XMLNS = "http://www.w3.org/2000/xmlns/";

    /** {@code osci:Id}: namespace-qualified, so that nothing else can act as an Id (contract section 2). */
    static final IdAttribute ID = new IdAttribute(NS, "Id");

    static final ElementPath ENVELOPE = ElementPath.root(SOAP, "Envelope");
    static final ElementPath HEADER = ENVELOPE.child(SOAP, "Header");
    static final ElementPath CONTROL_BLOCK = HEADER.child(NS, "ControlBlock");
    static final ElementPath BODY = ENVELOPE.child(SOAP, "Body");
    static final ElementPath CLIENT_SIGNATURE = HEADER.child(NS, "ClientSignature").child(DS, "Signature");
    static final ElementPath INTERMEDIARY_SIGNATURE = HEADER.child(NS, "IntermediarySignature").child(DS, "Signature");

    /** Mailbox ids: {@code DE.} then 1–125 of {@code [A-Za-z0-9._-]} (contract section 1). */
    static final Pattern MAILBOX_ID = Pattern.compile("DE\\.[A-Za-z0-9._-]{1,125}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Osci() {
    }

    /** Base64 of 16 random bytes: nonces and message ids. */
    static String random16() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static String checkMailboxId(String id) {
        if (id == null || !MAILBOX_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("mailbox id '" + id + "' is not DE.<1-125 of A-Za-z0-9._->");
        }
        return id;
    }

    /** A new element in the OSCI namespace with the prefix {@code osci}. */
    static Element osci(Document d, String localName) {
        return d.createElementNS(NS, "osci:" + localName);
    }

    static Element osci(Document d, String localName, String text) {
        Element e = osci(d, localName);
        e.setTextContent(text);
        return e;
    }

    static Element append(Element parent, Element child) {
        parent.appendChild(child);
        return child;
    }

    static void setId(Element e, String id) {
        e.setAttributeNS(NS, "osci:Id", id);
        e.setIdAttributeNS(NS, "Id", true);
    }

    /** Declares the prefixes we write on an element that will be serialised or encrypted on its own. */
    static void declare(Element e) {
        e.setAttributeNS(XMLNS, "xmlns:osci", NS);
        e.setAttributeNS(XMLNS, "xmlns:ds", DS);
        e.setAttributeNS(XMLNS, "xmlns:xenc", XENC);
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String ns, String localName) {
        return children(parent).stream().filter(e -> is(e, ns, localName)).toList();
    }

    static boolean is(Element e, String ns, String localName) {
        return e != null && ns.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName());
    }

    /** The one child with this name, or null when there is none; two are malformed. */
    static Element child(Element parent, String ns, String localName) throws OsciFaultException {
        List<Element> found = children(parent, ns, localName);
        if (found.size() > 1) {
            throw OsciFaultException.malformed("more than one " + localName + " in " + parent.getLocalName());
        }
        return found.isEmpty() ? null : found.get(0);
    }

    static Element required(Element parent, String ns, String localName) throws OsciFaultException {
        Element e = child(parent, ns, localName);
        if (e == null) {
            throw OsciFaultException.malformed("no " + localName + " in " + parent.getLocalName());
        }
        return e;
    }

    static String requiredText(Element parent, String localName) throws OsciFaultException {
        String text = required(parent, NS, localName).getTextContent().trim();
        if (text.isEmpty()) {
            throw OsciFaultException.malformed(localName + " in " + parent.getLocalName() + " is empty");
        }
        return text;
    }

    static String optionalText(Element parent, String localName) throws OsciFaultException {
        Element e = child(parent, NS, localName);
        return e == null ? null : e.getTextContent().trim();
    }

    static byte[] serialize(Node node) throws XmlSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureXml.standard().serialize(node, out);
        return out.toByteArray();
    }

    /**
     * The document as it will be read on the other side: serialised and parsed again. Signing the re-parsed form
     * makes the signature cover exactly the bytes sent (elements that Santuario or the DOM created without their
     * namespace declarations canonicalise differently before and after a round trip).
     */
    static Document reparsed(Document d) throws XmlSecurityException {
        try {
            return SecureXml.standard().parse(new java.io.ByteArrayInputStream(serialize(d)));
        } catch (IOException e) {
            throw new IllegalStateException("parsing from memory failed", e);
        }
    }

    /**
     * A new document holding the element as its document element, through a serialisation round trip: the serialiser
     * writes the namespace declarations in scope, which {@code importNode} would leave behind on the ancestors (and
     * exclusive c14n of such a copy no longer matches the signature).
     */
    static Document own(Element element) throws XmlSecurityException {
        try {
            return SecureXml.standard().parse(new java.io.ByteArrayInputStream(serialize(element)));
        } catch (IOException e) {
            throw new IllegalStateException("parsing from memory failed", e);
        }
    }

    static MessageDigest sha256() {
        return JcaNames.messageDigest(Algorithm.SHA256);
    }

    /** Copies while hashing and counting; returns the byte count. */
    static long copy(InputStream in, OutputStream out, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (digest != null) {
                digest.update(buffer, 0, n);
            }
            if (out != null) {
                out.write(buffer, 0, n);
            }
            total += n;
        }
        return total;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
