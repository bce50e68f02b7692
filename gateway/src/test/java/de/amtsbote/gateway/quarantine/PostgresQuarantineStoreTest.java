package de.amtsbote.gateway.quarantine;

import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.TestDatabases;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The quarantine's storage on PostgreSQL (the server at 127.0.0.1:5432, else an embedded one): V9 and the queries. */
class PostgresQuarantineStoreTest extends QuarantineStoreContract {

    private static final Path STORAGE = Fleet.temporaryDirectory("amtsbote-pg-quarantine-");
    private static final TestDatabases.Database DATABASE = TestDatabases.freshPostgres();

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry p) {
        p.add("amtsbote.storage.directory", STORAGE::toString);
        p.add("spring.datasource.url", DATABASE::url);
        p.add("spring.datasource.username", DATABASE::user);
        p.add("spring.datasource.password", DATABASE::password);
        p.add("amtsbote.content.create-key-if-missing", () -> "true");
    }
}
