package de.amtsbote.crypto.xml;

import static de.amtsbote.crypto.xml.XmlAlgorithms.DSIG;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.Decision;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.XmlAlgorithms.Method;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.MissingResourceFailureException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.ReferenceNotInitializedException;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.VerifiedReference;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.signature.XMLSignatureException;
import org.apache.xml.security.signature.reference.ReferenceData;
import org.apache.xml.security.signature.reference.ReferenceSubTreeData;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Verifies an XML signature (XML-DSig 1.1) under the algorithm policy, with Santuario's secure validation, and hands
 * back exactly what was signed. Before any cryptography it checks the signature's shape against a whitelist:
 * <ul>
 *   <li>canonicalisation exclusive c14n, c14n 1.0 or 1.1, without comments;</li>
 *   <li>signature method and every digest checked by the {@link AlgorithmPolicy} (SHA-1, MD5, DSA refused with the
 *       policy's reason; RSA PKCS#1 v1.5 accepted as flagged legacy unless the policy refuses legacy inbound);</li>
 *   <li>transforms only enveloped-signature and the canonicalisations above (no XPath, XPath Filter 2, XSLT, base64,
 *       XPointer), at most three per reference; no Manifests;</li>
 *   <li>references only to "" (the document), to "#id" resolved through the registered {@link IdAttribute}s (every
 *       other ID-ness is cleared first; a value that occurs twice refuses the whole document), or to external content
 *       the caller supplied;</li>
 *   <li>the signer is the first end-entity certificate in KeyInfo/X509Data (KeyValue and KeyName are never
 *       trusted), or the expected signer certificate the verifier was made with.</li>
 * </ul>
 * Then Santuario checks the SignatureValue and every digest (with Bouncy Castle, which knows the brainpool curves),
 * the caller's {@link SignatureExpectation} is checked against the nodes Santuario actually digested, and finally the
 * signer's certificate is validated. Each failure names its check ({@link XmlSecurityException.Reason}).
 *
 * <p>Instances are immutable and thread-safe; a document is not: verify it on one thread and do not change it.
 */
public final class XmlSignatureVerifier {

    static final int MAX_REFERENCES = 30;
    static final int MAX_TRANSFORMS = 3;
    static final int MAX_CERTIFICATES = 10;
    private static final Pattern NCNAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}._\\-\\u00B7]*");
    private static final String MANIFEST_TYPE = DSIG + "Manifest";

    private final AlgorithmPolicy policy;
    private final CertificateValidator validator;
    private final CertificateUsage usage;
    private final X509Certificate expectedSigner;
    private final List<IdAttribute> idAttributes;
    private final Clock clock;

    private XmlSignatureVerifier(AlgorithmPolicy policy, CertificateValidator validator, CertificateUsage usage,
                                 X509Certificate expectedSigner, List<IdAttribute> idAttributes, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.validator = validator;
        this.usage = usage;
        this.expectedSigner = expectedSigner;
        this.idAttributes = List.copyOf(idAttributes);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.idAttributes.isEmpty()) {
            throw new IllegalArgumentException("at least one Id attribute must be registered");
        }
    }

    /** Verifies signers whose certificates the validator accepts for the given use (evidence, a provider's, ...). */
    public static XmlSignatureVerifier withValidator(AlgorithmPolicy policy, CertificateValidator validator,
                                                     CertificateUsage usage) {
        return new XmlSignatureVerifier(policy, Objects.requireNonNull(validator, "validator"),
                Objects.requireNonNull(usage, "usage"), null, List.of(IdAttribute.ID), Clock.systemUTC());
    }

    /**
     * Verifies signatures of exactly this certificate's key (a configured partner certificate, our own evidence
     * certificate). No path validation: whoever configured the certificate vouched for it.
     */
    public static XmlSignatureVerifier withExpectedSigner(AlgorithmPolicy policy, X509Certificate signer) {
        return new XmlSignatureVerifier(policy, null, null, Objects.requireNonNull(signer, "signer"),
                List.of(IdAttribute.ID), Clock.systemUTC());
    }

    /** The attributes that name elements for "#id" references (default: unqualified {@code Id}). */
    public XmlSignatureVerifier idAttributes(IdAttribute... attributes) {
        return new XmlSignatureVerifier(policy, validator, usage, expectedSigner, List.of(attributes), clock);
    }

    /** The clock certificates are validated at (tests set it). */
    public XmlSignatureVerifier clock(Clock clock) {
        return new XmlSignatureVerifier(policy, validator, usage, expectedSigner, idAttributes, clock);
    }

    /**
     * Verifies the signature and that it covers what the caller is about to read.
     *
     * @return the signed nodes and the signer; callers read only these
     * @throws XmlSecurityException naming the failed check
     */
    public VerifiedXml verify(Document document, SignatureExpectation expectation) throws XmlSecurityException {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(expectation, "expectation");
        Santuario.init();
        List<String> flags = new ArrayList<>();

        Element signature = locateSignature(document, expectation);
        Map<String, Element> ids = registerIds(document);

        Element signedInfo = firstChild(signature, "SignedInfo");
        List<Element> parts = elementChildren(signedInfo);
        if (parts.size() < 3 || !isDs(parts.get(0), "CanonicalizationMethod") || !isDs(parts.get(1), "SignatureMethod")) {
            throw malformed("ds:SignedInfo must hold CanonicalizationMethod, SignatureMethod and References");
        }
        checkCanonicalization(parts.get(0).getAttribute("Algorithm"), "SignedInfo canonicalisation");
        String methodUri = parts.get(1).getAttribute("Algorithm");
        Method method = checkSignatureMethod(parts.get(1), methodUri, flags);

        List<Element> referenceElements = parts.subList(2, parts.size());
        if (referenceElements.size() > MAX_REFERENCES) {
            throw malformed("the signature has " + referenceElements.size() + " references; at most "
                    + MAX_REFERENCES + " are accepted");
        }
        Map<String, ContentSource> detached = expectation.detachedContent();
        for (Element reference : referenceElements) {
            checkReference(reference, ids, detached, signature, flags);
        }

        Signer signer = signer(signature);
        PublicKey key = signer.certificate.getPublicKey();
        checkKeyFitsMethod(key, method, methodUri, signer.name());
        try {
            addFlag(flags, policy.checkInboundKey(key));
        } catch (PolicyViolationException e) {
            throw XmlSecurityException.refused(e, "key of signer " + signer.name());
        }

        XMLSignature xmlSignature = checkCryptography(signature, key, detached, signer.name());
        List<SignedReference> signed = signedReferences(xmlSignature.getSignedInfo(), document, ids, signature);

        Map<ElementPath, Element> expected = checkExpectation(document, expectation, signed, signature);

        ValidationResult validation = null;
        if (validator != null) {
            validation = validator.validate(signer.certificate, signer.others, usage, clock.instant());
            if (!validation.valid()) {
                throw XmlSecurityException.certificateInvalid(signer.name(), validation);
            }
            flags.addAll(validation.flags());
        }
        return new VerifiedXml(expected, signed, signature, signer.certificate, signer.all, validation,
                method.scheme(), method.digest(), methodUri, flags);
    }

    // ------------------------------------------------------------------ structure

    private static Element locateSignature(Document document, SignatureExpectation expectation)
            throws XmlSecurityException {
        if (expectation.signature() != null) {
            Element e = expectation.signature().find(document);
            if (!isDs(e, "Signature")) {
                throw new XmlSecurityException(Reason.NOT_SIGNED, expectation.signature().toString(),
                        "the element at " + expectation.signature() + " is not a ds:Signature");
            }
            return e;
        }
        NodeList all = document.getElementsByTagNameNS(DSIG, "Signature");
        if (all.getLength() == 0) {
            throw new XmlSecurityException(Reason.NOT_SIGNED, null, "the document carries no ds:Signature");
        }
        if (all.getLength() > 1) {
            throw new XmlSecurityException(Reason.AMBIGUOUS_SIGNATURE, null, "the document carries "
                    + all.getLength() + " ds:Signature elements; say which one to verify (signatureAt)");
        }
        return (Element) all.item(0);
    }

    /**
     * Makes exactly the registered attributes IDs and indexes them; a value seen twice refuses the document, since
     * which of the two a resolver picks is the whole game of a wrapping attack.
     */
    private Map<String, Element> registerIds(Document document) throws XmlSecurityException {
        Map<String, Element> ids = new HashMap<>();
        List<Element> pending = new ArrayList<>();
        pending.add(document.getDocumentElement());
        while (!pending.isEmpty()) {
            Element e = pending.remove(pending.size() - 1);
            NamedNodeMap attributes = e.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr a = (Attr) attributes.item(i);
                boolean registered = idAttributes.stream().anyMatch(id -> id.matches(a));
                if (registered) {
                    Element previous = ids.put(a.getValue(), e);
                    if (previous != null && previous != e) {
                        throw new XmlSecurityException(Reason.DUPLICATE_ID, "#" + a.getValue(), "the Id \""
                                + a.getValue() + "\" occurs twice (" + pathOf(previous) + " and " + pathOf(e)
                                + "); a document with duplicate Ids is refused");
                    }
                    e.setIdAttributeNode(a, true);
                } else if (a.isId()) {
                    e.setIdAttributeNode(a, false);
                }
            }
            for (Node n = e.getLastChild(); n != null; n = n.getPreviousSibling()) {
                if (n instanceof Element child) {
                    pending.add(child);
                }
            }
        }
        return ids;
    }

    private static void checkCanonicalization(String uri, String where) throws XmlSecurityException {
        if (!XmlAlgorithms.CANONICALIZATIONS.contains(uri)) {
            throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, uri, where + " " + uri + " is refused; only"
                    + " exclusive c14n, c14n 1.0 and c14n 1.1 without comments are accepted");
        }
    }

    private Method checkSignatureMethod(Element element, String uri, List<String> flags) throws XmlSecurityException {
        Method method = XmlAlgorithms.signatureMethod(uri).orElse(null);
        try {
            if (method == null) {
                policy.checkInboundXmlUri(Algorithm.Kind.SIGNATURE, uri); // names the refusal: unknown or HMAC
                throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, uri, "signature method " + uri
                        + " is refused (only public-key signatures name a signer)");
            }
            if (XmlAlgorithms.isRsaPssWithParameters(uri)) {
                method = new Method(Algorithm.RSASSA_PSS, rsaPssDigest(element, flags));
            }
            addFlag(flags, policy.checkInbound(Algorithm.Kind.SIGNATURE, method.scheme()));
            addFlag(flags, policy.checkInbound(Algorithm.Kind.DIGEST, method.digest()));
            return method;
        } catch (PolicyViolationException e) {
            throw XmlSecurityException.refused(e, "signature method " + uri);
        }
    }

    private Algorithm rsaPssDigest(Element signatureMethod, List<String> flags) throws XmlSecurityException,
            PolicyViolationException {
        Element params = null;
        for (Element e : elementChildren(signatureMethod)) {
            if (XmlAlgorithms.DSIG_MORE_2007.equals(e.getNamespaceURI()) && "RSAPSSParams".equals(e.getLocalName())) {
                params = e;
            }
        }
        Element digestMethod = params == null ? null : elementChildren(params).stream()
                .filter(e -> isDs(e, "DigestMethod")).findFirst().orElse(null);
        if (digestMethod == null) {
            throw malformed("RSASSA-PSS signature method without RSAPSSParams/DigestMethod");
        }
        return digest(digestMethod.getAttribute("Algorithm"), flags);
    }

    private Algorithm digest(String uri, List<String> flags) throws PolicyViolationException {
        Decision d = policy.checkInboundXmlUri(Algorithm.Kind.DIGEST, uri);
        addFlag(flags, d);
        return Algorithm.byXmlUri(Algorithm.Kind.DIGEST, uri).orElseThrow();
    }

    private void checkReference(Element reference, Map<String, Element> ids, Map<String, ContentSource> detached,
                                Element signature, List<String> flags) throws XmlSecurityException {
        if (!isDs(reference, "Reference")) {
            throw malformed("unexpected " + reference.getNodeName() + " in ds:SignedInfo");
        }
        if (!reference.hasAttributeNS(null, "URI")) {
            throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, null,
                    "a reference without URI is refused (its target would be up to the application)");
        }
        String uri = reference.getAttributeNS(null, "URI");
        if (MANIFEST_TYPE.equals(reference.getAttributeNS(null, "Type"))) {
            throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, uri,
                    "reference " + uri + " points to a ds:Manifest; manifests are not verified and refused");
        }
        if (uri.startsWith("#xpointer(") || uri.startsWith("#xmlns(")) {
            throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, uri,
                    "XPointer reference " + uri + " is refused; references name an element by its Id");
        }
        if (uri.startsWith("#")) {
            String id = uri.substring(1);
            if (!NCNAME.matcher(id).matches()) {
                throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, uri, "reference " + uri
                        + " is not a plain Id");
            }
            if (!ids.containsKey(id)) {
                throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, uri, "reference " + uri
                        + " names no element by an Id attribute (registered: " + idAttributes + ")");
            }
        } else if (!uri.isEmpty() && !detached.containsKey(uri)) {
            throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, uri, "reference to external content "
                    + uri + " is refused: the caller supplied no content for it (nothing is fetched)");
        }

        List<Element> children = elementChildren(reference);
        int at = 0;
        if (at < children.size() && isDs(children.get(at), "Transforms")) {
            List<Element> transforms = elementChildren(children.get(at));
            if (transforms.size() > MAX_TRANSFORMS) {
                throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, uri, "reference " + uri + " has "
                        + transforms.size() + " transforms; at most " + MAX_TRANSFORMS + " are accepted");
            }
            boolean enveloped = false;
            for (Element t : transforms) {
                String alg = t.getAttribute("Algorithm");
                if (!isDs(t, "Transform")) {
                    throw malformed("unexpected " + t.getNodeName() + " in ds:Transforms of " + uri);
                }
                if (XmlAlgorithms.ENVELOPED.equals(alg)) {
                    if (enveloped) {
                        throw malformed("reference " + uri + " has two enveloped-signature transforms");
                    }
                    enveloped = true;
                } else if (!XmlAlgorithms.CANONICALIZATIONS.contains(alg)) {
                    throw new XmlSecurityException(Reason.ALGORITHM_REFUSED, alg, "transform " + alg
                            + " of reference " + uri + " is refused; only enveloped-signature and canonicalisation"
                            + " without comments are accepted (no XPath, XSLT, base64)");
                }
            }
            if (enveloped && !uri.isEmpty() && !(uri.startsWith("#")
                    && isAncestorOrSelf(ids.get(uri.substring(1)), signature))) {
                throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, uri, "reference " + uri
                        + " has an enveloped-signature transform but does not contain the signature");
            }
            at++;
        }
        if (at >= children.size() || !isDs(children.get(at), "DigestMethod")) {
            throw malformed("reference " + uri + " has no ds:DigestMethod");
        }
        try {
            digest(children.get(at).getAttribute("Algorithm"), flags);
        } catch (PolicyViolationException e) {
            throw XmlSecurityException.refused(e, "digest of reference " + uri);
        }
    }

    // ------------------------------------------------------------------ signer

    private record Signer(X509Certificate certificate, List<X509Certificate> others, List<X509Certificate> all) {
        String name() {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    private Signer signer(Element signature) throws XmlSecurityException {
        if (expectedSigner != null) {
            return new Signer(expectedSigner, List.of(), List.of(expectedSigner));
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Element keyInfo = elementChildren(signature).stream().filter(e -> isDs(e, "KeyInfo")).findFirst().orElse(null);
        if (keyInfo != null) {
            for (Element data : elementChildren(keyInfo)) {
                if (!isDs(data, "X509Data")) {
                    continue; // KeyValue, KeyName, RetrievalMethod: never trusted, never followed
                }
                for (Element c : elementChildren(data)) {
                    if (isDs(c, "X509Certificate")) {
                        if (certificates.size() == MAX_CERTIFICATES) {
                            throw malformed("KeyInfo carries more than " + MAX_CERTIFICATES + " certificates");
                        }
                        certificates.add(certificate(c.getTextContent()));
                    }
                }
            }
        }
        X509Certificate signer = certificates.stream().filter(c -> c.getBasicConstraints() < 0).findFirst()
                .orElseThrow(() -> new XmlSecurityException(Reason.SIGNER_UNKNOWN, null, "the signature carries no"
                        + " end-entity certificate in KeyInfo/X509Data (a bare KeyValue is not trusted)"));
        List<X509Certificate> others = new ArrayList<>(certificates);
        others.remove(signer);
        List<X509Certificate> all = new ArrayList<>();
        all.add(signer);
        all.addAll(others);
        return new Signer(signer, others, all);
    }

    private static X509Certificate certificate(String base64) throws XmlSecurityException {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.trim());
            CertificateFactory f = CertificateFactory.getInstance("X.509", Providers.bouncyCastle());
            return (X509Certificate) f.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new XmlSecurityException(Reason.MALFORMED, "X509Certificate", "a certificate in KeyInfo cannot be"
                    + " read: " + e.getMessage(), e);
        }
    }

    private static void checkKeyFitsMethod(PublicKey key, Method method, String uri, String signer)
            throws XmlSecurityException {
        String alg = key.getAlgorithm();
        boolean ec = "EC".equalsIgnoreCase(alg) || "ECDSA".equalsIgnoreCase(alg);
        boolean rsa = "RSA".equalsIgnoreCase(alg) || "RSASSA-PSS".equalsIgnoreCase(alg);
        boolean fits = switch (method.scheme()) {
            case ECDSA -> ec;
            case RSASSA_PSS, RSA_PKCS1_V15_SIGNATURE -> rsa;
            default -> false;
        };
        if (!fits) {
            throw new XmlSecurityException(Reason.SIGNATURE_INVALID, uri, "signature method " + uri
                    + " does not fit the " + alg + " key of signer " + signer);
        }
    }

    // ------------------------------------------------------------------ cryptography

    private static XMLSignature checkCryptography(Element signature, PublicKey key, Map<String, ContentSource> detached,
                                                  String signer) throws XmlSecurityException {
        XMLSignature xmlSignature;
        try {
            xmlSignature = new XMLSignature(signature, "", true, Providers.bouncyCastle());
        } catch (XMLSecurityException e) {
            throw new XmlSecurityException(Reason.MALFORMED, "ds:Signature", "the signature cannot be read: "
                    + e.getMessage(), e);
        }
        xmlSignature.setFollowNestedManifests(false);
        if (!detached.isEmpty()) {
            xmlSignature.addResourceResolver(new DetachedContentResolver(detached));
        }
        boolean valid;
        try {
            valid = xmlSignature.checkSignatureValue(key);
        } catch (MissingResourceFailureException e) {
            throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, null, "a reference cannot be resolved: "
                    + e.getMessage(), e);
        } catch (XMLSignatureException e) {
            if (e instanceof ReferenceNotInitializedException) {
                throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, null, "a reference cannot be resolved: "
                        + e.getMessage(), e);
            }
            throw new XmlSecurityException(Reason.SIGNATURE_INVALID, signer, "the signature of " + signer
                    + " cannot be verified: " + e.getMessage(), e);
        }
        if (!valid) {
            List<VerifiedReference> results = xmlSignature.getSignedInfo().getVerificationResults();
            for (VerifiedReference r : results) {
                if (!r.isValid()) {
                    throw new XmlSecurityException(Reason.DIGEST_MISMATCH, r.getUri(), "the digest of reference \""
                            + r.getUri() + "\" does not match: the signed content was changed");
                }
            }
            throw new XmlSecurityException(Reason.SIGNATURE_INVALID, signer, "the signature value does not verify"
                    + " with the key of " + signer + " (SignedInfo was changed, or another key signed)");
        }
        return xmlSignature;
    }

    /** What Santuario digested, reference by reference; cross-checked against our own Id index. */
    private static List<SignedReference> signedReferences(SignedInfo signedInfo, Document document,
                                                          Map<String, Element> ids, Element signature)
            throws XmlSecurityException {
        List<SignedReference> signed = new ArrayList<>();
        try {
            for (int i = 0; i < signedInfo.getLength(); i++) {
                Reference r = signedInfo.item(i);
                String uri = r.getURI();
                Algorithm digest = Algorithm.byXmlUri(Algorithm.Kind.DIGEST,
                        r.getMessageDigestAlgorithm().getAlgorithmURI()).orElseThrow();
                boolean enveloped = false;
                if (r.getTransforms() != null) {
                    for (int t = 0; t < r.getTransforms().getLength(); t++) {
                        enveloped |= XmlAlgorithms.ENVELOPED.equals(r.getTransforms().item(t).getURI());
                    }
                }
                ReferenceData data = r.getReferenceData();
                if (data instanceof ReferenceSubTreeData subtree) {
                    Node root = subtree.getRoot();
                    Element element = root instanceof Document d ? d.getDocumentElement() : (Element) root;
                    Element ours = uri.isEmpty() ? document.getDocumentElement() : ids.get(uri.substring(1));
                    if (element != ours) {
                        throw new XmlSecurityException(Reason.WRAPPING_SUSPECTED, uri, "reference " + uri
                                + " resolved to " + pathOf(element) + ", not to " + pathOf(ours));
                    }
                    signed.add(new SignedReference(uri, element, digest, enveloped));
                } else if (!uri.isEmpty() && !uri.startsWith("#")) {
                    signed.add(new SignedReference(uri, null, digest, false));
                } else {
                    throw new XmlSecurityException(Reason.UNEXPECTED_REFERENCE, uri, "reference " + uri
                            + " did not resolve to an element subtree");
                }
            }
        } catch (XMLSecurityException e) {
            throw new XmlSecurityException(Reason.MALFORMED, "ds:Reference", "a verified reference cannot be read: "
                    + e.getMessage(), e);
        }
        return signed;
    }

    // ------------------------------------------------------------------ what the caller reads

    private static Map<ElementPath, Element> checkExpectation(Document document, SignatureExpectation expectation,
                                                              List<SignedReference> signed, Element signature)
            throws XmlSecurityException {
        Map<ElementPath, Element> expected = new LinkedHashMap<>();
        for (ElementPath path : expectation.elements()) {
            Element read = path.find(document);
            boolean covered = signed.stream().anyMatch(r -> covers(r, read, signature));
            if (!covered) {
                throw new XmlSecurityException(Reason.WRAPPING_SUSPECTED, path.toString(), "the element at " + path
                        + " that the caller reads is not covered by the signature, which covers "
                        + signed.stream().map(r -> r.external() ? r.uri() : r.uri() + " at " + pathOf(r.element()))
                        .toList());
            }
            expected.put(path, read);
        }
        for (String uri : expectation.detachedContent().keySet()) {
            if (signed.stream().noneMatch(r -> r.external() && r.uri().equals(uri))) {
                throw new XmlSecurityException(Reason.WRAPPING_SUSPECTED, uri, "the external content " + uri
                        + " that the caller reads is not covered by the signature");
            }
        }
        return expected;
    }

    /** Whether a reference covers a node: inside the referenced subtree and not inside an enveloped signature. */
    static boolean covers(SignedReference reference, Node node, Element signature) {
        if (reference.element() == null || !isAncestorOrSelf(reference.element(), node)) {
            return false;
        }
        return !(reference.enveloped() && isAncestorOrSelf(signature, node));
    }

    // ------------------------------------------------------------------ DOM helpers

    static boolean isAncestorOrSelf(Node ancestor, Node node) {
        if (ancestor == null) {
            return false;
        }
        for (Node n = node instanceof Attr a ? a.getOwnerElement() : node; n != null; n = n.getParentNode()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    static String pathOf(Node node) {
        StringBuilder path = new StringBuilder();
        for (Node n = node; n instanceof Element e; n = n.getParentNode()) {
            path.insert(0, "/" + e.getLocalName());
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    static boolean isDs(Element e, String localName) {
        return e != null && DSIG.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName());
    }

    static List<Element> elementChildren(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    private static Element firstChild(Element parent, String localName) throws XmlSecurityException {
        List<Element> children = elementChildren(parent);
        if (children.isEmpty() || !isDs(children.get(0), localName)) {
            throw malformed("ds:" + parent.getLocalName() + " must begin with ds:" + localName);
        }
        return children.get(0);
    }

    private static void addFlag(List<String> flags, Decision decision) {
        if (decision.flagged() && !flags.contains(decision.flag())) {
            flags.add(decision.flag());
        }
    }

    private static XmlSecurityException malformed(String message) {
        return new XmlSecurityException(Reason.MALFORMED, "ds:Signature", message);
    }
}
