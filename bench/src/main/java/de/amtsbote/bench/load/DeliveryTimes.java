package de.amtsbote.bench.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Submit-to-sent and submit-to-delivered latencies of a step's messages, from their evidence: every state change
 * writes an evidence document with the gateway's time of it (microseconds, the machine's clock, which the client's
 * submission times come from too), so nothing needs to be watched while the load runs. Waits until the sampled
 * messages are done — in submission order, so it asks about one message at a time and mostly about finished ones —
 * which also lets the backlog drain before the next step starts.
 */
final class DeliveryTimes {

    /** What the evidence of the sampled messages says. */
    record Outcome(int sampled, int delivered, int failed, int unfinished, Latencies.Summary submitToSent,
                   Latencies.Summary submitToDelivered, double drainSeconds, double deliveriesPerSecond,
                   List<String> problems) {
    }

    private DeliveryTimes() {
    }

    /**
     * Picks up to {@code sampleSize} messages spread evenly over the step (always its last few) and waits up to
     * {@code patience} for them.
     */
    static Outcome collect(LoadClient client, LoadStep.Outcome step, int sampleSize, Duration patience)
            throws InterruptedException {
        List<LoadStep.Submission> sample = sample(step.submissions(), sampleSize);
        Latencies sent = new Latencies();
        Latencies delivered = new Latencies();
        List<String> problems = new ArrayList<>();
        long stepEnd = step.startedMicros() + (long) (step.seconds() * 1e6);
        long lastDone = 0;
        int done = 0;
        int failed = 0;
        long deadline = System.nanoTime() + patience.toNanos();
        int next = 0;
        while (next < sample.size() && System.nanoTime() < deadline) {
            LoadStep.Submission s = sample.get(next);
            LoadClient.Answer a;
            try {
                a = client.message(s.id());
            } catch (RuntimeException e) {
                Thread.sleep(200);
                continue;
            }
            JsonNode delivery = a.body() == null ? null : a.body().path("deliveries").path(0);
            String state = delivery == null ? "?" : delivery.path("state").asString();
            if (state.equals("DELIVERED") || state.equals("RETRIEVED")) {
                long at = eventTime(a.body(), Channel.DELIVERED_EVENT, "Retrieval");
                delivered.recordMicros(at - s.submittedMicros());
                long relay = eventTime(a.body(), Channel.SENT_EVENT);
                if (relay > 0) {
                    sent.recordMicros(relay - s.submittedMicros());
                }
                lastDone = Math.max(lastDone, at);
                done++;
                next++;
            } else if (state.equals("FAILED") || state.equals("EXPIRED")) {
                failed++;
                if (problems.size() < 5) {
                    problems.add(s.id() + " " + state + ": " + delivery.path("lastError").asString());
                }
                next++;
            } else {
                Thread.sleep(100);
            }
        }
        if (next < sample.size()) {
            problems.add(describe(client, sample.get(next).id(), "unfinished after " + patience.toSeconds() + " s"));
        }
        double drain = lastDone == 0 ? 0 : Math.max(0, lastDone - stepEnd) / 1e6;
        double window = lastDone == 0 ? 0 : (lastDone - step.startedMicros()) / 1e6;
        double rate = window <= 0 || next < sample.size() ? 0 : step.accepted() / window;
        return new Outcome(sample.size(), done, failed, sample.size() - next, sent.summary(), delivered.summary(),
                drain, rate, problems);
    }

    /** One message's delivery as the gateway shows it, for a problem report. */
    static String describe(LoadClient client, String id, String what) {
        try {
            JsonNode d = client.message(id).body().path("deliveries").path(0);
            return id + " " + what + ": " + d.path("state").asString() + ", attempts " + d.path("attempts").asInt()
                    + (d.path("lastError").isNull() || d.path("lastError").isMissingNode() ? ""
                    : ", last error: " + d.path("lastError").asString());
        } catch (RuntimeException e) {
            return id + " " + what + " (its state could not be read: " + e + ")";
        }
    }

    /**
     * Waits until the step's last messages are RETRIEVED (for S/MIME: the peer's displayed MDN arrived and was
     * applied), so that no receipt of this gateway's messages is still on its way when the next gateway starts.
     */
    static void awaitRetrieved(LoadClient client, LoadStep.Outcome step, Duration patience)
            throws InterruptedException {
        List<LoadStep.Submission> all = step.submissions();
        long deadline = System.nanoTime() + patience.toNanos();
        for (LoadStep.Submission s : all.subList(Math.max(0, all.size() - 5), all.size())) {
            while (System.nanoTime() < deadline) {
                try {
                    LoadClient.Answer a = client.message(s.id());
                    String state = a.body() == null ? "?" : a.body().path("deliveries").path(0).path("state").asString();
                    if (!state.equals("DELIVERED") && !state.equals("SENT") && !state.equals("DISPATCHING")
                            && !state.equals("ACCEPTED")) {
                        break;
                    }
                } catch (RuntimeException e) {
                    // the gateway is busy; ask again
                }
                Thread.sleep(100);
            }
        }
    }

    /** Up to {@code size} submissions evenly spread, in submission order, always including the last five. */
    static List<LoadStep.Submission> sample(List<LoadStep.Submission> all, int size) {
        if (all.size() <= size) {
            return all;
        }
        Set<LoadStep.Submission> picked = new LinkedHashSet<>();
        int spread = Math.max(1, size - 5);
        for (int i = 0; i < spread; i++) {
            picked.add(all.get((int) ((long) i * all.size() / spread)));
        }
        for (int i = Math.max(0, all.size() - 5); i < all.size(); i++) {
            picked.add(all.get(i));
        }
        List<LoadStep.Submission> ordered = new ArrayList<>(picked);
        ordered.sort((a, b) -> Long.compare(a.submittedMicros(), b.submittedMicros()));
        return ordered;
    }

    /** The time (epoch µs) of the first evidence with one of the events, or 0. */
    static long eventTime(JsonNode message, String... events) {
        for (String event : events) {
            for (JsonNode e : message.path("evidence")) {
                if (event.equals(e.path("event").asString())) {
                    Instant t = Instant.parse(e.path("time").asString());
                    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
                }
            }
        }
        return 0;
    }
}
