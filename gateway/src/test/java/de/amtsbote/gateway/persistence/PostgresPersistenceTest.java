package de.amtsbote.gateway.persistence;

import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.TestDatabases;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The persistence contract on PostgreSQL: the server at 127.0.0.1:5432 where one answers, an embedded PostgreSQL
 * otherwise ({@link TestDatabases}).
 */
class PostgresPersistenceTest extends PersistenceContract {

    private static final Path STORAGE = Fleet.temporaryDirectory("amtsbote-pg-contract-");
    private static final TestDatabases.Database DATABASE = TestDatabases.freshPostgres();

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry p) {
        persistenceProperties(p, STORAGE.toString());
        p.add("spring.datasource.url", DATABASE::url);
        p.add("spring.datasource.username", DATABASE::user);
        p.add("spring.datasource.password", DATABASE::password);
        // a test database of its own: the key may be created here, as it would be by an operator
        p.add("amtsbote.content.create-key-if-missing", () -> "true");
    }
}
