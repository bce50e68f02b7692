package de.amtsbote.bench.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One gateway process as an installation runs it: the packaged exec jar in a JVM of its own, configured by a
 * properties file in its working directory, its output in {@code gateway.log} there. Knows its heap (from the
 * gateway's own metrics, with a MONITORING token) and its resident memory ({@code /proc/<pid>/status}).
 */
final class GatewayNode implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

    private final String name;
    private final Path workDir;
    private final Path jar;
    private final List<String> jvmOptions;
    private final int port;
    private final String monitoringToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private long startMillis;

    private GatewayNode(String name, Path workDir, Path jar, List<String> jvmOptions, int port,
                        String monitoringToken) {
        this.name = name;
        this.workDir = workDir;
        this.jar = jar;
        this.jvmOptions = jvmOptions;
        this.port = port;
        this.monitoringToken = monitoringToken;
    }

    /** Writes {@code gateway.properties} into {@code workDir} (with a free port) and returns a node not yet started. */
    static GatewayNode configure(String name, Path workDir, Path jar, Map<String, String> settings,
                                 List<String> jvmOptions, String monitoringToken) throws IOException {
        Files.createDirectories(workDir);
        int port = freePort();
        StringBuilder text = new StringBuilder("# written by ./amtsbote bench load\n");
        settings.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        text.append("server.port=").append(port).append('\n');
        Files.writeString(workDir.resolve("gateway.properties"), text, StandardCharsets.UTF_8);
        return new GatewayNode(name, workDir, jar, List.copyOf(jvmOptions), port, monitoringToken);
    }

    /** Starts the JVM; {@link #awaitHealthy} waits for it. */
    GatewayNode start() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--spring.config.additional-location=file:" + workDir.resolve("gateway.properties").toAbsolutePath());
        startMillis = System.currentTimeMillis();
        process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("gateway.log").toFile()).start();
        return this;
    }

    /** Waits until the health endpoint answers UP; returns the seconds since {@link #start}. */
    double awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("gateway " + name + " exited with " + process.exitValue() + " during start-up:\n"
                        + tail(30));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri().resolve("/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return (System.currentTimeMillis() - startMillis) / 1000.0;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("gateway " + name + " did not become healthy within " + timeout + ":\n" + tail(30));
    }

    String name() {
        return name;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    Path workDir() {
        return workDir;
    }

    /** Heap in use (MiB) as the gateway's metrics say, or empty if it does not answer within a second. */
    OptionalDouble heapUsedMiB() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
                            uri().resolve("/actuator/metrics/jvm.memory.used?tag=area:heap"))
                    .header("Authorization", "Bearer " + monitoringToken).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            for (JsonNode m : JSON.readTree(r.body()).path("measurements")) {
                if ("VALUE".equals(m.path("statistic").asString())) {
                    return OptionalDouble.of(m.path("value").asDouble() / 1048576.0);
                }
            }
            return OptionalDouble.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    /** Resident set size (MiB) from /proc, or empty where there is none. */
    OptionalDouble rssMiB() {
        return rssMiB(process.pid());
    }

    static OptionalDouble rssMiB(long pid) {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? OptionalDouble.of(Long.parseLong(m.group(1)) / 1024.0) : OptionalDouble.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** The last lines of the node's log, for error messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(workDir.resolve("gateway.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Asks the process to stop (SIGTERM) without waiting, so that several nodes stop at the same time. */
    void requestStop() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** A graceful stop (SIGTERM), forcibly after {@code grace}. */
    void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
