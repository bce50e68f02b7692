package de.amtsbote.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code --profile}: a JDK Flight Recorder recording (settings "profile") of a gateway process during one load step,
 * started and stopped with {@code jcmd}, so that it covers the load and not the start-up, and its hot methods from the
 * execution samples: where the CPU was when sampled (self), which methods were on the stack (total), and the same
 * for the gateway's own code ({@code de.amtsbote}). Open the .jfr in JDK Mission Control for more.
 */
final class JfrProfile {

    /** A method and the share of samples it had, in percent. */
    record Hot(String method, double percent) {
    }

    /** The hot methods of one recording. */
    record HotMethods(String file, long samples, List<Hot> self, List<Hot> total, List<Hot> ownTotal) {
    }

    private static final String NAME = "amtsbote-bench";

    private JfrProfile() {
    }

    static void start(GatewayNode node) throws IOException, InterruptedException {
        jcmd(node.pid(), "JFR.start", "name=" + NAME, "settings=profile");
    }

    static void stop(GatewayNode node, Path file) throws IOException, InterruptedException {
        jcmd(node.pid(), "JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
    }

    /** Reads the recording's {@code jdk.ExecutionSample} events and aggregates their stacks. */
    static HotMethods analyse(Path file, int top) throws IOException {
        List<List<String>> stacks = new ArrayList<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace trace = e.getStackTrace();
                if (trace == null) {
                    continue;
                }
                List<String> frames = new ArrayList<>();
                for (RecordedFrame f : trace.getFrames()) {
                    if (f.isJavaFrame()) {
                        frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                    }
                }
                stacks.add(frames);
            }
        }
        return aggregate(file.getFileName().toString(), stacks, top);
    }

    /**
     * Self: the top frame of each sample. Total: every method on the stack, once per sample however often it recurs.
     * Own total: the same for methods of {@code de.amtsbote}.
     */
    static HotMethods aggregate(String file, List<List<String>> stacks, int top) {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        for (List<String> stack : stacks) {
            if (stack.isEmpty()) {
                continue;
            }
            self.merge(stack.get(0), 1, Integer::sum);
            Set<String> seen = new LinkedHashSet<>(stack);
            for (String m : seen) {
                total.merge(m, 1, Integer::sum);
                if (m.startsWith("de.amtsbote.")) {
                    own.merge(m, 1, Integer::sum);
                }
            }
        }
        long n = stacks.stream().filter(s -> !s.isEmpty()).count();
        return new HotMethods(file, n, top(self, n, top), top(total, n, top), top(own, n, top));
    }

    private static List<Hot> top(Map<String, Integer> counts, long samples, int top) {
        return counts.entrySet().stream()
                .sorted((a, b) -> b.getValue().equals(a.getValue()) ? a.getKey().compareTo(b.getKey())
                        : Integer.compare(b.getValue(), a.getValue()))
                .limit(top).map(e -> new Hot(e.getKey(), samples == 0 ? 0 : 100.0 * e.getValue() / samples)).toList();
    }

    static String describe(String title, HotMethods hot) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(java.util.Locale.ROOT, "%s: %s, %d execution samples%n", title, hot.file(), hot.samples()));
        s.append("  self (where the CPU was):\n");
        hot.self().forEach(h -> s.append(String.format(java.util.Locale.ROOT, "    %5.1f %%  %s%n", h.percent(), h.method())));
        s.append("  gateway code on the stack (total):\n");
        hot.ownTotal().forEach(h -> s.append(String.format(java.util.Locale.ROOT, "    %5.1f %%  %s%n", h.percent(), h.method())));
        return s.toString();
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        c.add(Long.toString(pid));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
    }
}
