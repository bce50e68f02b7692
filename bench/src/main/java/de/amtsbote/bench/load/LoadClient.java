package de.amtsbote.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One client system on the gateway's REST API, as a Fachverfahren would be: its own HTTP/1.1 connection, a bearer
 * token, {@code POST /api/v1/messages} (multipart, envelope first, one attachment) with an Idempotency-Key, and
 * {@code GET /api/v1/messages/{id}}. The attachment is a few KiB held in memory, which is what a load client may do.
 */
final class LoadClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** An answer: status and body. */
    record Answer(int status, JsonNode body, String raw) {
        boolean accepted() {
            return status == 202 || status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    LoadClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Submits one message with a fresh Idempotency-Key. */
    Answer submit(String envelope, String fileName, byte[] attachment) {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] body = multipart(boundary, envelope, fileName, attachment);
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/messages")).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Answer message(String id) {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/messages/" + id)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String raw = new String(r.body(), StandardCharsets.UTF_8);
            if (r.body().length > 0 && raw.startsWith("{")) {
                json = JSON.readTree(r.body());
            }
            return new Answer(r.statusCode(), json, raw);
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway at " + base + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static byte[] multipart(String boundary, String envelope, String fileName, byte[] attachment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(attachment.length + envelope.length() + 512);
        ascii(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"envelope\"\r\n"
                + "Content-Type: application/json\r\n\r\n");
        out.writeBytes(envelope.getBytes(StandardCharsets.UTF_8));
        ascii(out, "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/pdf\r\n\r\n");
        out.writeBytes(attachment);
        ascii(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
