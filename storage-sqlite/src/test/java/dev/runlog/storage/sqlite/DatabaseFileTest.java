package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code sqlite:PATH} does with the file at PATH: which files it refuses, and how it leaves them. */
class DatabaseFileTest {
    private static final int RUNLOG_APPLICATION_ID = 0x526C6F67;

    @TempDir
    Path dir;

    @Test
    void withoutCreateIfMissingOnlyAFileThatIsThereOpens() {
        Path missing = dir.resolve("sub").resolve("typo.db");
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> Tracker.builder().uri("sqlite:" + missing).createIfMissing(false).shutdownHook(false).build());
        assertTrue(e.getMessage().contains("No Runlog store at " + missing) && e.getMessage().contains("makes none"), e.getMessage());
        assertFalse(Files.exists(missing.getParent()), "nothing made");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + missing).shutdownHook(false).build()) {
            tracker.createExperiment("there");
        }
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + missing).createIfMissing(false).shutdownHook(false).build()) {
            assertTrue(tracker.getExperimentByName("there").isPresent());
        }
    }

    @Test
    void withoutCreateIfMissingAnEmptyFileIsNoStoreAndStaysEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("touched.db"));
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> Tracker.builder().uri("sqlite:" + empty).createIfMissing(false).shutdownHook(false).build());
        assertTrue(e.getMessage().contains("the file is empty, and this opening makes none"), e.getMessage());
        assertEquals(0, Files.size(empty), "nothing written");
    }

    // ---- (a) not SQLite at all ----------------------------------------------------------------

    @Test
    void aTextFileIsRefusedAndLeftUntouched() throws IOException {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "hello, this is not a database\n", StandardCharsets.US_ASCII);
        assertRefusedUntouched(InvalidInputException.class, file, "not a Runlog database", "not an SQLite file");
    }

    @Test
    void eightKibOfRandomBytesAreRefusedAndLeftUntouched() throws IOException {
        Path file = dir.resolve("random.db");
        byte[] bytes = new byte[8192];
        new Random(42).nextBytes(bytes);
        Files.write(file, bytes);
        assertRefusedUntouched(InvalidInputException.class, file, "not a Runlog database", "not an SQLite file");
    }

    @Test
    void aDeviceOrFifoIsRefusedAndNothingIsCreatedBesideIt() throws Exception {
        Path fifo = dir.resolve("pipe.db");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        for (Path special : List.of(fifo, Path.of("/dev/null"))) {
            // Not a StoreException: the path names no file SQLite can use, now or later.
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open("sqlite:" + special));
            assertTrue(e.getMessage().contains("it is not a regular file"), e.getMessage());
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(fifo), entries.toList(), "no journal or WAL file beside it");
        }
        assertFalse(Files.exists(Path.of("/dev/null-journal")) && Files.isRegularFile(Path.of("/dev/null-journal"))
                && Files.getLastModifiedTime(Path.of("/dev/null-journal")).toMillis() > System.currentTimeMillis() - 10_000);
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("folder.db"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open("sqlite:" + directory));
        assertTrue(e.getMessage().contains(directory.toAbsolutePath().normalize().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        try (Stream<Path> entries = Files.list(directory)) {
            assertEquals(List.of(), entries.toList());
        }
    }

    @Test
    void anEmptyFileBecomesARunlogDatabase() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.db"));
        String runId;
        try (Tracker tracker = Tracker.open("sqlite:" + file); ActiveRun run = tracker.startRun("e")) {
            run.logParam("p", "v");
            runId = run.id();
        }
        try (Tracker tracker = Tracker.open("sqlite:" + file)) {
            assertEquals(Map.of("p", "v"), tracker.getRun(runId).data().params());
        }
        assertEquals(RUNLOG_APPLICATION_ID, pragmaInt(file, "application_id"));
    }

    // ---- (b) SQLite, but another application's ------------------------------------------------

    @Test
    void anotherApplicationsSqliteFileIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("inventory.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO items (name) VALUES ('hammer')");
        }
        assertRefusedUntouched(InvalidInputException.class, file, "another application", "not a Runlog database");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM items")) {
            assertTrue(rs.next());
            assertEquals("hammer", rs.getString(1));
        }
    }

    @Test
    void anSqliteFileWithAnotherApplicationIdIsRefusedEvenWithoutTables() throws Exception {
        Path file = dir.resolve("other-app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA application_id = 305419896"); // 0x12345678
        }
        assertEquals(0x12345678, pragmaInt(file, "application_id"));
        assertRefusedUntouched(InvalidInputException.class, file, "another application", "305419896");
    }

    // ---- (c) a newer Runlog's database --------------------------------------------------------

    @Test
    void aDatabaseOfANewerSchemaVersionIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("future.db");
        try (Tracker tracker = Tracker.open("sqlite:" + file); ActiveRun run = tracker.startRun("future")) {
            run.logMetric("loss", 0.5, 1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 999");
        }
        StoreException e = assertRefusedUntouched(file, "schema version 999", "newer than this Runlog knows",
                "Upgrade Runlog", "left untouched");
        assertFalse(e.getMessage().contains("another application"), e.getMessage());
        assertEquals(999, pragmaInt(file, "user_version"));
    }

    /**
     * Zero or below names no schema; a version lowered below the tables the file holds met its own
     * tables again ("table already exists; try again", a retry that never helps).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {-1, 0, Integer.MIN_VALUE, 1, 5, 8})
    void aRunlogDatabaseWhoseSchemaVersionWasChangedByHandIsRefusedAsDamaged(int version) throws Exception {
        Path file = dir.resolve("changed" + version + ".db");
        try (Tracker tracker = Tracker.open("sqlite:" + file); ActiveRun run = tracker.startRun("changed")) {
            run.logMetric("loss", 0.5, 1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + version);
        }
        // Not an ArrayIndexOutOfBoundsException from the migrations, nor "table already exists".
        assertRefusedUntouched(IntegrityException.class, file, "damaged schema header", "schema version " + version, "left untouched",
                version > 0 ? "yet holds what migration" : "tables");
        assertEquals(version, pragmaInt(file, "user_version"));
    }

    // ---- (d) a corrupt database ---------------------------------------------------------------

    @Test
    void aDatabaseWithAGarbledFirstPageIsRefusedAsCorruptAndLeftUntouched() throws Exception {
        Path file = dir.resolve("corrupt.db");
        try (Tracker tracker = Tracker.open("sqlite:" + file); ActiveRun run = tracker.startRun("doomed")) {
            run.logParam("lr", 0.1).setTag("t", "v");
            for (int step = 0; step < 1_000; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
        }
        assertEquals(4096, pragmaInt(file, "page_size"), "page 1 is bytes 0..4095 only with 4 KiB pages");
        assertTrue(Files.size(file) > 4096);
        // Keep the 100-byte file header (so it still reads as an SQLite file of Runlog's, schema 1)
        // and overwrite the rest of page 1: the b-tree page holding sqlite_master.
        byte[] garbage = new byte[4096 - 100];
        new Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xA5; // not a valid b-tree page type, whatever the random bytes
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(100);
            raf.write(garbage);
        }
        assertEquals(RUNLOG_APPLICATION_ID, pragmaInt(file, "application_id"), "the header survived");

        assertRefusedUntouched(IntegrityException.class, file, "corrupt");
    }

    @Test
    void aGoodDatabaseWhoseSideFilesCannotBeMadeIsNotCalledCorrupt() throws Exception {
        Path file = dir.resolve("good.db");
        try (Tracker tracker = Tracker.open("sqlite:" + file); ActiveRun run = tracker.startRun("kept")) {
            run.logParam("lr", 0.1);
        }
        byte[] before = Files.readAllBytes(file);
        // What an unwritable directory does to SQLite (which root, running the tests, would not see):
        // it cannot create the WAL beside the file.
        Files.createDirectory(sidecar(file, "-wal"));
        StoreException e = assertThrows(StoreException.class, () -> Tracker.open("sqlite:" + file));
        assertFalse(e.getMessage().contains("corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("-wal and -shm files") && e.getMessage().contains("its directory"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "left untouched");
    }

    @Test
    void sqlitesOwnSpellingsAreRefusedInsteadOfNamingAFile() throws IOException {
        InvalidInputException memory = assertThrows(InvalidInputException.class, () -> Tracker.open("sqlite::memory:"));
        assertTrue(memory.getMessage().contains("write memory:"), memory.getMessage());
        assertFalse(Files.exists(Path.of(":memory:")), "no file named :memory: in the working directory");
        InvalidInputException file = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:file:" + dir.resolve("x.db")));
        assertTrue(file.getMessage().contains("not SQLite's file: URIs"), file.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "nothing created");
        }
    }

    // ---- (e) what a new database records --------------------------------------------------------

    @Test
    void aNewDatabaseRecordsApplicationIdSchemaVersionAndWal() throws Exception {
        Path file = dir.resolve("new.db");
        assertFalse(Files.exists(file));
        try (Tracker tracker = Tracker.open("sqlite:" + file)) {
            assertTrue(Files.isRegularFile(file));
            assertEquals(List.of(), tracker.listExperiments(ViewType.ALL));
            // Read while the tracker has it open, and again after it closed.
            assertNewDatabasePragmas(file);
        }
        assertNewDatabasePragmas(file);
        assertFalse(Files.exists(sidecar(file, "-wal")), "close folds the WAL back into the file");
    }

    private static void assertNewDatabasePragmas(Path file) throws SQLException {
        assertEquals(RUNLOG_APPLICATION_ID, pragmaInt(file, "application_id"));
        assertTrue(pragmaInt(file, "user_version") >= 1, "user_version " + pragmaInt(file, "user_version"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertTrue(rs.next());
            assertEquals("wal", rs.getString(1));
        }
    }

    // ---- (f) reopening ------------------------------------------------------------------------

    @Test
    void reopeningKeepsAllDataAndMigrationIsIdempotent() throws Exception {
        Path file = dir.resolve("reopen.db");
        String uri = "sqlite:" + file;
        Experiment experiment;
        Run finished;
        Run failed;
        List<Metric> lossHistory;
        List<Metric> oddHistory;
        // A fixed clock: points of one step tie on timestamp, so their order is decided by value.
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
        try (Tracker tracker = Tracker.builder().uri(uri).clock(clock).build()) {
            String firstId;
            try (ActiveRun run = tracker.startRun("keep")) {
                firstId = run.id();
                run.logParam("lr", 0.001).logParam("layers", 3).setTag("team", "vision").setTag("team", "nlp");
                for (int step = 0; step < 5_000; step++) {
                    run.logMetric("loss", Math.exp(-step / 1000.0), step);
                }
                run.logMetric("odd", Double.NaN, 0).logMetric("odd", -0.0, 1)
                        .logMetric("odd", Double.POSITIVE_INFINITY, 2).logMetric("odd", Double.NEGATIVE_INFINITY, 3)
                        .logMetric("odd", Double.MIN_VALUE, 3).logMetric("odd", 7.0, 2); // out of order on purpose
            }
            ActiveRun second = tracker.startRun("keep");
            second.logParam("seed", 17).logMetric("acc", 0.25, 9).flush();
            experiment = tracker.getExperimentByName("keep").orElseThrow();
            finished = tracker.getRun(firstId);
            lossHistory = tracker.metricHistory(firstId, "loss");
            oddHistory = tracker.metricHistory(firstId, "odd");
            second.end(RunStatus.FAILED);
            failed = tracker.getRun(second.id());
        }
        assertEquals(5_000, lossHistory.size());
        assertEquals(List.of(Double.NaN, -0.0, 7.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE)
                .stream().map(Double::doubleToRawLongBits).toList(),
                oddHistory.stream().map(m -> Double.doubleToRawLongBits(m.value())).toList(),
                "history order: by step, then timestamp, then value");
        assertEquals(RunStatus.FINISHED, finished.info().status());
        assertEquals(Map.of("lr", "0.001", "layers", "3"), finished.data().params());
        assertEquals("nlp", finished.data().tags().get("team"));
        assertEquals(List.of(0L, 1L, 2L, 2L, 3L, 3L), oddHistory.stream().map(Metric::step).toList());
        assertEquals(new Metric("odd", Double.MIN_VALUE, 3, clock.millis()), finished.data().latestMetrics().get("odd"));
        assertEquals(4_999, finished.data().latestMetrics().get("loss").step());
        assertEquals(RunStatus.FAILED, failed.info().status());
        assertEquals(new Metric("acc", 0.25, 9, clock.millis()), failed.data().latestMetrics().get("acc"));
        assertEquals(Map.of("seed", "17"), failed.data().params());

        List<String> schema = schemaOf(file);
        int version = pragmaInt(file, "user_version");
        for (int session = 1; session <= 2; session++) {
            try (Tracker tracker = Tracker.open(uri)) {
                assertEquals(List.of(experiment), tracker.listExperiments(ViewType.ALL), "session " + session);
                assertEquals(finished, tracker.getRun(finished.info().id()), "session " + session);
                assertEquals(failed, tracker.getRun(failed.info().id()), "session " + session);
                assertEquals(lossHistory, tracker.metricHistory(finished.info().id(), "loss"), "session " + session);
                assertEquals(oddHistory, tracker.metricHistory(finished.info().id(), "odd"), "session " + session);
                assertEquals(List.of(failed.data().latestMetrics().get("acc")), tracker.metricHistory(failed.info().id(), "acc"));
            }
            assertEquals(schema, schemaOf(file), "reopening changed the schema (session " + session + ")");
            assertEquals(version, pragmaInt(file, "user_version"));
            assertEquals(RUNLOG_APPLICATION_ID, pragmaInt(file, "application_id"));
        }

        // Two trackers on the file at once: both open it, and each sees what the other writes.
        try (Tracker first = Tracker.open(uri); Tracker second = Tracker.open(uri)) {
            assertEquals(finished, second.getRun(finished.info().id()));
            String runId;
            try (ActiveRun run = first.startRun("keep")) {
                run.logParam("third", "yes").logMetric("loss", 1.5, 0);
                runId = run.id();
            }
            Run third = second.getRun(runId);
            assertEquals(RunStatus.FINISHED, third.info().status());
            assertEquals(Map.of("third", "yes"), third.data().params());
            assertEquals(1.5, second.metricHistory(runId, "loss").get(0).value());
            assertEquals(List.of(experiment), second.listExperiments(ViewType.ALL));
        }
        assertEquals(schema, schemaOf(file));
    }

    // ---- (g) where artifacts go ---------------------------------------------------------------

    @Test
    void artifactsGoBesideTheDatabaseByDefault() throws Exception {
        Path file = dir.resolve("x.db");
        Path source = Files.writeString(dir.resolve("model.txt"), "weights v1\n");
        String runId;
        try (Tracker tracker = Tracker.open("sqlite:" + file)) {
            try (ActiveRun run = tracker.startRun("art")) {
                run.logArtifact(source);
                runId = run.id();
            }
            try (InputStream in = tracker.openArtifact(runId, "model.txt")) {
                assertEquals("weights v1\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Path root = dir.resolve("x.db.artifacts");
        assertSingleArtifact(root, runId, "model.txt", "weights v1\n");
    }

    @Test
    void theArtifactsOptionPutsArtifactsElsewhere() throws Exception {
        Path file = dir.resolve("x.db");
        Path other = dir.resolve("elsewhere").resolve("artifacts");
        Path source = Files.writeString(dir.resolve("model.txt"), "weights v2\n");
        String runId;
        try (Tracker tracker = Tracker.open("sqlite:" + file + "?artifacts=" + other)) {
            try (ActiveRun run = tracker.startRun("art")) {
                run.logArtifact(source, "models/best");
                runId = run.id();
            }
            try (InputStream in = tracker.openArtifact(runId, "models/best/model.txt")) {
                assertEquals("weights v2\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(Files.isRegularFile(file));
        assertFalse(Files.exists(dir.resolve("x.db.artifacts")), "nothing goes to the default place");
        assertSingleArtifact(other, runId, "model.txt", "weights v2\n");
    }

    @Test
    void anUnknownUriOptionIsRefusedBeforeTheFileIsCreated() {
        Path file = dir.resolve("x.db");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + file + "?journal=delete"));
        assertTrue(e.getMessage().contains("unknown option 'journal'") && !e.getMessage().contains("journal=delete"),
                "named, its value hidden: " + e.getMessage());
        InvalidInputException empty = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + file + "?artifacts="));
        assertTrue(empty.getMessage().contains("artifacts="), empty.getMessage());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("x.db.artifacts")));
    }

    private static void assertSingleArtifact(Path root, String runId, String name, String content) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(1, files.size(), "files under " + root + ": " + files);
        Path stored = files.get(0);
        assertEquals(name, stored.getFileName().toString());
        assertTrue(root.relativize(stored).toString().contains(runId), stored + " is not under the run's directory");
        assertEquals(content, Files.readString(stored));
    }

    // ---- (h) relative paths and Tracker.open() ------------------------------------------------

    @Test
    void aRelativePathResolvesAgainstTheWorkingDirectory() throws Exception {
        // Under target/ of the module (the working directory of the test JVM), removed afterwards.
        String relative = "target/runlog-relative-" + UUID.randomUUID() + "/r.db";
        Path expected = Path.of("").toAbsolutePath().resolve(relative);
        Path created = expected.getParent();
        assertFalse(Files.exists(created));
        try {
            String runId;
            try (Tracker tracker = Tracker.open("sqlite:" + relative); ActiveRun run = tracker.startRun("rel")) {
                run.logParam("where", "relative");
                runId = run.id();
            }
            assertTrue(Files.isRegularFile(expected), expected + " was not created");
            assertEquals(RUNLOG_APPLICATION_ID, pragmaInt(expected, "application_id"));
            try (Tracker tracker = Tracker.open("sqlite:" + expected)) {
                assertEquals(Map.of("where", "relative"), tracker.getRun(runId).data().params());
            }
        } finally {
            deleteRecursively(created);
        }
        assertFalse(Files.exists(created));
    }

    @Test
    void aFourSlashUriNamesAnAbsolutePath() throws Exception {
        Path file = dir.resolve("four-slash.db").toAbsolutePath();
        assertTrue(file.toString().startsWith("/"), file.toString());
        try (Tracker tracker = Tracker.open("sqlite:///" + file)) { // sqlite:////tmp/..., as in SQLAlchemy
            tracker.createExperiment("absolute");
        }
        assertEquals(RUNLOG_APPLICATION_ID, pragmaInt(file, "application_id"));
    }

    /**
     * The provider strips the {@code //} of {@code sqlite:///PATH} "as SQLAlchemy and MLflow write
     * it". There, three slashes are followed by a <em>relative</em> path ({@code sqlite:///mlflow.db}
     * is mlflow.db in the working directory) and an absolute one takes four. Run in a child JVM
     * whose working directory is a temporary one, with a relative path starting with {@code tmp/},
     * so that reading it as absolute lands in /tmp, where it is cleaned up.
     */
    @Test
    void anMlflowStyleThreeSlashUriIsRelativeToTheWorkingDirectory() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        String relative = "tmp/runlog-three-slash-" + UUID.randomUUID() + ".db";
        String uri = "sqlite:///" + relative;
        Path expected = work.resolve(relative);
        Path absoluteReading = Path.of("/").resolve(relative);
        try {
            Process child = ChildJvm.start(work, OpenChild.class, uri);
            ChildJvm.Lines out = new ChildJvm.Lines("open child stdout", child.getInputStream());
            ChildJvm.Lines err = new ChildJvm.Lines("open child stderr", child.getErrorStream());
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
            Duration drain = Duration.ofSeconds(10);
            List<String> printed = out.awaitEnd(drain);
            assertEquals(0, child.exitValue(), "stdout:\n" + printed + "\nstderr:\n" + String.join("\n", err.awaitEnd(drain)));
            assertEquals(List.of("OPENED " + uri), printed);
            assertTrue(Files.isRegularFile(expected), uri + " run in " + work + " should open " + expected
                    + (Files.exists(absoluteReading) ? ", but it opened " + absoluteReading : ""));
            assertFalse(Files.exists(absoluteReading), absoluteReading + " was created");
        } finally {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(absoluteReading.resolveSibling(absoluteReading.getFileName() + suffix));
            }
            deleteRecursively(absoluteReading.resolveSibling(absoluteReading.getFileName() + ".artifacts"));
        }
    }

    /** Acceptance: with no configuration at all, Tracker.open() keeps its data in ./runlog.db. */
    @Test
    void openWithoutConfigurationCreatesRunlogDbInTheWorkingDirectory() throws Exception {
        Path work = Files.createDirectory(dir.resolve("fresh-work"));
        Process child = ChildJvm.start(work, OpenChild.class);
        ChildJvm.Lines out = new ChildJvm.Lines("default child stdout", child.getInputStream());
        ChildJvm.Lines err = new ChildJvm.Lines("default child stderr", child.getErrorStream());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
        Duration drain = Duration.ofSeconds(10);
        List<String> printed = out.awaitEnd(drain);
        assertEquals(0, child.exitValue(), "stdout:\n" + printed + "\nstderr:\n" + String.join("\n", err.awaitEnd(drain)));
        assertEquals(List.of("OPENED sqlite:runlog.db"), printed);
        Path db = work.resolve("runlog.db");
        assertTrue(Files.isRegularFile(db), "expected " + db);
        assertEquals(RUNLOG_APPLICATION_ID, pragmaInt(db, "application_id"));
        try (Tracker tracker = Tracker.open("sqlite:" + db)) {
            assertTrue(tracker.getExperimentByName("opened").isPresent());
        }
    }

    @Test
    void openWithoutArgumentsUsesTheSystemProperty() throws Exception {
        Path file = dir.resolve("from-property.db");
        String previous = System.getProperty(Tracker.URI_PROPERTY);
        System.setProperty(Tracker.URI_PROPERTY, "sqlite:" + file);
        try (Tracker tracker = Tracker.open()) {
            tracker.createExperiment("via-property");
        } finally {
            if (previous == null) {
                System.clearProperty(Tracker.URI_PROPERTY);
            } else {
                System.setProperty(Tracker.URI_PROPERTY, previous);
            }
        }
        try (Tracker tracker = Tracker.open("sqlite:" + file)) {
            assertEquals(List.of("via-property"),
                    tracker.listExperiments(ViewType.ALL).stream().map(Experiment::name).toList());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * Opens {@code file}, expecting a StoreException naming the file and every fragment, and checks
     * the file was left byte for byte as it was, with no journal, WAL or artifact directory beside it.
     */
    private static StoreException assertRefusedUntouched(Path file, String... fragments) throws IOException {
        return assertRefusedUntouched(StoreException.class, file, fragments);
    }

    private static <E extends RunlogException> E assertRefusedUntouched(Class<E> type, Path file, String... fragments)
            throws IOException {
        byte[] before = Files.readAllBytes(file);
        assertNoSidecars(file);
        E e = assertThrows(type, () -> Tracker.open("sqlite:" + file));
        String message = e.getMessage();
        assertTrue(message.contains(file.toAbsolutePath().normalize().toString()), "the message names the file: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
        }
        assertArrayEquals(before, Files.readAllBytes(file), "the refused file was changed");
        assertNoSidecars(file);
        // A second attempt fails the same way: the first one left nothing that changes the verdict.
        E again = assertThrows(type, () -> Tracker.open("sqlite:" + file));
        assertEquals(message, again.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "the refused file was changed");
        assertNoSidecars(file);
        return e;
    }

    private static void assertNoSidecars(Path file) {
        for (String suffix : List.of("-wal", "-shm", "-journal", ".artifacts")) {
            Path sidecar = sidecar(file, suffix);
            assertFalse(Files.exists(sidecar), sidecar + " exists");
        }
    }

    private static Path sidecar(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static int pragmaInt(Path file, String pragma) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            assertTrue(rs.next(), pragma);
            return rs.getInt(1);
        }
    }

    /** Every schema object, as SQLite keeps it. */
    private static List<String> schemaOf(Path file) throws SQLException {
        List<String> schema = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")) {
            while (rs.next()) {
                schema.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        assertFalse(schema.isEmpty());
        return schema;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
