package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.namespace.QName;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Where the application reads an element: a path of qualified names from the document element down, each step
 * naming exactly one child. A step that matches two children is refused — two {@code Body} elements under one
 * {@code Envelope} is the shape of a signature-wrapping attack, and a path must never have to guess.
 *
 * <p>{@code ElementPath.root(ENVELOPE).child(BODY).child(PAYLOAD)}; {@link #documentElement()} is the document
 * element whatever its name.
 */
public final class ElementPath {

    private final QName root;
    private final List<QName> children;

    private ElementPath(QName root, List<QName> children) {
        this.root = root;
        this.children = List.copyOf(children);
    }

    /** The document element, whatever its name. */
    public static ElementPath documentElement() {
        return new ElementPath(null, List.of());
    }

    /** The document element, which must have this name. */
    public static ElementPath root(QName name) {
        return new ElementPath(Objects.requireNonNull(name, "name"), List.of());
    }

    /** The document element with this namespace and local name. */
    public static ElementPath root(String namespace, String localName) {
        return root(new QName(namespace, localName));
    }

    /** The one child with this name of the element this path names. */
    public ElementPath child(QName name) {
        List<QName> c = new ArrayList<>(children);
        c.add(Objects.requireNonNull(name, "name"));
        return new ElementPath(root, c);
    }

    public ElementPath child(String namespace, String localName) {
        return child(new QName(namespace, localName));
    }

    /** Whether this path is the document element and nothing below it. */
    public boolean isDocumentElement() {
        return children.isEmpty();
    }

    /**
     * The element at this path.
     *
     * @throws XmlSecurityException MALFORMED when a step is missing, WRAPPING_SUSPECTED when a step is ambiguous
     */
    public Element find(Document document) throws XmlSecurityException {
        Element current = document.getDocumentElement();
        if (current == null || (root != null && !matches(current, root))) {
            throw new XmlSecurityException(Reason.MALFORMED, toString(), "the document element is "
                    + (current == null ? "missing" : name(current)) + ", not " + root);
        }
        StringBuilder at = new StringBuilder("/").append(current.getLocalName());
        for (QName step : children) {
            Element found = null;
            for (Node n = current.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && matches(e, step)) {
                    if (found != null) {
                        throw new XmlSecurityException(Reason.WRAPPING_SUSPECTED, toString(), "more than one "
                                + step + " under " + at + ": the element read at " + this + " is ambiguous");
                    }
                    found = e;
                }
            }
            if (found == null) {
                throw new XmlSecurityException(Reason.MALFORMED, toString(), "no " + step + " under " + at);
            }
            current = found;
            at.append('/').append(step.getLocalPart());
        }
        return current;
    }

    private static boolean matches(Element e, QName name) {
        return name.getLocalPart().equals(e.getLocalName())
                && Objects.equals(emptyToNull(name.getNamespaceURI()), emptyToNull(e.getNamespaceURI()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String name(Element e) {
        return e.getNamespaceURI() == null ? e.getLocalName() : "{" + e.getNamespaceURI() + "}" + e.getLocalName();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ElementPath p && Objects.equals(root, p.root) && children.equals(p.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(root, children);
    }

    /** "/Envelope/Body/Payload" (local names; "/*" for any document element). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("/").append(root == null ? "*" : root.getLocalPart());
        children.forEach(c -> s.append('/').append(c.getLocalPart()));
        return s.toString();
    }
}
