package de.amtsbote.gateway.testing;

import de.amtsbote.gateway.security.ClientRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings every channel test's gateway shares: its storage and node name, the world's channel settings, one
 * client system with a bearer token for the given participants, and fast retries and polling so tests are quick.
 */
public final class ChannelTestGateway {

    private ChannelTestGateway() {
    }

    public static void register(DynamicPropertyRegistry p, Path data, String nodeId, Map<String, String> world,
                                String token, String... participants) {
        p.add("amtsbote.storage.directory", () -> data.resolve("gateway").toString());
        p.add("amtsbote.node-id", () -> nodeId);
        world.forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.clients[0].id", () -> "fachverfahren");
        p.add("amtsbote.clients[0].token-sha256", () -> ClientRegistry.digestOf(token));
        for (int i = 0; i < participants.length; i++) {
            String participant = participants[i];
            p.add("amtsbote.clients[0].participants[" + i + "]", () -> participant);
        }
        p.add("amtsbote.dispatch.initial-backoff", () -> "200ms");
        p.add("amtsbote.dispatch.max-backoff", () -> "1s");
        p.add("amtsbote.outbox.poll-interval", () -> "100ms");
        p.add("amtsbote.inbound.poll-interval", () -> "200ms");
    }

    /** For fault tests: many attempts, a breaker that opens and closes quickly. */
    public static void retryingQuickly(DynamicPropertyRegistry p) {
        p.add("amtsbote.dispatch.max-attempts", () -> "100");
        p.add("amtsbote.dispatch.breaker.open-wait", () -> "1s");
    }
}
