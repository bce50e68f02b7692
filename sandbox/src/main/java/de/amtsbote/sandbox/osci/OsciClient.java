package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.Osci.NS;
import static de.amtsbote.sandbox.osci.Osci.SOAP;

import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.sandbox.osci.OsciFaultException.Subcode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;

/**
 * The client side of the contract as a played mailbox uses it: signed requests (ClientSignature), MTOM parts streamed
 * from files, responses spooled to a file, their IntermediarySignature verified against the certificate the
 * directory names, faults turned into {@link OsciFaultException}s. Directory lookups go over HTTP, as a real client's.
 */
final class OsciClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Clock clock;
    private final Path spoolDir;

    OsciClient(Clock clock, Path spoolDir) {
        this.clock = clock;
        this.spoolDir = spoolDir;
    }

    /** A directory entry as a client sees it. */
    record Entry(String id, String name, boolean bebpo, URI intermediary, X509Certificate intermediaryCertificate,
                 X509Certificate encryptionCertificate, X509Certificate signatureCertificate,
                 X509Certificate originCertificate) {

        X509Certificate originSigner() {
            return bebpo ? originCertificate : signatureCertificate;
        }
    }

    Entry lookup(URI directory, String id) throws IOException {
        URI uri = URI.create(directory + "/mailboxes/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            throw new IOException("the directory " + directory + " knows no mailbox " + id);
        }
        if (r.statusCode() != 200) {
            throw new IOException("the directory answered HTTP " + r.statusCode() + " for " + id);
        }
        JsonNode j = OsciLog.JSON.readTree(r.body());
        try {
            return new Entry(j.get("id").asString(), j.get("name").asString(), j.get("bebpo").asBoolean(),
                    URI.create(j.get("intermediary").asString()), cert(j, "intermediaryCertificate"),
                    cert(j, "encryptionCertificate"), cert(j, "signatureCertificate"), cert(j, "originCertificate"));
        } catch (CertificateException | RuntimeException e) {
            throw new IOException("the directory entry of " + id + " is not usable: " + e.getMessage(), e);
        }
    }

    private static X509Certificate cert(JsonNode j, String field) throws IOException, CertificateException {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : Pem.readCertificate(v.asString());
    }

    /** A verified response; close it to release its spooled file. */
    static final class Reply implements AutoCloseable {
        final Element control;
        final Element body;
        final Mtom.Received received;
        private final Path spool;

        Reply(Element control, Element body, Mtom.Received received, Path spool) {
            this.control = control;
            this.body = body;
            this.received = received;
            this.spool = spool;
        }

        /** The one element in the Body. */
        Element payload() throws OsciFaultException {
            List<Element> c = Osci.children(body);
            if (c.size() != 1) {
                throw OsciFaultException.malformed("the response Body holds " + c.size() + " elements");
            }
            return c.get(0);
        }

        @Override
        public void close() throws IOException {
            received.close();
            Files.deleteIfExists(spool);
        }
    }

    @FunctionalInterface
    interface BodyWriter {
        void write(Element body) throws XmlSecurityException, IOException;
    }

    /**
     * Sends one operation signed with {@code signer} and returns the response after checking the intermediary's
     * signature by {@code intermediaryCertificate} and that it answers this request.
     *
     * @throws OsciFaultException the intermediary's fault
     * @throws IOException        transport trouble, or a response that does not verify
     */
    Reply call(URI intermediary, X509Certificate intermediaryCertificate, String operation, String caller,
               Credential signer, BodyWriter writer, List<Mtom.Part> parts) throws IOException, OsciFaultException {
        Envelopes.Draft d = Envelopes.draft(operation, caller, null, clock.instant());
        String nonce = Osci.requiredText(d.control(), "Nonce");
        byte[] envelope;
        try {
            writer.write(d.body());
            envelope = d.sign(signer.key(), "ClientSignature");
        } catch (XmlSecurityException e) {
            throw new IOException("cannot build the " + operation + " request: " + e.getMessage(), e);
        }
        Mtom.Outgoing out = new Mtom.Outgoing(envelope, parts);
        HttpRequest request = HttpRequest.newBuilder(intermediary).timeout(Duration.ofMinutes(10))
                .header("Content-Type", out.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(out::open)).build();
        Files.createDirectories(spoolDir);
        Path spool = Files.createTempFile(spoolDir, "response-", ".bin");
        boolean handedOver = false;
        try {
            HttpResponse<Path> r = send(request, HttpResponse.BodyHandlers.ofFile(spool));
            String type = r.headers().firstValue("Content-Type").orElse(null);
            if (r.statusCode() == 400 || r.statusCode() == 500) {
                throw fault(spool, r.statusCode());
            }
            if (r.statusCode() != 200) {
                throw new IOException(intermediary + " answered HTTP " + r.statusCode());
            }
            Mtom.Received received = Mtom.read(spool, type);
            try {
                Document doc = SecureXml.standard().parse(received.envelope());
                Envelopes.envelope(doc);
                Envelopes.Signed s = Envelopes.verify(doc, Osci.INTERMEDIARY_SIGNATURE, intermediaryCertificate);
                String answer = Osci.requiredText(s.control(), "Operation");
                String expected = "responseTo" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1);
                if (!expected.equals(answer) || !nonce.equals(Osci.optionalText(s.control(), "InResponseTo"))) {
                    throw new IOException("the response (" + answer + ") does not answer this " + operation);
                }
                handedOver = true;
                return new Reply(s.control(), s.body(), received, spool);
            } catch (XmlSecurityException e) {
                throw new IOException("the response of " + intermediary + " does not verify: " + e.getMessage(), e);
            } finally {
                if (!handedOver) {
                    received.close();
                }
            }
        } finally {
            if (!handedOver) {
                Files.deleteIfExists(spool);
            }
        }
    }

    private static OsciFaultException fault(Path spool, int status) throws IOException {
        try (InputStream in = Files.newInputStream(spool)) {
            Document d = SecureXml.standard().parse(in);
            Element body = Osci.required(Envelopes.envelope(d), SOAP, "Body");
            Element fault = Osci.required(body, SOAP, "Fault");
            Element code = Osci.required(fault, SOAP, "Code");
            Element sub = Osci.required(Osci.required(code, SOAP, "Subcode"), SOAP, "Value");
            String value = sub.getTextContent().trim();
            String reason = Osci.required(Osci.required(fault, SOAP, "Reason"), SOAP, "Text").getTextContent();
            return new OsciFaultException(Subcode.valueOf(value.substring(value.indexOf(':') + 1)), reason);
        } catch (XmlSecurityException | OsciFaultException | IllegalArgumentException e) {
            throw new IOException("HTTP " + status + " without a fault of the contract: " + e.getMessage(), e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static Element osciChild(Element parent, String name) throws OsciFaultException {
        return Osci.required(parent, NS, name);
    }
}
