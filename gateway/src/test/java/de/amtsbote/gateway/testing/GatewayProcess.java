package de.amtsbote.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged gateway ({@code amtsbote-gateway-*-exec.jar}) as a separate JVM, configured through a YAML file
 * in its working directory, the way an installation runs it. {@link #kill()} is {@code kill -9}.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Path workDir;
    private final Path config;
    private final List<String> jvmOptions;
    private final int port;
    private Process process;
    private int starts;

    private GatewayProcess(Path workDir, Path config, List<String> jvmOptions, int port) {
        this.workDir = workDir;
        this.config = config;
        this.jvmOptions = jvmOptions;
        this.port = port;
    }

    /**
     * Writes the configuration ({@code settings} are flat property names with values; list entries use
     * {@code name[0]}) and returns a process that is not yet started.
     */
    public static GatewayProcess configure(Path workDir, Map<String, String> settings, String... jvmOptions) {
        try {
            Files.createDirectories(workDir);
            int port = freePort();
            Map<String, String> all = new LinkedHashMap<>(settings);
            all.put("server.port", String.valueOf(port));
            StringBuilder properties = new StringBuilder();
            all.forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
            Path config = workDir.resolve("gateway.properties");
            Files.writeString(config, properties, StandardCharsets.UTF_8);
            return new GatewayProcess(workDir, config, List.of(jvmOptions), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path jar() {
        String jar = System.getProperty("amtsbote.gateway.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the packaged gateway is needed (system property amtsbote.gateway.jar, "
                    + "set by failsafe after 'package'): " + jar);
        }
        return Path.of(jar);
    }

    /** Starts the JVM and waits until its health endpoint answers UP. */
    public GatewayProcess start() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.add("--spring.config.additional-location=file:" + config.toAbsolutePath());
        try {
            Path log = workDir.resolve("gateway-" + (++starts) + ".log");
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the gateway process", e);
        }
        awaitHealthy(Duration.ofSeconds(90));
        return this;
    }

    /** {@code kill -9}: no shutdown hook, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** A graceful stop (SIGTERM). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path workDir() {
        return workDir;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + workDir);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri().resolve("/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("the gateway did not become healthy within " + timeout + "; see " + workDir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
