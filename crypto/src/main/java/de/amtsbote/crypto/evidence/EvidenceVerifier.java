package de.amtsbote.crypto.evidence;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Verifies one Amtsbote evidence document (namespace {@value #NAMESPACE}) offline: the enveloped XML signature must
 * cover the whole document element, its signer must hold a certificate for {@link CertificateUsage#EVIDENCE_SIGNATURE}
 * that the validator accepts at the document's own EventTime (so evidence stays verifiable after the evidence
 * certificate has expired), and the facts are read from the signed element only.
 *
 * <p>Each refusal is an {@link EvidenceException} with one {@link EvidenceProblem}: not evidence, unsigned, altered,
 * bad signature, unknown signer, wrong signer, certificate invalid. Chains of several documents are checked by
 * {@link EvidenceChain}. Thread-safe.
 */
public final class EvidenceVerifier {

    /** The namespace of evidence documents. */
    public static final String NAMESPACE = "urn:amtsbote:evidence:1";
    /** The element a gateway without a key store writes into the documents it cannot sign. */
    public static final String UNSIGNED_MARKER = "Unsigned";
    private static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    private static final String DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36";
    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final AlgorithmPolicy policy;
    private final CertificateValidator validator;

    public EvidenceVerifier(AlgorithmPolicy policy, CertificateValidator validator) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * Verifies a document given as its exact bytes (the digest the next evidence names is over these bytes).
     *
     * @throws EvidenceException naming why the document does not prove anything
     */
    public VerifiedEvidence verify(byte[] document) throws EvidenceException {
        Document parsed;
        try {
            parsed = SecureXml.standard().parse(new ByteArrayInputStream(document));
        } catch (XmlSecurityException | IOException e) {
            throw new EvidenceException(EvidenceProblem.NOT_EVIDENCE, "not a readable XML document: " + e.getMessage(), e);
        }
        Element root = parsed.getDocumentElement();
        if (!NAMESPACE.equals(root.getNamespaceURI()) || !"Evidence".equals(root.getLocalName())) {
            throw new EvidenceException(EvidenceProblem.NOT_EVIDENCE, "not an evidence document: the root element is {"
                    + root.getNamespaceURI() + "}" + root.getLocalName() + ", not {" + NAMESPACE + "}Evidence");
        }
        if (parsed.getElementsByTagNameNS(DSIG, "Signature").getLength() == 0) {
            Element marker = child(root, UNSIGNED_MARKER);
            throw new EvidenceException(EvidenceProblem.UNSIGNED, marker != null
                    ? "the document is unsigned: " + marker.getTextContent().strip()
                    : "the document carries no signature (ds:Signature)");
        }
        // the certificate is validated at the time the evidence states; read here only to set the clock, and read
        // again from the verified element below
        Instant claimed = time(root);
        VerifiedXml verified;
        try {
            verified = XmlSignatureVerifier.withValidator(policy, validator, CertificateUsage.EVIDENCE_SIGNATURE)
                    .clock(Clock.fixed(claimed, ZoneOffset.UTC))
                    .verify(parsed, SignatureExpectation.documentElement());
        } catch (XmlSecurityException e) {
            throw refusal(e);
        }
        requireEvidenceCertificate(verified.signer());
        Element signed = verified.documentElement();
        if (child(signed, UNSIGNED_MARKER) != null) {
            throw new EvidenceException(EvidenceProblem.NOT_EVIDENCE, "the document is signed but says it is unsigned ("
                    + UNSIGNED_MARKER + " element); it is not an evidence document the gateway writes");
        }
        List<String> flags = new ArrayList<>(verified.flags());
        ValidationResult validation = verified.validation().orElseThrow();
        return new VerifiedEvidence(required(signed, "EvidenceId"), required(signed, "EventType"),
                required(signed, "MessageId"), text(signed, "DeliveryId"), time(signed),
                text(signed, "PreviousEvidence"), ContentDigester.hexOf(document), verified.signer(), validation, flags);
    }

    /**
     * Stricter than the shared {@link CertificateUsage#EVIDENCE_SIGNATURE} rule, which also admits e-mail protection
     * certificates (De-Mail providers sign with those): a participant's S/MIME signing certificate from the same CA
     * must not be able to sign gateway evidence. An evidence certificate has no extended key usage, or
     * documentSigning, or anyExtendedKeyUsage.
     */
    private static void requireEvidenceCertificate(X509Certificate signer) throws EvidenceException {
        List<String> eku;
        try {
            eku = signer.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new EvidenceException(EvidenceProblem.WRONG_SIGNER, "the signer's extended key usage cannot be read: "
                    + e.getMessage(), e);
        }
        if (eku != null && !eku.contains(DOCUMENT_SIGNING) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new EvidenceException(EvidenceProblem.WRONG_SIGNER, "the signer's certificate is not an evidence"
                    + " certificate: " + signer.getSubjectX500Principal().getName() + " has the extended key usage "
                    + eku + " (" + (eku.contains(EMAIL_PROTECTION) ? "an e-mail signing certificate" : "other uses")
                    + "); an evidence certificate has none, or documentSigning");
        }
    }

    private static EvidenceException refusal(XmlSecurityException e) {
        return switch (e.reason()) {
            case DIGEST_MISMATCH -> new EvidenceException(EvidenceProblem.ALTERED,
                    "the signed content was changed after signing: " + e.getMessage(), e);
            case NOT_SIGNED -> new EvidenceException(EvidenceProblem.UNSIGNED, e.getMessage(), e);
            case SIGNER_UNKNOWN -> new EvidenceException(EvidenceProblem.UNKNOWN_SIGNER, e.getMessage(), e);
            case CERTIFICATE_INVALID -> {
                ValidationResult v = e.validation();
                ValidationResult.Reason reason = v == null ? null : v.reason();
                if (reason == ValidationResult.Reason.UNKNOWN_CA || reason == ValidationResult.Reason.BAD_SIGNATURE) {
                    yield new EvidenceException(EvidenceProblem.UNKNOWN_SIGNER, "the signer is not certified by the"
                            + " trusted CA: " + e.getMessage(), e);
                }
                if (reason == ValidationResult.Reason.WRONG_KEY_USAGE) {
                    yield new EvidenceException(EvidenceProblem.WRONG_SIGNER, "the signer's certificate is not an"
                            + " evidence certificate: " + e.getMessage(), e);
                }
                yield new EvidenceException(EvidenceProblem.CERTIFICATE_INVALID, e.getMessage(), e);
            }
            default -> new EvidenceException(EvidenceProblem.BAD_SIGNATURE, "the signature does not verify: "
                    + e.getMessage(), e);
        };
    }

    private static Instant time(Element root) throws EvidenceException {
        String value = required(root, "EventTime");
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new EvidenceException(EvidenceProblem.NOT_EVIDENCE, "EventTime '" + value + "' is not an ISO-8601"
                    + " instant", e);
        }
    }

    private static String required(Element root, String name) throws EvidenceException {
        String value = text(root, name);
        if (value == null || value.isBlank()) {
            throw new EvidenceException(EvidenceProblem.NOT_EVIDENCE, "the evidence document has no " + name);
        }
        return value;
    }

    private static String text(Element root, String name) throws EvidenceException {
        Element e = child(root, name);
        return e == null ? null : e.getTextContent().strip();
    }

    /** The one direct child of that name in the evidence namespace; a second one makes the document ambiguous. */
    private static Element child(Element root, String name) throws EvidenceException {
        Element found = null;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NAMESPACE.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                if (found != null) {
                    throw new EvidenceException(EvidenceProblem.NOT_EVIDENCE, "the evidence document has two " + name
                            + " elements");
                }
                found = e;
            }
        }
        return found;
    }
}
