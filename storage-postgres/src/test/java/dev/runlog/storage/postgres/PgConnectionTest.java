package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * The URI and password rules, through {@code Tracker.open} as users meet them: options, the
 * {@code postgres:} spelling, TLS options reaching the driver, and where the password comes from
 * (the URI, {@code PGPASSWORD}, the password file) for a role the server asks a password of. The
 * password is never in a message.
 */
// Alone: it changes the server (a role, pg_hba.conf, a reload).
@Isolated
class PgConnectionTest {
    private static final String ROLE = "runlog_pw";
    private static final String PASSWORD = "pw-S3cret-42";
    private static String database;

    @TempDir
    Path temp;

    /** On the embedded server: a role that must give a password (scram), owning a database of its own. */
    @BeforeAll
    static void passwordRole() throws Exception {
        TestPostgres pg = TestPostgres.get();
        if (!pg.embedded()) {
            return;
        }
        pg.admin("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
        database = pg.newDatabase();
        pg.admin("ALTER DATABASE " + database + " OWNER TO " + ROLE);
        pg.admin("GRANT ALL ON SCHEMA public TO " + ROLE);
        Path hba;
        try (var c = pg.connect("postgres"); var s = c.createStatement(); var rs = s.executeQuery("SHOW hba_file")) {
            rs.next();
            hba = Path.of(rs.getString(1));
        }
        // First matching line wins: this role needs a password over TCP; everyone else keeps trust.
        Files.writeString(hba, "host all " + ROLE + " all scram-sha-256\n" + Files.readString(hba));
        pg.admin("SELECT pg_reload_conf()");
    }

    private static String roleUri(String password) {
        TestPostgres pg = TestPostgres.get();
        return "postgresql://" + ROLE + (password == null ? "" : ":" + password) + "@" + pg.hostAndPort() + "/"
                + database;
    }

    private static void needsPasswordRole() {
        Assumptions.assumeTrue(database != null, "the password rules are tested on the embedded server only");
    }

    @Test
    void withoutCreateIfMissingADatabaseWithoutRunlogTablesIsRefusedAndLeftAsItIs() throws Exception {
        String database = TestPostgres.get().newDatabase();
        String uri = TestPostgres.get().uri(database);
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> Tracker.builder().uri(uri).createIfMissing(false).shutdownHook(false).build());
        assertTrue(e.getMessage().contains("No Runlog store in the PostgreSQL database"),
                e.getMessage());
        try (java.sql.Connection c = TestPostgres.get().connect(database); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "tables made");
        }
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            tracker.createExperiment("there");
        }
        try (Tracker tracker = Tracker.builder().uri(uri).createIfMissing(false).shutdownHook(false).build()) {
            assertTrue(tracker.getExperimentByName("there").isPresent());
        }
    }

    @Test
    void aNulInANameIsRefusedBeforeConnectingAndAnUnknownHostIsSaidToBeOne() {
        for (String uri : List.of("postgresql://me@127.0.0.1:1/x%00y", "postgresql://m%00e@127.0.0.1:1/db",
                "postgresql://me:" + PASSWORD + "%00@127.0.0.1:1/db")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri), uri);
            assertTrue(e.getMessage().contains("holds a NUL character (%00)") && !e.getMessage().contains(PASSWORD), e.getMessage());
        }
        StoreException e = assertThrows(StoreException.class, () -> Tracker.open("postgresql://me@no-such-host.invalid/db?connectTimeout=2"));
        assertTrue(e.getMessage().contains(": no such host: no-such-host.invalid"), e.getMessage());
    }

    @Test
    void unknownOptionsAreRefusedByNameBeforeConnecting() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("postgresql://me:" + PASSWORD + "@nowhere.invalid/db?sslmode=require&poolsize=3&x=1"));
        assertTrue(e.getMessage().contains("poolsize, x"), e.getMessage());
        assertTrue(e.getMessage().contains("sslmode"), "names the options it takes: " + e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void badUrisSayWhatToWrite() {
        for (String uri : List.of("postgresql:db", "postgresql://me@host", "postgresql://me@host:99999/db",
                "postgresql://me@:5432/db", "postgresql://me@host/db?sslmode=", "postgresql://me@host/db?sslmode=a&sslmode=b")) {
            assertThrows(InvalidInputException.class, () -> Tracker.open(uri), uri);
        }
    }

    @Test
    void aHostThatIsNoHostNameNorBracketedAddressIsRefusedBeforeConnecting() {
        Map<String, String> refusals = Map.of(
                "postgresql://me@[::1/db", "without its brackets",
                "postgresql://me@[::1:5432/db", "without its brackets",
                "postgresql://me@::1/db", "without its brackets",
                "postgresql://me@h1:5432,h2:5432/db", "names several hosts",
                "postgresql://me@h1,h2/db", "names several hosts",
                "postgresql://me@ho st/db", "neither a host name nor an address",
                "postgresql://me@[::1]x/db", "neither a host name nor an address",
                "postgresql://me@[zz]/db", "neither a host name nor an address");
        refusals.forEach((uri, says) -> {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri), uri);
            assertTrue(e.getMessage().contains(says), uri + ": " + e.getMessage());
        });
        // Bracketed addresses, with and without a port, still reach the server (none listens on port 1 here).
        for (String uri : List.of("postgresql://me@[::1]:1/db", "postgresql://me@[0:0:0:0:0:0:0:1]:1/db",
                "postgresql://me@127.0.0.1:1/db", "postgresql://me@local-host_1.example:1/db?connectTimeout=1")) {
            assertThrows(StoreException.class, () -> Tracker.open(uri), uri);
        }
    }

    @Test
    void aPasswordWithAnUnencodedSlashOrQuestionMarkIsNeverQuoted() {
        // The last three hold an '@' too: the first '@' looked like the end of the user part.
        for (String password : List.of("1234/s3cr3t", "pa/s3cr3t", "pa?s3cr3t", "pa?s3cr3t=1", "s3cr3t?x=1/y",
                "pa@1234:77/s3cr3t", "pa@s3cr3t:w/1234%?#", "pa@1234?s3cr3t")) {
            String uri = "postgresql://me:" + password + "@127.0.0.1:15432/db";
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri), uri);
            assertTrue(e.getMessage().contains("percent-encode"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t") || e.getMessage().contains("1234") || e.getMessage().contains("pa/"),
                    e.getMessage());
        }
    }

    /** A setting options= gives that the server rejects at login is the URI's fault, not an outage to retry. */
    @Test
    void aServerSettingTheServerRejectsIsRefusedAsInputNotAnOutage() {
        String uri = TestPostgres.get().freshStoreUri(temp.resolve("settings"));
        for (String options : List.of("-c%20statement_timeout%3Dbogus", "-c%20no_such.setting_at_all%3D1%20-c%20work_mem%3Dnope")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri + "?options=" + options), options);
            assertTrue(e.getMessage().contains("refuses a setting the URI's options give") && e.getMessage().contains("correct options="),
                    e.getMessage());
        }
    }

    /** The decoder's own message quotes the two characters after a bad '%': a password's, here. */
    @Test
    void aPasswordOrOptionThatIsNoValidPercentEncodingIsNeverQuoted() {
        for (String uri : List.of("postgresql://me:hunter%Q7rest@127.0.0.1:1/db", "postgresql://me%Q7:pw@127.0.0.1:1/db",
                "postgresql://me:pw@127.0.0.1:1/db?sslpassword=ab%Q7cd")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri), uri);
            assertTrue(e.getMessage().contains("%XX"), e.getMessage());
            assertFalse(e.getMessage().contains("Q7") || e.getMessage().contains("hunter"), e.getMessage());
        }
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // and never a byte back
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            // Without a bound on the login this waits minutes: fail instead of hanging the build.
            StoreException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> assertThrows(StoreException.class, () -> Tracker.open("postgresql://me:" + PASSWORD
                            + "@127.0.0.1:" + silent.getLocalPort() + "/db?connectTimeout=1")));
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds < 20, "waited " + seconds + " s for a 1 s connectTimeout: " + e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void unreachableServerIsAStoreExceptionWithoutThePassword() {
        StoreException e = assertThrows(StoreException.class,
                () -> Tracker.open("postgresql://me:" + PASSWORD + "@127.0.0.1:1/db"));
        assertTrue(e.getMessage().contains("postgresql://me@127.0.0.1:1/db"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void postgresSchemeOpensTheSameStore() {
        TestPostgres pg = TestPostgres.get();
        String db = pg.freshDatabase(temp.resolve("store"));
        String uri = pg.uri(db);
        try (Tracker first = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            first.createExperiment("shared");
        }
        try (Tracker second = Tracker.builder().uri(uri.replaceFirst("^postgresql:", "postgres:")).shutdownHook(false).build()) {
            assertTrue(second.getExperimentByName("shared").isPresent());
        }
    }

    @Test
    void tlsOptionsReachTheDriver() {
        TestPostgres pg = TestPostgres.get();
        String uri = pg.uri(pg.freshDatabase(temp.resolve("store")));
        try (Tracker plain = Tracker.builder().uri(uri + "?sslmode=disable").shutdownHook(false).build()) {
            assertEquals(List.of(), plain.listExperiments());
        }
        Assumptions.assumeTrue(pg.embedded(), "the embedded server has no TLS; another server may");
        // Not a StoreException: nothing changes by retrying.
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri + "?sslmode=require"));
        assertTrue(e.getMessage().contains("SSL"), e.getMessage());
    }

    @Test
    void passwordInTheUri() {
        needsPasswordRole();
        try (Tracker tracker = Tracker.builder().uri(roleUri(PASSWORD)).shutdownHook(false).build()) {
            assertEquals(List.of(), tracker.listExperiments());
        }
        // Not "cannot reach", nor a StoreException that invites a retry: the server answered, and said no.
        InvalidInputException wrong = assertThrows(InvalidInputException.class, () -> Tracker.open(roleUri("not-" + PASSWORD)));
        assertTrue(wrong.getMessage().contains("refused the login") && wrong.getMessage().contains("password authentication failed"),
                wrong.getMessage());
        assertFalse(wrong.getMessage().contains(PASSWORD), wrong.getMessage());
    }

    @Test
    void aPasswordChangedUnderAnOpenTrackerIsARefusalNotAnOutage() throws Exception {
        needsPasswordRole();
        TestPostgres pg = TestPostgres.get();
        try (Tracker tracker = Tracker.builder().uri(roleUri(PASSWORD) + "?connectTimeout=2").shutdownHook(false).build()) {
            assertEquals(List.of(), tracker.listExperiments());
            pg.admin("ALTER ROLE " + ROLE + " PASSWORD 'rotated-" + PASSWORD + "'");
            // The pool's connections are ended; a new one must log in with the old password. A login the
            // pool began before the password changed may still finish after the terminate (it was not
            // listed yet), and that connection then answers: so terminate, and ask, a few times.
            InvalidInputException e = null;
            for (int attempt = 0; attempt < 5 && e == null; attempt++) {
                List<Integer> logged = sessionsOf(pg, ROLE);
                pg.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
                // Terminating signals the backends; wait until those are gone, or a call could still use one.
                // (Not until the role has none: the pool's attempts to log in again, failing, show up there
                // while they authenticate, and on a loaded machine one nearly always does.)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (sessionsOf(pg, ROLE).stream().anyMatch(logged::contains)) {
                    assertTrue(System.nanoTime() < deadline, "the role's sessions did not end");
                    Thread.sleep(20);
                }
                try {
                    tracker.listExperiments();
                } catch (InvalidInputException refused) {
                    e = refused;
                }
            }
            org.junit.jupiter.api.Assertions.assertNotNull(e, "no call was refused once the password changed");
            assertTrue(e.getMessage().contains("refused the login") && e.getMessage().contains("password authentication failed"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        } finally {
            pg.admin("ALTER ROLE " + ROLE + " PASSWORD '" + PASSWORD + "'");
        }
    }

    /** The pids of the role's backends. */
    private static List<Integer> sessionsOf(TestPostgres pg, String role) throws java.sql.SQLException {
        List<Integer> pids = new java.util.ArrayList<>();
        try (var c = pg.connect("postgres"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE usename = '" + role + "'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    @Test
    void aDatabaseThatDoesNotExistOrAUserWithoutGrantsIsNotAnOutage() throws Exception {
        needsPasswordRole();
        TestPostgres pg = TestPostgres.get();
        String missing = "postgresql://" + ROLE + ":" + PASSWORD + "@" + pg.hostAndPort() + "/no_such_database";
        InvalidInputException absent = assertThrows(InvalidInputException.class, () -> Tracker.open(missing));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());
        assertFalse(absent.getMessage().contains(PASSWORD), absent.getMessage());
        // Databases the role may connect to but not create tables in (the first open creates Runlog's
        // tables): one whose public schema it may use but not create in, one whose schema it may not use.
        Map<String, String> says = Map.of("REVOKE CREATE ON SCHEMA public FROM PUBLIC", "lacks a privilege",
                "REVOKE ALL ON SCHEMA public FROM PUBLIC", "no schema it may use");
        for (Map.Entry<String, String> revoke : says.entrySet()) {
            String locked = pg.newDatabase();
            try (var c = pg.connect(locked); var s = c.createStatement()) {
                s.execute(revoke.getKey());
            }
            String noGrants = "postgresql://" + ROLE + ":" + PASSWORD + "@" + pg.hostAndPort() + "/" + locked;
            InvalidInputException denied = assertThrows(InvalidInputException.class, () -> Tracker.open(noGrants));
            assertTrue(denied.getMessage().contains(revoke.getValue()), denied.getMessage());
        }
        // A Runlog database another role made, which this role may connect to and nothing else: not damage.
        String others = pg.newDatabase();
        try (Tracker owner = Tracker.builder().uri(pg.uri(others)).shutdownHook(false).build()) {
            owner.createExperiment("theirs");
        }
        String connectOnly = "postgresql://" + ROLE + ":" + PASSWORD + "@" + pg.hostAndPort() + "/" + others;
        InvalidInputException denied = assertThrows(InvalidInputException.class, () -> Tracker.open(connectOnly));
        assertTrue(denied.getMessage().contains("lacks a privilege") && denied.getMessage().contains("runlog_schema"),
                denied.getMessage());
    }

    @Test
    void passwordFileInTheHomeDirectoryMatchesHostPortDatabaseAndUser() throws Exception {
        needsPasswordRole();
        TestPostgres pg = TestPostgres.get();
        Path home = Files.createDirectories(temp.resolve("home"));
        Path pgpass = home.resolve(".pgpass");
        String host = pg.hostAndPort().substring(0, pg.hostAndPort().lastIndexOf(':'));
        String port = pg.hostAndPort().substring(host.length() + 1);
        Files.writeString(pgpass, "# comment\n"
                + host + ":" + port + ":" + database + ":someone-else:wrong\n"
                + host + ":*:" + database + ":" + ROLE + ":" + PASSWORD + "\n"
                + "*:*:*:*:wrong\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            try (Tracker tracker = Tracker.builder().uri(roleUri(null)).shutdownHook(false).build()) {
                assertEquals(List.of(), tracker.listExperiments());
            }
            // As libpq: a file its group or others may read is ignored, so no password is sent.
            Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
            assertThrows(InvalidInputException.class, () -> Tracker.open(roleUri(null)));
        } finally {
            System.setProperty("user.home", before);
        }
    }

    @Test
    void environmentPasswordThenPasswordFile() throws Exception {
        needsPasswordRole();
        Path pgpass = temp.resolve("elsewhere.pgpass");
        Files.writeString(pgpass, "*:*:*:" + ROLE + ":" + PASSWORD.replace(":", "\\:") + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        // PGPASSWORD is used; PGPASSFILE names the file; a password in the URI wins over both.
        assertEquals("opened", child(Map.of("PGPASSWORD", PASSWORD), roleUri(null)));
        assertEquals("opened", child(Map.of("PGPASSFILE", pgpass.toString()), roleUri(null)));
        assertEquals("opened", child(Map.of("PGPASSWORD", "wrong", "PGPASSFILE", pgpass.toString()), roleUri(PASSWORD)));
        String refused = child(Map.of("PGPASSWORD", "wrong", "PGPASSFILE", pgpass.toString()), roleUri(null));
        assertTrue(refused.startsWith("InvalidInputException") && refused.contains("password authentication failed"), refused);
    }

    private String child(Map<String, String> environment, String uri) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Its own home: no ~/.pgpass of the machine's.
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx128m", "-Duser.home=" + temp,
                "-cp", System.getProperty("java.class.path"), PasswordChild.class.getName(), uri).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("PGPASSWORD", "PGPASSFILE", "RUNLOG_TRACKING_URI"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        try (var reader = process.inputReader()) {
            reader.lines().forEach(lines::add);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return lines.stream().filter(l -> l.equals("opened") || l.contains("Exception")).findFirst()
                .orElse(String.join("\n", lines));
    }
}
