package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.content.StreamingGcm;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.ContentKeys.Plan;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.SecretKey;
import org.apache.xml.security.c14n.InvalidCanonicalizerException;
import org.apache.xml.security.encryption.EncryptedData;
import org.apache.xml.security.encryption.XMLCipher;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * XML Encryption 1.1 for recipient certificates, algorithms chosen by the policy per recipient
 * ({@link AlgorithmPolicy#encryptionFor}): AES-256-GCM content ({@code xmlenc11#aes256-gcm}); the content key by
 * RSAES-OAEP ({@code xmlenc11#rsa-oaep}, SHA-256 digest, MGF1 with SHA-256) to RSA recipients and by ECDH-ES
 * ({@code xmlenc11#ECDH-ES}, ConcatKDF with SHA-256/384/512, {@code kw-aes256}) to EC recipients, brainpool included.
 * Legacy algorithms (AES-CBC, RSA PKCS#1 v1.5) appear only under a peer exception of the policy.
 *
 * <p>Each xenc:EncryptedKey names its recipient's certificate in ds:X509Data (in the AgreementMethod's
 * RecipientKeyInfo for ECDH-ES), so that a recipient finds its key among several.
 *
 * <p>Instances are immutable and thread-safe; a document is not.
 */
public final class XmlEncryptor {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** XML Encryption 1.1 5.2.4: AES-GCM with a 96-bit IV and a 128-bit tag, IV || ciphertext || tag. */
    static final int GCM_IV_BYTES = StreamingGcm.NONCE_BYTES;
    static final int GCM_TAG_BYTES = StreamingGcm.TAG_BYTES;

    private final AlgorithmPolicy policy;

    public XmlEncryptor(AlgorithmPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Replaces the element by an xenc:EncryptedData of Type Element, with one EncryptedKey per recipient in its
     * ds:KeyInfo.
     *
     * @return the xenc:EncryptedData element, now where the element was
     */
    public Element encryptElement(Element element, List<XmlRecipient> recipients) throws XmlSecurityException {
        return encrypt(element, false, recipients);
    }

    /** Replaces the element's content by an xenc:EncryptedData of Type Content; the element stays. */
    public Element encryptContent(Element element, List<XmlRecipient> recipients) throws XmlSecurityException {
        return encrypt(element, true, recipients);
    }

    /**
     * Encrypts binary content as a stream (an attachment carried outside the XML, an MTOM part): writes the XML
     * Encryption 1.1 AES-GCM form (IV || ciphertext || tag) to {@code out}; nothing is held in memory. The content
     * cipher is the JDK's AES-GCM (see {@link StreamingGcm}). The content
     * key's xenc:EncryptedKey elements (created in {@code owner}) are available at once, for the caller's
     * xenc:EncryptedData with a CipherReference. Closing the returned stream writes the tag and closes {@code out}.
     */
    public EncryptingOutputStream encryptBinary(OutputStream out, Document owner, List<XmlRecipient> recipients)
            throws XmlSecurityException, IOException {
        Objects.requireNonNull(out, "out");
        Santuario.init();
        Plan plan = ContentKeys.plan(policy, recipients);
        if (plan.content() != Algorithm.AES128_GCM && plan.content() != Algorithm.AES192_GCM
                && plan.content() != Algorithm.AES256_GCM) {
            throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, plan.content().displayName(), "streamed"
                    + " encryption is AES-GCM only; the policy chose " + plan.content() + " for these recipients");
        }
        SecretKey contentKey = ContentKeys.newContentKey(plan.content());
        List<Element> encryptedKeys = new ArrayList<>();
        for (ContentKeys.Recipient r : plan.recipients()) {
            encryptedKeys.add(ContentKeys.encryptedKey(owner, contentKey, r));
        }
        byte[] iv = new byte[GCM_IV_BYTES];
        RANDOM.nextBytes(iv);
        StreamingGcm.Encryption gcm;
        try {
            gcm = StreamingGcm.encrypt(contentKey, iv);
        } catch (GeneralSecurityException e) {
            throw new XmlSecurityException(Reason.ENCRYPTION_FAILED, plan.content().displayName(), "the "
                    + plan.content() + " cipher could not be set up: " + e.getMessage(), e);
        }
        out.write(iv);
        return new EncryptingOutputStream(gcm.stream(out, true), ContentKeys.uri(plan.content()), encryptedKeys);
    }

    private Element encrypt(Element element, boolean content, List<XmlRecipient> recipients)
            throws XmlSecurityException {
        Objects.requireNonNull(element, "element");
        Santuario.init();
        Plan plan = ContentKeys.plan(policy, recipients);
        Document doc = element.getOwnerDocument();
        SecretKey contentKey = ContentKeys.newContentKey(plan.content());
        List<Element> encryptedKeys = new ArrayList<>();
        for (ContentKeys.Recipient r : plan.recipients()) {
            encryptedKeys.add(ContentKeys.encryptedKey(doc, contentKey, r));
        }
        try {
            XMLCipher cipher = XMLCipher.getInstance(new SecureXmlSerializer(SecureXml.standard()),
                    ContentKeys.uri(plan.content()));
            cipher.init(XMLCipher.ENCRYPT_MODE, contentKey);
            EncryptedData data = cipher.encryptData(doc, element, content);
            Element encrypted = cipher.martial(doc, data);
            Element keyInfo = doc.createElementNS(XmlAlgorithms.DSIG, "ds:KeyInfo");
            keyInfo.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:ds", XmlAlgorithms.DSIG);
            encryptedKeys.forEach(keyInfo::appendChild);
            encrypted.insertBefore(keyInfo, ContentKeys.child(encrypted, ContentKeys.XENC, "CipherData"));
            if (content) {
                for (Node child = element.getFirstChild(); child != null; child = element.getFirstChild()) {
                    element.removeChild(child);
                }
                element.appendChild(encrypted);
            } else {
                element.getParentNode().replaceChild(encrypted, element);
            }
            return encrypted;
        } catch (InvalidCanonicalizerException e) {
            throw new IllegalStateException("Santuario lacks its physical canonicaliser", e);
        } catch (Exception e) { // Santuario's encryptData declares Exception
            throw new XmlSecurityException(Reason.ENCRYPTION_FAILED, element.getNodeName(), "element "
                    + element.getNodeName() + " could not be encrypted: " + e.getMessage(), e);
        }
    }
}
