package de.amtsbote.bench.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * Runs the crypto benchmark and its anchors in one go and writes {@code bench/results/crypto-<mode>.json} and a
 * Markdown table next to it:
 *
 * <ol>
 *   <li>JMH: sign, verify, encrypt, decrypt with RSA-3072 and P-256, 10 KiB and 10 MiB, one thread;
 *   <li>{@code openssl cms} on the same files with the same algorithms, in the same run;
 *   <li>one large message (1 GiB by default) through sign-then-encrypt and decrypt-then-verify in a JVM with
 *       {@code -Xmx128m}, and through the equivalent OpenSSL pipelines, with times and peak memory.
 * </ol>
 *
 * Usage: {@code CryptoBenchReport [--quick|--full] [--large-mib N] [--out DIR]}.
 */
public final class CryptoBenchReport {

    private record Row(String keyType, int size, String operation, double amtsboteOps, double amtsboteError,
                       double opensslOps, double opensslOpsWithoutSpawn) {
    }

    public static void main(String[] args) throws Exception {
        boolean full = List.of(args).contains("--full");
        long largeMiB = longArg(args, "--large-mib", 1024);
        Path out = Path.of(stringArg(args, "--out", "bench/results"));
        Files.createDirectories(out);
        String mode = full ? "full" : "quick";
        Instant started = Instant.now();

        System.out.println("JMH: CMS operations of the crypto core (" + mode + ")");
        Collection<RunResult> jmh = new Runner(jmhOptions(full)).run();
        Map<String, double[]> ours = new LinkedHashMap<>();
        for (RunResult r : jmh) {
            String op = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String key = r.getParams().getParam("keyType") + "/" + r.getParams().getParam("size") + "/" + op;
            ours.put(key, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }

        System.out.println("OpenSSL anchor on the same inputs");
        OpenSslCms openssl = new OpenSslCms(Duration.ofSeconds(full ? 10 : 3), full ? 10 : 3);
        double spawn = openssl.spawnMillis();
        List<Row> rows = new ArrayList<>();
        for (String keyType : List.of("RSA", "EC")) {
            for (int size : List.of(10240, 10485760)) {
                Path dir = Files.createTempDirectory("amtsbote-bench-openssl");
                Path input = dir.resolve("input.bin");
                RandomContent.write(input, size, 42);
                OpenSslCms.Material m = new BenchPki(keyType, dir, input).files;
                List<OpenSslCms.Rate> rates = List.of(openssl.sign(m, spawn), openssl.verify(m, spawn),
                        openssl.encrypt(m, spawn), openssl.decrypt(m, spawn));
                for (OpenSslCms.Rate rate : rates) {
                    double[] a = ours.getOrDefault(keyType + "/" + size + "/" + rate.operation(),
                            new double[] {Double.NaN, Double.NaN});
                    rows.add(new Row(keyType, size, rate.operation(), a[0], a[1], rate.opsPerSecond(),
                            rate.opsPerSecondWithoutSpawn()));
                }
                deleteTree(dir);
            }
        }

        System.out.println("OpenSSL speed: the machine's ceiling for the primitives");
        Map<String, Double> ceiling = OpenSslSpeed.measure(full ? 5 : 2);

        System.out.println("Large message: " + largeMiB + " MiB at -Xmx128m, and OpenSSL pipelines");
        Path dir = Files.createTempDirectory("amtsbote-bench-large");
        Path input = dir.resolve("large.bin");
        RandomContent.write(input, largeMiB << 20, 7);
        // EC: OpenSSL 3.0 cannot stream an RSASSA-PSS signature ("illegal zero content"), and the large run is about
        // streaming; with a 1 GiB payload the key type hardly matters anyway
        String ourLarge = largeInChildJvm(dir, input, "EC");
        OpenSslCms.Material m = new BenchPki("EC", dir, input).files;
        OpenSslLargeStream.Result theirs = OpenSslLargeStream.run(m, dir.resolve("openssl.large.der"));
        deleteTree(dir);

        String json = json(mode, started, spawn, rows, ceiling, ourLarge, theirs, largeMiB);
        Files.writeString(out.resolve("crypto-" + mode + ".json"), json, StandardCharsets.UTF_8);
        String md = markdown(rows, ceiling, ourLarge, theirs, largeMiB, spawn);
        Files.writeString(out.resolve("crypto-" + mode + ".md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
    }

    private static org.openjdk.jmh.runner.options.Options jmhOptions(boolean full) {
        ChainedOptionsBuilder o = new OptionsBuilder().include(CmsBenchmark.class.getName() + ".*")
                .threads(1).shouldFailOnError(true);
        if (full) {
            o.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(5))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(5));
        } else {
            o.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(2));
        }
        return o.jvmArgs("-Xmx512m").build();
    }

    private static String largeInChildJvm(Path dir, Path input, String keyType) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                LargeStreamRun.class.getName(), dir.toString(), input.toString(), keyType)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException("the large-message run failed: " + outText);
        }
        return outText.lines().reduce((a, b) -> b).orElseThrow();
    }

    private static String json(String mode, Instant started, double spawn, List<Row> rows, Map<String, Double> ceiling,
                               String ourLarge,
                               OpenSslLargeStream.Result theirs, long largeMiB) throws IOException, InterruptedException {
        StringBuilder s = new StringBuilder();
        s.append("{\n  \"benchmark\": \"crypto-cms\",\n  \"mode\": \"").append(mode).append("\",\n");
        s.append("  \"started\": \"").append(started).append("\",\n");
        s.append("  \"machine\": ").append(Machine.json()).append(",\n");
        s.append("  \"openssl\": \"").append(OpenSslCms.version()).append("\",\n");
        s.append(String.format(Locale.ROOT, "  \"opensslSpawnMillis\": %.2f,\n", spawn));
        s.append("  \"operations\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            s.append(String.format(Locale.ROOT, "    {\"keyType\": \"%s\", \"bytes\": %d, \"operation\": \"%s\", "
                            + "\"amtsboteOpsPerSecond\": %.2f, \"amtsboteError\": %.2f, \"opensslOpsPerSecond\": %.2f, "
                            + "\"opensslOpsPerSecondWithoutSpawn\": %.2f}%s\n", r.keyType(), r.size(), r.operation(),
                    r.amtsboteOps(), r.amtsboteError(), r.opensslOps(), r.opensslOpsWithoutSpawn(),
                    i + 1 < rows.size() ? "," : ""));
        }
        s.append("  ],\n  \"opensslSpeed\": {");
        int n = 0;
        for (Map.Entry<String, Double> e : ceiling.entrySet()) {
            s.append(String.format(Locale.ROOT, "%s\"%s\": %.1f", n++ == 0 ? "" : ", ", e.getKey(), e.getValue()));
        }
        s.append("},\n  \"large\": {\"mib\": ").append(largeMiB).append(", \"amtsbote\": ").append(ourLarge);
        s.append(String.format(Locale.ROOT, ", \"openssl\": {\"signEncryptSeconds\": %.3f, \"signEncryptPeakRssMiB\": %.1f, "
                        + "\"decryptVerifySeconds\": %.3f, \"decryptVerifyPeakRssMiB\": %.1f}}\n}\n",
                theirs.signEncryptSeconds(), theirs.signEncryptPeakRssKiB() / 1024.0, theirs.decryptVerifySeconds(),
                theirs.decryptVerifyPeakRssKiB() / 1024.0));
        return s.toString();
    }

    private static String markdown(List<Row> rows, Map<String, Double> ceiling, String ourLarge, OpenSslLargeStream.Result theirs, long largeMiB,
                                   double spawn) {
        StringBuilder s = new StringBuilder();
        s.append("| key | size | operation | Amtsbote ops/s | openssl cms ops/s | openssl without process start | ratio |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f ± %.1f | %.1f | %.1f | %.2f |\n",
                    r.keyType().equals("RSA") ? "RSA-3072" : "P-256", r.size() == 10240 ? "10 KiB" : "10 MiB",
                    r.operation(), r.amtsboteOps(), r.amtsboteError(), r.opensslOps(), r.opensslOpsWithoutSpawn(),
                    r.amtsboteOps() / r.opensslOpsWithoutSpawn()));
        }
        s.append(String.format(Locale.ROOT, "%nOpenSSL process start: %.1f ms. Ratio = Amtsbote / OpenSSL without "
                + "process start.%n%n", spawn));
        s.append("| primitive (openssl speed, same run) | rate |\n|---|---|\n");
        ceiling.forEach((k, v) -> s.append(String.format(Locale.ROOT, "| %s | %.0f |%n", k, v)));
        s.append('\n');
        s.append("Large message (").append(largeMiB).append(" MiB, P-256): Amtsbote ").append(ourLarge).append('\n');
        s.append(String.format(Locale.ROOT, "OpenSSL: sign|encrypt %.1f s (peak RSS %.0f MiB), decrypt|verify %.1f s "
                        + "(peak RSS %.0f MiB)%n", theirs.signEncryptSeconds(), theirs.signEncryptPeakRssKiB() / 1024.0,
                theirs.decryptVerifySeconds(), theirs.decryptVerifyPeakRssKiB() / 1024.0));
        return s.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static long longArg(String[] args, String name, long fallback) {
        String v = stringArg(args, name, null);
        return v == null ? fallback : Long.parseLong(v);
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
