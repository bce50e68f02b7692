package de.amtsbote.gateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client system talking to the gateway's REST API over real HTTP. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public ApiClient withToken(String otherToken) {
        return new ApiClient(base, otherToken);
    }

    /** Submits with a fresh Idempotency-Key. */
    public Response submit(Multipart body) {
        return submit(body, UUID.randomUUID().toString());
    }

    public Response submit(Multipart body, String idempotencyKey) {
        HttpRequest.Builder request = request("/api/v1/messages").header("Content-Type", body.contentType())
                .POST(body.publisher());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(DEADLINE);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Sends with a hard deadline: the JDK client's own timeout does not cover every state it can wait in. */
    public Response send(HttpRequest request) {
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> call =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> r = call.get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("Location").orElse(null), r.body());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new java.io.UncheckedIOException(request.method() + " " + request.uri() + " failed",
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel(true);
            throw new java.io.UncheckedIOException(new java.net.http.HttpTimeoutException(request.method() + " "
                    + request.uri() + " got no answer within " + DEADLINE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An answer, with its body as JSON where it is JSON. */
    public record Response(int status, String contentType, String location, byte[] body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + text();
        }
    }
}
