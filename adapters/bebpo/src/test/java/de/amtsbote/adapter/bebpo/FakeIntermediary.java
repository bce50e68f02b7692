package de.amtsbote.adapter.bebpo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSigner;
import jakarta.activation.DataSource;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A small intermediary and directory for the adapter's tests, written from the contract on the JDK's HTTP server (the
 * real sandbox intermediary is tested end to end by the gateway): it checks client signatures, decrypts usage data,
 * stores deliveries still encrypted, signs process cards, and serves a mailbox queue. Switches make it hostile.
 */
final class FakeIntermediary implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BebpoWorld world;
    private final HttpServer server;
    final Map<String, String> directory = new ConcurrentHashMap<>();
    final Map<String, X509Certificate> encryption = new ConcurrentHashMap<>();
    final Map<String, Stored> stored = new ConcurrentHashMap<>();
    final List<String> queue = new CopyOnWriteArrayList<>();
    final List<Path> requests = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    final List<String> operations = new CopyOnWriteArrayList<>();

    // hostile switches
    volatile boolean wrongNonce;
    volatile PrivateKeyHandle responseSigner;
    volatile PrivateKeyHandle cardSigner;
    volatile boolean keepRequests = true;

    /** A stored delivery: the StoreDelivery as the originator signed it, its parts, its times. */
    static final class Stored {
        final String messageId;
        final String addressee;
        final byte[] storeDelivery;
        final Map<String, Path> parts;
        final Instant creation;
        volatile Instant forwarding;
        volatile Instant reception;

        Stored(String messageId, String addressee, byte[] storeDelivery, Map<String, Path> parts, Instant creation) {
            this.messageId = messageId;
            this.addressee = addressee;
            this.storeDelivery = storeDelivery;
            this.parts = parts;
            this.creation = creation;
        }
    }

    FakeIntermediary(BebpoWorld world) throws IOException {
        this.world = world;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/dir/mailboxes/", this::directory);
        server.createContext("/osci", this::osci);
        server.start();
    }

    String directoryUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/dir";
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/osci";
    }

    void addMailbox(String id, String name, boolean bebpo, X509Certificate encryptionCertificate,
                    X509Certificate signatureCertificate, X509Certificate originCertificate) {
        addMailbox(id, name, bebpo, url(), world.intermediaryKey.certificate(), encryptionCertificate,
                signatureCertificate, originCertificate);
    }

    void addMailbox(String id, String name, boolean bebpo, String intermediaryUrl, X509Certificate intermediary,
                    X509Certificate encryptionCertificate, X509Certificate signatureCertificate,
                    X509Certificate originCertificate) {
        encryption.put(id, encryptionCertificate);
        directory.put(id, "{\"id\":" + json(id) + ",\"name\":" + json(name) + ",\"bebpo\":" + bebpo
                + ",\"intermediary\":" + json(intermediaryUrl) + ",\"intermediaryCertificate\":" + pem(intermediary)
                + ",\"encryptionCertificate\":" + pem(encryptionCertificate) + ",\"signatureCertificate\":"
                + pem(signatureCertificate) + ",\"originCertificate\":" + pem(originCertificate) + "}");
    }

    private static String pem(X509Certificate c) {
        return c == null ? "null" : json(Pem.encode(c));
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + "\"";
    }

    private void directory(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/dir/mailboxes/".length());
        String entry = directory.get(id);
        byte[] body = (entry == null ? "{\"error\":\"unknown\"}" : entry).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(entry == null ? 404 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    // ------------------------------------------------------------------ OSCI

    private void osci(HttpExchange exchange) throws IOException {
        Path file = Files.createTempFile(world.dir, "request-", ".bin");
        try (InputStream in = exchange.getRequestBody(); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        contentTypes.add(contentType);
        if (keepRequests) {
            requests.add(file);
        }
        try {
            Request request = Request.read(file, contentType);
            Element control = Osci.required(Osci.required(request.envelope.getDocumentElement(), Osci.SOAP,
                    "Header"), Osci.NS, "ControlBlock");
            String operation = Osci.text(control, "Operation");
            operations.add(operation);
            try {
                world.crypto.xmlVerifier(CertificateUsage.MESSAGE_SIGNATURE).idAttributes(Osci.ID).verify(
                        request.envelope, SignatureExpectation.element(Osci.CONTROL_BLOCK).andElement(Osci.BODY)
                                .signatureAt(Osci.HEADER.child(Osci.NS, "ClientSignature").child(Osci.DS,
                                        "Signature")));
            } catch (Exception e) {
                fault(exchange, 400, "Sender", "SignatureInvalid", "client signature: " + e.getMessage());
                return;
            }
            Element body = Osci.required(request.envelope.getDocumentElement(), Osci.SOAP, "Body");
            String nonce = wrongNonce ? "AAAAAAAAAAAAAAAAAAAAAA==" : Osci.text(control, "Nonce");
            switch (operation) {
                case "getMessageId" -> {
                    byte[] id = new byte[16];
                    RANDOM.nextBytes(id);
                    respond(exchange, operation, nonce, r -> Osci.add(r, "MessageId",
                            Base64.getEncoder().encodeToString(id)), Map.of());
                }
                case "storeDelivery" -> store(exchange, request, body, nonce);
                case "fetchProcessCard" -> {
                    List<String> ids = new ArrayList<>();
                    for (Element e : Osci.children(Osci.required(body, Osci.NS, "FetchProcessCard"), Osci.NS,
                            "MessageId")) {
                        ids.add(e.getTextContent().trim());
                    }
                    respond(exchange, operation, nonce, r -> {
                        int n = 0;
                        for (String id : ids) {
                            Stored s = stored.get(id);
                            if (s != null) {
                                card(r, s, ids.size() == 1 ? "card" : "card-" + (++n));
                            }
                        }
                    }, Map.of());
                }
                case "fetchDelivery" -> fetch(exchange, nonce);
                case "acknowledgeDelivery" -> {
                    String id = Osci.text(Osci.required(body, Osci.NS, "AcknowledgeDelivery"), "MessageId");
                    Stored s = stored.get(id);
                    if (s == null) {
                        fault(exchange, 400, "Sender", "MessageIdUnknown", "no delivery " + id);
                        return;
                    }
                    s.reception = Instant.now();
                    queue.remove(id);
                    respond(exchange, operation, nonce, r -> card(r, s, "card"), Map.of());
                }
                default -> fault(exchange, 400, "Sender", "Malformed", "unknown operation " + operation);
            }
        } catch (Exception e) {
            fault(exchange, 500, "Receiver", "Unavailable", "the fake failed: " + e);
        }
    }

    private void store(HttpExchange exchange, Request request, Element body, String nonce) throws Exception {
        Element encrypted = Osci.required(body, Osci.XENC, "EncryptedData");
        Element delivery = world.crypto.xmlDecryptor().decrypt(encrypted, world.intermediaryKey).element();
        String id = Osci.text(delivery, "MessageId");
        if (stored.containsKey(id)) {
            fault(exchange, 400, "Sender", "MessageIdUsed", "message id " + id + " was stored before");
            return;
        }
        Map<String, Path> parts = new LinkedHashMap<>();
        for (Map.Entry<String, MimeBodyPart> p : request.parts.entrySet()) {
            Path part = Files.createTempFile(world.dir, "stored-", ".bin");
            try (InputStream in = p.getValue().getInputStream(); OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            parts.put(p.getKey(), part);
        }
        request.close();
        Stored s = new Stored(id, Osci.text(delivery, "Addressee"), ProcessCard.serialize(delivery), parts,
                Instant.now());
        stored.put(id, s);
        respond(exchange, "storeDelivery", nonce, r -> card(r, s, "card"), Map.of());
    }

    /** Puts a delivery (a signed StoreDelivery and its encrypted parts) into a mailbox, as if stored by a sender. */
    void enqueue(DeliveryWriter.Written written) throws Exception {
        Element delivery = written.storeDelivery().getDocumentElement();
        String id = Osci.text(delivery, "MessageId");
        Map<String, Path> parts = new LinkedHashMap<>();
        written.parts().forEach(p -> parts.put(p.contentId(), p.file()));
        stored.put(id, new Stored(id, Osci.text(delivery, "Addressee"),
                ProcessCard.serialize(delivery), parts, Instant.now()));
        queue.add(id);
    }

    private void fetch(HttpExchange exchange, String nonce) throws Exception {
        if (queue.isEmpty()) {
            respond(exchange, "fetchDelivery", nonce, r -> Osci.add(r, "NoDelivery", null), Map.of());
            return;
        }
        Stored s = stored.get(queue.get(0));
        if (s.forwarding == null) {
            s.forwarding = Instant.now();
        }
        respond(exchange, "fetchDelivery", nonce, r -> {
            Element d = (Element) r.getOwnerDocument().importNode(SecureXml.standard().parse(
                    new ByteArrayInputStream(s.storeDelivery)).getDocumentElement(), true);
            r.appendChild(d);
            world.crypto.xmlEncryptor().encryptElement(d, List.of(XmlRecipient.of(encryption.get(s.addressee))));
            card(r, s, "card");
        }, s.parts);
    }

    private void card(Element parent, Stored s, String id) throws Exception {
        Document doc = SecureXml.standard().newDocument();
        Element bundle = Osci.root(doc, "ProcessCardBundle", id);
        Osci.add(bundle, "MessageId", s.messageId);
        Element card = Osci.add(bundle, "ProcessCard", null);
        Instant recent = s.reception != null ? s.reception : s.forwarding != null ? s.forwarding : s.creation;
        card.setAttributeNS(null, "RecentModification", Osci.time(recent));
        Osci.add(card, "Creation", Osci.time(s.creation));
        if (s.forwarding != null) {
            Osci.add(card, "Forwarding", Osci.time(s.forwarding));
        }
        if (s.reception != null) {
            Osci.add(card, "Reception", Osci.time(s.reception));
        }
        Osci.add(card, "Subject", "Klage");
        Element report = Osci.add(bundle, "InspectionReport", null);
        Element inspection = Osci.add(report, "Inspection", null);
        Osci.add(inspection, "Timestamp", Osci.time(s.creation));
        Osci.add(inspection, "X509SubjectName", "CN=test");
        Osci.add(inspection, "CertType", "Origin");
        Osci.add(inspection, "MathResult", "ok");
        Osci.add(inspection, "OfflineResult", "valid");
        PrivateKeyHandle key = cardSigner != null ? cardSigner : world.intermediaryKey;
        new XmlSigner(key, world.policy).idAttribute(Osci.ID).signing(doc).coverElement(bundle).placeIn(bundle)
                .sign();
        parent.appendChild(parent.getOwnerDocument().importNode(bundle, true));
    }

    interface Filler {
        void fill(Element response) throws Exception;
    }

    private void respond(HttpExchange exchange, String operation, String nonce, Filler filler,
                         Map<String, Path> parts) throws Exception {
        OsciRequest response = OsciRequest.create("responseTo" + Character.toUpperCase(operation.charAt(0))
                + operation.substring(1), "Test Intermediary", Instant.now());
        Element control = Osci.required(Osci.required(response.document().getDocumentElement(), Osci.SOAP,
                "Header"), Osci.NS, "ControlBlock");
        Osci.add(control, "InResponseTo", nonce);
        Element r = response.operationElement("ResponseTo" + Character.toUpperCase(operation.charAt(0))
                + operation.substring(1));
        filler.fill(r);
        // the response's signature goes into an IntermediarySignature, not a ClientSignature
        PrivateKeyHandle key = responseSigner != null ? responseSigner : world.intermediaryKey;
        response.signAs(new XmlSigner(key, world.policy), "IntermediarySignature");
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        SecureXml.standard().serialize(response.document(), xml);
        if (parts.isEmpty()) {
            exchange.getResponseHeaders().add("Content-Type", "application/soap+xml; charset=UTF-8");
            exchange.sendResponseHeaders(200, xml.size());
            exchange.getResponseBody().write(xml.toByteArray());
        } else {
            String boundary = "fake-boundary";
            exchange.getResponseHeaders().add("Content-Type", "multipart/related; type=\"application/xop+xml\";"
                    + " boundary=\"" + boundary + "\"; start=\"<root@fake>\"; start-info=\"application/soap+xml\"");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("--" + boundary + "\r\nContent-Type: application/xop+xml; charset=UTF-8;"
                    + " type=\"application/soap+xml\"\r\nContent-ID: <root@fake>\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(xml.toByteArray());
            for (Map.Entry<String, Path> p : parts.entrySet()) {
                out.write(("\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Transfer-Encoding: binary\r\nContent-ID: <" + p.getKey() + ">\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                Files.copy(p.getValue(), out);
            }
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        exchange.close();
    }

    static void fault(HttpExchange exchange, int status, String code, String subcode, String reason)
            throws IOException {
        byte[] body = faultXml(code, subcode, reason).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/soap+xml; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    static String faultXml(String code, String subcode, String reason) {
        return "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:osci=\"http://www.osci.de/2002/04/osci\"><soap:Body><soap:Fault><soap:Code>"
                + "<soap:Value>soap:" + code + "</soap:Value><soap:Subcode><soap:Value>osci:" + subcode
                + "</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang=\"en\">" + reason
                + "</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>";
    }

    /** A request as received: the envelope and its MTOM parts (read from the file without copying). */
    static final class Request implements AutoCloseable {
        final Document envelope;
        final Map<String, MimeBodyPart> parts;
        private final SharedFileInputStream shared;

        private Request(Document envelope, Map<String, MimeBodyPart> parts, SharedFileInputStream shared) {
            this.envelope = envelope;
            this.parts = parts;
            this.shared = shared;
        }

        static Request read(Path file, String contentType) throws Exception {
            if (!contentType.startsWith("multipart/related")) {
                try (InputStream in = Files.newInputStream(file)) {
                    return new Request(SecureXml.standard().parse(in), Map.of(), null);
                }
            }
            SharedFileInputStream shared = new SharedFileInputStream(file.toFile());
            MimeMultipart multipart = new MimeMultipart(new DataSource() {
                @Override
                public InputStream getInputStream() {
                    return shared.newStream(0, -1);
                }

                @Override
                public OutputStream getOutputStream() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public String getContentType() {
                    return contentType;
                }

                @Override
                public String getName() {
                    return "request";
                }
            });
            Document envelope = null;
            Map<String, MimeBodyPart> parts = new LinkedHashMap<>();
            for (int i = 0; i < multipart.getCount(); i++) {
                MimeBodyPart part = (MimeBodyPart) multipart.getBodyPart(i);
                if (i == 0) {
                    try (InputStream in = part.getInputStream()) {
                        envelope = SecureXml.standard().parse(in);
                    }
                } else {
                    parts.put(OsciClient.bare(part.getContentID()), part);
                }
            }
            return new Request(envelope, parts, shared);
        }

        @Override
        public void close() throws IOException {
            if (shared != null) {
                shared.close();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
