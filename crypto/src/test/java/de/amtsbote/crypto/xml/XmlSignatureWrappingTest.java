package de.amtsbote.crypto.xml;

import static de.amtsbote.crypto.xml.XmlDocs.DSIG;
import static de.amtsbote.crypto.xml.XmlDocs.EV;
import static de.amtsbote.crypto.xml.XmlDocs.first;
import static de.amtsbote.crypto.xml.XmlDocs.parse;
import static de.amtsbote.crypto.xml.XmlDocs.reparse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.ByteArrayInputStream;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.transforms.params.XPath2FilterContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Signature-wrapping attacks (XSW, after Somorovsky et al. and the SAML/WS-Security CVEs): each keeps a valid
 * signature over something while making the application read something else. Each must be refused.
 */
class XmlSignatureWrappingTest {

    private static final String ENV = "urn:test:envelope";
    private static final ElementPath BODY = ElementPath.root(ENV, "Envelope").child(ENV, "Body");
    private static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

    private static XmlTestPki pki;
    private static XmlSigner signer;
    private static XmlSignatureVerifier verifier;

    @BeforeAll
    static void setUp() throws Exception {
        pki = XmlTestPki.get();
        Santuario.init();
        signer = new XmlSigner(XmlTestPki.handle(pki.evidenceP256, KeyPurpose.SIGNING), AlgorithmPolicy.bsi());
        verifier = XmlSignatureVerifier.withValidator(AlgorithmPolicy.bsi(), pki.validator(),
                CertificateUsage.MESSAGE_SIGNATURE);
    }

    /** The Body signed by its Id, the signature in the Header: the shape of SOAP and OSCI messages. */
    private static Document signedEnvelope() throws Exception {
        Document doc = parse(XmlDocs.ENVELOPE);
        signer.signing(doc).coverElement(first(doc, ENV, "Body")).placeIn(first(doc, ENV, "Header")).sign();
        return reparse(doc);
    }

    private static Element forgedBody(Document doc, String amount) {
        Element body = doc.createElementNS(ENV, "env:Body");
        Element transfer = doc.createElementNS(ENV, "env:Transfer");
        Element value = doc.createElementNS(ENV, "env:Amount");
        value.setTextContent(amount);
        transfer.appendChild(value);
        body.appendChild(transfer);
        return body;
    }

    @Test
    void theUnattackedMessageVerifiesAndHandsBackTheSignedBody() throws Exception {
        VerifiedXml verified = verifier.verify(signedEnvelope(), SignatureExpectation.element(BODY));

        assertThat(first(verified.element(BODY).getOwnerDocument(), ENV, "Amount").getTextContent()).isEqualTo("10.00");
        assertThat(verified.element(BODY).getAttribute("Id")).isEqualTo("body-1");
    }

    @Test
    void signedBodyMovedIntoDsObjectWithAForgedBodyWhereTheApplicationReads() throws Exception {
        Document attacked = signedEnvelope();
        Element original = first(attacked, ENV, "Body");
        Element object = attacked.createElementNS(DSIG, "ds:Object");
        first(attacked, DSIG, "Signature").appendChild(object);
        object.appendChild(original);
        attacked.getDocumentElement().appendChild(forgedBody(attacked, "1000000.00"));

        // the signature itself is still valid: it covers the moved original
        ElementPath moved = ElementPath.root(ENV, "Envelope").child(ENV, "Header").child(DSIG, "Signature")
                .child(DSIG, "Object").child(ENV, "Body");
        assertThat(verifier.verify(attacked, SignatureExpectation.element(moved)).element(moved)).isSameAs(original);
        // but the Body the application reads is not what was signed
        assertThatThrownBy(() -> verifier.verify(attacked, SignatureExpectation.element(BODY)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRAPPING_SUSPECTED);
                    assertThat(e.getMessage()).contains("/Envelope/Body").contains("not covered")
                            .contains("/Envelope/Header/Signature/Object/Body");
                });
    }

    @Test
    void forgedBodyCarryingTheSameIdAsTheHiddenSignedOne() throws Exception {
        Document attacked = signedEnvelope();
        Element original = first(attacked, ENV, "Body");
        Element wrapper = attacked.createElementNS(ENV, "env:Wrapper");
        first(attacked, ENV, "Header").appendChild(wrapper);
        wrapper.appendChild(original);
        Element forged = forgedBody(attacked, "1000000.00");
        forged.setAttributeNS(null, "Id", "body-1");
        attacked.getDocumentElement().appendChild(forged);

        assertThatThrownBy(() -> verifier.verify(attacked, SignatureExpectation.element(BODY)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_ID);
                    assertThat(e.subject()).isEqualTo("#body-1");
                });
    }

    @Test
    void secondBodyNextToTheSignedOne() throws Exception {
        Document attacked = signedEnvelope();
        attacked.getDocumentElement().insertBefore(forgedBody(attacked, "1000000.00"), first(attacked, ENV, "Body"));

        assertThatThrownBy(() -> verifier.verify(attacked, SignatureExpectation.element(BODY)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRAPPING_SUSPECTED);
                    assertThat(e.getMessage()).contains("more than one");
                });
    }

    @Test
    void signatureOverASiblingWhileTheApplicationReadsAnotherElement() throws Exception {
        Document doc = parse("""
                <env:Envelope xmlns:env="urn:test:envelope"><env:Header/><env:Body>
                  <env:Notice Id="notice">Ihr Antrag ist eingegangen.</env:Notice>
                  <env:Transfer><env:Amount>1000000.00</env:Amount></env:Transfer>
                </env:Body></env:Envelope>""");
        signer.signing(doc).coverElement(first(doc, ENV, "Notice")).placeIn(first(doc, ENV, "Header")).sign();
        ElementPath transfer = BODY.child(ENV, "Transfer");

        assertThatThrownBy(() -> verifier.verify(reparse(doc), SignatureExpectation.element(transfer)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRAPPING_SUSPECTED);
                    assertThat(e.subject()).isEqualTo("/Envelope/Body/Transfer");
                });
    }

    @Test
    void signedDocumentWrappedUnderAForgedRootOfTheSameName() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        doc.getDocumentElement().setAttributeNS(null, "Id", "evidence");
        signer.signing(doc).coverElement(doc.getDocumentElement()).sign();
        Document signed = reparse(doc);
        Document attacked = parse("<ev:Evidence xmlns:ev=\"" + EV + "\"><ev:Event>ContentHandover</ev:Event></ev:Evidence>");
        attacked.getDocumentElement().appendChild(attacked.importNode(signed.getDocumentElement(), true));
        Document received = reparse(attacked);

        assertThat(verifier.verify(received, SignatureExpectation.element(ElementPath.root(EV, "Evidence")
                .child(EV, "Evidence"))).references()).hasSize(1);
        assertThatThrownBy(() -> verifier.verify(received, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRAPPING_SUSPECTED));
    }

    @Test
    void envelopedSignatureCopiedOntoAnotherDocument() throws Exception {
        Document original = parse(XmlDocs.EVIDENCE);
        signer.signEnveloped(original);
        Document other = parse(XmlDocs.EVIDENCE.replace("SubmissionAcceptance", "ContentHandover"));
        other.getDocumentElement().appendChild(other.importNode(first(original, DSIG, "Signature"), true));

        assertThatThrownBy(() -> verifier.verify(reparse(other), SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));
    }

    @Test
    void xpointerReferenceIsRefused() throws Exception {
        Document doc = parse(XmlDocs.ENVELOPE);
        first(doc, ENV, "Body").setIdAttributeNS(null, "Id", true);
        XMLSignature s = new XMLSignature(doc, "", XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        first(doc, ENV, "Header").appendChild(s.getElement());
        s.addDocument("#xpointer(id('body-1'))", null, SHA256);
        s.addKeyInfo(pki.evidenceP256.certificate());
        s.sign(pki.evidenceP256.privateKey());

        assertThatThrownBy(() -> verifier.verify(reparse(doc), SignatureExpectation.element(BODY)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_REFERENCE);
                    assertThat(e.subject()).isEqualTo("#xpointer(id('body-1'))");
                });
    }

    @Test
    void xpathFilterThatLeavesTheTransferUnsignedIsRefused() throws Exception {
        Document doc = parse(XmlDocs.ENVELOPE);
        XMLSignature s = new XMLSignature(doc, "", XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        doc.getDocumentElement().appendChild(s.getElement());
        Transforms t = new Transforms(doc);
        t.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        t.addTransform(Transforms.TRANSFORM_XPATH2FILTER,
                XPath2FilterContainer.newInstanceSubtract(doc, "//*[local-name()='Transfer']").getElement());
        s.addDocument("", t, SHA256);
        s.addKeyInfo(pki.evidenceP256.certificate());
        s.addKeyInfo(pki.intermediate.certificate());
        s.sign(pki.evidenceP256.privateKey());
        Document attacked = reparse(doc);
        first(attacked, ENV, "Amount").setTextContent("1000000.00");

        assertThatThrownBy(() -> verifier.verify(attacked, SignatureExpectation.documentElement()))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_REFUSED);
                    assertThat(e.subject()).isEqualTo(Transforms.TRANSFORM_XPATH2FILTER);
                });
    }

    @Test
    void referenceThroughAnAttributeThatIsNoRegisteredId() throws Exception {
        Document doc = parse(XmlDocs.ENVELOPE.replace("Id=\"body-1\"", "id=\"body-1\""));
        signer.idAttribute(new IdAttribute(null, "id")).signing(doc).coverElement(first(doc, ENV, "Body"))
                .placeIn(first(doc, ENV, "Header")).sign();

        assertThatThrownBy(() -> verifier.verify(reparse(doc), SignatureExpectation.element(BODY)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_REFERENCE);
                    assertThat(e.subject()).isEqualTo("#body-1");
                });
        assertThat(verifier.idAttributes(new IdAttribute(null, "id")).verify(reparse(doc),
                SignatureExpectation.element(BODY)).element(BODY).getAttribute("id")).isEqualTo("body-1");
    }

    @Test
    void commentInjectedIntoSignedTextNeitherBreaksTheSignatureNorSplitsTheText() throws Exception {
        // the attacker owns evil.example and got a signed statement about an address under it
        Document doc = parse(XmlDocs.EVIDENCE.replace("poststelle@stadt-bad-vilbel.example",
                "poststelle@stadt-bad-vilbel.example.evil.example"));
        signer.signEnveloped(doc);
        String injected = new String(XmlDocs.bytes(doc), UTF_8).replace(
                "poststelle@stadt-bad-vilbel.example.evil.example", "poststelle@stadt-bad-vilbel.example<!---->.evil.example");
        Document received = SecureXml.standard().parse(new ByteArrayInputStream(injected.getBytes(UTF_8)));

        VerifiedXml verified = verifier.verify(received, SignatureExpectation.documentElement());

        Element sender = first(verified.documentElement().getOwnerDocument(), EV, "Sender");
        assertThat(sender.getFirstChild().getNodeValue()).isEqualTo("poststelle@stadt-bad-vilbel.example.evil.example");
        assertThat(sender.getChildNodes().getLength()).isEqualTo(1);
    }
}
