package de.amtsbote.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything one load run measured, as written to {@code bench/results/load-<mode>.json}. Times in seconds, latencies
 * in milliseconds, memory in MiB, rates per second.
 */
record LoadResults(String benchmark, String mode, String started, double seconds, Map<String, Object> machine,
                   String command, String postgres, Map<String, Object> settings, CryptoCeiling.Rates ceiling,
                   List<Headline> headline, List<StepResult> steps, List<DispatchRound> dispatch,
                   List<NodeStart> starts, List<MemorySampler.Sample> memory,
                   Map<String, JfrProfile.HotMethods> profiles, List<String> notes) {

    /** One load step: a database, a channel, a number of clients. */
    record StepResult(String database, String channel, int clients, long accepted, long refused, long failed,
                      double seconds, double acceptsPerSecond, Latencies.Summary acceptLatency,
                      DeliveryTimes.Outcome deliveries, List<String> problems) {
    }

    /**
     * One round of the node-count comparison: {@code messages} accepted while no node dispatched, then drained by
     * {@code nodes} nodes. {@code steadyPerSecond} is the rate between 10 % and 90 % delivered.
     */
    record DispatchRound(int nodes, int messages, double preloadSeconds, long deliveredDuringPreload, double seconds,
                         double deliveriesPerSecond, double steadyPerSecond, Map<String, Long> byNode,
                         boolean complete) {
    }

    /** How long a gateway process took from its start to answering UP. */
    record NodeStart(String node, String database, double seconds) {
    }

    /**
     * The figures the report leads with, per database and channel: the best accept rate over the client counts
     * (with its latencies), the best end-to-end delivery rate, and for S/MIME that rate as a fraction of the raw
     * crypto ceiling (one thread, and all cores).
     */
    record Headline(String database, String channel, double acceptsPerSecond, int atClients, double acceptP50Ms,
                    double acceptP99Ms, double deliveredPerSecond, int deliveredAtClients,
                    double ofCeilingOneThread, double ofCeilingAllCores) {
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    String toJson() {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson());
    }

    /** The headline rows from the steps. */
    static List<Headline> headline(List<StepResult> steps, CryptoCeiling.Rates ceiling) {
        return steps.stream().map(s -> s.database() + "/" + s.channel()).distinct().map(key -> {
            List<StepResult> of = steps.stream().filter(s -> key.equals(s.database() + "/" + s.channel())).toList();
            StepResult accepts = of.stream().max((a, b) -> Double.compare(a.acceptsPerSecond(), b.acceptsPerSecond()))
                    .orElseThrow();
            StepResult delivered = of.stream().max((a, b) -> Double.compare(a.deliveries().deliveriesPerSecond(),
                    b.deliveries().deliveriesPerSecond())).orElseThrow();
            double rate = delivered.deliveries().deliveriesPerSecond();
            boolean smime = accepts.channel().equals(Channel.SMIME.id());
            return new Headline(accepts.database(), accepts.channel(), accepts.acceptsPerSecond(), accepts.clients(),
                    accepts.acceptLatency().p50Ms(), accepts.acceptLatency().p99Ms(), rate, delivered.clients(),
                    smime && ceiling != null && ceiling.singleThread() > 0 ? rate / ceiling.singleThread() : 0,
                    smime && ceiling != null && ceiling.allThreads() > 0 ? rate / ceiling.allThreads() : 0);
        }).toList();
    }
}
