package de.amtsbote.crypto.xml;

import java.util.Objects;
import org.w3c.dom.Attr;

/**
 * An attribute that names an element for {@code URI="#..."} references. Without a DTD no attribute is an ID by
 * itself; the signer and the verifier register exactly these, so that an attacker cannot make another attribute
 * resolve a reference, and a value that occurs twice is refused.
 *
 * @param namespace the attribute's namespace URI, or null for an unqualified attribute
 * @param localName its local name
 */
public record IdAttribute(String namespace, String localName) {

    /** {@code Id}, unqualified: XML-DSig, XML Encryption, OSCI 1.2. */
    public static final IdAttribute ID = new IdAttribute(null, "Id");
    /** {@code ID}, unqualified: SAML 2.0 assertions and protocol messages. */
    public static final IdAttribute SAML_ID = new IdAttribute(null, "ID");
    /** {@code wsu:Id}: WS-Security (OSCI 2, De-Mail provider web services). */
    public static final IdAttribute WSU_ID = new IdAttribute(
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd", "Id");

    public IdAttribute {
        Objects.requireNonNull(localName, "localName");
        if (namespace != null && namespace.isEmpty()) {
            namespace = null;
        }
    }

    boolean matches(Attr attribute) {
        String ns = attribute.getNamespaceURI();
        String local = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getName();
        return localName.equals(local) && Objects.equals(namespace, ns == null || ns.isEmpty() ? null : ns);
    }

    @Override
    public String toString() {
        return namespace == null ? localName : "{" + namespace + "}" + localName;
    }
}
