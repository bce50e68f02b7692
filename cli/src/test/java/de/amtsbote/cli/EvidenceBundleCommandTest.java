package de.amtsbote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./amtsbote evidence-bundle} against a real HTTP server on loopback that answers like the gateway. */
class EvidenceBundleCommandTest {

    private static final byte[] ZIP = "PK\u0003\u0004 a bundle".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    private final Terminal terminal = new Terminal();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/messages/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            boolean known = exchange.getRequestURI().getPath().equals("/api/v1/messages/m-1/evidence-bundle");
            byte[] body = known ? ZIP : """
                    {"type":"urn:amtsbote:problem:not-found","status":404,"detail":"no message m-2"}
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", known ? "application/zip" : "application/problem+json");
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private int run(String... args) {
        return terminal.run(args);
    }

    private String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void writesTheBundleToTheNamedFileWithTheToken() throws IOException {
        Path file = dir.resolve("bundles/m-1.zip");

        int exit = run("evidence-bundle", "m-1", "-o", file.toString(), "--api", api(), "--token", "secret-token");

        assertThat(exit).as(terminal.err()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(ZIP);
        assertThat(authorization.get()).isEqualTo("Bearer secret-token");
        assertThat(terminal.out()).contains("wrote " + file, ZIP.length + " bytes");
    }

    @Test
    void anUnknownMessageExitsThreeWithTheGatewaysReasonAndLeavesNoFile() throws IOException {
        Path file = dir.resolve("m-2.zip");

        int exit = run("evidence-bundle", "m-2", "-o", file.toString(), "--api", api(), "--token", "t");

        assertThat(exit).isEqualTo(3);
        assertThat(terminal.err()).contains("no evidence bundle for m-2: no message m-2");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
