package dev.runlog.storage.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL server of this test JVM: one {@link EmbeddedPostgres} (PostgreSQL's binaries from a
 * jar), started on first use and shared by every test class, or, when the environment variable
 * {@code RUNLOG_TEST_POSTGRES_URL} names a server ({@code postgresql://user[:password]@host[:port]/db},
 * a user allowed to create databases), that server instead. Each store a test asks for is an empty
 * database of its own ({@link #freshDatabase}), made with {@code CREATE DATABASE} or emptied after an
 * earlier test, so the server holds a handful at a time. As a JUnit extension it starts the server
 * before a class's tests, so the start-up is not counted against the first test.
 */
public final class TestPostgres implements BeforeAllCallback {
    public static final String SERVER_VARIABLE = "RUNLOG_TEST_POSTGRES_URL";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String ADMIN_APPLICATION = "runlog-test-admin";
    private static TestPostgres server;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String adminDatabase;
    private final boolean embedded;
    /** Databases made, by the test directory they were made for: emptied once another test of the same thread asks for one. */
    private final Map<Path, List<String>> made = new HashMap<>();
    /** The thread of the test each directory of {@link #made} is for: tests run concurrently, each on a thread of its own. */
    private final Map<Path, Thread> testThreads = new HashMap<>();
    private final Map<String, Connection> kept = new HashMap<>();
    /** Emptied databases, to hand out again. */
    private final List<String> free = new ArrayList<>();

    private TestPostgres(String host, int port, String user, String password, String adminDatabase, boolean embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminDatabase = adminDatabase;
        this.embedded = embedded;
    }

    /** For {@code @ExtendWith}: starts the server before the class's tests. */
    public TestPostgres() {
        this("", 0, "", "", "", false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        get();
    }

    /** The server, started on first use. */
    public static synchronized TestPostgres get() {
        if (server == null) {
            String url = System.getenv(SERVER_VARIABLE);
            server = url == null || url.isBlank() ? startEmbedded() : external(url);
        }
        return server;
    }

    private static TestPostgres startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    // A test server: durability buys nothing here, and CREATE DATABASE is much faster without it.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is ending; the data directory is temporary
                }
            }));
            return new TestPostgres("localhost", pg.getPort(), "postgres", "", "postgres", true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
        }
    }

    private static TestPostgres external(String url) {
        URI uri = URI.create(url.replaceFirst("^postgres(ql)?:", "http:"));
        String[] userInfo = uri.getUserInfo() == null ? new String[] {System.getProperty("user.name")}
                : uri.getUserInfo().split(":", 2);
        return new TestPostgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                userInfo.length > 1 ? userInfo[1] : "", uri.getPath().substring(1), false);
    }

    /** Whether this is the embedded server, whose configuration the tests may change. */
    public boolean embedded() {
        return embedded;
    }

    /** Where the server listens: the host and port a store URI names. */
    public String hostAndPort() {
        return host + ":" + port;
    }

    /** The URI of a new, empty database, with the admin user's password if it has one. */
    public String freshStoreUri(Path testDirectory) {
        return uri(freshDatabase(testDirectory));
    }

    /** The store URI of an existing database, as the admin user. */
    public String uri(String database) {
        return "postgresql://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port + "/" + database;
    }

    /**
     * An empty database for a store in {@code testDirectory}, and its name. A kit test's stores all
     * lie in directories under one directory of that test: when a directory under another parent
     * asks from the same thread, that thread's earlier test has ended (its trackers are closed), so
     * its databases are emptied (every Runlog table's rows deleted, identities reset) and handed out
     * again. Tests of other threads (tests run concurrently, but a thread runs one test at a time,
     * start to end) keep theirs. That keeps
     * a kit test's cost at milliseconds instead of creating and migrating a database each time
     * (some 500 ms on a busy machine); the migration itself has tests of its own.
     */
    public synchronized String freshDatabase(Path testDirectory) {
        Path test = testDirectory.toAbsolutePath().getParent();
        Thread thread = Thread.currentThread();
        List<Path> ended = made.keySet().stream()
                .filter(p -> !p.equals(test) && testThreads.get(p) == thread).toList();
        for (Path earlier : ended) {
            for (String db : made.remove(earlier)) {
                empty(db);
                free.add(db);
            }
            testThreads.remove(earlier);
        }
        testThreads.putIfAbsent(test, thread);
        String name = free.isEmpty() ? newDatabase() : free.remove(free.size() - 1);
        made.computeIfAbsent(test, k -> new ArrayList<>()).add(name);
        return name;
    }

    /** A new database, never handed out before: for tests of what happens on a first open. */
    public synchronized String newDatabase() {
        String name = "runlog_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        admin("CREATE DATABASE " + name);
        return name;
    }

    /** Ends every session still on the database (a test that failed to close a tracker) and empties its tables. */
    private void empty(String database) {
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                + "' AND application_name <> '" + ADMIN_APPLICATION + "'");
        try (Statement s = kept(database).createStatement()) {
            // DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE makes new files for every
            // table and index, which cost more than creating the database. Newest table first: those refer to older
            // ones. Identities start at 1 again.
            String statements;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(string_agg('DELETE FROM ' || quote_ident(tablename), '; '"
                    + " ORDER BY quote_ident(tablename)::regclass::oid DESC), '')"
                    + " || '; ' || (SELECT coalesce(string_agg('SELECT setval(' || quote_literal(quote_ident(sequencename))"
                    + " || ', 1, false)', '; '), '') FROM pg_sequences WHERE schemaname = 'public')"
                    + " FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'runlog%' AND tablename <> 'runlog_schema'")) {
                rs.next();
                statements = rs.getString(1);
            }
            s.execute(statements);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot empty test database " + database + ": " + e.getMessage(), e);
        }
    }

    /** A connection of this class's own to {@code database}, kept open: connecting costs more than the work. */
    private Connection kept(String database) throws SQLException {
        Connection c = kept.get(database);
        if (c == null || c.isClosed()) {
            Properties p = credentials();
            p.setProperty("ApplicationName", ADMIN_APPLICATION);
            c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
            kept.put(database, c);
        }
        return c;
    }

    /** Runs one statement as the admin user on the admin database. */
    public synchronized void admin(String sql) {
        try (Statement s = kept(adminDatabase).createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A plain JDBC connection as the admin user, for tests that look into a database directly. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, credentials());
    }

    private Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        return p;
    }
}
