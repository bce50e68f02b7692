package de.amtsbote.bench.load;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load step: {@code clients} client systems, each on its own thread and connection, submit messages back to back
 * (closed loop: a client sends its next message when the gateway answered the last) until {@code maxMessages} were
 * sent or {@code maxTime} passed, whichever comes first. Measures each submission's accept latency (request sent to
 * 202 received, the message durably stored) and keeps every accepted message's id and submission time for the
 * submit-to-delivered latencies, which come from the message's evidence afterwards.
 */
final class LoadStep {

    /** An accepted message: its id and when its submission started (epoch microseconds, the gateway's clock too). */
    record Submission(String id, long submittedMicros) {
    }

    /** What a step measured. */
    record Outcome(int clients, long accepted, long refused, long failed, List<String> problems, double seconds,
                   long startedMicros, Latencies.Summary acceptLatency, List<Submission> submissions) {
        double acceptsPerSecond() {
            return seconds <= 0 ? 0 : accepted / seconds;
        }
    }

    private LoadStep() {
    }

    static Outcome run(URI api, String token, Channel channel, int clients, long maxMessages, Duration maxTime,
                       byte[] attachment, AtomicLong sequence) throws InterruptedException {
        Latencies latencies = new Latencies();
        List<Submission> submissions = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicLong sent = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] deadline = new long[1];
        for (int i = 0; i < clients; i++) {
            LoadClient client = new LoadClient(api, token);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (System.nanoTime() < deadline[0] && sent.incrementAndGet() <= maxMessages
                        && !Thread.currentThread().isInterrupted()) {
                    long n = sequence.incrementAndGet();
                    long wall = epochMicros();
                    long t0 = System.nanoTime();
                    try {
                        LoadClient.Answer a = client.submit(channel.envelope(n), "bescheid-" + n + ".pdf", attachment);
                        long took = System.nanoTime() - t0;
                        if (a.accepted()) {
                            latencies.recordNanos(took);
                            submissions.add(new Submission(a.body().path("id").asString(), wall));
                        } else {
                            refused.incrementAndGet();
                            note(problems, "HTTP " + a.status() + ": " + a.raw());
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        note(problems, e.toString());
                    }
                }
            }, "load-client-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long startedMicros = epochMicros();
        long start = System.nanoTime();
        deadline[0] = start + maxTime.toNanos();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Submission> ordered = new ArrayList<>(submissions);
        ordered.sort((a, b) -> Long.compare(a.submittedMicros(), b.submittedMicros()));
        return new Outcome(clients, ordered.size(), refused.get(), failed.get(), List.copyOf(problems), seconds,
                startedMicros, latencies.summary(), ordered);
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 5) {
            problems.add(problem.length() > 300 ? problem.substring(0, 300) + " …" : problem);
        }
    }
}
