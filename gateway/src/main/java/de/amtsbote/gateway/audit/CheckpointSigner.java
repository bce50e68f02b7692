package de.amtsbote.gateway.audit;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.gateway.certificates.CryptoAccess;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Signs a checkpoint with the gateway's evidence key: a small XML document
 * {@code <AuditCheckpoint xmlns="urn:amtsbote:audit:1"><Seq/><Head/><Time/><Node/><ds:Signature/></AuditCheckpoint>}
 * with an enveloped signature, so that {@code xmlsec1 --verify} checks it as it checks evidence. Without a key store,
 * or without an evidence key in it, checkpoints stay unsigned; that is said at start-up and with every checkpoint.
 */
@Component
class CheckpointSigner {

    static final String NAMESPACE = "urn:amtsbote:audit:1";
    private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);

    private final Optional<Crypto> crypto;

    CheckpointSigner(CryptoAccess access) {
        this.crypto = access.crypto();
        if (crypto.isEmpty()) {
            log.warn("no key store (amtsbote.crypto.key-store): audit checkpoints are kept UNSIGNED; the audit trail"
                    + " then shows changes to single entries but not a rewrite of the whole chain");
        } else {
            try {
                crypto.get().evidenceSigner();
            } catch (KeyVaultException e) {
                log.warn("the key store has no usable evidence key (owner '{}', purpose EVIDENCE): audit checkpoints"
                        + " are kept UNSIGNED until one is imported: {}", Crypto.GATEWAY, e.getMessage());
            }
        }
    }

    /** The signed document, or empty when there is no key to sign with. */
    Optional<byte[]> sign(long seq, String head, Instant time, String node) {
        if (crypto.isEmpty()) {
            log.warn("audit checkpoint at seq {} is UNSIGNED: no key store", seq);
            return Optional.empty();
        }
        Document document = SecureXml.standard().newDocument();
        Element root = document.createElementNS(NAMESPACE, "AuditCheckpoint");
        // declared as an attribute too: canonicalisation sees only declared namespaces, the parsed copy will have it
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns", NAMESPACE);
        document.appendChild(root);
        add(root, "Seq", Long.toString(seq));
        add(root, "Head", head);
        add(root, "Time", AuditEntry.TIME.format(time));
        add(root, "Node", node);
        try {
            crypto.get().evidenceSigner().signEnveloped(document);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SecureXml.standard().serialize(document, out);
            return Optional.of(out.toByteArray());
        } catch (KeyVaultException e) {
            log.warn("audit checkpoint at seq {} is UNSIGNED: no usable evidence key: {}", seq, e.getMessage());
            return Optional.empty();
        } catch (XmlSecurityException e) {
            throw new IllegalStateException("cannot sign the audit checkpoint at seq " + seq + ": " + e.getMessage(), e);
        }
    }

    private static void add(Element parent, String name, String value) {
        Element e = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
        e.setTextContent(value);
        parent.appendChild(e);
    }
}
