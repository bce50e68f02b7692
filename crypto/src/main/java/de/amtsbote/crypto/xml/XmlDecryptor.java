package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.content.StreamingGcm;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.Decision;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.xml.ContentKeys.Recovered;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import org.apache.xml.security.c14n.InvalidCanonicalizerException;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.utils.EncryptionConstants;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Decrypts XML Encryption with a {@link PrivateKeyHandle}: the handle recovers the content key (RSAES-OAEP
 * decryption, RSA PKCS#1 v1.5 with implicit rejection, or the ECDH secret for ECDH-ES), so token keys work; Santuario
 * then decrypts the EncryptedData with that secret key and the plaintext is parsed by {@link SecureXml}.
 *
 * <p>Every algorithm found is checked by the policy first: AES-GCM and RSAES-OAEP/ECDH-ES pass; AES-CBC, RSA PKCS#1
 * v1.5 and OAEP with SHA-1 pass as flagged legacy (unless the policy refuses legacy inbound); 3DES and everything
 * unknown are refused. CipherReference (ciphertext fetched from a URI) is refused; streamed content is decrypted with
 * {@link #decryptBinary}.
 *
 * <p>Instances are immutable and thread-safe; a document is not.
 */
public final class XmlDecryptor {

    private final AlgorithmPolicy policy;
    private final SecureXml xml;

    public XmlDecryptor(AlgorithmPolicy policy) {
        this(policy, SecureXml.standard());
    }

    /** With other parser limits for the decrypted content. */
    public XmlDecryptor(AlgorithmPolicy policy, SecureXml xml) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.xml = Objects.requireNonNull(xml, "xml");
    }

    /** Decrypts an xenc:EncryptedData in place, with the EncryptedKeys in its own ds:KeyInfo. */
    public DecryptedXml decrypt(Element encryptedData, PrivateKeyHandle key) throws XmlSecurityException {
        Element keyInfo = ContentKeys.child(encryptedData, XmlAlgorithms.DSIG, "KeyInfo");
        List<Element> encryptedKeys = new ArrayList<>();
        if (keyInfo != null) {
            for (Element e : XmlSignatureVerifier.elementChildren(keyInfo)) {
                if (ContentKeys.XENC.equals(e.getNamespaceURI()) && "EncryptedKey".equals(e.getLocalName())) {
                    encryptedKeys.add(e);
                }
            }
        }
        return decrypt(encryptedData, encryptedKeys, key);
    }

    /**
     * Decrypts an xenc:EncryptedData in place, with EncryptedKeys found elsewhere (a SOAP header, an OSCI
     * envelope): the replacement nodes are handed back.
     */
    public DecryptedXml decrypt(Element encryptedData, List<Element> encryptedKeys, PrivateKeyHandle key)
            throws XmlSecurityException {
        Objects.requireNonNull(encryptedData, "encryptedData");
        Objects.requireNonNull(key, "key");
        Santuario.init();
        if (!ContentKeys.XENC.equals(encryptedData.getNamespaceURI())
                || !"EncryptedData".equals(encryptedData.getLocalName())) {
            throw new XmlSecurityException(Reason.MALFORMED, encryptedData.getNodeName(), "expected an"
                    + " xenc:EncryptedData, not " + encryptedData.getNodeName());
        }
        String type = encryptedData.getAttributeNS(null, "Type");
        if (!EncryptionConstants.TYPE_ELEMENT.equals(type) && !EncryptionConstants.TYPE_CONTENT.equals(type)) {
            throw new XmlSecurityException(Reason.MALFORMED, type, "EncryptedData of Type \"" + type + "\" is not XML"
                    + " (Element or Content); decrypt binary content with decryptBinary");
        }
        List<String> flags = new ArrayList<>();
        Algorithm content = contentAlgorithm(encryptedData, flags);
        ContentKeys.cipherValue(encryptedData, "EncryptedData"); // refuses CipherReference before any key work
        Recovered recovered = ContentKeys.recover(policy, encryptedKeys, content, key, flags);

        Node parent = encryptedData.getParentNode();
        if (!(parent instanceof Element)) {
            throw new XmlSecurityException(Reason.MALFORMED, "EncryptedData", "an EncryptedData must have a parent"
                    + " element to decrypt into");
        }
        Node before = encryptedData.getPreviousSibling();
        Node after = encryptedData.getNextSibling();
        try {
            XMLCipher cipher = XMLCipher.getInstance(new SecureXmlSerializer(xml), ContentKeys.uri(content));
            cipher.setSecureValidation(true);
            cipher.init(XMLCipher.DECRYPT_MODE, recovered.key());
            cipher.doFinal(encryptedData.getOwnerDocument(), encryptedData);
        } catch (InvalidCanonicalizerException e) {
            throw new IllegalStateException("Santuario lacks its physical canonicaliser", e);
        } catch (Exception e) { // Santuario's doFinal declares Exception
            throw decryptionFailure(e, key);
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n = before == null ? parent.getFirstChild() : before.getNextSibling(); n != null && n != after;
             n = n.getNextSibling()) {
            nodes.add(n);
        }
        return new DecryptedXml(nodes, content, recovered.keyManagement(), flags);
    }

    /**
     * Decrypts streamed AES-GCM ciphertext in the XML Encryption 1.1 form (IV || ciphertext || tag), the content key
     * recovered from the EncryptedKeys with the handle. Plaintext is released as it is decrypted ({@link StreamingGcm}:
     * the JDK's AES in CTR mode, authenticated by recomputing the tag; the JDK's GCM decryption would buffer
     * everything); the tag is checked when the end is read, and a mismatch or a truncated tag throws
     * {@link AttachmentIntegrityException} — everything read before is unauthenticated until then.
     *
     * @param encryptionMethod the EncryptionMethod Algorithm the ciphertext was announced with
     */
    public InputStream decryptBinary(InputStream ciphertext, String encryptionMethod, List<Element> encryptedKeys,
                                     PrivateKeyHandle key) throws XmlSecurityException, IOException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Santuario.init();
        List<String> flags = new ArrayList<>();
        Algorithm content = contentAlgorithm(encryptionMethod, flags);
        if (content != Algorithm.AES128_GCM && content != Algorithm.AES192_GCM && content != Algorithm.AES256_GCM) {
            throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, content.displayName(), "streamed decryption is"
                    + " AES-GCM only, not " + content);
        }
        Recovered recovered = ContentKeys.recover(policy, encryptedKeys, content, key, flags);
        byte[] iv = ciphertext.readNBytes(XmlEncryptor.GCM_IV_BYTES);
        if (iv.length < XmlEncryptor.GCM_IV_BYTES) {
            throw new XmlSecurityException(Reason.INTEGRITY_FAILED, "IV", "the ciphertext is shorter than its IV");
        }
        StreamingGcm.Decryption gcm;
        try {
            gcm = StreamingGcm.decrypt(recovered.key(), iv, XmlEncryptor.GCM_TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new XmlSecurityException(Reason.DECRYPTION_FAILED, content.displayName(), "the " + content
                    + " cipher could not be set up with the key recovered by " + key.ref() + ": " + e.getMessage(), e);
        }
        return new TagCheckingStream(gcm.stream(ciphertext));
    }

    private Algorithm contentAlgorithm(Element encryptedData, List<String> flags) throws XmlSecurityException {
        Element method = ContentKeys.child(encryptedData, ContentKeys.XENC, "EncryptionMethod");
        if (method == null) {
            throw new XmlSecurityException(Reason.MALFORMED, "EncryptionMethod", "the EncryptedData names no"
                    + " EncryptionMethod");
        }
        return contentAlgorithm(method.getAttribute("Algorithm"), flags);
    }

    private Algorithm contentAlgorithm(String uri, List<String> flags) throws XmlSecurityException {
        try {
            Decision d = policy.checkInboundXmlUri(Algorithm.Kind.CONTENT_ENCRYPTION, uri);
            ContentKeys.addFlag(flags, d);
            return Algorithm.byXmlUri(Algorithm.Kind.CONTENT_ENCRYPTION, uri).orElseThrow();
        } catch (PolicyViolationException e) {
            throw XmlSecurityException.refused(e, "content encryption");
        }
    }

    private static XmlSecurityException decryptionFailure(Exception e, PrivateKeyHandle key) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof XmlSecurityException x) {
                return new XmlSecurityException(x.reason(), x.subject(), "the decrypted content is refused: "
                        + x.getMessage(), x);
            }
            if (c instanceof AEADBadTagException) {
                return new XmlSecurityException(Reason.INTEGRITY_FAILED, "EncryptedData", "the encrypted content"
                        + " failed authentication (AES-GCM tag): altered, or not for key " + key.ref(), e);
            }
            if (c instanceof BadPaddingException) {
                return new XmlSecurityException(Reason.DECRYPTION_FAILED, "EncryptedData", "the encrypted content"
                        + " does not decrypt with the key recovered by " + key.ref(), e);
            }
        }
        return new XmlSecurityException(Reason.DECRYPTION_FAILED, "EncryptedData", "the encrypted content could not"
                + " be decrypted: " + e.getMessage(), e);
    }

    /** Names a GCM tag failure so callers need not know Bouncy Castle. */
    private static final class TagCheckingStream extends FilterInputStream {
        TagCheckingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (StreamingGcm.IntegrityException e) {
                throw integrity(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (StreamingGcm.IntegrityException e) {
                throw integrity(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (StreamingGcm.IntegrityException e) {
                throw integrity(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (StreamingGcm.IntegrityException e) {
                throw integrity(e);
            }
        }

        private static AttachmentIntegrityException integrity(StreamingGcm.IntegrityException e) {
            return new AttachmentIntegrityException("the streamed ciphertext failed authentication (AES-GCM tag):"
                    + " altered, truncated or a wrong key; discard everything read (" + e.getMessage() + ")", e);
        }
    }
}
