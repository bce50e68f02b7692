package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.policy.Algorithm;
import java.util.List;
import java.util.Objects;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What decrypting an EncryptedData put into the document in its place, and how it was protected.
 *
 * @param nodes         the decrypted nodes, now where the EncryptedData was (one element for Type=Element)
 * @param content       the content encryption algorithm
 * @param keyManagement RSAES-OAEP, ECDH-ES, or flagged legacy RSA PKCS#1 v1.5
 * @param flags         what was accepted only as flagged legacy (AES-CBC, PKCS#1 v1.5, OAEP with SHA-1)
 */
public record DecryptedXml(List<Node> nodes, Algorithm content, Algorithm keyManagement, List<String> flags) {
    public DecryptedXml {
        nodes = List.copyOf(nodes);
        flags = List.copyOf(flags);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(keyManagement, "keyManagement");
    }

    /** The decrypted element, when exactly one element (and nothing but whitespace) was decrypted. */
    public Element element() {
        List<Element> elements = nodes.stream().filter(n -> n instanceof Element).map(n -> (Element) n).toList();
        boolean onlyWhitespaceBesides = nodes.stream().allMatch(n -> n instanceof Element
                || (n.getNodeType() == Node.TEXT_NODE && n.getNodeValue().isBlank()));
        if (elements.size() != 1 || !onlyWhitespaceBesides) {
            throw new IllegalStateException("the decrypted content is not one element but " + nodes.size() + " nodes");
        }
        return elements.get(0);
    }

    public boolean flagged() {
        return !flags.isEmpty();
    }
}
