package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.BoundedInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches CRLs and OCSP answers over HTTP (one shared {@link HttpClient}, a deadline for the whole answer, a size
 * limit) and reads CRL files. An oversized or endless answer stops at the limit instead of filling memory, a stalled
 * one at the deadline.
 */
final class RevocationFetcher {

    /** Parses what was fetched; throws on anything that is not what was asked for. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(InputStream in) throws IOException;
    }

    /** Nothing usable came back; the message says what happened, naming the source. */
    static final class FetchException extends Exception {
        FetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;
    private final long maxBytes;

    RevocationFetcher(HttpClient client, Duration requestTimeout, long maxBytes) {
        this.client = Objects.requireNonNull(client);
        this.requestTimeout = Objects.requireNonNull(requestTimeout);
        this.maxBytes = maxBytes;
    }

    <T> T get(URI uri, String accept, Parser<T> parser) throws FetchException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", accept).GET().build();
        return send(request, uri, parser);
    }

    <T> T post(URI uri, byte[] body, String contentType, String accept, Parser<T> parser) throws FetchException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Content-Type", contentType)
                .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(request, uri, parser);
    }

    /** Reads a file (a configured CRL). */
    <T> T file(Path file, Parser<T> parser) throws FetchException {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new FetchException(file.toUri() + " has " + size + " bytes, more than the limit of " + maxBytes,
                        null);
            }
            try (InputStream in = new BoundedInputStream(Files.newInputStream(file), maxBytes, "the CRL file " + file, true)) {
                return parser.parse(in);
            }
        } catch (NoSuchFileException e) {
            throw new FetchException(file.toUri() + " does not exist", e);
        } catch (IOException | RuntimeException e) {
            throw new FetchException("cannot read " + file.toUri() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends and reads the whole answer within the request timeout. The HTTP client's own timeout ends when the
     * headers arrive; the deadline here also covers a body that trickles or stalls.
     */
    private <T> T send(HttpRequest request, URI uri, Parser<T> parser) throws FetchException {
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> info.statusCode() == 200
                ? new LimitedBody(maxBytes, uri, info.headers().firstValueAsLong("Content-Length").orElse(-1))
                : HttpResponse.BodySubscribers.replacing(null));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new FetchException("no answer from " + uri + " within " + requestTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new FetchException("no answer from " + uri + " within " + requestTimeout.toMillis() + " ms",
                        cause);
            }
            if (cause instanceof ConnectException) {
                throw new FetchException("cannot connect to " + uri + " (" + describe(cause) + ")", cause);
            }
            throw new FetchException("HTTP request to " + uri + " failed (" + describe(cause) + ")", cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted while asking " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new FetchException(uri + " answered HTTP " + response.statusCode(), null);
        }
        try {
            return parser.parse(new ByteArrayInputStream(response.body()));
        } catch (IOException | RuntimeException e) {
            // RuntimeException: Bouncy Castle's parsers throw IllegalArgumentException and friends on bad ASN.1.
            throw new FetchException("unusable answer from " + uri + ": " + describe(e), e);
        }
    }

    /** Collects a body up to a limit; beyond it, or when the announced length is beyond it, the exchange fails. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final long limit;
        private final URI source;
        private final long announced;
        private Flow.Subscription subscription;

        LimitedBody(long limit, URI source, long announced) {
            this.limit = limit;
            this.source = source;
            this.announced = announced;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (announced > limit) {
                s.cancel();
                result.completeExceptionally(tooLarge());
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if (body.size() + (long) b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(tooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                body.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }

        private IOException tooLarge() {
            return new IOException("the answer from " + source + " is larger than the limit of " + limit + " bytes");
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

}
