package de.amtsbote.bench.micro;

import de.amtsbote.bench.crypto.Machine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./amtsbote bench micro [--quick|--full|--smoke] [--out DIR] [--include REGEX]}: the JMH micro-benchmarks of the hot
 * paths next to the CMS suite ({@code bench crypto}): S/MIME sign-then-encrypt and decrypt-then-verify
 * ({@link SmimeBenchmark}), the evidence seal ({@link EvidenceSignatureBenchmark}), OSCI-style two-layer XML
 * encryption ({@link OsciEnvelopeBenchmark}) and content store writes ({@link ContentStoreBenchmark}). One thread each.
 * Results: {@code bench/results/micro-<mode>.json} and {@code .md}. {@code --smoke} runs each benchmark once for 0.2 s on
 * its smallest input in this JVM: a check that they still run, in seconds, not a measurement.
 */
public final class MicroBenchReport {

    /** One benchmark and parameter combination. */
    record Row(String benchmark, Map<String, String> params, double opsPerSecond, double error, double mibPerSecond) {
    }

    /** What {@code micro-<mode>.json} holds. */
    record Results(String benchmark, String mode, String started, Map<String, Object> machine, String command,
                   List<Row> results) {
    }

    private static final List<Class<?>> BENCHMARKS = List.of(SmimeBenchmark.class, EvidenceSignatureBenchmark.class,
            OsciEnvelopeBenchmark.class, ContentStoreBenchmark.class);

    private MicroBenchReport() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = List.of(args).contains("--full");
        boolean smoke = List.of(args).contains("--smoke");
        Path out = Path.of(value(args, "--out", "bench/results"));
        String include = value(args, "--include", null);
        String mode = smoke ? "smoke" : full ? "full" : "quick";
        String started = Instant.now().toString();
        ChainedOptionsBuilder o = new OptionsBuilder().threads(1).shouldFailOnError(true).jvmArgs("-Xmx512m");
        if (include != null) {
            o.include(include);
        } else {
            BENCHMARKS.forEach(b -> o.include(b.getName() + ".*"));
        }
        if (smoke) {
            // every benchmark once, briefly, in this JVM, on its smallest input: does it still run? (no figures)
            o.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                    .param("size", "10240").param("attachmentSize", "10240");
        } else if (full) {
            o.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(3))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(3));
        } else {
            o.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(2));
        }
        System.out.println("JMH: hot paths of the gateway (" + mode + ")");
        Collection<RunResult> results = new Runner(o.build()).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            double ops = r.getPrimaryResult().getScore();
            String bytes = params.getOrDefault("size", params.get("attachmentSize"));
            double mib = bytes == null ? 0 : ops * Long.parseLong(bytes) / 1048576.0;
            rows.add(new Row(r.getParams().getBenchmark().replace("de.amtsbote.bench.micro.", ""), params, ops,
                    r.getPrimaryResult().getScoreError(), mib));
        }
        Files.createDirectories(out);
        Results all = new Results("micro", mode, started, Machine.facts(),
                ("./amtsbote bench micro " + String.join(" ", args)).trim(), rows);
        Files.writeString(out.resolve("micro-" + mode + ".json"),
                JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(all));
        String md = markdown(rows);
        Files.writeString(out.resolve("micro-" + mode + ".md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
    }

    static String markdown(List<Row> rows) {
        StringBuilder s = new StringBuilder("| benchmark | parameters | ops/s | MiB/s |\n|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %.1f ± %.1f | %s |%n", r.benchmark(),
                    r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .reduce((a, b) -> a + ", " + b).orElse(""), r.opsPerSecond(), r.error(),
                    r.mibPerSecond() == 0 ? "—" : String.format(Locale.ROOT, "%.1f", r.mibPerSecond())));
        }
        return s.toString();
    }

    private static String value(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
