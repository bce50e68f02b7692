package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.BigIntegers;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Creates XML signatures (XML-DSig 1.1) with a {@link PrivateKeyHandle}: enveloped over a whole document, over
 * elements by Id, and detached over external content, in any combination within one signature.
 *
 * <p>The policy chooses the algorithms from the key: ECDSA ({@code xmldsig-more#ecdsa-sha256/384/512}, digest by
 * curve size) for EC keys, RSASSA-PSS ({@code xmldsig-more#sha256-rsa-MGF1}: MGF1 with the same digest, salt as
 * long as the digest: RSASSA-PSS without parameters of RFC 6931/9231) for RSA keys; digests SHA-256 or better; exclusive c14n.
 *
 * <p>Santuario builds the References, digests them (external content as a stream) and canonicalises SignedInfo; the
 * signature value is computed by {@link PrivateKeyHandle#sign} over the canonical SignedInfo, so software and token
 * keys take the same path, and set into ds:SignatureValue (ECDSA converted from DER to the raw r||s XML-DSig wants).
 * KeyInfo carries the signer's certificate and its chain without the self-signed root, so that a verifier holding
 * only the CA certificate ({@code xmlsec1 --verify --trusted-pem ca.pem}) can build the path.
 *
 * <p>Instances are immutable and thread-safe; a document is not.
 */
public final class XmlSigner {

    private static final System.Logger LOG = System.getLogger(XmlSigner.class.getName());

    private final PrivateKeyHandle key;
    private final AlgorithmPolicy policy;
    private final String peer;
    private final IdAttribute idAttribute;

    private XmlSigner(PrivateKeyHandle key, AlgorithmPolicy policy, String peer, IdAttribute idAttribute) {
        this.key = Objects.requireNonNull(key, "key");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.peer = peer;
        this.idAttribute = Objects.requireNonNull(idAttribute, "idAttribute");
    }

    public XmlSigner(PrivateKeyHandle key, AlgorithmPolicy policy) {
        this(key, policy, null, IdAttribute.ID);
    }

    /** Signs for one peer, so that the policy can apply a configured peer exception (flagged in the log). */
    public XmlSigner forPeer(String peer) {
        return new XmlSigner(key, policy, Objects.requireNonNull(peer, "peer"), idAttribute);
    }

    /** The attribute that names signed elements (default unqualified {@code Id}). */
    public XmlSigner idAttribute(IdAttribute attribute) {
        return new XmlSigner(key, policy, peer, attribute);
    }

    /** Starts a signature in this document; say what it covers, then {@link Signing#sign()}. */
    public Signing signing(Document document) {
        return new Signing(Objects.requireNonNull(document, "document"));
    }

    /**
     * An enveloped signature over the whole document (Reference URI="" with enveloped-signature and exclusive c14n),
     * appended as the last child of the document element.
     *
     * @return the ds:Signature element
     */
    public Element signEnveloped(Document document) throws XmlSecurityException {
        return signing(document).coverDocument().sign();
    }

    /**
     * A detached signature over external content: a new document whose element is the ds:Signature, one Reference
     * per URI, each digested as a stream.
     */
    public Document signDetached(Map<String, ContentSource> contents) throws XmlSecurityException {
        if (contents.isEmpty()) {
            throw new IllegalArgumentException("a detached signature needs content");
        }
        Document document = SecureXml.standard().newDocument();
        Signing signing = new Signing(document);
        contents.forEach(signing::coverDetached);
        signing.sign();
        return document;
    }

    /** One signature being assembled. Not thread-safe; sign once. */
    public final class Signing {
        private final Document document;
        private boolean wholeDocument;
        private final List<Element> elements = new ArrayList<>();
        private final Map<String, ContentSource> detached = new LinkedHashMap<>();
        private Element parent;
        private Node before;
        private boolean signed;

        private Signing(Document document) {
            this.document = document;
        }

        /** Covers the whole document (URI="", enveloped-signature). */
        public Signing coverDocument() {
            wholeDocument = true;
            return this;
        }

        /**
         * Covers an element of this document by its Id (URI="#id"); an element without an Id gets a fresh one.
         * If the signature is placed inside the element, the reference is enveloped.
         */
        public Signing coverElement(Element element) {
            if (element.getOwnerDocument() != document) {
                throw new IllegalArgumentException("element " + element.getNodeName() + " is not in this document");
            }
            elements.add(element);
            return this;
        }

        /** Covers external content, digested as a stream when signing (an attachment, a MIME part). */
        public Signing coverDetached(String uri, ContentSource content) {
            if (uri.isEmpty() || uri.startsWith("#")) {
                throw new IllegalArgumentException("external content needs an external URI, not " + uri);
            }
            if (detached.put(uri, Objects.requireNonNull(content, "content")) != null) {
                throw new IllegalArgumentException("content " + uri + " covered twice");
            }
            return this;
        }

        /** Where the ds:Signature goes: appended to this element (default: the document element). */
        public Signing placeIn(Element parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            this.before = null;
            return this;
        }

        /** Where the ds:Signature goes: before this node, in its parent. */
        public Signing placeBefore(Node sibling) {
            if (!(sibling.getParentNode() instanceof Element p)) {
                throw new IllegalArgumentException("the signature needs an element as parent");
            }
            this.parent = p;
            this.before = sibling;
            return this;
        }

        /**
         * Creates the signature and places it.
         *
         * @return the ds:Signature element
         * @throws XmlSecurityException ALGORITHM_REFUSED when the policy refuses the key, SIGNING_FAILED otherwise
         */
        public Element sign() throws XmlSecurityException {
            if (signed) {
                throw new IllegalStateException("this signature was already made");
            }
            if (!wholeDocument && elements.isEmpty() && detached.isEmpty()) {
                throw new IllegalStateException("the signature covers nothing: coverDocument, coverElement or"
                        + " coverDetached first");
            }
            signed = true;
            Santuario.init();
            PublicKey publicKey = key.certificate().getPublicKey();
            SignatureSpec spec;
            try {
                spec = policy.signatureFor(publicKey, peer);
            } catch (PolicyViolationException e) {
                throw XmlSecurityException.refused(e, "signing key " + key.ref());
            }
            if (spec.flag() != null) {
                LOG.log(System.Logger.Level.WARNING, "XML signature with key {0}: {1}", key.ref(), spec.flag());
            }
            String digestUri = XmlAlgorithms.digestMethod(spec.digest());
            Element placed = null;
            boolean done = false;
            try {
                XMLSignature signature = new XMLSignature(document, "", XmlAlgorithms.signatureMethod(spec), 0,
                        XmlAlgorithms.EXC_C14N, Providers.bouncyCastle(), null);
                placed = signature.getElement();
                place(placed);
                if (wholeDocument) {
                    signature.addDocument("", transforms(true), digestUri);
                }
                for (Element element : elements) {
                    boolean enveloping = XmlSignatureVerifier.isAncestorOrSelf(element, signature.getElement());
                    signature.addDocument("#" + idOf(element), transforms(enveloping), digestUri);
                }
                for (String uri : detached.keySet()) {
                    signature.addDocument(uri, null, digestUri);
                }
                if (!detached.isEmpty()) {
                    signature.addResourceResolver(new DetachedContentResolver(detached));
                }
                addKeyInfo(signature);

                SignedInfo signedInfo = signature.getSignedInfo();
                signedInfo.generateDigestValues();
                byte[] value = key.sign(spec, signedInfo.getCanonicalizedOctetStream());
                if (spec.scheme() == Algorithm.ECDSA) {
                    value = rawEcdsa(value, publicKey);
                }
                Element signatureValue = XmlSignatureVerifier.elementChildren(signature.getElement()).stream()
                        .filter(e -> XmlSignatureVerifier.isDs(e, "SignatureValue")).findFirst().orElseThrow();
                signatureValue.setTextContent(Base64.getEncoder().encodeToString(value));
                done = true;
                return placed;
            } catch (KeyOperationException e) {
                throw new XmlSecurityException(Reason.SIGNING_FAILED, key.ref().toString(), "key " + key.ref()
                        + " could not sign: " + e.getMessage(), e);
            } catch (XMLSecurityException | IOException | CertificateEncodingException e) {
                throw new XmlSecurityException(Reason.SIGNING_FAILED, key.ref().toString(), "the XML signature with"
                        + " key " + key.ref() + " could not be made: " + e.getMessage(), e);
            } finally {
                if (!done && placed != null && placed.getParentNode() != null) {
                    placed.getParentNode().removeChild(placed); // no half-made signature stays in the document
                }
            }
        }

        private void place(Element signature) {
            Element target = parent != null ? parent : document.getDocumentElement();
            if (target == null) {
                document.appendChild(signature);
            } else if (before != null) {
                target.insertBefore(signature, before);
            } else {
                target.appendChild(signature);
            }
        }

        private Transforms transforms(boolean enveloped) throws XMLSecurityException {
            Transforms transforms = new Transforms(document);
            if (enveloped) {
                transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            }
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            return transforms;
        }

        private String idOf(Element element) {
            Attr id = element.getAttributeNodeNS(idAttribute.namespace(), idAttribute.localName());
            if (id == null) {
                String value = "id-" + UUID.randomUUID();
                if (idAttribute.namespace() == null) {
                    element.setAttributeNS(null, idAttribute.localName(), value);
                } else {
                    element.setAttributeNS(idAttribute.namespace(), "wsu:" + idAttribute.localName(), value);
                }
                id = element.getAttributeNodeNS(idAttribute.namespace(), idAttribute.localName());
            }
            element.setIdAttributeNode(id, true);
            return id.getValue();
        }

        private void addKeyInfo(XMLSignature signature) throws CertificateEncodingException {
            List<X509Certificate> certificates = new ArrayList<>();
            for (X509Certificate c : key.chain()) {
                // the root is the verifier's trust anchor, never taken from the message
                if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) || key.chain().size() == 1) {
                    certificates.add(c);
                }
            }
            Element keyInfo = signature.getKeyInfo().getElement();
            keyInfo.appendChild(ContentKeys.x509Data(document, certificates));
        }
    }

    /**
     * The XML-DSig form of an ECDSA signature (RFC 4050 3.3 / XML-DSig 1.1 6.4.3): r and s as unsigned big-endian
     * integers, each as long as the curve's field, concatenated — not the DER SEQUENCE the JCA returns.
     */
    static byte[] rawEcdsa(byte[] der, PublicKey key) throws IOException {
        int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
        int length = (bits + 7) / 8;
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        if (sequence.size() != 2) {
            throw new IOException("an ECDSA signature is a SEQUENCE of r and s");
        }
        BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue();
        BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue();
        return Arrays.concatenate(BigIntegers.asUnsignedByteArray(length, r), BigIntegers.asUnsignedByteArray(length, s));
    }
}
