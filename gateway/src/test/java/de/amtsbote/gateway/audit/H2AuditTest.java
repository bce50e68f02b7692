package de.amtsbote.gateway.audit;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The audit contract on the embedded default: an H2 file database of its own. */
class H2AuditTest extends AuditContract {

    @DynamicPropertySource
    static void h2(DynamicPropertyRegistry p) {
        String storage = auditProperties(p);
        p.add("spring.datasource.url", () -> "jdbc:h2:file:" + storage + "/db/amtsbote;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }
}
