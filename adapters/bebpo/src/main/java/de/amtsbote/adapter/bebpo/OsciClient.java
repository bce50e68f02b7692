package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlLimits;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Talks to intermediaries: posts a signed request (plain SOAP 1.2, or an MTOM/XOP package whose attachment parts
 * stream from their spool files), writes the answer to a spool file while it arrives, parses it, turns SOAP faults
 * into {@link OsciFault}s and transport trouble into {@link TransientTransportException}s, and verifies the
 * intermediary's signature of an answer ({@link #verify}).
 */
final class OsciClient {

    static final String ROOT_CONTENT_ID = "root.message@amtsbote";
    private static final String CRLF = "\r\n";

    private final HttpClient http;
    private final Duration timeout;
    private final Path spool;
    private final long maxAnswerBytes;
    private final AlgorithmPolicy policy;
    private final CertificateValidator validator;
    private final Clock clock;
    private final SecureXml xml = SecureXml.withLimits(XmlLimits.defaults());

    OsciClient(HttpClient http, Duration timeout, Path spool, long maxAnswerBytes, AlgorithmPolicy policy,
               CertificateValidator validator, Clock clock) {
        this.http = http;
        this.timeout = timeout;
        this.spool = spool;
        this.maxAnswerBytes = maxAnswerBytes;
        this.policy = policy;
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * Sends the request and reads the answer.
     *
     * @throws OsciFault                   the intermediary answered with a SOAP fault
     * @throws TransientTransportException timeouts, broken connections, HTTP 5xx, truncated or unparseable answers
     * @throws PermanentTransportException an HTTP status that is neither success nor fault nor server trouble
     */
    OsciAnswer call(URI intermediary, OsciRequest request) throws OsciFault, TransportException {
        String where = request.operation() + " at " + intermediary;
        byte[] envelope = serialize(request);
        HttpRequest.Builder builder = HttpRequest.newBuilder(intermediary).timeout(timeout);
        List<OsciRequest.Part> parts = request.parts();
        if (parts.isEmpty()) {
            builder.header("Content-Type", "application/soap+xml; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(envelope));
        } else {
            String boundary = "uuid:" + UUID.randomUUID();
            builder.header("Content-Type", "multipart/related; type=\"application/xop+xml\"; boundary=\""
                    + boundary + "\"; start=\"<" + ROOT_CONTENT_ID + ">\"; start-info=\"application/soap+xml\"");
            builder.POST(mtom(boundary, envelope, parts));
        }
        Path file = newSpoolFile();
        boolean handedOver = false;
        try {
            HttpResponse<InputStream> response;
            try {
                response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpConnectTimeoutException e) {
                throw new TransientTransportException(where + ": no connection within the connect timeout", e);
            } catch (HttpTimeoutException e) {
                throw new TransientTransportException(where + ": no answer within " + timeout, e);
            } catch (IOException e) {
                throw new TransientTransportException(where + ": the connection failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientTransportException(where + ": interrupted", e);
            }
            int status = response.statusCode();
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
                long copied = 0;
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    copied += n;
                    if (copied > maxAnswerBytes) {
                        throw new TransientTransportException(where + ": the answer is larger than "
                                + maxAnswerBytes + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new TransientTransportException(where + ": the answer (HTTP " + status
                        + ") broke off while it was read (truncated): " + e, e);
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            OsciAnswer answer = parse(file, contentType, where, status, response.headers()
                    .firstValue("Retry-After").orElse(null));
            handedOver = true;
            return answer;
        } finally {
            if (!handedOver) {
                deleteQuietly(file);
            }
        }
    }

    private OsciAnswer parse(Path file, String contentType, String where, int status, String retryAfter)
            throws OsciFault, TransportException {
        boolean soapish = contentType.toLowerCase(Locale.ROOT).startsWith("application/soap+xml")
                || contentType.toLowerCase(Locale.ROOT).startsWith("multipart/related")
                || contentType.toLowerCase(Locale.ROOT).startsWith("text/xml")
                || contentType.toLowerCase(Locale.ROOT).startsWith("application/xml");
        if (!soapish || (status != 200 && status != 400 && status != 500)) {
            throw statusFailure(where, status, retryAfter, contentType);
        }
        Document envelope;
        Map<String, MimeBodyPart> parts = new HashMap<>();
        SharedFileInputStream shared = null;
        try {
            if (contentType.toLowerCase(Locale.ROOT).startsWith("multipart/related")) {
                shared = new SharedFileInputStream(file.toFile());
                SharedFileInputStream in = shared;
                MimeMultipart multipart = new MimeMultipart(new DataSource() {
                    @Override
                    public InputStream getInputStream() {
                        return in.newStream(0, -1);
                    }

                    @Override
                    public OutputStream getOutputStream() {
                        throw new UnsupportedOperationException("read only");
                    }

                    @Override
                    public String getContentType() {
                        return contentType;
                    }

                    @Override
                    public String getName() {
                        return "answer";
                    }
                });
                String start = new ContentType(contentType).getParameter("start");
                MimeBodyPart root = null;
                for (int i = 0; i < multipart.getCount(); i++) {
                    MimeBodyPart part = (MimeBodyPart) multipart.getBodyPart(i);
                    String id = bare(part.getContentID());
                    if (root == null && (start == null ? i == 0 : bare(start).equals(id))) {
                        root = part;
                    } else if (id != null) {
                        parts.put(id, part);
                    }
                }
                if (root == null) {
                    throw new TransientTransportException(where + ": the MTOM answer has no root part "
                            + (start == null ? "" : start));
                }
                try (InputStream rootXml = root.getInputStream()) {
                    envelope = xml.parse(rootXml);
                }
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    envelope = xml.parse(in);
                }
            }
        } catch (XmlSecurityException e) {
            closeQuietly(shared);
            throw new TransientTransportException(where + ": the answer (HTTP " + status + ") is not well-formed"
                    + " XML: " + e.getMessage(), e);
        } catch (IOException | MessagingException e) {
            closeQuietly(shared);
            throw new TransientTransportException(where + ": the answer (HTTP " + status + ") cannot be read: "
                    + e.getMessage(), e);
        } catch (RuntimeException | TransportException e) {
            closeQuietly(shared);
            throw e;
        }
        Element root = envelope.getDocumentElement();
        if (!Osci.is(root, Osci.SOAP, "Envelope")) {
            closeQuietly(shared);
            throw new TransientTransportException(where + ": the answer (HTTP " + status + ") is not a SOAP 1.2"
                    + " envelope but " + root.getNodeName());
        }
        Optional<OsciFault> fault;
        try {
            fault = fault(root);
        } catch (Osci.MalformedException e) {
            closeQuietly(shared);
            throw new TransientTransportException(where + ": the fault (HTTP " + status + ") is malformed: "
                    + e.getMessage());
        }
        if (fault.isPresent()) {
            closeQuietly(shared);
            throw fault.get();
        }
        if (status != 200) {
            closeQuietly(shared);
            throw statusFailure(where, status, retryAfter, contentType);
        }
        return new OsciAnswer(envelope, parts, file, shared);
    }

    private static TransportException statusFailure(String where, int status, String retryAfter,
                                                    String contentType) {
        String what = where + ": HTTP " + status + (contentType.isEmpty() ? "" : " (" + contentType + ")");
        if (status >= 500 || status == 408 || status == 429) {
            return new TransientTransportException(what, retryAfter(retryAfter), null);
        }
        if (status == 200) {
            return new TransientTransportException(what + ": not a SOAP answer");
        }
        return new PermanentTransportException(what + ": the intermediary refuses the request without a SOAP fault");
    }

    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: the gateway's backoff applies
        }
    }

    /** The SOAP 1.2 fault in the Body, if there is one. */
    static Optional<OsciFault> fault(Element envelope) throws Osci.MalformedException {
        Element body = Osci.child(envelope, Osci.SOAP, "Body");
        if (body == null) {
            throw new Osci.MalformedException("the envelope has no soap:Body");
        }
        Element fault = Osci.child(body, Osci.SOAP, "Fault");
        if (fault == null) {
            return Optional.empty();
        }
        Element code = Osci.required(fault, Osci.SOAP, "Code");
        String value = Osci.required(code, Osci.SOAP, "Value").getTextContent().trim();
        String local = value.substring(value.indexOf(':') + 1);
        String subcode = null;
        Element sub = Osci.child(code, Osci.SOAP, "Subcode");
        if (sub != null) {
            Element subValue = Osci.child(sub, Osci.SOAP, "Value");
            if (subValue != null) {
                String v = subValue.getTextContent().trim();
                subcode = v.substring(v.indexOf(':') + 1);
            }
        }
        Element reason = Osci.child(fault, Osci.SOAP, "Reason");
        String text = "no reason given";
        if (reason != null) {
            List<Element> texts = Osci.children(reason, Osci.SOAP, "Text");
            if (!texts.isEmpty()) {
                text = texts.get(0).getTextContent().trim();
            }
        }
        return Optional.of(new OsciFault(!"Receiver".equals(local), subcode, text));
    }

    /**
     * Verifies an answer (contract section 3): the IntermediarySignature covers exactly the ControlBlock and the Body,
     * is by {@code intermediaryCertificate} (the one the directory names) and that certificate validates for evidence
     * signatures; the ControlBlock answers this operation and carries our nonce as InResponseTo.
     *
     * @return the verified Body's operation element ({@code osci:ResponseTo<Operation>})
     * @throws AnswerRefused naming the check that failed
     */
    Element verify(OsciAnswer answer, OsciRequest request, X509Certificate intermediaryCertificate)
            throws AnswerRefused {
        VerifiedXml verified;
        try {
            verified = XmlSignatureVerifier.withExpectedSigner(policy, intermediaryCertificate)
                    .idAttributes(Osci.ID)
                    .verify(answer.envelope(), SignatureExpectation.element(Osci.CONTROL_BLOCK)
                            .andElement(Osci.BODY).signatureAt(Osci.INTERMEDIARY_SIGNATURE));
        } catch (XmlSecurityException e) {
            throw new AnswerRefused("the intermediary signature of the " + request.operation() + " answer is"
                    + " refused (" + e.reason() + "): " + e.getMessage(), e);
        }
        checkIntermediaryCertificate(intermediaryCertificate);
        Element control = verified.element(Osci.CONTROL_BLOCK);
        try {
            String operation = Osci.text(control, "Operation");
            String expected = "responseTo" + Character.toUpperCase(request.operation().charAt(0))
                    + request.operation().substring(1);
            if (!expected.equals(operation)) {
                throw new AnswerRefused("the answer's Operation is " + operation + ", not " + expected);
            }
            String inResponseTo = Osci.text(control, "InResponseTo");
            if (!request.nonce().equals(inResponseTo)) {
                throw new AnswerRefused("the answer's InResponseTo " + inResponseTo + " is not the nonce of our "
                        + request.operation() + " request (" + request.nonce() + "): an answer to another request");
            }
            List<Element> content = Osci.children(verified.element(Osci.BODY));
            String element = Character.toUpperCase(expected.charAt(0)) + expected.substring(1);
            if (content.size() != 1 || !Osci.is(content.get(0), Osci.NS, element)) {
                throw new AnswerRefused("the answer's Body does not hold exactly one osci:" + element);
            }
            return content.get(0);
        } catch (Osci.MalformedException e) {
            throw new AnswerRefused("the " + request.operation() + " answer is malformed: " + e.getMessage());
        }
    }

    /** The intermediary certificate from the directory must still be good (the PKI decides, not the directory). */
    void checkIntermediaryCertificate(X509Certificate certificate) throws AnswerRefused {
        ValidationResult v = validator.validate(certificate, List.of(), CertificateUsage.EVIDENCE_SIGNATURE,
                clock.instant());
        if (!v.valid()) {
            throw new AnswerRefused("the intermediary certificate " + certificate.getSubjectX500Principal().getName()
                    + " the directory names is not valid: " + v.status() + " (" + v.detail() + ")");
        }
    }

    private byte[] serialize(OsciRequest request) throws TransportException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            xml.serialize(request.document(), out);
        } catch (XmlSecurityException e) {
            throw new PermanentTransportException("the " + request.operation() + " request cannot be written: "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The MTOM/XOP package: the envelope as root part, then each part streamed from its spool file. */
    private static HttpRequest.BodyPublisher mtom(String boundary, byte[] envelope, List<OsciRequest.Part> parts) {
        List<byte[]> texts = new ArrayList<>();
        texts.add(("--" + boundary + CRLF + "Content-Type: application/xop+xml; charset=UTF-8;"
                + " type=\"application/soap+xml\"" + CRLF + "Content-Transfer-Encoding: binary" + CRLF
                + "Content-ID: <" + ROOT_CONTENT_ID + ">" + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII));
        long length = texts.get(0).length + envelope.length;
        List<byte[]> partHeads = new ArrayList<>();
        for (OsciRequest.Part p : parts) {
            byte[] head = (CRLF + "--" + boundary + CRLF + "Content-Type: application/octet-stream" + CRLF
                    + "Content-Transfer-Encoding: binary" + CRLF + "Content-ID: <" + p.contentId() + ">" + CRLF
                    + CRLF).getBytes(StandardCharsets.US_ASCII);
            partHeads.add(head);
            length += head.length + p.size();
        }
        byte[] end = (CRLF + "--" + boundary + "--" + CRLF).getBytes(StandardCharsets.US_ASCII);
        length += end.length;
        byte[] start = texts.get(0);
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
            List<InputStream> streams = new ArrayList<>();
            streams.add(new ByteArrayInputStream(start));
            streams.add(new ByteArrayInputStream(envelope));
            for (int i = 0; i < parts.size(); i++) {
                streams.add(new ByteArrayInputStream(partHeads.get(i)));
                Path file = parts.get(i).file();
                streams.add(new LazyFileStream(file));
            }
            streams.add(new ByteArrayInputStream(end));
            return new SequenceInputStream(Collections.enumeration(streams));
        });
        return HttpRequest.BodyPublishers.fromPublisher(stream, length);
    }

    /** Opens its file at the first read, so that a package of many parts holds one file handle at a time. */
    private static final class LazyFileStream extends InputStream {
        private final Path file;
        private InputStream in;

        LazyFileStream(Path file) {
            this.file = file;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = Files.newInputStream(file);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    Path newSpoolFile() throws TransientTransportException {
        try {
            Files.createDirectories(spool);
            return Files.createTempFile(spool, "bebpo-", ".part");
        } catch (IOException e) {
            throw new TransientTransportException("no spool file in " + spool + ": " + e.getMessage(), e);
        }
    }

    static String bare(String contentId) {
        if (contentId == null) {
            return null;
        }
        String id = contentId.trim();
        if (id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1);
        }
        if (id.startsWith("cid:")) {
            id = id.substring(4);
        }
        return id;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("spool file " + file + " cannot be deleted", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // the file is deleted by the caller; nothing more to do with a failed close of a read-only stream
            }
        }
    }

    /** An answer that does not verify: never believed, the call counts as failed for now (possibly a MITM). */
    static final class AnswerRefused extends Exception {
        AnswerRefused(String message) {
            super(message);
        }

        AnswerRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
