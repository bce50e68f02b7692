package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.validation.ValidationResult;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A verified XML signature and what it covers. <b>Callers read only the elements handed back here</b>
 * ({@link #element(ElementPath)}, {@link #references()}): never the document again by their own path or XPath, which
 * is how signature-wrapping attacks make an application read an unsigned element next to a signed one.
 *
 * <p>The elements are live nodes of the verified document; changing the document afterwards voids what this says.
 */
public final class VerifiedXml {

    private final Map<ElementPath, Element> expected;
    private final List<SignedReference> references;
    private final Element signatureElement;
    private final X509Certificate signer;
    private final List<X509Certificate> certificates;
    private final ValidationResult validation;
    private final Algorithm scheme;
    private final Algorithm digest;
    private final String signatureMethod;
    private final List<String> flags;

    VerifiedXml(Map<ElementPath, Element> expected, List<SignedReference> references, Element signatureElement,
                X509Certificate signer, List<X509Certificate> certificates, ValidationResult validation,
                Algorithm scheme, Algorithm digest, String signatureMethod, List<String> flags) {
        this.expected = Map.copyOf(expected);
        this.references = List.copyOf(references);
        this.signatureElement = signatureElement;
        this.signer = signer;
        this.certificates = List.copyOf(certificates);
        this.validation = validation;
        this.scheme = scheme;
        this.digest = digest;
        this.signatureMethod = signatureMethod;
        this.flags = List.copyOf(flags);
    }

    /**
     * The signed element at a path the caller named in its {@link SignatureExpectation}: the element to read.
     *
     * @throws IllegalArgumentException for a path the expectation did not name (it was not checked)
     */
    public Element element(ElementPath path) {
        Element e = expected.get(path);
        if (e == null) {
            throw new IllegalArgumentException("the signature was not verified for " + path
                    + "; name it in the SignatureExpectation");
        }
        return e;
    }

    /** The signed document element, when the expectation asked for it. */
    public Element documentElement() {
        return element(ElementPath.documentElement());
    }

    /** Every reference of the signature, each with exactly the element (or external URI) that was digested. */
    public List<SignedReference> references() {
        return references;
    }

    /** Whether a node lies inside what the signature covers (and not inside the signature itself). */
    public boolean covers(Node node) {
        return references.stream().anyMatch(r -> XmlSignatureVerifier.covers(r, node, signatureElement));
    }

    /** The signer's certificate. */
    public X509Certificate signer() {
        return signer;
    }

    /** The certificates the signature carried (the signer's first), or only the expected signer's. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The certificate validation result; empty when the caller verified against an expected signer certificate. */
    public Optional<ValidationResult> validation() {
        return Optional.ofNullable(validation);
    }

    /** The signature scheme (RSASSA-PSS, ECDSA, or a flagged legacy one). */
    public Algorithm scheme() {
        return scheme;
    }

    /** The digest of the signature method. */
    public Algorithm digest() {
        return digest;
    }

    /** The SignatureMethod URI as found. */
    public String signatureMethod() {
        return signatureMethod;
    }

    /** What was accepted only as flagged legacy (an RSA PKCS#1 v1.5 signature, an RSA-2048 key, a CA on the path). */
    public List<String> flags() {
        return flags;
    }

    public boolean flagged() {
        return !flags.isEmpty();
    }

    @Override
    public String toString() {
        return "XML signature by " + signer.getSubjectX500Principal().getName() + " (" + scheme.displayName() + "/"
                + digest.displayName() + ") over " + references.stream().map(SignedReference::uri).toList();
    }
}
