package de.amtsbote.gateway.certificates;

import de.amtsbote.gateway.testing.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same, on PostgreSQL (the server at 127.0.0.1:5432 where one answers, embedded otherwise): several nodes' database. */
class PostgresTrustAnchorNodesTest extends TrustAnchorNodesTest {

    private static final TestDatabases.Database DATABASE = TestDatabases.freshPostgres();

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry p) {
        p.add("spring.datasource.url", DATABASE::url);
        p.add("spring.datasource.username", DATABASE::user);
        p.add("spring.datasource.password", DATABASE::password);
        p.add("amtsbote.content.create-key-if-missing", () -> "true");
    }
}
