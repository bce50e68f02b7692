package de.amtsbote.sandbox.osci;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSigner;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A SOAP 1.2 client written for the tests from the contract alone (DOM, crypto's XmlSigner, java.net.http, and a
 * hand-written MTOM package), so that the intermediary is checked by something that does not share its code.
 */
final class SoapTestClient {

    static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    static final String OSCI = "http://www.osci.de/2002/04/osci";
    static final de.amtsbote.crypto.xml.IdAttribute OSCI_ID = new de.amtsbote.crypto.xml.IdAttribute(OSCI, "Id");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Path spoolDir;

    SoapTestClient(Path spoolDir) {
        this.spoolDir = spoolDir;
    }

    /** A request being built; {@link #tamper} runs after signing. */
    static final class Request {
        String operation;
        String caller;
        PrivateKeyHandle key;
        Instant created = Instant.now();
        String nonce = nonce();
        Consumer<Element> body = b -> { };
        Consumer<Document> tamper = d -> { };
        boolean unsigned;
        final List<String[]> parts = new ArrayList<>(); // {contentId, file}

        Request(String operation, String caller, PrivateKeyHandle key) {
            this.operation = operation;
            this.caller = caller;
            this.key = key;
        }

        Request body(Consumer<Element> body) {
            this.body = body;
            return this;
        }
    }

    static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static Element el(Element parent, String localName, String text) {
        Element e = parent.getOwnerDocument().createElementNS(OSCI, "osci:" + localName);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    static byte[] envelope(Request r) throws Exception {
        Document d = SecureXml.standard().newDocument();
        Element env = d.createElementNS(SOAP, "s:Envelope");
        env.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:s", SOAP);
        env.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:osci", OSCI);
        d.appendChild(env);
        Element header = (Element) env.appendChild(d.createElementNS(SOAP, "s:Header"));
        Element control = el(header, "ControlBlock", null);
        control.setAttributeNS(OSCI, "osci:Id", "control");
        el(control, "Operation", r.operation);
        el(control, "Caller", r.caller);
        el(control, "Nonce", r.nonce);
        el(control, "Created", r.created.truncatedTo(ChronoUnit.SECONDS).toString());
        Element body = (Element) env.appendChild(d.createElementNS(SOAP, "s:Body"));
        body.setAttributeNS(OSCI, "osci:Id", "body");
        r.body.accept(body);
        if (!r.unsigned) {
            // sign what will be sent: the document after a serialisation round trip
            d = reparse(d);
            env = d.getDocumentElement();
            header = child(env, SOAP, "Header");
            Element holder = el(header, "ClientSignature", null);
            new XmlSigner(r.key, AlgorithmPolicy.bsi()).idAttribute(OSCI_ID).signing(d)
                    .coverElement(child(header, OSCI, "ControlBlock")).coverElement(child(env, SOAP, "Body"))
                    .placeIn(holder).sign();
        }
        r.tamper.accept(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureXml.standard().serialize(d, out);
        return out.toByteArray();
    }

    static Document reparse(Node d) throws Exception {
        return SecureXml.standard().parse(new ByteArrayInputStream(SecureXmlText.of(d)));
    }

    /** The HTTP answer: status, the envelope (root part) and the attachment parts, spooled to files. */
    record Answer(int status, String contentType, Document envelope, Map<String, Path> parts) {

        Element payload() {
            Element body = child(envelope.getDocumentElement(), SOAP, "Body");
            for (Node n = body.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    return e;
                }
            }
            throw new AssertionError("empty Body");
        }

        /** Asserts a contract fault: HTTP status, Code, Subcode, and words of the Reason. */
        void assertFault(int httpStatus, String code, String subcode, String reasonPart) {
            Element fault = payload();
            assertThat(fault.getLocalName()).as("a soap:Fault").isEqualTo("Fault");
            Element c = child(fault, SOAP, "Code");
            String reason = child(child(fault, SOAP, "Reason"), SOAP, "Text").getTextContent();
            assertThat(status).as(reason).isEqualTo(httpStatus);
            assertThat(child(c, SOAP, "Value").getTextContent()).isEqualTo("soap:" + code);
            assertThat(child(child(c, SOAP, "Subcode"), SOAP, "Value").getTextContent()).as(reason)
                    .isEqualTo("osci:" + subcode);
            assertThat(reason).contains(reasonPart);
        }

        void assertOk() {
            assertThat(status).as(new String(SecureXmlText.of(envelope), StandardCharsets.UTF_8)).isEqualTo(200);
        }
    }

    static Element child(Element parent, String ns, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new AssertionError("no " + localName + " in " + parent.getLocalName());
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    Answer send(URI url, Request r) throws Exception {
        return post(url, envelope(r), r.parts);
    }

    Answer post(URI url, byte[] envelope, List<String[]> parts) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        if (parts.isEmpty()) {
            b.header("Content-Type", "application/soap+xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(envelope));
        } else {
            String boundary = "test-" + nonce().replaceAll("[^A-Za-z0-9]", "");
            b.header("Content-Type", "multipart/related; type=\"application/xop+xml\"; start=\"<env>\";"
                    + " start-info=\"application/soap+xml\"; boundary=\"" + boundary + "\"");
            b.POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                List<InputStream> pieces = new ArrayList<>();
                pieces.add(ascii("--" + boundary + "\r\nContent-Type: application/xop+xml; charset=UTF-8;"
                        + " type=\"application/soap+xml\"\r\nContent-ID: <env>\r\n\r\n"));
                pieces.add(new ByteArrayInputStream(envelope));
                for (String[] p : parts) {
                    pieces.add(ascii("\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Transfer-Encoding: binary\r\nContent-ID: <" + p[0] + ">\r\n\r\n"));
                    try {
                        pieces.add(Files.newInputStream(Path.of(p[1])));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                pieces.add(ascii("\r\n--" + boundary + "--\r\n"));
                return new SequenceInputStream(Collections.enumeration(pieces));
            }));
        }
        Path spool = Files.createTempFile(spoolDir, "answer-", ".bin");
        HttpResponse<Path> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofFile(spool));
        String type = resp.headers().firstValue("Content-Type").orElse("");
        Map<String, Path> out = new LinkedHashMap<>();
        Document envelopeDoc;
        if (type.startsWith("multipart/related")) {
            MimeMultipart mp = new MimeMultipart(new jakarta.mail.util.ByteArrayDataSource(
                    new SharedFileInputStream(spool.toFile()), type));
            envelopeDoc = null;
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                if (i == 0) {
                    envelopeDoc = SecureXml.standard().parse(p.getInputStream());
                } else {
                    Path f = Files.createTempFile(spoolDir, "part-", ".bin");
                    try (InputStream in = p.getInputStream()) {
                        Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    String id = ((jakarta.mail.internet.MimeBodyPart) p).getContentID();
                    out.put(id.substring(1, id.length() - 1), f);
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(spool)) {
                envelopeDoc = SecureXml.standard().parse(in);
            }
        }
        Files.delete(spool);
        return new Answer(resp.statusCode(), type, envelopeDoc, out);
    }

    private static InputStream ascii(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Serialises a node for messages. */
    static final class SecureXmlText {
        static byte[] of(Node n) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                SecureXml.standard().serialize(n, out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        }
    }
}
