package de.amtsbote.bench.load;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL of a load run, as the gateway's tests choose it: the server at 127.0.0.1:5432 (user postgres, trust
 * authentication) where it answers, otherwise an embedded PostgreSQL from the zonky binaries. Every database is made
 * fresh for the run and dropped at its end (by the run's {@link Cleanup}, also on Ctrl-C).
 */
final class PostgresDatabases {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    /** Connection settings of one database. */
    record Database(String name, String url, String user, String password) {
    }

    private final Cleanup cleanup;
    private final String base;
    private final String kind;
    private final String version;

    private PostgresDatabases(Cleanup cleanup, String base, String kind) throws SQLException {
        this.cleanup = cleanup;
        this.base = base;
        this.kind = kind;
        try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("show server_version")) {
            r.next();
            this.version = r.getString(1);
        }
    }

    /** {@code mode}: auto (server, else embedded), server, embedded. */
    static PostgresDatabases open(String mode, Cleanup cleanup) throws IOException, SQLException {
        String m = mode.toLowerCase(Locale.ROOT);
        if (!m.equals("embedded") && serverAnswers()) {
            return new PostgresDatabases(cleanup, SERVER, "server at 127.0.0.1:5432");
        }
        if (m.equals("server")) {
            throw new IOException("--postgres server: no PostgreSQL answers at " + SERVER);
        }
        EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
        cleanup.add("embedded PostgreSQL", embedded::close);
        return new PostgresDatabases(cleanup, "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/",
                "embedded (zonky) on port " + embedded.getPort());
    }

    /** A new, empty database, dropped when the run ends. */
    Database fresh(String purpose) throws SQLException {
        String name = "amtsbote_bench_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        cleanup.add("database " + name, () -> drop(name));
        return new Database(name, base + name, "postgres", "");
    }

    /** Where the databases are: "server at …" or "embedded …", and the server's version. */
    String describe() {
        return "PostgreSQL " + version + ", " + kind;
    }

    private void drop(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        }
    }

    private static boolean serverAnswers() {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?connectTimeout=2", "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
