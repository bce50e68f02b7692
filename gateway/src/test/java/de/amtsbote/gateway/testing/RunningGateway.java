package de.amtsbote.gateway.testing;

import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * One gateway on the embedded default, over real HTTP on a free port, with a real loopback peer. Test classes
 * that extend this share one Spring context and one peer.
 *
 * <p>Participants: {@code stadt-bad-vilbel} and {@code stadt-viernheim} are served by the gateway;
 * {@code kreis-bergstrasse} is a partner preferring S/MIME (not active here) and reachable on loopback;
 * {@code ohne-kanal} has no address at all.
 */
@SpringBootTest(classes = AmtsboteGateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// The storage directory is a test property, not a dynamic one: a superclass's @DynamicPropertySource wins over a
// subclass's, so a subclass that wants its own database could not override it; over a test property it can.
@TestPropertySource(properties = "amtsbote.storage.directory=${amtsbote.test.shared-data}")
public abstract class RunningGateway {

    protected static final String BAD_VILBEL_TOKEN = "bv-" + UUID.randomUUID();
    protected static final String VIERNHEIM_TOKEN = "vh-" + UUID.randomUUID();
    protected static final String MONITORING_TOKEN = "mon-" + UUID.randomUUID();
    protected static final Path DATA = Fleet.temporaryDirectory("amtsbote-gateway-test-");

    static {
        System.setProperty("amtsbote.test.shared-data", DATA.toString());
    }
    protected static final LoopbackPeer PEER = startPeer();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry p) {
        p.add("amtsbote.node-id", () -> "test-node");
        p.add("amtsbote.participants[0].id", () -> "stadt-bad-vilbel");
        p.add("amtsbote.participants[0].name", () -> "Magistrat der Stadt Bad Vilbel");
        p.add("amtsbote.participants[0].own", () -> "true");
        p.add("amtsbote.participants[0].addresses[0]", () -> "loopback:stadt-bad-vilbel@gateway");
        p.add("amtsbote.participants[1].id", () -> "stadt-viernheim");
        p.add("amtsbote.participants[1].own", () -> "true");
        p.add("amtsbote.participants[1].addresses[0]", () -> "loopback:stadt-viernheim@gateway");
        p.add("amtsbote.participants[2].id", () -> "kreis-bergstrasse");
        p.add("amtsbote.participants[2].addresses[0]", () -> "smime:poststelle@kreis-bergstrasse.example");
        p.add("amtsbote.participants[2].addresses[1]", () -> "loopback:poststelle@loopback.example");
        p.add("amtsbote.participants[3].id", () -> "ohne-kanal");
        p.add("amtsbote.clients[0].id", () -> "fachverfahren-bad-vilbel");
        p.add("amtsbote.clients[0].token-sha256", () -> ClientRegistry.digestOf(BAD_VILBEL_TOKEN));
        p.add("amtsbote.clients[0].participants[0]", () -> "stadt-bad-vilbel");
        p.add("amtsbote.clients[1].id", () -> "fachverfahren-viernheim");
        p.add("amtsbote.clients[1].token-sha256", () -> ClientRegistry.digestOf(VIERNHEIM_TOKEN));
        p.add("amtsbote.clients[1].participants[0]", () -> "stadt-viernheim");
        p.add("amtsbote.clients[2].id", () -> "monitoring");
        p.add("amtsbote.clients[2].token-sha256", () -> ClientRegistry.digestOf(MONITORING_TOKEN));
        p.add("amtsbote.clients[2].roles[0]", () -> "MONITORING");
        p.add("amtsbote.channels.loopback.endpoint", () -> PEER.baseUri().toString());
        p.add("amtsbote.channels.loopback.domain", () -> "loopback.example");
        p.add("amtsbote.submission.max-message-size", () -> "2MB");
        p.add("amtsbote.dispatch.initial-backoff", () -> "100ms");
        p.add("amtsbote.dispatch.max-backoff", () -> "300ms");
        p.add("amtsbote.dispatch.max-attempts", () -> "3");
        p.add("amtsbote.dispatch.breaker.open-wait", () -> "500ms");
        p.add("amtsbote.outbox.poll-interval", () -> "100ms");
        p.add("amtsbote.inbound.poll-interval", () -> "200ms");
    }

    protected ApiClient badVilbel() {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), BAD_VILBEL_TOKEN);
    }

    protected ApiClient client(String token) {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), token);
    }

    /** Row counts of everything a submission writes, and the number of files in the content store. */
    protected Map<String, Long> stored() {
        try (Stream<Path> files = Files.walk(DATA.resolve("content"))) {
            return Map.of(
                    "message", count("message"),
                    "attachment", count("attachment"),
                    "delivery", count("delivery"),
                    "content", count("content"),
                    "acceptance", jdbc.sql("select count(*) from evidence where event = 'SubmissionAcceptance'")
                            .query(Long.class).single(),
                    "files", files.filter(Files::isRegularFile).count());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    /** Waits until the condition holds, failing with the description after the timeout. */
    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        Eventually.await(what, timeout, Duration.ofMillis(20), condition);
    }

    private static LoopbackPeer startPeer() {
        try {
            return LoopbackPeer.builder(Fleet.temporaryDirectory("amtsbote-peer-test-"))
                    .mailboxes("poststelle", "buergerbuero").domain("loopback.example").build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the loopback peer", e);
        }
    }
}
