package de.amtsbote.gateway.persistence;

import de.amtsbote.gateway.testing.Fleet;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The persistence contract on the embedded default: an H2 file database. */
class H2PersistenceTest extends PersistenceContract {

    private static final Path STORAGE = Fleet.temporaryDirectory("amtsbote-h2-contract-");

    @DynamicPropertySource
    static void h2(DynamicPropertyRegistry p) {
        persistenceProperties(p, STORAGE.toString());
    }
}
