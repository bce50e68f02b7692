package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.Osci.NS;
import static de.amtsbote.sandbox.osci.Osci.SOAP;

import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.SignedReference;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import de.amtsbote.crypto.xml.XmlSigner;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The SOAP envelope of contract section 3, both directions: a ControlBlock and a Body, signed together by the
 * caller (ClientSignature) or the intermediary (IntermediarySignature), and the checks of that signature.
 */
final class Envelopes {

    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();

    private Envelopes() {
    }

    /** An envelope being built: put the operation's element into {@link #body}, then {@link #sign}. */
    record Draft(Document document, Element header, Element control, Element body) {

        /** Signs ControlBlock and Body into {@code osci:<wrapper>} and returns the envelope's bytes. */
        byte[] sign(PrivateKeyHandle key, String wrapper) throws XmlSecurityException {
            Document sent = Osci.reparsed(document);
            Element holder = Osci.append(Osci.HEADER.find(sent), Osci.osci(sent, wrapper));
            new XmlSigner(key, POLICY).idAttribute(Osci.ID).signing(sent).coverElement(Osci.CONTROL_BLOCK.find(sent))
                    .coverElement(Osci.BODY.find(sent)).placeIn(holder).sign();
            return Osci.serialize(sent);
        }
    }

    static Draft draft(String operation, String caller, String inResponseTo, Instant created) {
        Document d = SecureXml.standard().newDocument();
        Element envelope = d.createElementNS(SOAP, "soap:Envelope");
        envelope.setAttributeNS(Osci.XMLNS, "xmlns:soap", SOAP);
        envelope.setAttributeNS(Osci.XMLNS, "xmlns:osci", NS);
        d.appendChild(envelope);
        Element header = Osci.append(envelope, d.createElementNS(SOAP, "soap:Header"));
        Element control = Osci.append(header, Osci.osci(d, "ControlBlock"));
        Osci.setId(control, "control");
        control.appendChild(Osci.osci(d, "Operation", operation));
        control.appendChild(Osci.osci(d, "Caller", caller));
        control.appendChild(Osci.osci(d, "Nonce", Osci.random16()));
        control.appendChild(Osci.osci(d, "Created", created.truncatedTo(ChronoUnit.SECONDS).toString()));
        if (inResponseTo != null) {
            control.appendChild(Osci.osci(d, "InResponseTo", inResponseTo));
        }
        Element body = Osci.append(envelope, d.createElementNS(SOAP, "soap:Body"));
        Osci.setId(body, "body");
        return new Draft(d, header, control, body);
    }

    /** The signed ControlBlock and Body of a verified envelope: the only elements to read. */
    record Signed(Element control, Element body, X509Certificate signer) {
    }

    /**
     * Verifies the envelope signature at {@code signature} by {@code signer}'s key, and that it references exactly
     * the envelope's own {@code soap:Header/osci:ControlBlock} and {@code soap:Body} (the wrapping defence).
     */
    static Signed verify(Document document, ElementPath signature, X509Certificate signer)
            throws XmlSecurityException {
        VerifiedXml v = XmlSignatureVerifier.withExpectedSigner(POLICY, signer).idAttributes(Osci.ID)
                .verify(document, SignatureExpectation.element(Osci.CONTROL_BLOCK).andElement(Osci.BODY)
                        .signatureAt(signature));
        Element control = v.element(Osci.CONTROL_BLOCK);
        Element body = v.element(Osci.BODY);
        List<SignedReference> refs = v.references();
        if (refs.size() != 2 || !Set.of(control, body).equals(Set.of(refs.get(0).element() == null ? document
                : refs.get(0).element(), refs.get(1).element() == null ? document : refs.get(1).element()))) {
            throw new XmlSecurityException(XmlSecurityException.Reason.WRAPPING_SUSPECTED, "references",
                    "the signature must reference exactly the envelope's ControlBlock and Body, not "
                            + refs.stream().map(SignedReference::uri).toList());
        }
        return new Signed(control, body, v.signer());
    }

    /** The first certificate in the signature's KeyInfo, as DER, or null. */
    static byte[] keyInfoCertificate(Element signature) {
        for (Element keyInfo : Osci.children(signature, Osci.DS, "KeyInfo")) {
            for (Element data : Osci.children(keyInfo, Osci.DS, "X509Data")) {
                for (Element c : Osci.children(data, Osci.DS, "X509Certificate")) {
                    try {
                        return Base64.getMimeDecoder().decode(c.getTextContent().trim());
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** The envelope's document element, checked to be a SOAP 1.2 Envelope. */
    static Element envelope(Document d) throws OsciFaultException {
        Element e = d.getDocumentElement();
        if (!Osci.is(e, SOAP, "Envelope")) {
            throw OsciFaultException.malformed("not a SOAP 1.2 envelope: the document element is {"
                    + e.getNamespaceURI() + "}" + e.getLocalName());
        }
        return e;
    }
}
