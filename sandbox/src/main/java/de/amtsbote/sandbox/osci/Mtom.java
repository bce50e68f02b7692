package de.amtsbote.sandbox.osci;

import jakarta.activation.DataSource;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SOAP 1.2 messages on the wire: plain {@code application/soap+xml}, or an MTOM/XOP package
 * ({@code multipart/related; type="application/xop+xml"}) whose attachment parts carry the encrypted attachment
 * bytes, referenced by {@code cid:}. Packages are read from a spooled file (Jakarta Mail over a
 * {@link SharedFileInputStream}, so parts are views of the file, never copied into memory) and written from files.
 */
final class Mtom {

    static final String SOAP_XML = "application/soap+xml";
    private static final String ROOT_ID = "root.message@osci";

    private Mtom() {
    }

    /** One outgoing attachment part: its Content-ID (without brackets) and the file holding its bytes. */
    record Part(String contentId, Path file) {
    }

    // ------------------------------------------------------------------ reading

    /** A received message: the envelope's bytes and the attachment parts by Content-ID. Close to release the file. */
    static final class Received implements AutoCloseable {
        private final SharedFileInputStream file;
        private final InputStream envelope;
        private final Map<String, MimeBodyPart> parts;

        private Received(SharedFileInputStream file, InputStream envelope, Map<String, MimeBodyPart> parts) {
            this.file = file;
            this.envelope = envelope;
            this.parts = parts;
        }

        InputStream envelope() {
            return envelope;
        }

        Map<String, MimeBodyPart> parts() {
            return parts;
        }

        /** The decoded bytes of the part with this Content-ID, as a stream over the spooled file. */
        InputStream open(String contentId) throws IOException {
            MimeBodyPart p = parts.get(contentId);
            if (p == null) {
                throw new IOException("no MIME part with Content-ID <" + contentId + ">");
            }
            try {
                return p.getInputStream();
            } catch (MessagingException e) {
                throw new IOException("MIME part <" + contentId + "> cannot be read: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /**
     * Reads a spooled message of this Content-Type.
     *
     * @throws OsciFaultException Malformed for another content type or a broken package
     */
    static Received read(Path spool, String contentType) throws IOException, OsciFaultException {
        if (contentType == null) {
            throw OsciFaultException.malformed("the request has no Content-Type");
        }
        ContentType type;
        try {
            type = new ContentType(contentType);
        } catch (jakarta.mail.internet.ParseException e) {
            throw OsciFaultException.malformed("Content-Type '" + contentType + "' cannot be parsed");
        }
        SharedFileInputStream file = new SharedFileInputStream(spool.toFile());
        try {
            if (type.match(SOAP_XML)) {
                return new Received(file, file.newStream(0, -1), Map.of());
            }
            if (!type.match("multipart/related") || type.getParameter("boundary") == null) {
                throw OsciFaultException.malformed("Content-Type " + type.getBaseType() + " is neither "
                        + SOAP_XML + " nor an MTOM package (multipart/related)");
            }
            MimeMultipart multipart = new MimeMultipart(new SpoolSource(file, contentType));
            String start = type.getParameter("start");
            MimeBodyPart root = null;
            Map<String, MimeBodyPart> parts = new LinkedHashMap<>();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart b = multipart.getBodyPart(i);
                MimeBodyPart p = (MimeBodyPart) b;
                String id = bare(p.getContentID());
                boolean isRoot = start != null ? bare(start).equals(id) : i == 0;
                if (isRoot) {
                    root = p;
                } else if (id == null) {
                    throw OsciFaultException.malformed("MIME part " + (i + 1) + " has no Content-ID");
                } else if (parts.put(id, p) != null) {
                    throw OsciFaultException.malformed("Content-ID <" + id + "> occurs twice");
                }
            }
            if (root == null) {
                throw OsciFaultException.malformed("the MTOM package has no root part" + (start == null ? ""
                        : " <" + bare(start) + ">"));
            }
            return new Received(file, root.getInputStream(), parts);
        } catch (MessagingException e) {
            file.close();
            throw OsciFaultException.malformed("the MTOM package cannot be parsed: " + e.getMessage());
        } catch (IOException | OsciFaultException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    static String bare(String contentId) {
        if (contentId == null) {
            return null;
        }
        String s = contentId.trim();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** The Content-ID an {@code xop:Include href="cid:..."} refers to (URL-decoded per RFC 2392). */
    static String contentIdOf(String href) throws OsciFaultException {
        if (href == null || !href.startsWith("cid:") || href.length() == 4) {
            throw OsciFaultException.malformed("xop:Include href '" + href + "' is not a cid: URL");
        }
        return java.net.URLDecoder.decode(href.substring(4), StandardCharsets.UTF_8);
    }

    private record SpoolSource(SharedFileInputStream file, String contentType) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return file.newStream(0, -1);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read only");
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return "spool";
        }
    }

    // ------------------------------------------------------------------ writing

    /** A message to send: the envelope and, if any, attachment parts streamed from their files. */
    static final class Outgoing {
        private final byte[] envelope;
        private final List<Part> parts;
        private final String boundary = "osci-" + UUID.randomUUID();

        Outgoing(byte[] envelope, List<Part> parts) {
            this.envelope = envelope;
            this.parts = List.copyOf(parts);
        }

        String contentType() {
            if (parts.isEmpty()) {
                return SOAP_XML + "; charset=utf-8";
            }
            return "multipart/related; type=\"application/xop+xml\"; start=\"<" + ROOT_ID + ">\"; start-info=\""
                    + SOAP_XML + "\"; boundary=\"" + boundary + "\"";
        }

        /** The whole body as one stream, attachment files opened only when reached. */
        InputStream open() {
            if (parts.isEmpty()) {
                return new ByteArrayInputStream(envelope);
            }
            List<Object> pieces = new ArrayList<>();
            pieces.add(("--" + boundary + "\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"" + SOAP_XML
                    + "\"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <" + ROOT_ID + ">\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            pieces.add(envelope);
            for (Part p : parts) {
                pieces.add(("\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Transfer-Encoding: binary\r\nContent-ID: <" + p.contentId() + ">\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                pieces.add(p.file());
            }
            pieces.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            Iterator<Object> it = pieces.iterator();
            return new SequenceInputStream(Collections.enumeration(new LazyList(it)));
        }

        void writeTo(OutputStream out) throws IOException {
            try (InputStream in = open()) {
                Osci.copy(in, out, null);
            }
        }
    }

    /** Opens each piece (bytes or a file) only when the SequenceInputStream reaches it. */
    private static final class LazyList extends java.util.AbstractList<InputStream> {
        private final List<Object> pieces = new ArrayList<>();

        LazyList(Iterator<Object> it) {
            it.forEachRemaining(pieces::add);
        }

        @Override
        public InputStream get(int index) {
            Object piece = pieces.get(index);
            if (piece instanceof byte[] bytes) {
                return new ByteArrayInputStream(bytes);
            }
            try {
                return Files.newInputStream((Path) piece);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the attachment file " + piece, e);
            }
        }

        @Override
        public int size() {
            return pieces.size();
        }

        @Override
        public Iterator<InputStream> iterator() {
            Iterator<Object> it = pieces.iterator();
            return new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < pieces.size();
                }

                @Override
                public InputStream next() {
                    return get(i++);
                }
            };
        }
    }
}
