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

    /**
     * Its own database and content store. Not through {@code amtsbote.storage.directory}: a superclass's
     * {@code @DynamicPropertySource} runs after a subclass's and RunningGateway sets that one, so it would win and this
     * gateway would open the shared database file. The properties derived from it are set here instead.
     */
    @DynamicPropertySource
    static void auditWorld(DynamicPropertyRegistry p) {
        p.add("spring.datasource.url", () -> "jdbc:h2:file:" + STORAGE + "/db/amtsbote;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        p.add("amtsbote.content.directory", () -> STORAGE + "/content");
        p.add("amtsbote.content.keys-directory", () -> STORAGE + "/keys");
        p.add("amtsbote.clients[3].id", () -> "revision");
        p.add("amtsbote.clients[3].token-sha256", () -> ClientRegistry.digestOf(AUDITOR_TOKEN));
        p.add("amtsbote.clients[3].roles[0]", () -> "AUDITOR");
        p.add("amtsbote.audit.checkpoint-every", () -> "25");
    }
}
