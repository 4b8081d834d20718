package dev.runlog.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL for this module's tests, started by the first that asks (some 4 s) and
 * stopped when the test JVM ends; each test takes a database of its own.
 */
final class SharedPostgres {
    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private SharedPostgres() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off").start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is ending; the server's directory is a temporary one.
                }
            }));
        }
        return server;
    }

    /** The URI of a new, empty database, as user {@code postgres}, whom the server trusts. */
    static String freshDatabase() throws SQLException {
        String name = "runlog_cli_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "postgresql://postgres@localhost:" + server().getPort() + "/" + name;
    }

    /** A JDBC connection to {@code database}, as the server's superuser. */
    static Connection connect(String database) throws SQLException {
        return server().getDatabase("postgres", database).getConnection();
    }
}
