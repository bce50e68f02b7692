package de.amtsbote.gateway.console.audit;

import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ConsoleGateway;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A console gateway of its own — its own database, so a trail tampered with here is never seen by the other console
 * tests — with a client system holding the role AUDITOR (for {@code ./amtsbote audit verify --api}) and a checkpoint
 * every 25 entries. Test classes extending this share one Spring context.
 */
public abstract class AuditWorld extends ConsoleGateway {

    public static final String AUDITOR_TOKEN = "aud-" + UUID.randomUUID();
    private static final String STORAGE = WORLD.resolve("audit-world-" + UUID.randomUUID()).toString();

    /** Its own database and content store: the tamper test changes rows that no other test may see. */
    @DynamicPropertySource
    static void auditWorld(DynamicPropertyRegistry p) {
        p.add("amtsbote.storage.directory", STORAGE::toString);
        p.add("amtsbote.clients[3].id", () -> "revision");
        p.add("amtsbote.clients[3].token-sha256", () -> ClientRegistry.digestOf(AUDITOR_TOKEN));
        p.add("amtsbote.clients[3].roles[0]", () -> "AUDITOR");
        p.add("amtsbote.audit.checkpoint-every", () -> "25");
    }
}
