package de.amtsbote.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's REST API as the CLI uses it. Files are streamed, never read into memory. */
final class GatewayApi {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String token;

    GatewayApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** An answer: its status and its JSON body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem document's detail, or the status. */
        String problem() {
            return body != null && body.has("detail") ? body.get("detail").asString() : "HTTP " + status;
        }

        /** The problem document's {@code reason} member (a stable name such as {@code EXPIRED}), or null. */
        String reason() {
            return body != null && body.hasNonNull("reason") ? body.get("reason").asString() : null;
        }
    }

    Answer submit(String envelopeJson, List<Path> attachments, String idempotencyKey) {
        String boundary = "amtsbote-cli-" + UUID.randomUUID();
        List<InputStream> parts = new ArrayList<>();
        long length = 0;
        byte[] head = partHead(boundary, "envelope", null, "application/json");
        byte[] envelope = envelopeJson.getBytes(StandardCharsets.UTF_8);
        parts.add(new ByteArrayInputStream(head));
        parts.add(new ByteArrayInputStream(envelope));
        parts.add(new ByteArrayInputStream(CRLF));
        length += head.length + envelope.length + CRLF.length;
        try {
            for (Path file : attachments) {
                String type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
                byte[] fileHead = partHead(boundary, "attachment", file.getFileName().toString(),
                        type == null ? "application/octet-stream" : type);
                parts.add(new ByteArrayInputStream(fileHead));
                parts.add(Files.newInputStream(file));
                parts.add(new ByteArrayInputStream(CRLF));
                length += fileHead.length + Files.size(file) + CRLF.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attachment", e);
        }
        byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        parts.add(new ByteArrayInputStream(end));
        length += end.length;
        InputStream body = new SequenceInputStream(Collections.enumeration(parts));
        return send(request("/api/v1/messages")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                        length))
                .build());
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    /** Posts a small body (a PEM file, a JSON document) of the given content type. */
    Answer post(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Answer delete(String path) {
        return send(request(path).DELETE().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(30))
                .header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = r.body().length == 0 ? null : JSON.readTree(r.body());
            return new Answer(r.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway at " + base + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static byte[] partHead(String boundary, String name, String fileName, String type) {
        String disposition = "form-data; name=\"" + name + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName.replace("\"", "%22") + "\"");
        return ("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\nContent-Type: " + type
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
