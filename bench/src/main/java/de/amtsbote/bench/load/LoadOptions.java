package de.amtsbote.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code ./amtsbote bench load}. {@code --quick} (the default; about two minutes) and {@code --full}
 * (for releases) set every figure; any of them can be given explicitly after the mode.
 *
 * @param mode             "quick" or "full"
 * @param clients          client counts of the load steps, each a step of its own
 * @param stepSeconds      a step ends after this time …
 * @param stepMessages     … or after this many submissions, whichever comes first
 * @param warmupSeconds    load before the steps of each database and channel, not reported (the gateway's JIT)
 * @param dispatchMessages messages preloaded for each round of the node-count comparison
 * @param nodes            node counts of the dispatch comparison (at most 3)
 * @param sample           messages per step whose evidence gives the submit-to-delivered latencies
 * @param drainSeconds     how long a step's deliveries may take after it to finish
 * @param anchorSeconds    measuring time of the raw-crypto anchor (each of one thread and all cores)
 * @param attachmentBytes  the attachment of every message
 * @param sampleMillis     heap and RSS sampling interval
 * @param gatewayHeap      the gateway's -Xmx
 * @param gatewayJar       the exec jar, or null to look in gateway/target
 * @param out              JSON and Markdown results
 * @param charts           PNG charts
 * @param profile          record JFR on the gateway during the busiest step of each phase and print hot methods
 */
record LoadOptions(String mode, List<Integer> clients, int stepSeconds, long stepMessages, int warmupSeconds,
                   int dispatchMessages, List<Integer> nodes, List<Channel> channels, List<String> databases,
                   String postgres, int sample, int drainSeconds, int anchorSeconds, int attachmentBytes,
                   int sampleMillis, String gatewayHeap, Path gatewayJar, Path out, Path charts, boolean profile) {

    static final String USAGE = """
            load [--quick|--full] [--clients 1,2,4] [--step-seconds N] [--step-messages N] [--warmup-seconds N]
                 [--dispatch-messages N] [--nodes 1,2,3] [--channels loopback,smime] [--databases h2,postgres]
                 [--postgres auto|server|embedded] [--sample N] [--drain-seconds N] [--anchor-seconds N]
                 [--attachment-bytes N] [--sample-millis N] [--gateway-heap 512m] [--gateway-jar FILE]
                 [--out DIR] [--charts DIR] [--profile]""";

    private static final Set<String> FLAGS = Set.of("--quick", "--full", "--profile");

    LoadOptions {
        if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1 || c > 512)) {
            throw new IllegalArgumentException("--clients: 1 to 512 each, got " + clients);
        }
        if (nodes.stream().anyMatch(n -> n < 1 || n > 3)) {
            throw new IllegalArgumentException("--nodes: 1, 2 or 3 each, got " + nodes);
        }
        for (String db : databases) {
            if (!db.equals("h2") && !db.equals("postgres")) {
                throw new IllegalArgumentException("--databases: h2 and/or postgres, got " + db);
            }
        }
        if (!nodes.isEmpty() && !databases.contains("postgres")) {
            throw new IllegalArgumentException("the node-count comparison (--nodes) needs --databases with postgres;"
                    + " give --nodes '' to leave it out");
        }
        if (!Set.of("auto", "server", "embedded").contains(postgres)) {
            throw new IllegalArgumentException("--postgres: auto, server or embedded, got " + postgres);
        }
        if (stepSeconds < 1 || stepMessages < 1 || sample < 1 || attachmentBytes < 0 || sampleMillis < 50
                || drainSeconds < 1 || anchorSeconds < 1 || warmupSeconds < 0 || dispatchMessages < 1) {
            throw new IllegalArgumentException("a count or time option is out of range");
        }
        clients = List.copyOf(clients);
        nodes = List.copyOf(nodes);
        channels = List.copyOf(channels);
        databases = List.copyOf(databases);
    }

    static LoadOptions parse(String... args) {
        boolean full = false;
        boolean profile = false;
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (FLAGS.contains(a)) {
                full |= a.equals("--full");
                full &= !a.equals("--quick");
                profile |= a.equals("--profile");
            } else if (a.startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
        }
        Map<String, String> left = new LinkedHashMap<>(values);
        LoadOptions o = new LoadOptions(full ? "full" : "quick",
                ints(take(left, "--clients", full ? "1,2,4,8,16,32" : "1,4")),
                Integer.parseInt(take(left, "--step-seconds", full ? "20" : "3")),
                Long.parseLong(take(left, "--step-messages", full ? "20000" : "400")),
                Integer.parseInt(take(left, "--warmup-seconds", full ? "20" : "2")),
                Integer.parseInt(take(left, "--dispatch-messages", full ? "3000" : "150")),
                ints(take(left, "--nodes", full ? "1,2,3" : "1,2")),
                list(take(left, "--channels", "loopback,smime")).stream().map(Channel::of).toList(),
                list(take(left, "--databases", "h2,postgres")),
                take(left, "--postgres", "auto"),
                Integer.parseInt(take(left, "--sample", full ? "500" : "40")),
                Integer.parseInt(take(left, "--drain-seconds", full ? "300" : "60")),
                Integer.parseInt(take(left, "--anchor-seconds", full ? "10" : "2")),
                Integer.parseInt(take(left, "--attachment-bytes", "10240")),
                Integer.parseInt(take(left, "--sample-millis", full ? "1000" : "500")),
                take(left, "--gateway-heap", "512m"),
                pathOrNull(take(left, "--gateway-jar", null)),
                Path.of(take(left, "--out", "bench/results")),
                Path.of(take(left, "--charts", full ? "docs/benchmarks" : "bench/results/charts")),
                profile);
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown option " + left.keySet().iterator().next());
        }
        return o;
    }

    private static String take(Map<String, String> values, String name, String fallback) {
        String v = values.remove(name);
        return v == null ? fallback : v;
    }

    private static List<String> list(String text) {
        List<String> items = new ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                items.add(s.trim());
            }
        }
        return items;
    }

    private static List<Integer> ints(String text) {
        try {
            return list(text).stream().map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a list of numbers: '" + text + "'");
        }
    }

    private static Path pathOrNull(String text) {
        return text == null ? null : Path.of(text);
    }

    /** The settings as they go into the results. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("clients", clients);
        m.put("stepSeconds", stepSeconds);
        m.put("stepMessages", stepMessages);
        m.put("warmupSeconds", warmupSeconds);
        m.put("dispatchMessages", dispatchMessages);
        m.put("nodes", nodes);
        m.put("channels", channels.stream().map(Channel::id).toList());
        m.put("databases", databases);
        m.put("sample", sample);
        m.put("drainSeconds", drainSeconds);
        m.put("anchorSeconds", anchorSeconds);
        m.put("attachmentBytes", attachmentBytes);
        m.put("sampleMillis", sampleMillis);
        m.put("gatewayHeap", gatewayHeap);
        m.put("profile", profile);
        return m;
    }

    int maxClients() {
        return clients.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    int maxNodes() {
        return nodes.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
