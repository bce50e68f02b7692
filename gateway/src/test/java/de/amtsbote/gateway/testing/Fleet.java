package de.amtsbote.gateway.testing;

import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the cross-process tests share: the settings of every gateway process, a submitter that spreads messages
 * over nodes and resubmits with the same Idempotency-Key when a node does not answer, and result reports under
 * {@code target/it-reports/}.
 */
public final class Fleet {

    public static final String CLIENT_TOKEN = "it-client-" + UUID.randomUUID();
    public static final String MONITORING_TOKEN = "it-monitoring-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Fleet() {
    }

    /** One gateway's settings: participants, clients, the loopback channel to {@code peer}, storage. */
    public static Map<String, String> settings(String nodeId, Path storage, LoopbackPeer peer) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("amtsbote.node-id", nodeId);
        s.put("amtsbote.storage.directory", storage.toString());
        s.put("amtsbote.participants[0].id", "stadt-bad-vilbel");
        s.put("amtsbote.participants[0].own", "true");
        s.put("amtsbote.participants[0].addresses[0]", "loopback:stadt-bad-vilbel@gateway");
        s.put("amtsbote.participants[1].id", "kreis-bergstrasse");
        s.put("amtsbote.participants[1].addresses[0]", "loopback:poststelle@loopback.example");
        s.put("amtsbote.clients[0].id", "it-client");
        s.put("amtsbote.clients[0].token-sha256", ClientRegistry.digestOf(CLIENT_TOKEN));
        s.put("amtsbote.clients[0].participants[0]", "stadt-bad-vilbel");
        s.put("amtsbote.clients[1].id", "it-monitoring");
        s.put("amtsbote.clients[1].token-sha256", ClientRegistry.digestOf(MONITORING_TOKEN));
        s.put("amtsbote.clients[1].roles[0]", "MONITORING");
        s.put("amtsbote.channels.loopback.endpoint", peer.baseUri().toString());
        s.put("amtsbote.channels.loopback.domain", "loopback.example");
        s.put("amtsbote.dispatch.initial-backoff", "200ms");
        s.put("amtsbote.dispatch.max-backoff", "2s");
        s.put("amtsbote.outbox.poll-interval", "200ms");
        s.put("logging.level.de.amtsbote", "INFO");
        return s;
    }

    /** A message of the load tests: one recipient on the loopback peer, a small attachment. */
    public static Multipart message(int i) {
        return new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"],
                 "subject": "Bescheid Nr. %d", "body": "Lasttest", "reference": "IT-%d",
                 "options": {"sign": false, "encrypt": false}}""".formatted(i, i))
                .attachment("bescheid-" + i + ".pdf", "application/pdf",
                        ("%PDF-1.7 Bescheid " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The outcome of submitting many messages. */
    public record Submitted(Map<String, String> idByKey, int accepted, int replayed, int resubmissions, Duration took) {
    }

    /**
     * Submits {@code count} messages with {@code threads} clients, message i to node i mod n first. A request that
     * gets no answer (node killed, connection refused) is sent again, with the same key, to the next node, until
     * {@code patience} is used up; so an accepted message is never submitted twice under another key.
     */
    public static Submitted submit(List<URI> nodes, int count, int threads, IntFunction<Multipart> message,
                                   Duration patience) {
        Map<String, String> idByKey = new ConcurrentHashMap<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger resubmissions = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<ApiClient> clients = nodes.stream().map(node -> new ApiClient(node, CLIENT_TOKEN)).toList();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    String key = "it-" + n + "-" + UUID.randomUUID();
                    long deadline = System.nanoTime() + patience.toNanos();
                    for (int attempt = 0; ; attempt++) {
                        ApiClient client = clients.get((n + attempt) % clients.size());
                        try {
                            ApiClient.Response r = client.submit(message.apply(n), key);
                            if (r.status() != 202 && r.status() != 200) {
                                throw new AssertionError("submission " + n + " refused: " + r);
                            }
                            (r.status() == 202 ? accepted : replayed).incrementAndGet();
                            idByKey.put(key, r.json().get("id").asString());
                            return;
                        } catch (UncheckedIOException e) {
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("submission " + n + " got no answer within " + patience, e);
                            }
                            resubmissions.incrementAndGet();
                            sleep(300);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError("submitting failed", e);
        } finally {
            pool.shutdownNow();
        }
        return new Submitted(Map.copyOf(idByKey), accepted.get(), replayed.get(), resubmissions.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * {@link #submit} on a thread of its own, for tests that do something else meanwhile. Not on the common
     * fork-join pool: a submitter blocking there starves the JDK's HttpClient, which completes its futures on that
     * pool (seen on JDK 25 with two cores, where the pool has a single worker).
     */
    public static java.util.concurrent.CompletableFuture<Submitted> submitInBackground(List<URI> nodes, int count,
            int threads, IntFunction<Multipart> message, Duration patience) {
        ExecutorService own = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "submitter");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.CompletableFuture<Submitted> submitted = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> submit(nodes, count, threads, message, patience), own);
        submitted.whenComplete((r, e) -> own.shutdown());
        return submitted;
    }

    /**
     * Waits until {@code done} holds, but fails at once if the submitter failed (its exception is the cause), and
     * after {@code timeout} otherwise: a test must never wait for progress that can no longer come.
     */
    public static void awaitWhileSubmitting(String what, java.util.function.BooleanSupplier done,
                                            java.util.concurrent.CompletableFuture<?> submitting, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (submitting.isCompletedExceptionally()) {
                submitting.join(); // throws the submitter's failure
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            sleep(5);
        }
    }

    /** Writes a result for the test report and prints it. */
    public static void report(String name, Map<String, Object> figures) {
        try {
            Path dir = Path.of("target", "it-reports");
            Files.createDirectories(dir);
            String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures);
            Files.writeString(dir.resolve(name + ".json"), json);
            System.out.println("[" + name + "] " + json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes a directory tree (test output of gigabytes must not pile up in /tmp). */
    public static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    public static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> figures(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static final Duration MINUTE = Duration.ofMinutes(1);
}
