package de.amtsbote.sandbox.loopback;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A plain HTTP client for the peer's protocol, as a test would be one of its clients. Deliberately independent of
 * the adapter: it speaks the protocol note, nothing else.
 */
final class PeerClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    PeerClient(URI base) {
        this.base = base;
    }

    /** One part of a delivery; content is opened when sent. */
    record Part(String name, String mediaType, long size, Supplier<InputStream> content) {
        static Part of(String name, String mediaType, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return new Part(name, mediaType, bytes.length, () -> new ByteArrayInputStream(bytes));
        }
    }

    /** A delivery request; headers can be changed or removed to provoke refusals. */
    final class Delivery {
        private final String mailbox;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<Part> parts = new ArrayList<>();
        private Long bodyBytes;

        Delivery(String mailbox, String deliveryId) {
            this.mailbox = mailbox;
            headers.put("X-Delivery-Id", deliveryId);
            headers.put("X-Message-Id", "msg-" + deliveryId);
            headers.put("X-Attempt", "1");
            headers.put("X-Node", "node-a");
            headers.put("X-Sender", "stadt-bad-vilbel@gateway");
            headers.put("X-Subject", encode("Bescheid"));
        }

        Delivery header(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        Delivery part(Part part) {
            parts.add(part);
            return this;
        }

        Delivery body(String text) {
            return part(Part.of("body.txt", "text/plain; charset=UTF-8", text));
        }

        /**
         * Sends this many body bytes instead of the sum of the parts' sizes (the parts are cut or padded), chunked,
         * so that only the body itself, not a Content-Length header, disagrees with X-Parts.
         */
        Delivery actualBodyBytes(long bytes) {
            this.bodyBytes = bytes;
            return this;
        }

        HttpResponse<String> send() {
            List<String> layout = new ArrayList<>();
            long declared = 0;
            for (Part part : parts) {
                layout.add(encode(part.name()) + ";" + encode(part.mediaType()) + ";" + part.size());
                declared += part.size();
            }
            long length = bodyBytes == null ? declared : bodyBytes;
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> body(length));
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/mailboxes/" + mailbox + "/messages"))
                    .header("Content-Type", "application/octet-stream")
                    .header("X-Parts", String.join(",", layout))
                    .POST(bodyBytes == null ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream);
            headers.forEach(request::header);
            return PeerClient.this.send(request);
        }

        private InputStream body(long length) {
            List<InputStream> streams = new ArrayList<>();
            for (Part part : parts) {
                streams.add(part.content().get());
            }
            // padding for "longer than declared"; the cut for "shorter" comes from the limit below
            streams.add(new ByteArrayInputStream(new byte[1024]));
            InputStream all = new SequenceInputStream(Collections.enumeration(streams));
            return new LimitedInputStream(all, length);
        }
    }

    Delivery delivery(String mailbox, String deliveryId) {
        return new Delivery(mailbox, deliveryId);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return PeerJson.MAPPER.readTree(response.body());
    }

    /** RFC 3986 percent-encoding of UTF-8, as the protocol note describes it. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Stops after {@code limit} bytes. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
