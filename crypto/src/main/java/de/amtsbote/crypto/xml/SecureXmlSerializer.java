package de.amtsbote.crypto.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.xml.security.c14n.InvalidCanonicalizerException;
import org.apache.xml.security.encryption.DocumentSerializer;
import org.apache.xml.security.encryption.XMLEncryptionException;
import org.w3c.dom.Document;
import org.w3c.dom.DocumentFragment;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Santuario's serializer with decrypted plaintext parsed by {@link SecureXml}: decrypted XML is input from a peer like
 * any other and gets the same DOCTYPE refusal and limits.
 */
final class SecureXmlSerializer extends DocumentSerializer {

    private final SecureXml xml;

    SecureXmlSerializer(SecureXml xml) throws InvalidCanonicalizerException {
        super(true);
        this.xml = xml;
    }

    @Override
    public Node deserialize(byte[] source, Node context) throws XMLEncryptionException, IOException {
        byte[] fragment = createContext(source, context); // wraps in a dummy element with the in-scope namespaces
        Document parsed;
        try {
            parsed = xml.parse(new ByteArrayInputStream(fragment));
        } catch (XmlSecurityException e) {
            throw new XMLEncryptionException(e);
        }
        Document target = context.getNodeType() == Node.DOCUMENT_NODE ? (Document) context : context.getOwnerDocument();
        Element dummy = (Element) target.importNode(parsed.getDocumentElement(), true);
        DocumentFragment result = target.createDocumentFragment();
        for (Node child = dummy.getFirstChild(); child != null; child = dummy.getFirstChild()) {
            dummy.removeChild(child);
            result.appendChild(child);
        }
        return result;
    }
}
