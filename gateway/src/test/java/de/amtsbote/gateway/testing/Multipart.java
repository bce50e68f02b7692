package de.amtsbote.gateway.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Builds a {@code multipart/form-data} request body as a stream, so tests can send parts of any size without
 * holding them in memory.
 */
public final class Multipart {

    private final String boundary = "amtsbote-" + UUID.randomUUID();
    private final List<Supplier<InputStream>> pieces = new ArrayList<>();
    private long length;

    public Multipart envelope(String json) {
        return part("envelope", null, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public Multipart attachment(String fileName, String mediaType, byte[] content) {
        return part("attachment", fileName, mediaType, content);
    }

    public Multipart part(String name, String fileName, String mediaType, byte[] content) {
        return part(name, fileName, mediaType, content.length, () -> new ByteArrayInputStream(content));
    }

    /** A part whose content is produced as a stream of the given length. */
    public Multipart part(String name, String fileName, String mediaType, long size, Supplier<InputStream> content) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (fileName != null) {
            head.append("; filename=\"").append(fileName).append('"');
        }
        head.append("\r\n");
        if (mediaType != null) {
            head.append("Content-Type: ").append(mediaType).append("\r\n");
        }
        head.append("\r\n");
        add(head.toString().getBytes(StandardCharsets.UTF_8));
        pieces.add(content);
        length += size;
        add("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public long length() {
        return length + ("--" + boundary + "--\r\n").length();
    }

    /** The body with a Content-Length. */
    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(this::stream), length());
    }

    public InputStream stream() {
        List<InputStream> streams = new ArrayList<>();
        for (Supplier<InputStream> piece : pieces) {
            streams.add(piece.get());
        }
        streams.add(new ByteArrayInputStream(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    private void add(byte[] bytes) {
        pieces.add(() -> new ByteArrayInputStream(bytes));
        length += bytes.length;
    }
}
