package de.amtsbote.gateway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Databases for tests. PostgreSQL is the one at 127.0.0.1:5432 where it answers (as on CI), otherwise an embedded
 * PostgreSQL started once per JVM from the zonky binaries, so that {@code ./mvnw verify} needs no database server.
 * {@code AMTSBOTE_TEST_POSTGRES=embedded} forces the embedded one, {@code =server} forbids the fallback.
 * Every call makes a new, empty database, dropped when the JVM ends.
 */
public final class TestDatabases {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final List<String> created = new ArrayList<>();
    private static EmbeddedPostgres embedded;
    private static String base;

    private TestDatabases() {
    }

    /** Connection settings of a database. */
    public record Database(String url, String user, String password) {
    }

    public static synchronized Database freshPostgres() {
        String admin = adminUrl();
        String name = "amtsbote_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + admin, e);
        }
        created.add(name);
        return new Database(admin + name, "postgres", "");
    }

    /** An H2 file database in {@code dir}, with the settings of the embedded default. */
    public static Database h2(Path dir) {
        return new Database("jdbc:h2:file:" + dir.resolve("amtsbote").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", "amtsbote", "");
    }

    /** Which PostgreSQL the tests use: "server" or "embedded". */
    public static synchronized String postgresKind() {
        adminUrl();
        return embedded == null ? "server" : "embedded";
    }

    private static String adminUrl() {
        if (base != null) {
            return base;
        }
        String mode = System.getenv().getOrDefault("AMTSBOTE_TEST_POSTGRES", "auto").toLowerCase(Locale.ROOT);
        if (!mode.equals("embedded") && serverAnswers()) {
            base = SERVER;
        } else if (mode.equals("server")) {
            throw new IllegalStateException("AMTSBOTE_TEST_POSTGRES=server, but no PostgreSQL answers at " + SERVER);
        } else {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start an embedded PostgreSQL", e);
            }
            base = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/";
        }
        System.out.println("[test databases] PostgreSQL: " + (embedded == null ? "server at " + SERVER
                : "embedded on port " + embedded.getPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll));
        return base;
    }

    private static boolean serverAnswers() {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?connectTimeout=2", "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static synchronized void dropAll() {
        try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            for (String name : created) {
                s.execute("drop database if exists " + name + " with (force)");
            }
        } catch (SQLException e) {
            System.err.println("[test databases] could not drop test databases " + created + ": " + e.getMessage());
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("[test databases] could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
    }
}
