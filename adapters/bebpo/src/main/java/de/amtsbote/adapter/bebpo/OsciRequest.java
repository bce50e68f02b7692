package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSigner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One request envelope (contract section 3): ControlBlock (Operation, Caller, Nonce, Created), the Body with
 * {@code osci:Id="body"}, and the ClientSignature over exactly {@code #control} and {@code #body}; plus the MTOM parts
 * that go with it, as spool files.
 */
final class OsciRequest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** An encrypted attachment ready to stream: its Content-ID (no brackets), spool file and size. */
    record Part(String contentId, Path file, long size) {
        Part {
            Objects.requireNonNull(contentId, "contentId");
            Objects.requireNonNull(file, "file");
        }
    }

    private final String operation;
    private final String caller;
    private final String nonce;
    private Document document;
    private Element header;
    private Element controlBlock;
    private Element body;
    private final List<Part> parts = new ArrayList<>();

    private OsciRequest(String operation, String caller, Instant now) {
        this.operation = operation;
        this.caller = caller;
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        this.nonce = Base64.getEncoder().encodeToString(n);
        document = SecureXml.standard().newDocument();
        Element envelope = document.createElementNS(Osci.SOAP, "soap:Envelope");
        envelope.setAttributeNS(Osci.XMLNS, "xmlns:soap", Osci.SOAP);
        envelope.setAttributeNS(Osci.XMLNS, "xmlns:osci", Osci.NS);
        envelope.setAttributeNS(Osci.XMLNS, "xmlns:ds", Osci.DS);
        envelope.setAttributeNS(Osci.XMLNS, "xmlns:xenc", Osci.XENC);
        document.appendChild(envelope);
        header = document.createElementNS(Osci.SOAP, "soap:Header");
        envelope.appendChild(header);
        controlBlock = Osci.add(header, "ControlBlock", null);
        Osci.setId(controlBlock, "control");
        Osci.add(controlBlock, "Operation", operation);
        Osci.add(controlBlock, "Caller", caller);
        Osci.add(controlBlock, "Nonce", nonce);
        Osci.add(controlBlock, "Created", Osci.time(now));
        body = document.createElementNS(Osci.SOAP, "soap:Body");
        Osci.setId(body, "body");
        envelope.appendChild(body);
    }

    static OsciRequest create(String operation, String caller, Instant now) {
        return new OsciRequest(operation, caller, now);
    }

    String operation() {
        return operation;
    }

    String caller() {
        return caller;
    }

    String nonce() {
        return nonce;
    }

    Document document() {
        return document;
    }

    Element body() {
        return body;
    }

    /** A new {@code osci:<name>} as the Body's operation element. */
    Element operationElement(String localName) {
        return Osci.add(body, localName, null);
    }

    void attach(Part part) {
        parts.add(part);
    }

    List<Part> parts() {
        return List.copyOf(parts);
    }

    /** The ClientSignature by the caller's signing key, over exactly the ControlBlock and the Body. */
    void sign(XmlSigner signer) throws XmlSecurityException {
        signAs(signer, "ClientSignature");
    }

    /**
     * Signs the ControlBlock and the Body into {@code osci:<wrapper>} in the Header, over the envelope as the far side
     * will parse it (see {@link Osci#reparse}); the request's elements are those of the parsed envelope afterwards.
     */
    void signAs(XmlSigner signer, String wrapper) throws XmlSecurityException {
        document = Osci.reparse(document);
        header = Osci.HEADER.find(document);
        controlBlock = Osci.CONTROL_BLOCK.find(document);
        body = Osci.BODY.find(document);
        Element signature = Osci.add(header, wrapper, null);
        signer.idAttribute(Osci.ID).signing(document).coverElement(controlBlock).coverElement(body)
                .placeIn(signature).sign();
    }
}
