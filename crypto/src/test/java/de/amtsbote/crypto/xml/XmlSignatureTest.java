package de.amtsbote.crypto.xml;

import static de.amtsbote.crypto.xml.XmlDocs.DSIG;
import static de.amtsbote.crypto.xml.XmlDocs.EV;
import static de.amtsbote.crypto.xml.XmlDocs.first;
import static de.amtsbote.crypto.xml.XmlDocs.parse;
import static de.amtsbote.crypto.xml.XmlDocs.reparse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.XmlDocs.CountingHandle;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class XmlSignatureTest {

    private static XmlTestPki pki;
    private static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();

    @BeforeAll
    static void pki() throws Exception {
        pki = XmlTestPki.get();
        Santuario.init();
    }

    private XmlSignatureVerifier verifier() {
        return XmlSignatureVerifier.withValidator(POLICY, pki.validator(), CertificateUsage.EVIDENCE_SIGNATURE);
    }

    private static XmlSigner signer(IssuedCertificate issued) {
        return new XmlSigner(XmlTestPki.handle(issued, KeyPurpose.EVIDENCE), POLICY);
    }

    static Stream<Arguments> evidenceKeys() throws Exception {
        XmlTestPki p = XmlTestPki.get();
        return Stream.of(Arguments.of("P-256", p.evidenceP256), Arguments.of("brainpoolP256r1", p.evidenceBrainpool));
    }

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest(name = "{0}")
    @MethodSource("evidenceKeys")
    void verifiesAnEnvelopedSignatureMadeWithAnEvidenceKey(String curve, IssuedCertificate key) throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(key).signEnveloped(doc);

        VerifiedXml verified = verifier().verify(reparse(doc), SignatureExpectation.documentElement());

        assertThat(verified.documentElement().getLocalName()).isEqualTo("Evidence");
        assertThat(verified.signer()).isEqualTo(key.certificate());
        assertThat(verified.scheme()).isEqualTo(Algorithm.ECDSA);
        assertThat(verified.digest()).isEqualTo(Algorithm.SHA256);
        assertThat(verified.signatureMethod()).isEqualTo("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
        assertThat(verified.validation()).get().extracting(ValidationResult::valid).isEqualTo(true);
        assertThat(verified.flags()).isEmpty();
    }

    @Test
    void signsWithRsaPssWhenTheKeyIsRsa() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.signerRsa).signEnveloped(doc);

        VerifiedXml verified = verifier().verify(reparse(doc), SignatureExpectation.documentElement());

        assertThat(verified.scheme()).isEqualTo(Algorithm.RSASSA_PSS);
        assertThat(verified.signatureMethod()).isEqualTo("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1");
    }

    @Test
    void writesAnEnvelopedReferenceOverTheWholeDocumentWithExclusiveCanonicalisation() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Element signature = signer(pki.evidenceP256).signEnveloped(doc);

        Element reference = first(doc, DSIG, "Reference");
        NodeList transforms = reference.getElementsByTagNameNS(DSIG, "Transform");
        assertThat(signature.getParentNode()).isSameAs(doc.getDocumentElement());
        assertThat(reference.getAttribute("URI")).isEmpty();
        assertThat(((Element) transforms.item(0)).getAttribute("Algorithm")).isEqualTo(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        assertThat(((Element) transforms.item(1)).getAttribute("Algorithm")).isEqualTo(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        assertThat(first(doc, DSIG, "DigestMethod").getAttribute("Algorithm")).isEqualTo("http://www.w3.org/2001/04/xmlenc#sha256");
    }

    @Test
    void ecdsaSignatureValueIsRawRAndSNotDer() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signEnveloped(doc);

        byte[] value = Base64.getMimeDecoder().decode(first(doc, DSIG, "SignatureValue").getTextContent());
        assertThat(value).hasSize(64);
    }

    @Test
    void computesTheSignatureValueThroughTheKeyHandleOnly() throws Exception {
        CountingHandle token = new CountingHandle(XmlTestPki.handle(pki.evidenceBrainpool, KeyPurpose.EVIDENCE));
        Document doc = parse(XmlDocs.EVIDENCE);

        new XmlSigner(token, POLICY).signEnveloped(doc);

        assertThat(token.signatures).hasValue(1);
        assertThat(verifier().verify(reparse(doc), SignatureExpectation.documentElement()).signer())
                .isEqualTo(pki.evidenceBrainpool.certificate());
    }

    @Test
    void aKeyThatFailsToSignLeavesNoHalfMadeSignatureBehind() throws Exception {
        PrivateKeyHandle broken = new CountingHandle(XmlTestPki.handle(pki.evidenceP256, KeyPurpose.EVIDENCE)) {
            @Override
            public byte[] sign(SignatureSpec spec, byte[] data) throws KeyOperationException {
                throw new KeyOperationException("token removed");
            }
        };
        Document doc = parse(XmlDocs.EVIDENCE);

        assertThatThrownBy(() -> new XmlSigner(broken, POLICY).signEnveloped(doc))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SIGNING_FAILED);
                    assertThat(e.getMessage()).contains("token removed");
                });
        assertThat(doc.getElementsByTagNameNS(DSIG, "Signature").getLength()).isZero();
    }

    @Test
    void keyInfoCarriesTheSignerAndItsIntermediateButNotTheRoot() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signEnveloped(doc);

        VerifiedXml verified = verifier().verify(reparse(doc), SignatureExpectation.documentElement());

        assertThat(verified.certificates()).containsExactly(pki.evidenceP256.certificate(),
                pki.intermediate.certificate());
    }

    @Test
    void coversAnElementByItsIdAndHandsBackThatElement() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Element message = first(doc, EV, "Message");
        signer(pki.evidenceP256).signing(doc).coverElement(message).sign();
        ElementPath path = ElementPath.root(EV, "Evidence").child(EV, "Message");

        VerifiedXml verified = verifier().verify(reparse(doc), SignatureExpectation.element(path));

        assertThat(verified.element(path).getAttribute("Id")).isEqualTo("msg-1");
        assertThat(verified.references()).extracting(SignedReference::uri).containsExactly("#msg-1");
        assertThat(verified.covers(first(verified.element(path).getOwnerDocument(), EV, "Event"))).isFalse();
    }

    @Test
    void givesAnElementWithoutIdAFreshOne() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Element time = first(doc, EV, "Time");
        signer(pki.evidenceP256).signing(doc).coverElement(time).sign();

        assertThat(time.getAttribute("Id")).startsWith("id-");
        ElementPath path = ElementPath.root(EV, "Evidence").child(EV, "Time");
        assertThat(verifier().verify(reparse(doc), SignatureExpectation.element(path)).element(path).getTextContent())
                .isEqualTo("2026-11-24T10:15:30Z");
    }

    @Test
    void envelopesTheSignatureInsideTheSignedElement() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Element message = first(doc, EV, "Message");
        signer(pki.evidenceP256).signing(doc).coverElement(message).placeIn(message).sign();
        ElementPath path = ElementPath.root(EV, "Evidence").child(EV, "Message");

        VerifiedXml verified = verifier().verify(reparse(doc), SignatureExpectation.element(path));

        assertThat(verified.references().get(0).enveloped()).isTrue();
        assertThat(verified.covers(first(verified.element(path).getOwnerDocument(), DSIG, "SignatureValue"))).isFalse();
    }

    @Test
    void verifiesADetachedSignatureOverExternalContent() throws Exception {
        byte[] attachment = "PDF-Inhalt des Bescheids".repeat(1000).getBytes(UTF_8);
        Document signature = signer(pki.evidenceP256).signDetached(Map.of("cid:bescheid.pdf",
                () -> new ByteArrayInputStream(attachment)));

        VerifiedXml verified = verifier().verify(reparse(signature), SignatureExpectation.detached("cid:bescheid.pdf",
                () -> new ByteArrayInputStream(attachment)));

        assertThat(verified.references()).singleElement().satisfies(r -> {
            assertThat(r.uri()).isEqualTo("cid:bescheid.pdf");
            assertThat(r.external()).isTrue();
        });
    }

    @Test
    void detachedContentThatChangedIsADigestMismatchNamingItsUri() throws Exception {
        byte[] attachment = "PDF-Inhalt".getBytes(UTF_8);
        Document signature = signer(pki.evidenceP256).signDetached(Map.of("cid:bescheid.pdf",
                () -> new ByteArrayInputStream(attachment)));

        assertThatThrownBy(() -> verifier().verify(reparse(signature), SignatureExpectation.detached(
                "cid:bescheid.pdf", () -> new ByteArrayInputStream("PDF-Inhalt!".getBytes(UTF_8)))))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
                    assertThat(e.subject()).isEqualTo("cid:bescheid.pdf");
                });
    }

    @Test
    void neverFetchesExternalContentNobodySupplied() throws Exception {
        Document signature = signer(pki.evidenceP256).signDetached(Map.of("file:///etc/hostname",
                () -> new ByteArrayInputStream(new byte[] {1})));

        assertThatThrownBy(() -> verifier().verify(reparse(signature), SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_REFERENCE);
                    assertThat(e.subject()).isEqualTo("file:///etc/hostname");
                });
    }

    @Test
    void signsElementsAndExternalContentInOneSignature() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        byte[] attachment = {1, 2, 3};
        signer(pki.evidenceP256).signing(doc).coverElement(first(doc, EV, "Message"))
                .coverDetached("cid:a", () -> new ByteArrayInputStream(attachment)).sign();
        ElementPath message = ElementPath.root(EV, "Evidence").child(EV, "Message");

        VerifiedXml verified = verifier().verify(reparse(doc), SignatureExpectation.element(message)
                .andDetached("cid:a", () -> new ByteArrayInputStream(attachment)));

        assertThat(verified.references()).extracting(SignedReference::uri).containsExactly("#msg-1", "cid:a");
    }

    // ------------------------------------------------------------------ tampering

    @Test
    void changedContentIsADigestMismatch() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signEnveloped(doc);
        Document received = reparse(doc);
        first(received, EV, "Event").setTextContent("ContentHandover");

        assertThatThrownBy(() -> verifier().verify(received, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
                    assertThat(e.subject()).isEmpty();
                });
    }

    @Test
    void changedSignedInfoIsAnInvalidSignature() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signEnveloped(doc);
        Document received = reparse(doc);
        first(received, EV, "Event").setTextContent("ContentHandover");
        Element digest = first(received, DSIG, "DigestValue");
        digest.setTextContent(Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(new byte[] {42})));

        assertThatThrownBy(() -> verifier().verify(received, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID));
    }

    // ------------------------------------------------------------------ algorithms

    @Test
    void refusesASha1SignatureWithThePolicysReason() throws Exception {
        Document doc = santuarioSigned(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1, Constants.ALGO_ID_DIGEST_SHA1,
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, pki.signerRsa);

        assertThatThrownBy(() -> verifier().verify(doc, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.policyReason()).isEqualTo(PolicyViolationException.Reason.ALGORITHM_REFUSED);
                    assertThat(e.subject()).isEqualTo("SHA-1");
                    assertThat(e.getMessage()).contains("SHA-1 is refused").contains("TR-02102");
                });
    }

    @Test
    void refusesASha1ReferenceDigestUnderAnAcceptableSignatureMethod() throws Exception {
        Document doc = santuarioSigned(XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256, Constants.ALGO_ID_DIGEST_SHA1,
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, pki.evidenceP256);

        assertThatThrownBy(() -> verifier().verify(doc, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.policyReason()).isEqualTo(PolicyViolationException.Reason.ALGORITHM_REFUSED);
                    assertThat(e.getMessage()).contains("digest of reference");
                });
    }

    @Test
    void acceptsAnRsaPkcs1SignatureAsFlaggedLegacy() throws Exception {
        Document doc = santuarioSigned(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                "http://www.w3.org/2001/04/xmlenc#sha256", Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, pki.signerRsa);

        VerifiedXml verified = verifier().verify(doc, SignatureExpectation.documentElement());

        assertThat(verified.scheme()).isEqualTo(Algorithm.RSA_PKCS1_V15_SIGNATURE);
        assertThat(verified.flags()).anyMatch(f -> f.contains("legacy"));
    }

    @Test
    void refusesAnRsaPkcs1SignatureWhenThePolicyRefusesLegacyInbound() throws Exception {
        Document doc = santuarioSigned(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                "http://www.w3.org/2001/04/xmlenc#sha256", Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, pki.signerRsa);
        AlgorithmPolicy strict = AlgorithmPolicy.builder().refuseLegacyInbound().build();

        assertThatThrownBy(() -> XmlSignatureVerifier.withValidator(strict, pki.validator(),
                CertificateUsage.EVIDENCE_SIGNATURE).verify(doc, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.policyReason()).isEqualTo(PolicyViolationException.Reason.LEGACY_REFUSED_INBOUND));
    }

    @Test
    void acceptsRsaPssWithExplicitParameters() throws Exception {
        Document doc = santuarioSigned(XMLSignature.ALGO_ID_SIGNATURE_RSA_PSS, "http://www.w3.org/2001/04/xmlenc#sha256",
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, pki.signerRsa,
                new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));

        VerifiedXml verified = verifier().verify(doc, SignatureExpectation.documentElement());

        assertThat(verified.scheme()).isEqualTo(Algorithm.RSASSA_PSS);
        assertThat(verified.digest()).isEqualTo(Algorithm.SHA384);
        assertThat(verified.flags()).isEmpty();
    }

    @Test
    void refusesRsaPssWhoseParametersNameSha1() throws Exception {
        Document doc = santuarioSigned(XMLSignature.ALGO_ID_SIGNATURE_RSA_PSS, "http://www.w3.org/2001/04/xmlenc#sha256",
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, pki.signerRsa,
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        // Santuario does not even write SHA-1 parameters; a forger would, and the policy must stop it before crypto
        ((Element) first(doc, DSIG, "SignatureMethod").getElementsByTagNameNS(DSIG, "DigestMethod").item(0))
                .setAttribute("Algorithm", "http://www.w3.org/2000/09/xmldsig#sha1");

        assertThatThrownBy(() -> verifier().verify(doc, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.subject()).isEqualTo("SHA-1");
                });
    }

    @Test
    void refusesCanonicalisationWithComments() throws Exception {
        Document doc = santuarioSigned(XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
                "http://www.w3.org/2001/04/xmlenc#sha256", Canonicalizer.ALGO_ID_C14N_WITH_COMMENTS, pki.evidenceP256);

        assertThatThrownBy(() -> verifier().verify(doc, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.subject()).isEqualTo(Canonicalizer.ALGO_ID_C14N_WITH_COMMENTS);
                });
    }

    @Test
    void refusesAnHmacSignatureMethod() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signEnveloped(doc);
        first(doc, DSIG, "SignatureMethod").setAttribute("Algorithm", XMLSignature.ALGO_ID_MAC_HMAC_SHA256);

        assertThatThrownBy(() -> verifier().verify(reparse(doc), SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.policyReason()).isEqualTo(PolicyViolationException.Reason.UNKNOWN_ALGORITHM);
                });
    }

    @Test
    void refusesToSignWithAKeyThePolicyRefuses() throws Exception {
        IssuedCertificate weak = pki.intermediate.issue(IssueRequest.named("Weak").profile(CertificateProfile.EVIDENCE)
                .key(KeySpec.ec("P-224")));

        assertThatThrownBy(() -> signer(weak).signEnveloped(parse(XmlDocs.EVIDENCE)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.subject()).isEqualTo("P-224");
                });
    }

    // ------------------------------------------------------------------ signers and certificates

    @Test
    void refusesASignerFromAnUnknownCa() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.stranger).signEnveloped(doc);

        assertThatThrownBy(() -> verifier().verify(reparse(doc), SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CERTIFICATE_INVALID);
                    assertThat(e.validation().reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
                    assertThat(e.getMessage()).contains("CN=Stranger");
                });
    }

    @Test
    void verifiesAgainstAnExpectedSignerCertificate() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceBrainpool).signEnveloped(doc);

        VerifiedXml verified = XmlSignatureVerifier.withExpectedSigner(POLICY, pki.evidenceBrainpool.certificate())
                .verify(reparse(doc), SignatureExpectation.documentElement());

        assertThat(verified.signer()).isEqualTo(pki.evidenceBrainpool.certificate());
        assertThat(verified.validation()).isEmpty();
    }

    @Test
    void refusesASignatureByAnotherKeyThanTheExpectedSigner() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signEnveloped(doc);
        X509Certificate expected = pki.evidenceBrainpool.certificate();

        assertThatThrownBy(() -> XmlSignatureVerifier.withExpectedSigner(POLICY, expected)
                .verify(reparse(doc), SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID));
    }

    @Test
    void doesNotTrustABareKeyValue() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        XMLSignature s = new XMLSignature(doc, "", XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        doc.getDocumentElement().appendChild(s.getElement());
        s.addDocument("", envelopedTransforms(doc), "http://www.w3.org/2001/04/xmlenc#sha256");
        s.addKeyInfo(pki.stranger.certificate().getPublicKey());
        s.sign(pki.stranger.privateKey());

        assertThatThrownBy(() -> verifier().verify(reparse(doc), SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SIGNER_UNKNOWN));
    }

    @Test
    void saysWhenThereIsNoSignature() throws Exception {
        assertThatThrownBy(() -> verifier().verify(parse(XmlDocs.EVIDENCE), SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_SIGNED));
    }

    @Test
    void verifiesTheSignatureTheCallerPointsToAmongSeveral() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        Element message = first(doc, EV, "Message");
        signer(pki.evidenceP256).signing(doc).coverElement(message).placeIn(message).sign();
        signer(pki.evidenceBrainpool).signEnveloped(doc);
        Document received = reparse(doc);

        assertThatThrownBy(() -> verifier().verify(received, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AMBIGUOUS_SIGNATURE));
        VerifiedXml outer = verifier().verify(received, SignatureExpectation.documentElement()
                .signatureAt(ElementPath.root(EV, "Evidence").child(DSIG, "Signature")));
        assertThat(outer.signer()).isEqualTo(pki.evidenceBrainpool.certificate());
    }

    // ------------------------------------------------------------------ helpers

    static Transforms envelopedTransforms(Document doc) throws Exception {
        Transforms t = new Transforms(doc);
        t.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        t.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        return t;
    }

    /** A document signed by Santuario directly, with whatever algorithms a test needs (legacy ones included). */
    static Document santuarioSigned(String signatureMethod, String digestMethod, String c14n, IssuedCertificate key)
            throws Exception {
        return santuarioSigned(signatureMethod, digestMethod, c14n, key, null);
    }

    static Document santuarioSigned(String signatureMethod, String digestMethod, String c14n, IssuedCertificate key,
                                    AlgorithmParameterSpec parameters) throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        XMLSignature s = new XMLSignature(doc, "", signatureMethod, 0, c14n, null, parameters);
        doc.getDocumentElement().appendChild(s.getElement());
        s.addDocument("", envelopedTransforms(doc), digestMethod);
        for (X509Certificate c : List.of(key.certificate(), key.chain().get(1))) {
            s.addKeyInfo(c);
        }
        s.sign(key.privateKey());
        return reparse(doc);
    }
}
