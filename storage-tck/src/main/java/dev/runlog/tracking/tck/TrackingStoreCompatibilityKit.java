package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ClassNotAllowedException;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentPage;
import dev.runlog.tracking.ExperimentQuery;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.ModelSignature;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunPage;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.tck.other.Calibration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every Runlog store keeps, as JUnit 5 tests. A store module proves its store by
 * subclassing this kit in its tests and saying how to open a fresh, empty store:
 *
 * <pre>{@code
 * class SqliteStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
 *     protected String storeUri(Path dir) { return "sqlite:" + dir.resolve("runlog.db"); }
 * }
 * }</pre>
 *
 * <p>The kit drives the store only through the public API ({@link Tracker}, {@link ActiveRun}),
 * exactly as users do: it builds each tracker itself with
 * {@code Tracker.builder().uri(storeUri(dir)).clock(clock).shutdownHook(false).build()}, so the
 * store is found by its URI scheme like in production, and closes every tracker after each test.
 * Time comes from a {@link MutableClock} the tests control, so every timestamp is checked exactly.
 *
 * <p>The tests are grouped in {@link Nested} classes, one per rule of the contract (experiments,
 * runs, params, keys, metrics, tags, writes to inactive runs, lifecycle, system tags, async
 * logging, concurrency, artifacts, datasets, models, archives, store discovery, run search, experiment search). All but the concurrency test take well under
 * a second each on the in-memory store.
 */
public abstract class TrackingStoreCompatibilityKit {

    /**
     * Where {@link #clock} stands when each test starts: a fixed instant in the past, with
     * milliseconds, so a store that reads the system clock or drops milliseconds is caught.
     */
    protected static final Instant START = Instant.parse("2021-06-15T08:30:00.123Z");

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String UNKNOWN_RUN_ID = "0123456789abcdef0123456789abcdef";

    /** The clock of every tracker the kit builds, reset to {@link #START} before each test. */
    protected MutableClock clock;

    /** A tracker on a fresh store, opened before each test and closed after it. */
    protected Tracker tracker;

    private Path tempDir;
    private int directoriesMade;
    private final Deque<Tracker> openTrackers = new ArrayDeque<>();

    /**
     * The URI of a fresh, empty store, such as {@code "memory:"} or
     * {@code "sqlite:" + dir.resolve("runlog.db")}. Called once per tracker the kit builds, each
     * time with a new empty directory the store may put its files in; it is deleted after the
     * test, once the trackers on it are closed.
     *
     * @param tempDir an empty directory for this store alone
     * @return a tracking URI whose store holds nothing yet
     */
    protected abstract String storeUri(Path tempDir);

    /** Resets the clock and opens {@link #tracker} on a fresh store. */
    @BeforeEach
    protected final void openKitTracker(@TempDir Path tempDir) {
        this.tempDir = tempDir;
        this.directoriesMade = 0;
        this.clock = new MutableClock(START);
        this.tracker = newTracker(builder -> { });
    }

    /** Closes every tracker the test opened, newest first; a failing close fails the test. */
    @AfterEach
    protected final void closeKitTrackers() throws Exception {
        Closer.closeAll(openTrackers);
    }

    /**
     * Opens another tracker on another fresh store, with the kit's clock, no shutdown hook, and
     * whatever else {@code options} sets; it is closed after the test.
     */
    protected final Tracker newTracker(Consumer<Tracker.Builder> options) {
        Tracker.Builder builder = Tracker.builder().uri(storeUri(newDirectory("store"))).clock(clock).shutdownHook(false);
        options.accept(builder);
        Tracker opened = builder.build();
        openTrackers.push(opened);
        return opened;
    }

    /** A new empty directory under the test's temporary directory. */
    protected final Path newDirectory(String prefix) {
        try {
            return Files.createDirectories(tempDir.resolve(prefix + "-" + (++directoriesMade)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code content} to a new file named {@code name} (in a new directory) and returns it. */
    protected final Path newFile(String name, byte[] content) {
        try {
            return Files.write(newDirectory("files").resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code length} random bytes, the same for the same seed. */
    protected static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The SHA-256 of {@code content} as 64 lowercase hex characters, as artifact entries record it. */
    protected static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A string of exactly {@code length} characters repeating {@code pattern}. */
    protected static String text(int length, String pattern) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            sb.append(pattern);
        }
        sb.setLength(length);
        return sb.toString();
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Run run(String runId) {
        return tracker.getRun(runId);
    }

    private static Map<String, String> userTags(Run run) {
        return run.data().tags().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("runlog."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static void assertMessageContains(Throwable e, String... parts) {
        String message = e.getMessage();
        assertNotNull(message, () -> e.getClass().getName() + " has no message");
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message should contain '" + part + "': " + message);
        }
    }

    private static List<Long> steps(List<Metric> history) {
        return history.stream().map(Metric::step).toList();
    }

    private static List<Double> values(List<Metric> history) {
        return history.stream().map(Metric::value).toList();
    }

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Every file under an artifact directory of a run, recursively: path relative to {@code dir} to entry. */
    private static SortedMap<String, ArtifactEntry> artifactTree(Tracker on, String runId, String dir) {
        SortedMap<String, ArtifactEntry> files = new TreeMap<>();
        String prefix = dir.isEmpty() ? "" : dir + "/";
        Deque<String> pending = new ArrayDeque<>(List.of(dir));
        while (!pending.isEmpty()) {
            for (ArtifactEntry entry : on.listArtifacts(runId, pending.pop())) {
                if (entry.isDirectory()) {
                    pending.push(entry.path());
                } else {
                    assertTrue(entry.path().startsWith(prefix), () -> entry.path() + " is listed under '" + dir + "'");
                    files.put(entry.path().substring(prefix.length()), entry);
                }
            }
        }
        return files;
    }

    /** Path relative to {@code dir} to "size:sha256" of every file under an artifact directory. */
    private static SortedMap<String, String> artifactDigests(Tracker on, String runId, String dir) {
        SortedMap<String, String> digests = new TreeMap<>();
        artifactTree(on, runId, dir).forEach((path, entry) -> digests.put(path,
                entry.size() + ":" + entry.sha256().orElse("<no sha256>")));
        return digests;
    }

    /** Path relative to {@code root} ('/'-separated) to "size:sha256" of every regular file under a local directory. */
    private static SortedMap<String, String> localDigests(Path root) {
        SortedMap<String, String> digests = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(p);
                digests.put(root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"),
                        content.length + ":" + sha256(content));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digests;
    }

    /** Writes each relative path's content under {@code root}, creating directories; returns root. */
    private static Path writeTree(Path root, Map<String, byte[]> files) {
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = root.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "size:sha256" of each content, by path: what {@link #artifactDigests} and {@link #localDigests} give. */
    private static SortedMap<String, String> digestsOf(Map<String, byte[]> files) {
        SortedMap<String, String> digests = new TreeMap<>();
        files.forEach((path, content) -> digests.put(path, content.length + ":" + sha256(content)));
        return digests;
    }

    private static String utf8(InputStream in) {
        return new String(readAll(in), StandardCharsets.UTF_8);
    }

    /**
     * JSON without the whitespace between tokens (strings are kept as they are), so that what
     * Jackson pretty-prints can be compared with a compact expected text.
     */
    private static String compactJson(String json) {
        StringBuilder compact = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                compact.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                compact.append(c);
            } else if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        return compact.toString();
    }

    private static List<String> ids(List<Run> runs) {
        return runs.stream().map(r -> r.info().id()).toList();
    }

    /** A hand-built dataset with two numeric columns, one with -0.0 as its minimum; the digest follows the version. */
    private static Dataset dataset(String name, String version) {
        return new Dataset(name, sha256((name + "@" + version).getBytes(StandardCharsets.UTF_8)),
                "s3://datasets/" + name + "/" + version + ".parquet",
                List.of(new Dataset.Column("age", "long"), new Dataset.Column("income", "double"),
                        new Dataset.Column("city", "string"), new Dataset.Column("member", "boolean")),
                new Dataset.Profile(1000, Map.of(
                        "age", new Dataset.ColumnProfile(990, 10, 18, 90, 41.5, 12.25,
                                new Dataset.Histogram(List.of(18.0, 42.0, 66.0, 90.0), List.of(400L, 450L, 140L))),
                        "income", new Dataset.ColumnProfile(1000, 0, -0.0, 2.5e6, 61234.5, 40321.75,
                                new Dataset.Histogram(List.of(-0.0, 1.25e6, 2.5e6), List.of(998L, 2L))))));
    }

    /**
     * A hand-built dataset of one row: a column with a single value, whose standard deviation is NaN,
     * and a column with no value at all, whose statistics are all NaN and whose histogram is empty.
     */
    private static Dataset singleRowDataset() {
        return new Dataset("one-row", sha256("one-row".getBytes(StandardCharsets.UTF_8)), "file:/data/one-row.csv",
                List.of(new Dataset.Column("v", "double"), new Dataset.Column("w", "double")),
                new Dataset.Profile(1, Map.of(
                        "v", new Dataset.ColumnProfile(1, 0, 7.5, 7.5, 7.5, Double.NaN,
                                new Dataset.Histogram(List.of(7.5, 7.5), List.of(1L))),
                        "w", new Dataset.ColumnProfile(0, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                                new Dataset.Histogram(List.of(), List.of())))));
    }

    // =============================================================================================

    /** Rule 1: experiments are created on first use, have unique names, and soft-delete. */
    @Nested
    @DisplayName("Experiments")
    class Experiments {

        @Test
        @DisplayName("a fresh store holds no experiments")
        void freshStoreIsEmpty() {
            assertEquals(List.of(), tracker.listExperiments(ViewType.ALL));
            assertEquals(Optional.empty(), tracker.getExperimentByName("iris"));
        }

        @Test
        @DisplayName("startRun creates the experiment on first use")
        void startRunCreatesExperiment() {
            try (ActiveRun run = tracker.startRun("iris")) {
                Experiment experiment = tracker.getExperimentByName("iris").orElseThrow(
                        () -> new AssertionError("startRun did not create experiment 'iris'"));
                assertEquals(run.experimentId(), experiment.id());
                assertEquals("iris", experiment.name());
                assertEquals(LifecycleStage.ACTIVE, experiment.lifecycleStage());
                assertEquals(experiment, tracker.getExperiment(experiment.id()));
                assertEquals(List.of(experiment), tracker.listExperiments());
                assertEquals(experiment.id(), run(run.id()).info().experimentId());
            }
        }

        @Test
        @DisplayName("a second startRun reuses the experiment")
        void secondStartRunReusesExperiment() {
            ActiveRun first = tracker.startRun("iris");
            ActiveRun second = tracker.startRun("iris");
            assertEquals(first.experimentId(), second.experimentId());
            assertNotEquals(first.id(), second.id());
            assertEquals(List.of("iris"), tracker.listExperiments(ViewType.ALL).stream().map(Experiment::name).toList());
        }

        @Test
        @DisplayName("startRun uses an experiment made by createExperiment")
        void startRunUsesCreatedExperiment() {
            Experiment created = tracker.createExperiment("churn");
            ActiveRun run = tracker.startRun("churn");
            assertEquals(created.id(), run.experimentId());
            assertEquals(1, tracker.listExperiments(ViewType.ALL).size());
        }

        @Test
        @DisplayName("createExperiment with a taken name fails with ConflictException")
        void duplicateNameConflicts() {
            Experiment created = tracker.createExperiment("churn");
            assertThrows(ConflictException.class, () -> tracker.createExperiment("churn"));
            assertEquals(List.of(created), tracker.listExperiments(ViewType.ALL));
        }

        @Test
        @DisplayName("createExperiment with the name of a deleted experiment fails with ConflictException")
        void deletedNameStaysTaken() {
            Experiment created = tracker.createExperiment("churn");
            tracker.deleteExperiment(created.id());
            assertThrows(ConflictException.class, () -> tracker.createExperiment("churn"));
            assertEquals(List.of(created.id()), tracker.listExperiments(ViewType.ALL).stream().map(Experiment::id).toList());
        }

        @Test
        @DisplayName("getExperimentByName finds deleted experiments")
        void getByNameFindsDeleted() {
            Experiment created = tracker.createExperiment("churn");
            tracker.deleteExperiment(created.id());
            Experiment found = tracker.getExperimentByName("churn").orElseThrow(
                    () -> new AssertionError("deleted experiment 'churn' not found by name"));
            assertEquals(created.id(), found.id());
            assertEquals(LifecycleStage.DELETED, found.lifecycleStage());
            assertEquals(LifecycleStage.DELETED, tracker.getExperiment(created.id()).lifecycleStage());
        }

        @Test
        @DisplayName("listExperiments shows active ones by default, DELETED_ONLY and ALL on request, oldest first")
        void listViews() {
            Experiment a = tracker.createExperiment("a");
            clock.advance(Duration.ofSeconds(1));
            Experiment b = tracker.createExperiment("b");
            clock.advance(Duration.ofSeconds(1));
            Experiment c = tracker.createExperiment("c");
            tracker.deleteExperiment(b.id());

            Function<List<Experiment>, List<String>> ids = list -> list.stream().map(Experiment::id).toList();
            assertAll(
                    () -> assertEquals(List.of(a.id(), c.id()), ids.apply(tracker.listExperiments())),
                    () -> assertEquals(List.of(a.id(), c.id()), ids.apply(tracker.listExperiments(ViewType.ACTIVE_ONLY))),
                    () -> assertEquals(List.of(b.id()), ids.apply(tracker.listExperiments(ViewType.DELETED_ONLY))),
                    () -> assertEquals(List.of(a.id(), b.id(), c.id()), ids.apply(tracker.listExperiments(ViewType.ALL))));
        }

        @ParameterizedTest(name = "getExperiment(\"{0}\")")
        @ValueSource(strings = {"999999999", "no-such-experiment"})
        @DisplayName("getExperiment of an unknown id fails with NotFoundException")
        void unknownExperiment(String id) {
            tracker.createExperiment("iris");
            assertThrows(NotFoundException.class, () -> tracker.getExperiment(id));
        }

        @Test
        @DisplayName("creation and update times come from the tracker's clock")
        void timesFromClock() {
            Experiment created = tracker.createExperiment("churn");
            assertEquals(START, created.creationTime());
            assertEquals(START, created.lastUpdateTime());
            assertEquals(START, tracker.getExperiment(created.id()).creationTime());

            clock.advance(Duration.ofSeconds(5));
            Instant startedAt = clock.peek();
            ActiveRun run = tracker.startRun("iris");
            assertEquals(startedAt, tracker.getExperiment(run.experimentId()).creationTime());

            clock.advance(Duration.ofSeconds(7));
            Instant deletedAt = clock.peek();
            tracker.deleteExperiment(created.id());
            Experiment deleted = tracker.getExperiment(created.id());
            assertEquals(START, deleted.creationTime());
            assertEquals(deletedAt, deleted.lastUpdateTime());

            clock.advance(Duration.ofMillis(1));
            Instant restoredAt = clock.peek();
            tracker.restoreExperiment(created.id());
            Experiment restored = tracker.getExperiment(created.id());
            assertEquals(LifecycleStage.ACTIVE, restored.lifecycleStage());
            assertEquals(START, restored.creationTime());
            assertEquals(restoredAt, restored.lastUpdateTime());
        }

        @Test
        @DisplayName("starting a run in a deleted experiment fails with ConflictException")
        void startRunInDeletedExperiment() {
            Experiment created = tracker.createExperiment("churn");
            tracker.deleteExperiment(created.id());
            assertThrows(ConflictException.class, () -> tracker.startRun("churn"));
            assertThrows(ConflictException.class, () -> tracker.newRun("churn").name("x").start());
            List<Experiment> all = tracker.listExperiments(ViewType.ALL);
            assertEquals(1, all.size());
            assertEquals(LifecycleStage.DELETED, all.get(0).lifecycleStage());
        }
    }

    // =============================================================================================

    /** Rule 2: what a run is, and how it ends. */
    @Nested
    @DisplayName("Runs")
    class Runs {

        @Test
        @DisplayName("run ids are 32 lowercase hex characters and unique")
        void runIds() {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                try (ActiveRun run = tracker.startRun(i % 2 == 0 ? "even" : "odd")) {
                    assertTrue(RUN_ID.matcher(run.id()).matches(), () -> "malformed run id '" + run.id() + "'");
                    assertEquals(run.id(), run(run.id()).info().id());
                    ids.add(run.id());
                }
            }
            assertEquals(50, ids.size());
        }

        @Test
        @DisplayName("a run started without a name gets a generated one")
        void generatedName() {
            ActiveRun run = tracker.startRun("iris");
            assertNotNull(run.name());
            assertFalse(run.name().isBlank(), "generated run name is blank");
            assertEquals(run.name(), run(run.id()).info().name());
        }

        @Test
        @DisplayName("the builder's name and tags are applied")
        void builderNameAndTags() {
            Map<String, String> more = new LinkedHashMap<>();
            more.put("dataset", "iris-v2");
            more.put("owner", "ana");
            ActiveRun run = tracker.newRun("iris").name("baseline").tag("team", "vision").tags(more).start();
            assertEquals("baseline", run.name());
            Run stored = run(run.id());
            assertEquals("baseline", stored.info().name());
            assertEquals(Map.of("team", "vision", "dataset", "iris-v2", "owner", "ana"), userTags(stored));
        }

        @Test
        @DisplayName("run info: experiment, RUNNING, start time, no end time, ACTIVE, artifact URI; then FINISHED with end time")
        void runInfo() {
            clock.advance(Duration.ofSeconds(1));
            Instant startedAt = clock.peek();
            ActiveRun run = tracker.startRun("iris");
            Experiment experiment = tracker.getExperimentByName("iris").orElseThrow();

            var info = run(run.id()).info();
            assertAll(
                    () -> assertEquals(run.id(), info.id()),
                    () -> assertEquals(experiment.id(), info.experimentId()),
                    () -> assertEquals(experiment.id(), run.experimentId()),
                    () -> assertEquals(RunStatus.RUNNING, info.status()),
                    () -> assertEquals(startedAt, info.startTime()),
                    () -> assertEquals(Optional.empty(), info.endTime()),
                    () -> assertEquals(LifecycleStage.ACTIVE, info.lifecycleStage()),
                    () -> assertFalse(info.artifactUri().isBlank(), "artifact URI is blank"));

            clock.advance(Duration.ofSeconds(42));
            Instant endedAt = clock.peek();
            run.close();
            var ended = run(run.id()).info();
            assertAll(
                    () -> assertEquals(RunStatus.FINISHED, ended.status()),
                    () -> assertEquals(startedAt, ended.startTime()),
                    () -> assertEquals(Optional.of(endedAt), ended.endTime()),
                    () -> assertEquals(LifecycleStage.ACTIVE, ended.lifecycleStage()),
                    () -> assertEquals(info.artifactUri(), ended.artifactUri()));
        }

        @Test
        @DisplayName("close() ends a run FINISHED")
        void closeFinishes() {
            String id;
            try (ActiveRun run = tracker.startRun("iris")) {
                id = run.id();
                run.logParam("lr", 0.1);
            }
            assertEquals(RunStatus.FINISHED, run(id).info().status());
        }

        @Test
        @DisplayName("end(FAILED) then close() keeps FAILED and the first end time")
        void closeAfterEndKeepsStatus() {
            ActiveRun run = tracker.startRun("iris");
            clock.advance(Duration.ofSeconds(3));
            Instant endedAt = clock.peek();
            run.end(RunStatus.FAILED);
            clock.advance(Duration.ofSeconds(3));
            run.close();
            Run stored = run(run.id());
            assertEquals(RunStatus.FAILED, stored.info().status());
            assertEquals(Optional.of(endedAt), stored.info().endTime());
        }

        @Test
        @DisplayName("ending a run twice fails with RunNotActiveException")
        void endTwice() {
            ActiveRun run = tracker.startRun("iris");
            run.end(RunStatus.KILLED);
            RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> run.end(RunStatus.FINISHED));
            assertEquals(run.id(), e.runId());
            assertMessageContains(e, run.id());
            assertEquals(RunStatus.KILLED, run(run.id()).info().status());
        }

        @ParameterizedTest(name = "end({0})")
        @EnumSource(value = RunStatus.class, names = {"RUNNING", "SCHEDULED"})
        @DisplayName("ending a run with an active status fails with InvalidInputException and changes nothing")
        void endWithActiveStatus(RunStatus status) {
            ActiveRun run = tracker.startRun("iris");
            assertThrows(InvalidInputException.class, () -> run.end(status));
            Run stored = run(run.id());
            assertEquals(RunStatus.RUNNING, stored.info().status());
            assertEquals(Optional.empty(), stored.info().endTime());
            run.logParam("still", "writable");
            assertEquals("writable", run(run.id()).data().params().get("still"));
        }

        @Test
        @DisplayName("getRun and metricHistory of an unknown run fail with NotFoundException")
        void unknownRun() {
            tracker.startRun("iris");
            assertThrows(NotFoundException.class, () -> tracker.getRun(UNKNOWN_RUN_ID));
            assertThrows(NotFoundException.class, () -> tracker.metricHistory(UNKNOWN_RUN_ID, "loss"));
        }
    }

    // =============================================================================================

    /** Rule 3: {@code tracker.run(experiment, body)}. */
    @Nested
    @DisplayName("tracker.run(experiment, body)")
    class RunBodies {

        @Test
        @DisplayName("a body that returns ends the run FINISHED and the stored run is returned")
        void bodyReturns() {
            AtomicReference<String> id = new AtomicReference<>();
            Run result = tracker.run("iris", run -> {
                id.set(run.id());
                run.logParam("lr", 0.1);
                run.logMetric("loss", 0.25, 1);
                clock.advance(Duration.ofSeconds(3));
            });
            assertEquals(id.get(), result.info().id());
            assertEquals(RunStatus.FINISHED, result.info().status());
            assertEquals(Optional.of(START.plusSeconds(3)), result.info().endTime());
            assertEquals("0.1", result.data().params().get("lr"));
            assertEquals(0.25, result.data().metrics().get("loss"));
            assertEquals(run(id.get()), result);
        }

        @Test
        @DisplayName("a body throwing a RuntimeException ends the run FAILED and the same exception is rethrown")
        void bodyThrowsRuntimeException() {
            IllegalStateException failure = new IllegalStateException("loss diverged");
            AtomicReference<String> id = new AtomicReference<>();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tracker.run("iris", run -> {
                id.set(run.id());
                run.logMetric("loss", Double.NaN, 7);
                throw failure;
            }));
            assertSame(failure, thrown);
            Run stored = run(id.get());
            assertEquals(RunStatus.FAILED, stored.info().status());
            assertTrue(stored.info().endTime().isPresent(), "a FAILED run has an end time");
            assertEquals(1, tracker.metricHistory(id.get(), "loss").size(), "points logged before the failure are stored");
        }

        @Test
        @DisplayName("a body throwing a checked exception ends the run FAILED and the same exception is rethrown")
        void bodyThrowsCheckedException() {
            IOException failure = new IOException("dataset missing");
            AtomicReference<String> id = new AtomicReference<>();
            IOException thrown = assertThrows(IOException.class, () -> tracker.run("iris", run -> {
                id.set(run.id());
                throw failure;
            }));
            assertSame(failure, thrown);
            assertEquals(RunStatus.FAILED, run(id.get()).info().status());
        }

        @Test
        @DisplayName("a body throwing an Error ends the run FAILED and the same error is rethrown")
        void bodyThrowsError() {
            StackOverflowError failure = new StackOverflowError("recursion");
            AtomicReference<String> id = new AtomicReference<>();
            StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> tracker.run("iris", run -> {
                id.set(run.id());
                throw failure;
            }));
            assertSame(failure, thrown);
            assertEquals(RunStatus.FAILED, run(id.get()).info().status());
        }

        @Test
        @DisplayName("a body that ends the run itself keeps the status it chose")
        void bodyEndsRun() {
            AtomicReference<String> id = new AtomicReference<>();
            Run result = tracker.run("iris", run -> {
                id.set(run.id());
                run.end(RunStatus.KILLED);
            });
            assertEquals(RunStatus.KILLED, result.info().status());
            assertEquals(RunStatus.KILLED, run(id.get()).info().status());
        }
    }

    // =============================================================================================

    /** Rule 4: params are immutable settings, stored as text. */
    @Nested
    @DisplayName("Params")
    class Params {

        @Test
        @DisplayName("logParam stores String.valueOf(value)")
        void storesStringValue() {
            ActiveRun run = tracker.startRun("iris");
            run.logParam("lr", 0.1).logParam("epochs", 200).logParam("l2", 1e-4)
                    .logParam("optimizer", "adam").logParam("nesterov", true).logParam("batch", 64L);
            assertEquals(Map.of("lr", "0.1", "epochs", "200", "l2", "1.0E-4", "optimizer", "adam",
                    "nesterov", "true", "batch", "64"), run(run.id()).data().params());
        }

        @Test
        @DisplayName("logging the same key with the same value again is allowed")
        void sameValueAgain() {
            ActiveRun run = tracker.startRun("iris");
            run.logParam("lr", 0.1);
            assertDoesNotThrow(() -> run.logParam("lr", 0.1));
            assertDoesNotThrow(() -> run.logParam("lr", "0.1"));
            assertDoesNotThrow(() -> run.logParams(Map.of("lr", 0.1)));
            assertEquals(Map.of("lr", "0.1"), run(run.id()).data().params());
        }

        @Test
        @DisplayName("logging a key with a different value fails with ParamConflictException naming key, old and new value")
        void differentValueConflicts() {
            ActiveRun run = tracker.startRun("iris");
            run.logParam("lr", 0.1);
            ParamConflictException e = assertThrows(ParamConflictException.class, () -> run.logParam("lr", 0.2));
            assertAll(
                    () -> assertEquals("lr", e.key()),
                    () -> assertEquals("0.1", e.storedValue()),
                    () -> assertEquals("0.2", e.newValue()),
                    () -> assertEquals(run.id(), e.runId()),
                    () -> assertMessageContains(e, "lr", "0.1", "0.2"));
            assertEquals(Map.of("lr", "0.1"), run(run.id()).data().params());
        }

        @Test
        @DisplayName("logParams is all or nothing: one conflicting key stores none of the others")
        void logParamsAllOrNothingOnConflict() {
            ActiveRun run = tracker.startRun("iris");
            run.logParam("a", 1);
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("b", 2);
            batch.put("a", 9);
            batch.put("c", 3);
            ParamConflictException e = assertThrows(ParamConflictException.class, () -> run.logParams(batch));
            assertEquals("a", e.key());
            assertEquals("1", e.storedValue());
            assertEquals("9", e.newValue());
            assertEquals(Map.of("a", "1"), run(run.id()).data().params());
        }

        @Test
        @DisplayName("logParams is all or nothing: one invalid key stores none of the others")
        void logParamsAllOrNothingOnInvalidKey() {
            ActiveRun run = tracker.startRun("iris");
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("b", 2);
            batch.put("bad:key", 9);
            batch.put("c", 3);
            assertThrows(InvalidInputException.class, () -> run.logParams(batch));
            assertEquals(Map.of(), run(run.id()).data().params());
        }

        @Test
        @DisplayName("logParams stores every entry as String.valueOf(value)")
        void logParamsStoresAll() {
            ActiveRun run = tracker.startRun("iris");
            run.logParams(Map.of("lr", 0.01, "epochs", 200, "optimizer", "sgd"));
            assertEquals(Map.of("lr", "0.01", "epochs", "200", "optimizer", "sgd"), run(run.id()).data().params());
        }

        @Test
        @DisplayName("a 250-character key is stored; 251 characters fail with InvalidInputException naming the limit")
        void keyLength() {
            ActiveRun run = tracker.startRun("iris");
            String longest = text(250, "k");
            run.logParam(longest, 1);
            assertEquals("1", run(run.id()).data().params().get(longest));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> run.logParam(text(251, "k"), 1));
            assertMessageContains(e, "250");
            assertEquals(Set.of(longest), run(run.id()).data().params().keySet());
        }

        @Test
        @DisplayName("a 6,000-character value is stored whole; 6,001 characters fail with InvalidInputException")
        void valueLength() {
            ActiveRun run = tracker.startRun("iris");
            String longest = text(6000, "0123456789 abcdefghij-ÄÖÜé€/");
            run.logParam("config", longest);
            assertEquals(longest, run(run.id()).data().params().get("config"));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> run.logParam("config2", text(6001, "x")));
            assertMessageContains(e, "config2");
            assertFalse(run(run.id()).data().params().containsKey("config2"), "a rejected value must not be stored");
        }
    }

    // =============================================================================================

    /** The three kinds of keys, all under the same rules. */
    enum KeyKind {
        PARAM, METRIC, TAG;

        void log(ActiveRun run, String key) {
            switch (this) {
                case PARAM -> run.logParam(key, "v");
                case METRIC -> run.logMetric(key, 1.5, 3);
                case TAG -> run.setTag(key, "v");
            }
        }

        boolean isStored(Tracker tracker, String runId, String key) {
            Run run = tracker.getRun(runId);
            return switch (this) {
                case PARAM -> "v".equals(run.data().params().get(key));
                case METRIC -> Double.valueOf(1.5).equals(run.data().metrics().get(key))
                        && tracker.metricHistory(runId, key).equals(List.of(
                                new Metric(key, 1.5, 3, run.data().latestMetrics().get(key).timestamp())));
                case TAG -> "v".equals(run.data().tags().get(key));
            };
        }

        Set<String> storedKeys(Tracker tracker, String runId) {
            Run run = tracker.getRun(runId);
            return switch (this) {
                case PARAM -> run.data().params().keySet();
                case METRIC -> run.data().latestMetrics().keySet();
                case TAG -> userTags(run).keySet();
            };
        }
    }

    private static String visible(String key) {
        if (key.length() > 40) {
            return key.length() + " × '" + key.charAt(0) + "'";
        }
        return "\"" + key.replace("\\", "\\\\").replace("\n", "\\n") + "\"";
    }

    /** Rule 5: keys of params, metrics and tags. */
    @Nested
    @DisplayName("Keys (params, metrics, tags)")
    class Keys {

        static Stream<Arguments> validKeys() {
            List<String> keys = List.of("val/acc_top-1 v2.0", "loss", "a.b/c", "123", "..a/b..", "über_loss", text(250, "k"));
            return Stream.of(KeyKind.values()).flatMap(kind -> keys.stream()
                    .map(key -> Arguments.of(kind, Named.of(visible(key), key))));
        }

        static Stream<Arguments> invalidKeys() {
            List<String> keys = List.of("", "a//b", "a/", "/a", "a/./b", "a/../b", "..", ".", "a\\b", "a:b", "a\n",
                    text(251, "k"));
            return Stream.of(KeyKind.values()).flatMap(kind -> keys.stream()
                    .map(key -> Arguments.of(kind, Named.of(visible(key), key))));
        }

        @ParameterizedTest(name = "{0} key {1}")
        @MethodSource("validKeys")
        @DisplayName("letters, digits, '_', '-', '.', '/' and spaces are allowed")
        void validKey(KeyKind kind, String key) {
            ActiveRun run = tracker.startRun("keys");
            kind.log(run, key);
            run.flush();
            assertTrue(kind.isStored(tracker, run.id(), key), () -> kind + " key " + visible(key) + " was not stored as logged");
        }

        @ParameterizedTest(name = "{0} key {1}")
        @MethodSource("invalidKeys")
        @DisplayName("malformed keys fail with InvalidInputException and store nothing")
        void invalidKey(KeyKind kind, String key) {
            ActiveRun run = tracker.startRun("keys");
            assertThrows(InvalidInputException.class, () -> kind.log(run, key));
            run.flush();
            assertEquals(Set.of(), kind.storedKeys(tracker, run.id()));
        }

        @Test
        @DisplayName("a malformed tag key given to the run builder fails with InvalidInputException")
        void invalidBuilderTagKey() {
            assertThrows(InvalidInputException.class, () -> tracker.newRun("keys").tag("a//b", "v"));
            assertThrows(InvalidInputException.class, () -> tracker.newRun("keys").tags(Map.of("a:b", "v")));
        }
    }

    // =============================================================================================

    /**
     * Hostile input: filters nested or long enough to break a parser or an SQL engine, text that is
     * not valid Unicode, artifact path segments no file system takes. Every store answers the same
     * way: the largest allowed filters work, anything past a limit is rejected naming the limit.
     */
    @Nested
    @DisplayName("Hostile input (filter limits, unpaired surrogates, path segments)")
    class HostileInput {
        private static final int MAX_NESTING = 100;
        private static final int MAX_CONDITIONS = 2_000;
        private static final int MAX_IN_VALUES = 50_000;

        /** Runs with metric m = 0..4 and param p = 'r0'..'r4', by m. */
        private List<String> fiveRuns() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try (ActiveRun run = tracker.startRun("hostile")) {
                    run.logMetric("m", i).logParam("p", "r" + i).setTag("t", "v" + i);
                    ids.add(run.id());
                }
            }
            return ids;
        }

        private List<String> matching(String filter) {
            return tracker.searchRuns().filter(filter).orderBy("metrics.m").list().stream().map(r -> r.info().id()).toList();
        }

        /** {@code count} conditions that hold for every run, on metrics, params and tags in turn, joined by {@code op}. */
        private static String alwaysTrue(int count, String op) {
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> switch (i % 3) {
                case 0 -> "metrics.m != -" + (i + 1);
                case 1 -> "params.p != 'x" + i + "'";
                default -> "tags.t != 'x" + i + "'";
            }).collect(Collectors.joining(" " + op + " "));
        }

        private static String neverTrue(int count, String op) {
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> i % 2 == 0 ? "metrics.m = -" + (i + 1) : "params.p = 'x" + i + "'")
                    .collect(Collectors.joining(" " + op + " "));
        }

        /** Runs and experiments alike reject the filter; on experiments, run fields read as {@code name}. */
        private void assertRejected(String filter, String limit) {
            InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter(filter).list());
            assertTrue(e.getMessage().contains(limit), e.getMessage());
            String onExperiment = filter.replaceAll("metrics\\.m [!=<>]+ -?\\d+", "name = 'n'").replaceAll("(params|tags)\\.[pt]", "name");
            InvalidFilterException onExperiments = assertThrows(InvalidFilterException.class,
                    () -> tracker.searchExperiments().filter(onExperiment).list());
            assertTrue(onExperiments.getMessage().contains(limit), onExperiments.getMessage());
        }

        private static String inList(int filler, String... real) {
            return java.util.stream.Stream.concat(java.util.stream.IntStream.range(0, filler).mapToObj(i -> "'x" + i + "'"),
                    Arrays.stream(real).map(v -> "'" + v + "'")).collect(Collectors.joining(", "));
        }

        @Test
        @DisplayName("2,000 conditions joined by AND or by OR, and IN lists of 50,000 values, answer on every store")
        void largestAllowedFiltersAnswer() {
            List<String> ids = fiveRuns();
            assertEquals(ids.subList(2, 5), matching(alwaysTrue(MAX_CONDITIONS - 1, "AND") + " AND metrics.m > 1"));
            assertEquals(List.of(ids.get(3)), matching(neverTrue(MAX_CONDITIONS - 1, "OR") + " OR params.p = 'r3'"));
            assertEquals(List.of(ids.get(1), ids.get(4)), matching(alwaysTrue(MAX_CONDITIONS - 1, "AND")
                    + " AND params.p IN (" + inList(MAX_IN_VALUES - 2, "r1", "r4") + ")"));
            List.of("e0", "e1", "e2").forEach(tracker::createExperiment);
            assertEquals(List.of("e1"), tracker.searchExperiments().filter(java.util.stream.IntStream.range(0, MAX_CONDITIONS - 1)
                            .mapToObj(i -> "name = 'x" + i + "'").collect(Collectors.joining(" OR ")) + " OR name = 'e1'")
                    .list().stream().map(Experiment::name).toList());
        }

        @Test
        @DisplayName("parentheses and NOT nested 100 levels deep answer on every store")
        void deepestAllowedNestingAnswers() {
            List<String> ids = fiveRuns();
            // Alternating AND and OR at every level, so no store can flatten the nesting away.
            StringBuilder filter = new StringBuilder("metrics.m > 2");
            for (int level = 1; level < MAX_NESTING; level++) {
                filter.insert(0, "metrics.m > -" + level + (level % 2 == 0 ? " AND (" : " OR (")).append(")");
            }
            assertEquals(ids, matching(filter.toString()), "the outermost OR holds for every run");
            String nots = "NOT ".repeat(MAX_NESTING) + "metrics.m > 2";
            assertEquals(ids.subList(3, 5), matching(nots), "an even number of NOTs cancels out");
            assertEquals(ids.subList(0, 3), matching("NOT " + "(".repeat(MAX_NESTING - 1) + "metrics.m > 2" + ")".repeat(MAX_NESTING - 1)));
        }

        @Test
        @DisplayName("a filter over 2,000 conditions or 50,000 IN values is an InvalidFilterException naming the limit")
        void tooManyConditions() {
            fiveRuns();
            assertRejected(alwaysTrue(MAX_CONDITIONS + 1, "AND"), "2000");
            assertRejected(neverTrue(20_000, "OR"), "2000");
            assertRejected("params.p IN (" + inList(MAX_IN_VALUES + 1) + ")", "50000");
        }

        @ParameterizedTest(name = "{0} levels")
        @ValueSource(ints = {MAX_NESTING + 1, 3_000})
        @DisplayName("nesting deeper than 100 levels is an InvalidFilterException naming the limit, never a StackOverflowError")
        void tooDeep(int levels) {
            assertRejected("(".repeat(levels) + "metrics.m > 0" + ")".repeat(levels), "100");
            assertRejected("NOT ".repeat(levels) + "metrics.m > 0", "100");
            assertRejected("NOT ".repeat(20_000) + "metrics.m > 0", "100");
        }

        private void refused(String field, org.junit.jupiter.api.function.Executable write) {
            InvalidInputException e = assertThrows(InvalidInputException.class, write, field);
            assertTrue(e.getMessage().contains(field) && e.getMessage().contains("surrogate"), e.getMessage());
        }

        @Test
        @DisplayName("text with an unpaired UTF-16 surrogate is rejected wherever it would be stored, naming the field")
        void unpairedSurrogatesAreRejected() {
            String bad = "x\uD800y";
            ActiveRun run = tracker.startRun("surrogates");
            String expId = run.experimentId();
            refused("experiment name", () -> tracker.createExperiment(bad));
            refused("experiment name", () -> tracker.startRun("y\uDC00"));
            refused("run name", () -> tracker.newRun("surrogates").name(bad).start());
            refused("param key", () -> run.logParam(bad, "v"));
            refused("value of param 'p'", () -> run.logParam("p", bad));
            refused("metric key", () -> run.logMetric(bad, 1.0));
            refused("tag key", () -> run.setTag(bad, "v"));
            refused("value of tag 't'", () -> run.setTag("t", bad));
            refused("value of tag 'e'", () -> tracker.setExperimentTag(expId, "e", bad));
            refused("artifact path", () -> run.logText("text", "dir/" + bad + ".txt"));
            refused("dataset name", () -> run.logInput(new Dataset(bad, "d1", "memory", List.of(),
                    new Dataset.Profile(0, Map.of())), "training"));
            InvalidFilterException filter = assertThrows(InvalidFilterException.class,
                    () -> tracker.searchRuns().filter("params.p = '" + bad + "'").list());
            assertTrue(filter.getMessage().contains("surrogate"), filter.getMessage());
            assertThrows(InvalidFilterException.class, () -> tracker.searchExperiments().filter("name = '" + bad + "'").list());
            run.close();
            List<String> names = tracker.listExperiments().stream().map(Experiment::name).toList();
            assertFalse(names.contains("x?y") || names.contains("y?"), names::toString);
        }

        @Test
        @DisplayName("valid surrogate pairs (emoji) are stored and found exactly; names differing in them stay distinct")
        void surrogatePairsRoundTrip() {
            String smile = "x\uD83D\uDE00y";
            String wink = "x\uD83D\uDE09y";
            tracker.createExperiment(smile);
            tracker.createExperiment(wink);
            ActiveRun run = tracker.newRun(smile).name(wink).start();
            run.logParam("p", smile).setTag("t", wink);
            run.close();
            Run stored = tracker.getRun(run.id());
            assertEquals(wink, stored.info().name());
            assertEquals(smile, stored.data().params().get("p"));
            assertEquals(wink, stored.data().tags().get("t"));
            assertEquals(2, tracker.listExperiments().stream().map(Experiment::name).filter(n -> n.startsWith("x")).distinct().count());
            assertEquals(List.of(run.id()), tracker.searchRuns().filter("params.p = '" + smile + "'").list().stream()
                    .map(r -> r.info().id()).toList());
        }

        @Test
        @DisplayName("an artifact path segment over 255 UTF-8 bytes is invalid input naming the path and the limit")
        void pathSegmentLimit() {
            ActiveRun run = tracker.startRun("paths");
            String longest = "\u20AC".repeat(85); // 255 bytes in UTF-8, 85 characters
            run.logText("fits", "dir/" + longest);
            assertEquals(List.of("dir/" + longest), tracker.listArtifacts(run.id(), "dir").stream().map(ArtifactEntry::path).toList());
            for (String tooLong : List.of("\u00E9".repeat(128), "a".repeat(300))) {
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> run.logText("no", "dir/" + tooLong + "/file.txt"));
                assertTrue(e.getMessage().contains("artifact path") && e.getMessage().contains("255"), e.getMessage());
                assertThrows(InvalidInputException.class,
                        () -> run.logArtifact(newFile("f.txt", new byte[] {1}), tooLong));
            }
            InvalidInputException nul = assertThrows(InvalidInputException.class, () -> run.logText("no", "a\0b"));
            assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
            run.close();
            assertEquals(1, tracker.listArtifacts(run.id(), "").size(), "nothing of the refused writes was stored");
        }
    }

    // =============================================================================================

    /** Rule 6: metrics are append-only series of doubles. */
    @Nested
    @DisplayName("Metrics")
    class Metrics {

        @Test
        @DisplayName("the latest value is the point with the largest step, even when logged earlier")
        void latestIsLargestStep() {
            ActiveRun run = tracker.startRun("iris");
            run.logMetric("loss", 1.0, 5);
            clock.advance(Duration.ofSeconds(1));
            run.logMetric("loss", 2.0, 3).flush();
            Run stored = run(run.id());
            assertEquals(1.0, stored.data().metrics().get("loss"));
            assertEquals(new Metric("loss", 1.0, 5, START.toEpochMilli()), stored.data().latestMetrics().get("loss"));
        }

        @Test
        @DisplayName("at an equal step, the point with the later timestamp is the latest")
        void latestAtEqualStepIsLaterTimestamp() {
            ActiveRun run = tracker.startRun("iris");
            run.logMetric("acc", 9.0, 2);
            clock.advanceMillis(1);
            run.logMetric("acc", 1.0, 2).flush();
            assertEquals(1.0, run(run.id()).data().metrics().get("acc"));

            // Logged last, with a larger value, but timestamped earlier: not the latest.
            clock.set(START.minusSeconds(60));
            run.logMetric("acc", 5.0, 2).flush();
            assertEquals(1.0, run(run.id()).data().metrics().get("acc"));
            assertEquals(START.plusMillis(1).toEpochMilli(), run(run.id()).data().latestMetrics().get("acc").timestamp());
        }

        @Test
        @DisplayName("at an equal step and timestamp, the larger value is the latest")
        void latestTieIsLargerValue() {
            ActiveRun run = tracker.startRun("iris");
            run.logMetric("acc", 3.0, 1).logMetric("acc", 7.0, 1).logMetric("acc", 5.0, 1).flush();
            assertEquals(7.0, run(run.id()).data().metrics().get("acc"));
        }

        @Test
        @DisplayName("metricHistory is ordered by step, then timestamp, even when logged out of order")
        void historyOrder() {
            ActiveRun run = tracker.startRun("iris");
            long t = START.toEpochMilli();
            run.logMetric("loss", 0.3, 3);
            clock.set(Instant.ofEpochMilli(t + 1));
            run.logMetric("loss", 0.1, 1);
            clock.set(Instant.ofEpochMilli(t + 2));
            run.logMetric("loss", 0.2, 2);
            clock.set(Instant.ofEpochMilli(t - 5));
            run.logMetric("loss", 0.05, 1);
            run.flush();
            assertEquals(List.of(
                    new Metric("loss", 0.05, 1, t - 5),
                    new Metric("loss", 0.1, 1, t + 1),
                    new Metric("loss", 0.2, 2, t + 2),
                    new Metric("loss", 0.3, 3, t)), tracker.metricHistory(run.id(), "loss"));
        }

        @Test
        @DisplayName("metrics are append-only: the same key and step twice gives two points")
        void appendOnly() {
            ActiveRun run = tracker.startRun("iris");
            long t = START.toEpochMilli();
            // Twice in what is likely one batch, then once more in a batch of its own.
            run.logMetric("loss", 2.0, 4);
            run.logMetric("loss", 1.0, 4).flush();
            clock.advanceMillis(10);
            run.logMetric("loss", 1.0, 4).flush();
            assertEquals(List.of(
                    new Metric("loss", 1.0, 4, t),
                    new Metric("loss", 2.0, 4, t),
                    new Metric("loss", 1.0, 4, t + 10)), tracker.metricHistory(run.id(), "loss"));
        }

        @Test
        @DisplayName("NaN, +Infinity and -Infinity round-trip exactly")
        void specialValues() {
            ActiveRun run = tracker.startRun("iris");
            run.logMetric("nan", Double.NaN, 1).logMetric("pinf", Double.POSITIVE_INFINITY, 2)
                    .logMetric("ninf", Double.NEGATIVE_INFINITY, 3).flush();
            Map<String, Double> latest = run(run.id()).data().metrics();
            assertTrue(Double.isNaN(latest.get("nan")), () -> "NaN read back as " + latest.get("nan"));
            assertTrue(latest.get("pinf") == Double.POSITIVE_INFINITY, () -> "+Infinity read back as " + latest.get("pinf"));
            assertTrue(latest.get("ninf") == Double.NEGATIVE_INFINITY, () -> "-Infinity read back as " + latest.get("ninf"));

            List<Metric> nan = tracker.metricHistory(run.id(), "nan");
            assertEquals(1, nan.size());
            assertTrue(Double.isNaN(nan.get(0).value()));
            assertEquals(1, nan.get(0).step());
            assertTrue(tracker.metricHistory(run.id(), "pinf").get(0).value() == Double.POSITIVE_INFINITY);
            assertTrue(tracker.metricHistory(run.id(), "ninf").get(0).value() == Double.NEGATIVE_INFINITY);
        }

        @Test
        @DisplayName("finite values round-trip bit for bit, and steps keep their full long range")
        void exactValuesAndSteps() {
            double[] values = {0.1 + 0.2, Math.PI, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                -Double.MAX_VALUE, 1e-300, -123456789.987654321, 0.0};
            long[] steps = {0, 1, 1L << 31, 1L << 40, 1L << 53, (1L << 53) + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE, 3};
            ActiveRun run = tracker.startRun("iris");
            for (int i = 0; i < values.length; i++) {
                run.logMetric("x", values[i], steps[i]);
            }
            run.flush();
            List<Metric> history = tracker.metricHistory(run.id(), "x");
            List<Long> expectedSteps = Stream.of(0L, 1L, 3L, 1L << 31, 1L << 40, 1L << 53, (1L << 53) + 1,
                    Long.MAX_VALUE - 1, Long.MAX_VALUE).toList();
            assertEquals(expectedSteps, steps(history));
            for (Metric point : history) {
                int i = indexOf(steps, point.step());
                assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(point.value()),
                        () -> "value at step " + point.step() + " read back as " + point.value() + ", logged " + values[i]);
            }
            Metric latest = run(run.id()).data().latestMetrics().get("x");
            assertEquals(Long.MAX_VALUE, latest.step());
            assertEquals(Double.doubleToRawLongBits(values[7]), Double.doubleToRawLongBits(latest.value()));
        }

        private static int indexOf(long[] array, long value) {
            for (int i = 0; i < array.length; i++) {
                if (array[i] == value) {
                    return i;
                }
            }
            throw new AssertionError("unexpected step " + value);
        }

        @Test
        @DisplayName("logMetric(key, value) logs at step 0")
        void defaultStep() {
            ActiveRun run = tracker.startRun("iris");
            run.logMetric("accuracy", 0.97).flush();
            assertEquals(List.of(new Metric("accuracy", 0.97, 0, START.toEpochMilli())),
                    tracker.metricHistory(run.id(), "accuracy"));
        }

        @Test
        @DisplayName("logMetrics logs each entry at the same step and timestamp")
        void logMetricsSameStepAndTime() {
            ActiveRun run = tracker.startRun("iris");
            clock.setAutoAdvance(Duration.ofMillis(1));
            long before = clock.millis();
            Map<String, Number> points = new LinkedHashMap<>();
            points.put("a", 1);
            points.put("b", 2.5);
            points.put("c", 3L);
            points.put("d", 0.25f);
            run.logMetrics(points, 17);
            long after = clock.millis();
            clock.setAutoAdvance(Duration.ZERO);
            run.flush();

            Map<String, Metric> latest = run(run.id()).data().latestMetrics();
            assertEquals(Set.of("a", "b", "c", "d"), latest.keySet());
            long timestamp = latest.get("a").timestamp();
            assertTrue(before < timestamp && timestamp < after,
                    () -> "timestamp " + timestamp + " is not from the clock during the call (" + before + ".." + after + ")");
            Map<String, Double> expected = Map.of("a", 1.0, "b", 2.5, "c", 3.0, "d", 0.25);
            for (String key : expected.keySet()) {
                assertEquals(List.of(new Metric(key, expected.get(key), 17, timestamp)), tracker.metricHistory(run.id(), key));
            }
        }

        @Test
        @DisplayName("a point's timestamp is the clock's millis when it was logged")
        void timestampFromClock() {
            ActiveRun run = tracker.startRun("iris");
            Instant first = START.plusSeconds(10).plusMillis(7);
            Instant second = START.plusSeconds(3600).plusMillis(999);
            clock.set(first);
            run.logMetric("loss", 0.5, 0);
            clock.set(second);
            run.logMetric("loss", 0.4, 1);
            clock.advance(Duration.ofSeconds(5));
            run.flush();
            assertEquals(List.of(first.toEpochMilli(), second.toEpochMilli()),
                    tracker.metricHistory(run.id(), "loss").stream().map(Metric::timestamp).toList());
        }

        @Test
        @DisplayName("metricHistory of a key never logged is an empty list")
        void historyOfUnknownKey() {
            ActiveRun run = tracker.startRun("iris");
            run.logMetric("loss", 0.5).flush();
            assertEquals(List.of(), tracker.metricHistory(run.id(), "accuracy"));
        }

        @Test
        @DisplayName("metricHistory returns an unmodifiable list")
        void historyIsUnmodifiable() {
            ActiveRun run = tracker.startRun("iris");
            run.logMetric("loss", 0.5, 0).logMetric("loss", 0.4, 1).flush();
            List<Metric> history = tracker.metricHistory(run.id(), "loss");
            Metric extra = new Metric("loss", 0.1, 9, 0);
            assertThrows(UnsupportedOperationException.class, () -> history.add(extra));
            assertThrows(UnsupportedOperationException.class, () -> history.remove(0));
            assertThrows(UnsupportedOperationException.class, () -> history.set(0, extra));
            assertThrows(UnsupportedOperationException.class, history::clear);
            List<Metric> empty = tracker.metricHistory(run.id(), "never");
            assertThrows(UnsupportedOperationException.class, () -> empty.add(extra));
            assertEquals(2, tracker.metricHistory(run.id(), "loss").size());
        }

        @Test
        @DisplayName("metricSeries holds the history's points in the same order, as arrays")
        void metricSeriesMatchesHistory() {
            ActiveRun run = tracker.startRun("iris");
            long[] stepsLogged = {3, 1, 2, 2, 0};
            double[] valuesLogged = {0.3, Double.NaN, 0.2, Double.NEGATIVE_INFINITY, -0.0};
            for (int i = 0; i < stepsLogged.length; i++) {
                clock.advance(Duration.ofMillis(7));
                run.logMetric("loss", valuesLogged[i], stepsLogged[i]);
            }
            run.flush();
            List<Metric> history = tracker.metricHistory(run.id(), "loss");
            MetricSeries series = tracker.metricSeries(run.id(), "loss");
            assertEquals("loss", series.key());
            assertEquals(history.size(), series.size());
            for (int i = 0; i < history.size(); i++) {
                assertEquals(history.get(i), series.get(i), "point " + i);
                assertEquals(history.get(i).step(), series.steps()[i]);
                assertEquals(history.get(i).timestamp(), series.timestamps()[i]);
                assertEquals(Double.doubleToRawLongBits(history.get(i).value()), Double.doubleToRawLongBits(series.values()[i]));
            }
            assertArrayEquals(new long[] {0, 1, 2, 2, 3}, series.steps());
            assertEquals(0, tracker.metricSeries(run.id(), "never-logged").size());
            assertThrows(NotFoundException.class, () -> tracker.metricSeries(UNKNOWN_RUN_ID, "loss"));
        }

        @Test
        @DisplayName("latestMetrics reads the latest point of every metric of many runs at once")
        void latestMetricsOfManyRuns() {
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                try (ActiveRun run = tracker.startRun("iris")) {
                    for (int step = 0; step < 5; step++) {
                        run.logMetric("acc", r * 10 + step, step);
                    }
                    run.logMetric("loss", Double.NaN, 2);
                    ids.add(run.id());
                }
            }
            String noMetrics;
            try (ActiveRun run = tracker.startRun("iris")) {
                noMetrics = run.id();
            }
            List<String> asked = new ArrayList<>(ids);
            asked.add(UNKNOWN_RUN_ID);
            asked.add(noMetrics);
            Map<String, Map<String, Metric>> latest = tracker.latestMetrics(asked);
            assertEquals(Set.of(ids.get(0), ids.get(1), ids.get(2), noMetrics), latest.keySet(), "unknown ids are left out");
            for (int r = 0; r < 3; r++) {
                Map<String, Metric> metrics = latest.get(ids.get(r));
                assertEquals(r * 10 + 4, metrics.get("acc").value());
                assertEquals(4, metrics.get("acc").step());
                assertTrue(Double.isNaN(metrics.get("loss").value()));
                assertEquals(tracker.getRun(ids.get(r)).data().latestMetrics(), metrics);
            }
            assertEquals(Map.of(), latest.get(noMetrics));
            assertThrows(UnsupportedOperationException.class, () -> latest.remove(noMetrics));
        }
    }

    // =============================================================================================

    /** Rule 7: tags are mutable labels. */
    @Nested
    @DisplayName("Tags")
    class Tags {

        @Test
        @DisplayName("setTag stores the tag")
        void setTagStores() {
            ActiveRun run = tracker.startRun("iris");
            run.setTag("team", "vision").setTag("note", "");
            assertEquals(Map.of("team", "vision", "note", ""), userTags(run(run.id())));
        }

        @Test
        @DisplayName("setTag again overwrites the value, also of a tag set by the builder")
        void setTagOverwrites() {
            ActiveRun run = tracker.newRun("iris").tag("stage", "draft").start();
            run.setTag("team", "vision");
            run.setTag("team", "nlp");
            run.setTag("stage", "final");
            assertEquals(Map.of("team", "nlp", "stage", "final"), userTags(run(run.id())));
        }

        @Test
        @DisplayName("an 8,000-character value is stored whole; 8,001 characters fail with InvalidInputException")
        void valueLength() {
            ActiveRun run = tracker.startRun("iris");
            String longest = text(8000, "tag value ÄÖÜ é € 0123456789/");
            run.setTag("description", longest);
            assertEquals(longest, run(run.id()).data().tags().get("description"));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> run.setTag("description", text(8001, "y")));
            assertMessageContains(e, "description");
            assertEquals(longest, run(run.id()).data().tags().get("description"));
            assertThrows(InvalidInputException.class, () -> tracker.newRun("iris").tag("t", text(8001, "y")));
        }
    }

    // =============================================================================================

    /** The writes an {@link ActiveRun} offers, for the tests of writes to inactive runs. */
    enum Write {
        LOG_PARAM, LOG_PARAMS, LOG_METRIC, LOG_METRICS, SET_TAG, LOG_ARTIFACT;

        void apply(ActiveRun run, Path file) {
            switch (this) {
                case LOG_PARAM -> run.logParam("lr", 0.1);
                case LOG_PARAMS -> run.logParams(Map.of("lr", 0.1));
                case LOG_METRIC -> run.logMetric("loss", 0.5, 1);
                case LOG_METRICS -> run.logMetrics(Map.of("loss", 0.5), 1);
                case SET_TAG -> run.setTag("team", "vision");
                case LOG_ARTIFACT -> run.logArtifact(file);
            }
        }
    }

    /** Rule 8: ended and deleted runs take no writes. */
    @Nested
    @DisplayName("Writes to ended or deleted runs")
    class InactiveRuns {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Write.class)
        @DisplayName("after end, every write fails with RunNotActiveException naming the run")
        void writeAfterEnd(Write write) {
            Path file = newFile("model.bin", bytes(10, 1));
            ActiveRun run = tracker.startRun("iris");
            run.end(RunStatus.FINISHED);
            RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> write.apply(run, file));
            assertEquals(run.id(), e.runId());
            assertMessageContains(e, run.id());
            Run stored = run(run.id());
            assertEquals(RunStatus.FINISHED, stored.info().status());
            assertEquals(Map.of(), stored.data().params());
            assertEquals(Map.of(), stored.data().latestMetrics());
            assertEquals(Map.of(), userTags(stored));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @Test
        @DisplayName("after deleteRun of a running run, logParam, logParams and setTag fail with RunNotActiveException")
        void paramsAndTagsAfterDelete() {
            ActiveRun run = tracker.startRun("iris");
            tracker.deleteRun(run.id());
            RunNotActiveException param = assertThrows(RunNotActiveException.class, () -> run.logParam("lr", 0.1));
            assertMessageContains(param, run.id());
            RunNotActiveException params = assertThrows(RunNotActiveException.class, () -> run.logParams(Map.of("lr", 0.1)));
            assertMessageContains(params, run.id());
            RunNotActiveException tag = assertThrows(RunNotActiveException.class, () -> run.setTag("team", "vision"));
            assertMessageContains(tag, run.id());

            tracker.restoreRun(run.id());
            Run stored = run(run.id());
            assertEquals(Map.of(), stored.data().params());
            assertEquals(Map.of(), userTags(stored));
            run.logParam("lr", 0.2);
            assertEquals(Map.of("lr", "0.2"), run(run.id()).data().params(), "a restored running run takes writes again");
        }

        @Test
        @DisplayName("logMetric to a deleted run fails at the latest at flush(), naming the run")
        void metricAfterDelete() {
            ActiveRun run = tracker.startRun("iris");
            tracker.deleteRun(run.id());
            ConflictException e = assertThrows(ConflictException.class, () -> {
                run.logMetric("loss", 0.5, 1);
                run.flush();
            });
            assertMessageContains(e, run.id());
            tracker.restoreRun(run.id());
        }

        @Test
        @DisplayName("logMetric to a deleted run fails at the latest at flush() with Durability.SYNC too")
        void metricAfterDeleteSync() {
            Tracker sync = newTracker(builder -> builder.durability(Durability.SYNC));
            ActiveRun run = sync.startRun("iris");
            sync.deleteRun(run.id());
            ConflictException e = assertThrows(ConflictException.class, () -> {
                run.logMetric("loss", 0.5, 1);
                run.flush();
            });
            assertMessageContains(e, run.id());
            sync.restoreRun(run.id());
            assertEquals(List.of(), sync.metricHistory(run.id(), "loss"));
        }

        @Test
        @DisplayName("logArtifact to a deleted run fails with RunNotActiveException and stores nothing")
        void artifactAfterDelete() {
            Path file = newFile("model.bin", bytes(10, 1));
            ActiveRun run = tracker.startRun("iris");
            tracker.deleteRun(run.id());
            RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> run.logArtifact(file));
            assertMessageContains(e, run.id());
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
            tracker.restoreRun(run.id());
        }

        @Test
        @DisplayName("a running run deleted with its experiment takes no writes")
        void writeAfterExperimentDelete() {
            ActiveRun run = tracker.startRun("iris");
            tracker.deleteExperiment(run.experimentId());
            RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> run.setTag("team", "vision"));
            assertMessageContains(e, run.id());
            tracker.restoreExperiment(run.experimentId());
            run.setTag("team", "vision");
            assertEquals("vision", run(run.id()).data().tags().get("team"));
        }
    }

    // =============================================================================================

    /** Rule 9: soft delete and restore of runs and experiments. */
    @Nested
    @DisplayName("Lifecycle")
    class Lifecycle {

        private String finishedRun(String experiment) {
            try (ActiveRun run = tracker.startRun(experiment)) {
                run.logParam("lr", 0.1).logMetric("loss", 0.5, 1).setTag("team", "vision");
                return run.id();
            }
        }

        @Test
        @DisplayName("closing a tracker whose running run was deleted succeeds")
        void closeWithADeletedRunningRun() {
            Tracker other = newTracker(builder -> { });
            ActiveRun run = other.startRun("iris");
            run.logMetric("loss", 0.5, 1).flush();
            other.deleteRun(run.id());
            assertThrows(RunNotActiveException.class, run::close, "a deleted run cannot be ended through its handle");
            assertDoesNotThrow(other::close);
        }

        @Test
        @DisplayName("deleteRun makes the run DELETED but keeps its data; restoreRun makes it ACTIVE again")
        void deleteAndRestoreRun() {
            String id = finishedRun("iris");
            tracker.deleteRun(id);
            Run deleted = run(id);
            assertEquals(LifecycleStage.DELETED, deleted.info().lifecycleStage());
            assertEquals(RunStatus.FINISHED, deleted.info().status());
            assertEquals(Map.of("lr", "0.1"), deleted.data().params());
            assertEquals(Map.of("loss", 0.5), deleted.data().metrics());
            assertEquals("vision", deleted.data().tags().get("team"));
            assertEquals(1, tracker.metricHistory(id, "loss").size());

            tracker.restoreRun(id);
            Run restored = run(id);
            assertEquals(LifecycleStage.ACTIVE, restored.info().lifecycleStage());
            assertEquals(RunStatus.FINISHED, restored.info().status());
            assertEquals(deleted.data(), restored.data());
        }

        @Test
        @DisplayName("deleteExperiment soft-deletes the experiment and its active runs, not runs of other experiments")
        void deleteExperimentDeletesRuns() {
            String a = finishedRun("iris");
            String b = finishedRun("iris");
            String other = finishedRun("churn");
            String experimentId = run(a).info().experimentId();
            tracker.deleteExperiment(experimentId);
            assertEquals(LifecycleStage.DELETED, tracker.getExperiment(experimentId).lifecycleStage());
            assertEquals(LifecycleStage.DELETED, run(a).info().lifecycleStage());
            assertEquals(LifecycleStage.DELETED, run(b).info().lifecycleStage());
            assertEquals(LifecycleStage.ACTIVE, run(other).info().lifecycleStage());
            assertEquals(LifecycleStage.ACTIVE, tracker.getExperimentByName("churn").orElseThrow().lifecycleStage());
        }

        @Test
        @DisplayName("restoreExperiment restores the runs its deletion deleted, not a run deleted on its own before")
        void restoreExperimentRestoresItsRuns() {
            String a = finishedRun("iris");
            String b = finishedRun("iris");
            String deletedAlone = finishedRun("iris");
            String experimentId = run(a).info().experimentId();
            tracker.deleteRun(deletedAlone);
            tracker.deleteExperiment(experimentId);
            tracker.restoreExperiment(experimentId);
            assertEquals(LifecycleStage.ACTIVE, tracker.getExperiment(experimentId).lifecycleStage());
            assertEquals(LifecycleStage.ACTIVE, run(a).info().lifecycleStage());
            assertEquals(LifecycleStage.ACTIVE, run(b).info().lifecycleStage());
            assertEquals(LifecycleStage.DELETED, run(deletedAlone).info().lifecycleStage());
            assertEquals(experimentId, tracker.startRun("iris").experimentId(), "a restored experiment takes runs again");
        }

        @Test
        @DisplayName("restoreRun of a run in a deleted experiment fails with ConflictException")
        void restoreRunInDeletedExperiment() {
            String withExperiment = finishedRun("iris");
            String deletedAlone = finishedRun("iris");
            tracker.deleteRun(deletedAlone);
            tracker.deleteExperiment(run(withExperiment).info().experimentId());
            assertThrows(ConflictException.class, () -> tracker.restoreRun(deletedAlone));
            assertThrows(ConflictException.class, () -> tracker.restoreRun(withExperiment));
            assertEquals(LifecycleStage.DELETED, run(deletedAlone).info().lifecycleStage());
            assertEquals(LifecycleStage.DELETED, run(withExperiment).info().lifecycleStage());
        }

        @Test
        @DisplayName("deleting or restoring an unknown run or experiment fails with NotFoundException")
        void unknownIds() {
            finishedRun("iris");
            assertThrows(NotFoundException.class, () -> tracker.deleteRun(UNKNOWN_RUN_ID));
            assertThrows(NotFoundException.class, () -> tracker.restoreRun(UNKNOWN_RUN_ID));
            assertThrows(NotFoundException.class, () -> tracker.deleteExperiment("999999999"));
            assertThrows(NotFoundException.class, () -> tracker.restoreExperiment("999999999"));
        }
    }

    // =============================================================================================

    /**
     * Rule 9b: how runs end. A failure is recorded FAILED with its cause, only through
     * {@code tracker.run}, {@code RunBuilder.run} or {@code fail(e)}: {@code close()} cannot see an
     * exception. Any active run can be ended by id.
     */
    @Nested
    @DisplayName("Ending runs")
    class EndingRuns {

        private void assertFailedWith(String runId, Instant endTime, String exception, String message) {
            Run stored = run(runId);
            assertEquals(RunStatus.FAILED, stored.info().status());
            assertEquals(Optional.of(endTime), stored.info().endTime());
            assertEquals(exception, stored.data().tags().get(ActiveRun.FAILURE_EXCEPTION_TAG));
            assertEquals(message, stored.data().tags().get(ActiveRun.FAILURE_MESSAGE_TAG));
        }

        @Test
        @DisplayName("a tracker.run body that throws ends FAILED with the exception's class and message as tags")
        void trackerRunRecordsTheFailure() {
            AtomicReference<String> id = new AtomicReference<>();
            assertThrows(IllegalStateException.class, () -> tracker.run("iris", run -> {
                id.set(run.id());
                run.logMetric("loss", 0.5, 1);
                clock.advance(Duration.ofSeconds(2));
                throw new IllegalStateException("OOM");
            }));
            assertFailedWith(id.get(), START.plusSeconds(2), "java.lang.IllegalStateException", "OOM");
            assertEquals(1, tracker.metricHistory(id.get(), "loss").size(), "points logged before the failure are stored");
        }

        @Test
        @DisplayName("RunBuilder.run does the same for a named child run, and returns the stored run when the body returns")
        void runBuilderRun() {
            Run parent = tracker.run("sweep", sweep -> {
                Run ok = tracker.newRun("sweep").parent(sweep).name("lr=0.1").run(child -> child.logParam("lr", 0.1));
                assertEquals(RunStatus.FINISHED, ok.info().status());
                assertEquals("lr=0.1", ok.info().name());
                assertEquals(sweep.id(), ok.data().tags().get("runlog.parentRunId"));
                AtomicReference<String> failed = new AtomicReference<>();
                assertThrows(java.io.IOException.class, () -> tracker.newRun("sweep").parent(sweep).name("lr=9").run(child -> {
                    failed.set(child.id());
                    throw new java.io.IOException(null, null);
                }));
                assertFailedWith(failed.get(), START, "java.io.IOException", null);
            });
            assertEquals(RunStatus.FINISHED, parent.info().status(), "a failed child does not fail its parent");
        }

        @Test
        @DisplayName("fail(e) in try-with-resources flushes, records the cause, ends FAILED; close() keeps FAILED")
        void failInTryWithResources() {
            String id;
            try (ActiveRun run = tracker.startRun("iris")) {
                id = run.id();
                try {
                    run.logMetric("loss", 0.5, 1);
                    throw new ArithmeticException("loss diverged");
                } catch (ArithmeticException e) {
                    clock.advance(Duration.ofSeconds(1));
                    run.fail(e);
                }
                assertThrows(RunNotActiveException.class, () -> run.logMetric("loss", 0.1, 2));
                assertThrows(RunNotActiveException.class, () -> run.fail(new RuntimeException("again")));
                clock.advance(Duration.ofSeconds(5));
            }
            assertFailedWith(id, START.plusSeconds(1), "java.lang.ArithmeticException", "loss diverged");
            assertEquals(1, tracker.metricHistory(id, "loss").size(), "fail flushes before it ends the run");
            assertThrows(InvalidInputException.class, () -> tracker.startRun("iris").fail(null));
        }

        @Test
        @DisplayName("an exception leaving try-with-resources without fail() ends FINISHED: close() cannot see it")
        void closeCannotSeeTheException() {
            AtomicReference<String> id = new AtomicReference<>();
            assertThrows(IllegalStateException.class, () -> {
                try (ActiveRun run = tracker.startRun("iris")) {
                    id.set(run.id());
                    throw new IllegalStateException("OOM");
                }
            });
            Run stored = run(id.get());
            assertEquals(RunStatus.FINISHED, stored.info().status());
            assertFalse(stored.data().tags().containsKey(ActiveRun.FAILURE_EXCEPTION_TAG));
        }

        @Test
        @DisplayName("a message longer than the tag value limit is cut to the limit, not refused")
        void longMessageIsCut() {
            String huge = "\ud83d\ude00".repeat(5_000); // 10,000 chars of surrogate pairs: a cut must not split one
            AtomicReference<String> id = new AtomicReference<>();
            assertThrows(IllegalArgumentException.class, () -> tracker.run("iris", run -> {
                id.set(run.id());
                throw new IllegalArgumentException(huge);
            }));
            String stored = run(id.get()).data().tags().get(ActiveRun.FAILURE_MESSAGE_TAG);
            assertTrue(stored.length() <= 8_000, "length " + stored.length());
            assertTrue(huge.startsWith(stored.substring(0, stored.indexOf("..."))), "the start of the message is kept");
            assertFalse(Character.isHighSurrogate(stored.charAt(stored.indexOf("...") - 1)), "no half surrogate pair");
        }

        @Test
        @DisplayName("endRun by id of this tracker's run flushes its points, ends it, and its handle takes no writes")
        void endRunOfOwnHandle() {
            ActiveRun run = tracker.startRun("iris");
            for (int step = 0; step < 100; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
            clock.advance(Duration.ofSeconds(3));
            tracker.endRun(run.id(), RunStatus.KILLED);
            Run stored = run(run.id());
            assertEquals(RunStatus.KILLED, stored.info().status());
            assertEquals(Optional.of(START.plusSeconds(3)), stored.info().endTime());
            assertEquals(100, tracker.metricHistory(run.id(), "loss").size());
            assertThrows(RunNotActiveException.class, () -> run.logParam("lr", 0.1));
            assertDoesNotThrow(run::close);
            assertEquals(RunStatus.KILLED, run(run.id()).info().status(), "close() after endRun changes nothing");
        }

        @Test
        @DisplayName("endRun refuses RUNNING, SCHEDULED and null (InvalidInputException), unknown ids (NotFoundException), ended or deleted runs (RunNotActiveException)")
        void endRunRefusals() {
            ActiveRun run = tracker.startRun("iris");
            assertThrows(InvalidInputException.class, () -> tracker.endRun(run.id(), RunStatus.RUNNING));
            assertThrows(InvalidInputException.class, () -> tracker.endRun(run.id(), RunStatus.SCHEDULED));
            assertThrows(InvalidInputException.class, () -> tracker.endRun(run.id(), null));
            assertThrows(InvalidInputException.class, () -> tracker.endRun(null, RunStatus.FAILED));
            assertEquals(RunStatus.RUNNING, run(run.id()).info().status(), "a refused endRun changes nothing");
            assertThrows(NotFoundException.class, () -> tracker.endRun(UNKNOWN_RUN_ID, RunStatus.FAILED));

            tracker.endRun(run.id(), RunStatus.FINISHED);
            RunNotActiveException twice = assertThrows(RunNotActiveException.class, () -> tracker.endRun(run.id(), RunStatus.FAILED));
            assertEquals(run.id(), twice.runId());
            assertEquals(RunStatus.FINISHED, run(run.id()).info().status());

            ActiveRun deleted = tracker.startRun("iris");
            tracker.deleteRun(deleted.id());
            assertThrows(RunNotActiveException.class, () -> tracker.endRun(deleted.id(), RunStatus.KILLED));
        }

        @Test
        @DisplayName("killOrphanedRuns never ends a run of this live process")
        void killOrphanedRunsSparesLiveRuns() {
            ActiveRun run = tracker.startRun("iris");
            assertEquals(List.of(), tracker.killOrphanedRuns());
            assertEquals(List.of(), newTracker(builder -> { }).killOrphanedRuns());
            assertEquals(RunStatus.RUNNING, run(run.id()).info().status());
            run.logParam("still", "writable");
        }
    }

    // =============================================================================================

    /** Rule 10: the {@code runlog.*} tags every run gets. */
    @Nested
    @DisplayName("System tags")
    class SystemTagsRules {

        @Test
        @DisplayName("runlog.user is the user.name system property")
        void user() {
            ActiveRun run = tracker.startRun("iris");
            assertEquals(System.getProperty("user.name"), run(run.id()).data().tags().get("runlog.user"));
        }

        @Test
        @DisplayName("runlog.source.name is present and not blank")
        void sourceName() {
            ActiveRun run = tracker.startRun("iris");
            String source = run(run.id()).data().tags().get("runlog.source.name");
            assertNotNull(source, "runlog.source.name missing");
            assertFalse(source.isBlank(), "runlog.source.name is blank");
        }

        @Test
        @DisplayName("a run without a parent has no runlog.parentRunId")
        void noParent() {
            ActiveRun run = tracker.startRun("iris");
            assertFalse(run(run.id()).data().tags().containsKey("runlog.parentRunId"));
        }

        @Test
        @DisplayName("startChildRun makes a named run in the same experiment tagged with the parent's id")
        void startChildRun() {
            ActiveRun parent = tracker.startRun("sweep");
            ActiveRun child = parent.startChildRun("lr=0.1");
            assertEquals("lr=0.1", child.name());
            assertEquals(parent.experimentId(), child.experimentId());
            Run stored = run(child.id());
            assertEquals(parent.id(), stored.data().tags().get("runlog.parentRunId"));
            assertEquals(parent.experimentId(), stored.info().experimentId());
            assertEquals("lr=0.1", stored.info().name());
            assertEquals(RunStatus.RUNNING, stored.info().status());
            assertNotEquals(parent.id(), child.id());
        }

        @Test
        @DisplayName("the builder's parent(run) and parent(id) tag the run with the parent's id")
        void builderParent() {
            ActiveRun parent = tracker.startRun("sweep");
            ActiveRun byRun = tracker.newRun("sweep").name("a").parent(parent).start();
            ActiveRun byId = tracker.newRun("sweep").name("b").parent(parent.id()).start();
            for (ActiveRun child : List.of(byRun, byId)) {
                Run stored = run(child.id());
                assertEquals(parent.id(), stored.data().tags().get("runlog.parentRunId"));
                assertEquals(parent.experimentId(), stored.info().experimentId());
            }
            assertEquals("a", run(byRun.id()).info().name());
            assertEquals("b", run(byId.id()).info().name());
        }

        @Test
        @DisplayName("a parent in another experiment fails with InvalidInputException")
        void parentInOtherExperiment() {
            ActiveRun parent = tracker.startRun("sweep");
            assertThrows(InvalidInputException.class, () -> tracker.newRun("other").parent(parent).start());
            assertThrows(InvalidInputException.class, () -> tracker.newRun("other").parent(parent.id()).start());
        }
    }

    // =============================================================================================

    /** Rule 11: asynchronous metric logging loses nothing and is visible after flush. */
    @Nested
    @DisplayName("Async logging")
    class AsyncLogging {

        private void assertSeries(Tracker on, String runId, String key, int count) {
            List<Metric> history = on.metricHistory(runId, key);
            assertEquals(count, history.size(), "points stored");
            for (int i = 0; i < count; i++) {
                Metric point = history.get(i);
                if (point.step() != i || point.value() != i * 0.5) {
                    fail("point " + i + " of '" + key + "' is " + point + ", expected step " + i + " value " + (i * 0.5));
                }
            }
        }

        @Test
        @DisplayName("flush() returns once every point logged before is readable (10,000 points)")
        void flushMakesReadable() {
            ActiveRun run = tracker.startRun("iris");
            for (int i = 0; i < 10_000; i++) {
                run.logMetric("loss", i * 0.5, i);
            }
            run.flush();
            assertSeries(tracker, run.id(), "loss", 10_000);
            assertEquals(9_999 * 0.5, run(run.id()).data().metrics().get("loss"));
        }

        @Test
        @DisplayName("close() flushes before the run ends")
        void closeFlushes() {
            ActiveRun run = tracker.startRun("iris");
            for (int i = 0; i < 2_000; i++) {
                run.logMetric("loss", i * 0.5, i);
            }
            run.close();
            assertSeries(tracker, run.id(), "loss", 2_000);
            assertEquals(RunStatus.FINISHED, run(run.id()).info().status());
        }

        @Test
        @DisplayName("end(status) flushes before the run ends")
        void endFlushes() {
            ActiveRun run = tracker.startRun("iris");
            for (int i = 0; i < 2_000; i++) {
                run.logMetric("loss", i * 0.5, i);
            }
            run.end(RunStatus.KILLED);
            assertSeries(tracker, run.id(), "loss", 2_000);
        }

        @Test
        @DisplayName("with a 16-point buffer, all of 5,000 points are stored (back-pressure, nothing dropped)")
        void backPressure() {
            Tracker small = newTracker(builder -> builder.bufferCapacity(16));
            ActiveRun run = small.startRun("iris");
            for (int i = 0; i < 5_000; i++) {
                run.logMetric("loss", i * 0.5, i);
            }
            run.flush();
            assertSeries(small, run.id(), "loss", 5_000);
        }

        @Test
        @DisplayName("with Durability.SYNC each point is readable as soon as logMetric returns")
        void syncDurability() {
            Tracker sync = newTracker(builder -> builder.durability(Durability.SYNC));
            ActiveRun run = sync.startRun("iris");
            for (int i = 0; i < 200; i++) {
                run.logMetric("loss", i * 0.5, i);
                assertEquals(i + 1, sync.metricHistory(run.id(), "loss").size(), "points readable without flush");
                assertEquals(i * 0.5, sync.getRun(run.id()).data().metrics().get("loss"));
            }
            run.logMetrics(Map.of("acc", 0.9, "f1", 0.8), 3);
            assertEquals(Map.of("loss", 199 * 0.5, "acc", 0.9, "f1", 0.8), sync.getRun(run.id()).data().metrics());
            assertSeries(sync, run.id(), "loss", 200);
        }

        @Test
        @DisplayName("points of several runs are each stored in their own run")
        void severalRuns() {
            ActiveRun a = tracker.startRun("iris");
            ActiveRun b = tracker.startRun("iris");
            for (int i = 0; i < 1_000; i++) {
                a.logMetric("loss", i * 0.5, i);
                b.logMetric("loss", i * 0.5, i);
                b.logMetric("acc", i * 0.5, i);
            }
            a.flush();
            b.flush();
            assertSeries(tracker, a.id(), "loss", 1_000);
            assertSeries(tracker, b.id(), "loss", 1_000);
            assertSeries(tracker, b.id(), "acc", 1_000);
            assertEquals(List.of(), tracker.metricHistory(a.id(), "acc"));
        }
    }

    // =============================================================================================

    /** Rule 12: many threads logging into one run and one store. */
    @Nested
    @DisplayName("Concurrency")
    class Concurrency {

        /** A daemon thread, so that one stuck after a failed test cannot keep the test JVM alive. */
        private static Thread daemon(Runnable body, String name) {
            Thread thread = new Thread(body, name);
            thread.setDaemon(true);
            return thread;
        }

        private static void startAndJoin(List<Thread> threads, CountDownLatch go, List<Throwable> failures)
                throws InterruptedException {
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(120));
                assertFalse(thread.isAlive(), () -> thread.getName() + " did not finish");
            }
            rethrow(failures);
        }

        private static void rethrow(List<Throwable> failures) {
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " thread(s) failed; first: " + failures.get(0), failures.get(0));
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
        }

        @Test
        @Timeout(value = 120, unit = TimeUnit.SECONDS)
        @DisplayName("4 threads log 250,000 points each into one run: every point is stored exactly once, in order")
        void millionPointsIntoOneRun() throws InterruptedException {
            final int threadCount = 4;
            final int pointsPerThread = 250_000;
            ActiveRun run = tracker.startRun("concurrency");
            String runId = run.id();
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();

            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                final int thread = t;
                writers.add(daemon(() -> {
                    try {
                        go.await();
                        String key = "t" + thread;
                        for (int step = 0; step < pointsPerThread; step++) {
                            run.logMetric(key, thread * 1_000_000.0 + step, step);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-writer-" + t));
            }

            // While the writers run, a reader checks what is visible of "t0": it only grows, and is
            // always steps 0..n-1 in order (one thread logs it in step order).
            Thread reader = daemon(() -> {
                try {
                    go.await();
                    int lastSize = 0;
                    while (writing.get()) {
                        List<Metric> history = tracker.metricHistory(runId, "t0");
                        if (history.size() < lastSize) {
                            throw new AssertionError("history of t0 shrank from " + lastSize + " to " + history.size());
                        }
                        for (int i = 0; i < history.size(); i++) {
                            Metric point = history.get(i);
                            if (point.step() != i || point.value() != i) {
                                throw new AssertionError("history of t0 (size " + history.size() + ") holds " + point
                                        + " at index " + i);
                            }
                        }
                        lastSize = history.size();
                        reads.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "kit-reader");
            reader.start();

            writers.forEach(Thread::start);
            go.countDown();
            for (Thread writer : writers) {
                writer.join(TimeUnit.SECONDS.toMillis(110));
                assertFalse(writer.isAlive(), () -> writer.getName() + " did not finish");
            }
            run.flush();
            writing.set(false);
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(reader.isAlive(), "reader did not finish");
            rethrow(failures);
            assertTrue(reads.get() > 0, "the reader never read");

            for (int t = 0; t < threadCount; t++) {
                String key = "t" + t;
                List<Metric> history = tracker.metricHistory(runId, key);
                assertEquals(pointsPerThread, history.size(), () -> "points stored for " + key);
                for (int step = 0; step < pointsPerThread; step++) {
                    Metric point = history.get(step);
                    if (point.step() != step || point.value() != t * 1_000_000.0 + step || !point.key().equals(key)) {
                        fail("point " + step + " of " + key + " is " + point);
                    }
                }
            }
            Map<String, Metric> latest = run(runId).data().latestMetrics();
            assertEquals(Set.of("t0", "t1", "t2", "t3"), latest.keySet());
            for (int t = 0; t < threadCount; t++) {
                assertEquals(pointsPerThread - 1L, latest.get("t" + t).step());
            }
            run.close();
            assertEquals(RunStatus.FINISHED, run(runId).info().status());
        }

        @Test
        @DisplayName("threads starting runs in a new experiment at once share one experiment")
        void concurrentStartRunCreatesOneExperiment() throws InterruptedException {
            int threadCount = 8;
            CountDownLatch go = new CountDownLatch(1);
            List<String> experimentIds = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        try (ActiveRun run = tracker.startRun("race")) {
                            experimentIds.add(run.experimentId());
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-worker"));
            }
            startAndJoin(threads, go, failures);
            assertEquals(threadCount, experimentIds.size());
            List<Experiment> all = tracker.listExperiments(ViewType.ALL);
            assertEquals(1, all.size(), () -> "experiments: " + all);
            assertEquals(Set.of(all.get(0).id()), new HashSet<>(experimentIds));
        }

        @Test
        @DisplayName("threads creating the same experiment at once: exactly one succeeds, the rest get ConflictException")
        void concurrentCreateExperiment() throws InterruptedException {
            int threadCount = 8;
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger created = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        tracker.createExperiment("race");
                        created.incrementAndGet();
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-worker"));
            }
            startAndJoin(threads, go, failures);
            assertEquals(1, created.get(), "successful creates");
            assertEquals(threadCount - 1, conflicts.get(), "conflicts");
            assertEquals(1, tracker.listExperiments(ViewType.ALL).size());
        }

        @Test
        @DisplayName("threads logging one param with different values at once: exactly one value wins")
        void concurrentParamConflict() throws InterruptedException {
            int threadCount = 8;
            ActiveRun run = tracker.startRun("race");
            CountDownLatch go = new CountDownLatch(1);
            List<String> winners = new CopyOnWriteArrayList<>();
            List<ParamConflictException> conflicts = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                final String value = "v" + t;
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        run.logParam("seed", value);
                        winners.add(value);
                    } catch (ParamConflictException e) {
                        conflicts.add(e);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-worker"));
            }
            startAndJoin(threads, go, failures);
            assertEquals(1, winners.size(), () -> "values accepted: " + winners);
            assertEquals(threadCount - 1, conflicts.size());
            String winner = winners.get(0);
            assertEquals(winner, run(run.id()).data().params().get("seed"));
            for (ParamConflictException conflict : conflicts) {
                assertEquals(winner, conflict.storedValue());
            }
        }

        @Test
        @DisplayName("threads logging into their own runs at once: each run gets exactly its points")
        void concurrentRuns() throws InterruptedException {
            int threadCount = 4;
            int points = 20_000;
            CountDownLatch go = new CountDownLatch(1);
            List<ActiveRun> runs = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                ActiveRun run = tracker.startRun("many-runs");
                runs.add(run);
                final int thread = t;
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        for (int step = 0; step < points; step++) {
                            run.logMetric("loss", thread + step * 10.0, step);
                        }
                        run.logParam("thread", thread);
                        run.close();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-worker"));
            }
            startAndJoin(threads, go, failures);
            for (int t = 0; t < threadCount; t++) {
                String id = runs.get(t).id();
                List<Metric> history = tracker.metricHistory(id, "loss");
                assertEquals(points, history.size());
                assertEquals(t + (points - 1) * 10.0, history.get(points - 1).value());
                assertEquals(t + 0.0, history.get(0).value());
                assertEquals(String.valueOf(t), run(id).data().params().get("thread"));
                assertEquals(RunStatus.FINISHED, run(id).info().status());
            }
        }
    }

    // =============================================================================================

    /** The artifact writes of an {@link ActiveRun} besides logArtifact, for the tests of writes to inactive runs. */
    enum ArtifactWrite {
        LOG_ARTIFACTS, LOG_TEXT, LOG_JSON, LOG_MODEL, LOG_FILES_MODEL;

        void apply(ActiveRun run, Path directory) {
            switch (this) {
                case LOG_ARTIFACTS -> run.logArtifacts(directory, "bundle");
                case LOG_TEXT -> run.logText("notes", "notes.txt");
                case LOG_JSON -> run.logJson(Map.of("accuracy", 0.97), "eval.json");
                case LOG_MODEL -> run.logModel("model", new TestModels.LinearModel(new double[] {1, 2}, 0.5));
                case LOG_FILES_MODEL -> run.logModel("model", directory);
            }
        }
    }

    /** Rule 13: artifacts are files kept per run, each with its SHA-256. */
    @Nested
    @DisplayName("Artifacts")
    class Artifacts {

        @Test
        @DisplayName("logArtifact(file) stores the file at the root under its name, listed with its size, read back byte for byte")
        void rootArtifact() {
            byte[] content = bytes(10_000, 42);
            Path file = newFile("model.bin", content);
            ActiveRun run = tracker.startRun("iris");
            run.logArtifact(file);
            assertEquals(List.of(ArtifactEntry.file("model.bin", 10_000, sha256(content))), tracker.listArtifacts(run.id(), ""));
            assertArrayEquals(content, readAll(tracker.openArtifact(run.id(), "model.bin")));
        }

        @Test
        @DisplayName("logArtifact(file, dir) nests the file; listings show sub-directories as directories")
        void nestedArtifacts() {
            byte[] loss = bytes(300, 1);
            byte[] notes = "notes".getBytes(StandardCharsets.UTF_8);
            byte[] model = bytes(77, 2);
            ActiveRun run = tracker.startRun("iris");
            run.logArtifact(newFile("loss.png", loss), "plots/train");
            run.logArtifact(newFile("notes.txt", notes), "plots");
            run.logArtifact(newFile("model.bin", model));

            assertEquals(List.of(ArtifactEntry.file("model.bin", 77, sha256(model)), ArtifactEntry.directory("plots")),
                    tracker.listArtifacts(run.id(), ""));
            assertEquals(List.of(ArtifactEntry.file("plots/notes.txt", notes.length, sha256(notes)),
                    ArtifactEntry.directory("plots/train")), tracker.listArtifacts(run.id(), "plots"));
            assertEquals(List.of(ArtifactEntry.file("plots/train/loss.png", 300, sha256(loss))),
                    tracker.listArtifacts(run.id(), "plots/train"));
            assertArrayEquals(loss, readAll(tracker.openArtifact(run.id(), "plots/train/loss.png")));
            assertArrayEquals(notes, readAll(tracker.openArtifact(run.id(), "plots/notes.txt")));
        }

        @Test
        @DisplayName("logging a file again under the same name replaces it")
        void replaceArtifact() {
            ActiveRun run = tracker.startRun("iris");
            run.logArtifact(newFile("model.bin", bytes(100, 1)));
            byte[] second = bytes(60, 2);
            run.logArtifact(newFile("model.bin", second));
            assertEquals(List.of(ArtifactEntry.file("model.bin", 60, sha256(second))), tracker.listArtifacts(run.id(), ""));
            assertArrayEquals(second, readAll(tracker.openArtifact(run.id(), "model.bin")));
        }

        @Test
        @DisplayName("each run has its own artifacts; a run without any lists none")
        void artifactsPerRun() {
            ActiveRun a = tracker.startRun("iris");
            ActiveRun b = tracker.startRun("iris");
            a.logArtifact(newFile("model.bin", bytes(10, 1)));
            assertEquals(List.of(), tracker.listArtifacts(b.id(), ""));
            assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(b.id(), "model.bin")));
            assertNotEquals(run(a.id()).info().artifactUri(), run(b.id()).info().artifactUri());
        }

        @ParameterizedTest(name = "artifact dir \"{0}\"")
        @ValueSource(strings = {"..", "../outside", "plots/../..", "a/../b", "/etc", "/"})
        @DisplayName("an artifact dir with '..' or an absolute one fails with InvalidInputException and stores nothing")
        void escapingDir(String dir) {
            ActiveRun run = tracker.startRun("iris");
            Path file = newFile("passwd", bytes(10, 1));
            assertThrows(InvalidInputException.class, () -> run.logArtifact(file, dir));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @Test
        @DisplayName("logging a directory or a missing file fails with InvalidInputException naming it")
        void notAFile() {
            ActiveRun run = tracker.startRun("iris");
            Path directory = newDirectory("a-directory");
            InvalidInputException dir = assertThrows(InvalidInputException.class, () -> run.logArtifact(directory));
            assertMessageContains(dir, directory.getFileName().toString());
            Path missing = directory.resolve("missing.bin");
            InvalidInputException none = assertThrows(InvalidInputException.class, () -> run.logArtifact(missing, "models"));
            assertMessageContains(none, "missing.bin");
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @Test
        @DisplayName("opening a missing artifact fails with NotFoundException")
        void missingArtifact() {
            ActiveRun run = tracker.startRun("iris");
            run.logArtifact(newFile("loss.png", bytes(10, 1)), "plots");
            assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "model.bin")));
            assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "plots/acc.png")));
            assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(UNKNOWN_RUN_ID, "plots/loss.png")));
        }

        @Test
        @DisplayName("listArtifacts shows the SHA-256 of each file, whichever method stored it")
        void listingShowsDigests() {
            byte[] weights = bytes(4096, 7);
            byte[] plot = bytes(1234, 8);
            String notes = "accuracy 0.97\n";
            byte[] notesBytes = notes.getBytes(StandardCharsets.UTF_8);
            Path plots = writeTree(newDirectory("plots"), Map.of("loss.png", plot));
            ActiveRun run = tracker.startRun("iris");
            run.logArtifact(newFile("weights.bin", weights), "out");
            run.logText(notes, "out/notes.txt");
            run.logArtifacts(plots, "out/plots");

            assertEquals(List.of(ArtifactEntry.file("out/notes.txt", notesBytes.length, sha256(notesBytes)),
                    ArtifactEntry.directory("out/plots"),
                    ArtifactEntry.file("out/weights.bin", weights.length, sha256(weights))),
                    tracker.listArtifacts(run.id(), "out"));
            assertEquals(List.of(ArtifactEntry.file("out/plots/loss.png", plot.length, sha256(plot))),
                    tracker.listArtifacts(run.id(), "out/plots"));
            for (ArtifactEntry file : artifactTree(tracker, run.id(), "").values()) {
                String digest = file.sha256().orElseThrow(() -> new AssertionError(file.path() + " is listed without a SHA-256"));
                assertTrue(SHA256_HEX.matcher(digest).matches(), () -> file.path() + " has SHA-256 '" + digest + "'");
                assertEquals(sha256(readAll(tracker.openArtifact(run.id(), file.path()))), digest,
                        () -> "the listed SHA-256 of " + file.path() + " is not that of its content");
            }
        }

        @Test
        @DisplayName("logArtifacts(dir, \"bundle\") copies a tree, nested directories included, keeping its layout, bytes and digests")
        void logArtifactsTree() {
            Map<String, byte[]> files = new TreeMap<>();
            files.put("README.md", "# bundle\n".getBytes(StandardCharsets.UTF_8));
            files.put("config/params.json", "{\"lr\": 0.1}".getBytes(StandardCharsets.UTF_8));
            files.put("config/deep/er/weights.bin", bytes(70_000, 3));
            files.put("config.txt", bytes(5, 4));
            files.put("empty.txt", new byte[0]);
            Path source = writeTree(newDirectory("bundle-source"), files);
            ActiveRun run = tracker.startRun("iris");
            run.logArtifacts(source, "bundle");

            assertEquals(List.of(ArtifactEntry.directory("bundle")), tracker.listArtifacts(run.id(), ""));
            assertEquals(List.of("bundle/README.md", "bundle/config", "bundle/config.txt", "bundle/empty.txt"),
                    tracker.listArtifacts(run.id(), "bundle").stream().map(ArtifactEntry::path).toList());
            assertEquals(List.of(ArtifactEntry.directory("bundle/config/deep"),
                    ArtifactEntry.file("bundle/config/params.json", files.get("config/params.json").length,
                            sha256(files.get("config/params.json")))),
                    tracker.listArtifacts(run.id(), "bundle/config"));
            assertEquals(digestsOf(files), artifactDigests(tracker, run.id(), "bundle"));
            files.forEach((path, content) ->
                    assertArrayEquals(content, readAll(tracker.openArtifact(run.id(), "bundle/" + path)), path));
        }

        @Test
        @DisplayName("logArtifacts(dir, \"\") copies a tree into the root of the run's artifacts")
        void logArtifactsAtRoot() {
            Map<String, byte[]> files = Map.of("a.txt", bytes(10, 1), "sub/b.bin", bytes(20, 2));
            ActiveRun run = tracker.startRun("iris");
            run.logArtifacts(writeTree(newDirectory("tree"), files), "");
            assertEquals(digestsOf(files), artifactDigests(tracker, run.id(), ""));
            assertEquals(List.of(ArtifactEntry.file("a.txt", 10, sha256(files.get("a.txt"))), ArtifactEntry.directory("sub")),
                    tracker.listArtifacts(run.id(), ""));
        }

        @ParameterizedTest(name = "a link to a {0}")
        @ValueSource(strings = {"file", "directory"})
        @DisplayName("logArtifacts refuses a tree holding a symbolic link with InvalidInputException naming it, and never stores what it points to")
        void logArtifactsRefusesLink(String kind) throws IOException {
            byte[] secret = "secret".getBytes(StandardCharsets.UTF_8);
            Path outside = newFile("secret.txt", secret);
            Path source = writeTree(newDirectory("linked"), Map.of("a.txt", bytes(10, 1), "sub/b.txt", bytes(10, 2)));
            Files.createSymbolicLink(source.resolve("sub/z-link"), kind.equals("file") ? outside : outside.getParent());
            ActiveRun run = tracker.startRun("iris");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> run.logArtifacts(source, "bundle"));
            assertMessageContains(e, "z-link");
            assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "bundle/sub/z-link")));
            assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "bundle/sub/z-link/secret.txt")));
        }

        @Test
        @DisplayName("a tree refused for a symbolic link stores none of its files")
        void refusedTreeStoresNothing() throws IOException {
            Path outside = newFile("secret.txt", bytes(10, 9));
            // "a.txt" and "b/c.txt" come before the link in any walk order that sorts names.
            Path source = writeTree(newDirectory("linked"), Map.of("a.txt", bytes(10, 1), "b/c.txt", bytes(10, 2)));
            Files.createSymbolicLink(source.resolve("z-link.txt"), outside);
            ActiveRun run = tracker.startRun("iris");
            assertThrows(InvalidInputException.class, () -> run.logArtifacts(source, "bundle"));
            assertEquals(Map.of(), artifactDigests(tracker, run.id(), ""),
                    "a refused logArtifacts must not leave part of the tree behind");
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @Test
        @DisplayName("logArtifacts of a missing directory or of a file fails with InvalidInputException and stores nothing")
        void logArtifactsNotADirectory() {
            ActiveRun run = tracker.startRun("iris");
            Path file = newFile("model.bin", bytes(10, 1));
            assertThrows(InvalidInputException.class, () -> run.logArtifacts(file, "bundle"));
            assertThrows(InvalidInputException.class, () -> run.logArtifacts(file.resolveSibling("missing"), "bundle"));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @Test
        @DisplayName("logText stores the text as UTF-8 at the given path; logging it again replaces it")
        void logText() {
            String text = "résumé: accuracy ≥ 0.97 ✓\nline two\n";
            byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            ActiveRun run = tracker.startRun("iris");
            run.logText(text, "notes/summary.md");
            assertEquals(List.of(ArtifactEntry.file("notes/summary.md", expected.length, sha256(expected))),
                    tracker.listArtifacts(run.id(), "notes"));
            assertArrayEquals(expected, readAll(tracker.openArtifact(run.id(), "notes/summary.md")));

            run.logText("", "notes/summary.md");
            assertEquals(List.of(ArtifactEntry.file("notes/summary.md", 0, sha256(new byte[0]))),
                    tracker.listArtifacts(run.id(), "notes"));
            assertArrayEquals(new byte[0], readAll(tracker.openArtifact(run.id(), "notes/summary.md")));
        }

        @Test
        @DisplayName("logJson of a record stores JSON with each of its components")
        void logJsonRecord() {
            ActiveRun run = tracker.startRun("iris");
            run.logJson(new TestModels.EvalReport("linear \"v2\"", 0.9375, List.of(5, 1, 0, 6), true), "eval/report.json");
            byte[] stored = readAll(tracker.openArtifact(run.id(), "eval/report.json"));
            assertEquals(List.of(ArtifactEntry.file("eval/report.json", stored.length, sha256(stored))),
                    tracker.listArtifacts(run.id(), "eval"));
            String json = compactJson(new String(stored, StandardCharsets.UTF_8));
            assertTrue(json.startsWith("{") && json.endsWith("}"), json);
            for (String member : List.of("\"model\":\"linear \\\"v2\\\"\"", "\"accuracy\":0.9375",
                    "\"confusion\":[5,1,0,6]", "\"calibrated\":true")) {
                assertTrue(json.contains(member), () -> "the JSON should hold " + member + ": " + json);
            }
        }

        @Test
        @DisplayName("logJson of a Map stores the same values, nested maps and lists included")
        void logJsonMap() {
            Map<String, Object> optimizer = new TreeMap<>(Map.of("name", "sgd", "momentum", 0.9));
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("epochs", 12);
            config.put("optimizer", optimizer);
            config.put("classes", List.of("setosa", "versicolor"));
            config.put("dropout", null);
            config.put("big", Long.MAX_VALUE);
            ActiveRun run = tracker.startRun("iris");
            run.logJson(config, "config.json");
            String json = compactJson(utf8(tracker.openArtifact(run.id(), "config.json")));
            assertEquals("{\"epochs\":12,\"optimizer\":{\"momentum\":0.9,\"name\":\"sgd\"},"
                    + "\"classes\":[\"setosa\",\"versicolor\"],\"dropout\":null,\"big\":9223372036854775807}", json);
        }

        @Test
        @DisplayName("downloadArtifacts of a file returns target/<name> holding the same bytes, creating target")
        void downloadFile() throws IOException {
            byte[] content = bytes(5000, 4);
            ActiveRun run = tracker.startRun("iris");
            run.logArtifact(newFile("loss.png", content), "plots/train");
            run.logArtifact(newFile("other.png", bytes(10, 5)), "plots/train");
            Path target = newDirectory("download").resolve("not/yet/there");
            Path local = tracker.downloadArtifacts(run.id(), "plots/train/loss.png", target);
            assertEquals(target.resolve("loss.png"), local);
            assertArrayEquals(content, Files.readAllBytes(local));
            assertEquals(Map.of("loss.png", content.length + ":" + sha256(content)), localDigests(target),
                    "only the requested file is downloaded");
        }

        @Test
        @DisplayName("downloadArtifacts of a directory returns target/<last segment> holding its whole subtree")
        void downloadDirectory() {
            Map<String, byte[]> files = new TreeMap<>();
            files.put("config/params.json", bytes(100, 1));
            files.put("config/deep/er/weights.bin", bytes(30_000, 2));
            files.put("README.md", bytes(10, 3));
            ActiveRun run = tracker.startRun("iris");
            run.logArtifacts(writeTree(newDirectory("bundle"), files), "bundle");
            Path target = newDirectory("download");
            Path local = tracker.downloadArtifacts(run.id(), "bundle/config", target);
            assertEquals(target.resolve("config"), local);
            assertEquals(Map.of("params.json", "100:" + sha256(files.get("config/params.json")),
                    "deep/er/weights.bin", "30000:" + sha256(files.get("config/deep/er/weights.bin"))), localDigests(local));
            assertEquals(artifactDigests(tracker, run.id(), "bundle/config"), localDigests(local));
            SortedMap<String, String> underTarget = new TreeMap<>();
            localDigests(local).forEach((path, digest) -> underTarget.put("config/" + path, digest));
            assertEquals(underTarget, localDigests(target), "nothing else is downloaded");
        }

        @Test
        @DisplayName("downloadArtifacts of \"\" copies every artifact of the run into target itself")
        void downloadAll() {
            ActiveRun run = tracker.startRun("iris");
            Map<String, byte[]> files = Map.of("a/b/c.bin", bytes(1000, 1), "a/d.txt", bytes(10, 2));
            run.logArtifacts(writeTree(newDirectory("tree"), files), "");
            run.logArtifact(newFile("model.bin", bytes(77, 3)));
            run.logText("hello", "notes.txt");
            Path target = newDirectory("download");
            assertEquals(target, tracker.downloadArtifacts(run.id(), "", target));
            SortedMap<String, String> expected = new TreeMap<>(digestsOf(files));
            expected.put("model.bin", "77:" + sha256(bytes(77, 3)));
            expected.put("notes.txt", "5:" + sha256("hello".getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, localDigests(target));
            assertEquals(artifactDigests(tracker, run.id(), ""), localDigests(target));
        }

        @Test
        @DisplayName("downloadArtifacts of a missing path or an unknown run fails with NotFoundException")
        void downloadMissing() {
            ActiveRun run = tracker.startRun("iris");
            run.logArtifact(newFile("loss.png", bytes(10, 1)), "plots");
            Path target = newDirectory("download");
            assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(run.id(), "model.bin", target));
            assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(run.id(), "plots/acc.png", target));
            assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(run.id(), "metrics", target));
            assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(UNKNOWN_RUN_ID, "plots/loss.png", target));
            assertThrows(InvalidInputException.class, () -> tracker.downloadArtifacts(run.id(), "../plots", target));
            assertEquals(Map.of(), localDigests(target));
        }

        @ParameterizedTest(name = "artifact path \"{0}\"")
        @ValueSource(strings = {"", ".", "/", "../x", "notes/../../x", "/etc/x", "a\\b"})
        @DisplayName("logText and logJson to the root or to a path leaving it fail with InvalidInputException and store nothing")
        void invalidTextPath(String path) {
            ActiveRun run = tracker.startRun("iris");
            assertThrows(InvalidInputException.class, () -> run.logText("text", path));
            assertThrows(InvalidInputException.class, () -> run.logJson(Map.of("k", 1), path));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(ArtifactWrite.class)
        @DisplayName("after end, artifact writes fail with RunNotActiveException naming the run, and store nothing")
        void artifactWriteAfterEnd(ArtifactWrite write) {
            Path directory = writeTree(newDirectory("tree"), Map.of("a.txt", bytes(10, 1)));
            ActiveRun run = tracker.startRun("iris");
            run.end(RunStatus.FINISHED);
            RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> write.apply(run, directory));
            assertEquals(run.id(), e.runId());
            assertMessageContains(e, run.id());
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(ArtifactWrite.class)
        @DisplayName("after deleteRun of a running run, artifact writes fail with RunNotActiveException and store nothing")
        void artifactWriteAfterDelete(ArtifactWrite write) {
            Path directory = writeTree(newDirectory("tree"), Map.of("a.txt", bytes(10, 1)));
            ActiveRun run = tracker.startRun("iris");
            tracker.deleteRun(run.id());
            RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> write.apply(run, directory));
            assertMessageContains(e, run.id());
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
            tracker.restoreRun(run.id());
        }
    }

    // =============================================================================================

    /** Loading models: as an interface of the caller's, and into copies the tracker owns and deletes. */
    @Nested
    @DisplayName("Model loading")
    class ModelLoading {

        private final TestModels.LinearModel linear = new TestModels.LinearModel(new double[] {0.5, -1.25}, 0.125);

        /** Every regular file under {@code root}, as real paths. */
        private Set<Path> regularFiles(Path root) throws IOException {
            try (Stream<Path> paths = Files.walk(root)) {
                Set<Path> files = new HashSet<>();
                for (Path p : paths.filter(Files::isRegularFile).toList()) {
                    files.add(p.toRealPath());
                }
                return files;
            }
        }

        @Test
        @DisplayName("a json model loads as an interface its recorded class implements, by its own flavor or json() named")
        void jsonAsInterface() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("model", linear);
            TestModels.Predictor loaded = tracker.loadModel(logged.uri(), TestModels.Predictor.class);
            assertEquals(linear, loaded);
            assertEquals(linear.predict(new double[] {2, 4}), loaded.predict(new double[] {2, 4}));
            assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.Predictor.class, ModelFlavor.json()));
        }

        @Test
        @DisplayName("a json model whose recorded class does not implement the interface fails with InvalidInputException naming both")
        void jsonAsForeignInterface() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("report", new TestModels.EvalReport("m", 0.9, List.of(1, 2), true));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> tracker.loadModel(logged.uri(), TestModels.Predictor.class));
            assertMessageContains(e, TestModels.EvalReport.class.getName(), TestModels.Predictor.class.getName());
        }

        @Test
        @DisplayName("files-flavor loads are copies of their own in the tracker's loaded-model directory, valid until close, which empties it")
        void filesCopiesLiveUntilClose() throws IOException {
            Path loadedModels = newDirectory("loaded-models");
            Tracker owner = newTracker(builder -> builder.loadedModelDirectory(loadedModels));
            byte[] onnx = bytes(5_000, 21);
            Map<String, byte[]> tree = Map.of("weights.bin", bytes(3_000, 22), "config/labels.txt", bytes(40, 23));
            ActiveRun run = owner.startRun("iris");
            LoggedModel file = run.logModel("onnx", newFile("model.onnx", onnx));
            LoggedModel dir = run.logModel("djl", writeTree(newDirectory("source").resolve("djl-model"), tree));
            LoggedModel json = run.logModel("json", linear);
            List<Path> loaded = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                loaded.add(owner.loadModel(file.uri(), Path.class));
                loaded.add(owner.loadModel(dir.uri(), Path.class));
                assertEquals(linear, owner.loadModel(json.uri(), TestModels.LinearModel.class));
            }
            assertEquals(4, new HashSet<>(loaded).size(), () -> "each load gets a copy of its own: " + loaded);
            for (int i = 0; i < 4; i += 2) {
                assertArrayEquals(onnx, Files.readAllBytes(loaded.get(i)), "still valid after later loads");
                assertEquals(digestsOf(tree), localDigests(loaded.get(i + 1)));
            }
            Set<Path> copied = new HashSet<>();
            for (Path p : loaded) {
                copied.addAll(regularFiles(p));
            }
            assertEquals(copied, regularFiles(loadedModels), "the json loads left no file; every file is a copy handed out");

            owner.close();
            loaded.forEach(p -> assertFalse(Files.exists(p), () -> p + " outlived its tracker"));
            try (Stream<Path> left = Files.list(loadedModels)) {
                assertEquals(List.of(), left.toList(), "close leaves nothing in the loaded-model directory");
            }
        }

        @Test
        @DisplayName("by default the copies live in a runlog-loads-* directory of java.io.tmpdir, deleted when the tracker closes")
        void defaultDirectory() throws IOException {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel file = run.logModel("onnx", newFile("model.onnx", bytes(100, 24)));
            Path loaded = tracker.loadModel(file.uri(), Path.class);
            Path dir = loaded;
            while (dir != null && !dir.getFileName().toString().startsWith("runlog-loads-")) {
                dir = dir.getParent();
            }
            Path owned = dir;
            assertNotNull(owned, () -> loaded + " is not in a runlog-loads-* directory");
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toRealPath(), owned.getParent().toRealPath());
            tracker.close();
            assertFalse(Files.exists(owned), () -> owned + " outlived its tracker");
        }
    }

    // =============================================================================================

    /** Rule 14: datasets are described by digest, schema and profile, and runs record which they used. */
    @Nested
    @DisplayName("Datasets")
    class Datasets {

        /** Six rows: a long column, a double column with one empty cell, a string column (one quoted cell), a boolean one. */
        private static final String CSV = "id,x,label,flag\n"
                + "1,0.3,a,true\n"
                + "2,1.7,b,false\n"
                + "3,,\"c, quoted\",true\n"
                + "4,2.2,d,false\n"
                + "5,-1.0,e,TRUE\n"
                + "6,4.0,f,false\n";
        private static final double[] ID = {1, 2, 3, 4, 5, 6};
        private static final double[] X = {0.3, 1.7, 2.2, -1.0, 4.0};

        private Path csv(String name, String content) {
            return newFile(name, content.getBytes(StandardCharsets.UTF_8));
        }

        private static double mean(double[] values) {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return sum / values.length;
        }

        private static double sampleStd(double[] values) {
            double mean = mean(values);
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            return Math.sqrt(squares / (values.length - 1));
        }

        private void assertProfile(Dataset.ColumnProfile profile, double[] values, long missing, String column) {
            assertAll(column,
                    () -> assertEquals(values.length, profile.count(), "count"),
                    () -> assertEquals(missing, profile.missing(), "missing"),
                    () -> assertEquals(Arrays.stream(values).min().orElseThrow(), profile.min(), "min"),
                    () -> assertEquals(Arrays.stream(values).max().orElseThrow(), profile.max(), "max"),
                    () -> assertEquals(mean(values), profile.mean(), 1e-12, "mean"),
                    () -> assertEquals(sampleStd(values), profile.std(), 1e-12, "sample std (n - 1)"));
        }

        /** The histogram's shape, and each value in the bin the documented rule puts it in. */
        private void assertHistogram(Dataset.ColumnProfile profile, double[] values, boolean checkBins, String column) {
            List<Double> edges = profile.histogram().edges();
            List<Long> counts = profile.histogram().counts();
            assertFalse(counts.isEmpty(), column + ": a column with values has a histogram");
            assertEquals(counts.size() + 1, edges.size(), column + ": one more edge than counts");
            assertEquals(profile.count(), counts.stream().mapToLong(Long::longValue).sum(), column + ": counts sum to count");
            assertEquals(profile.min(), (double) edges.get(0), column + ": the first edge is the min");
            assertEquals(profile.max(), (double) edges.get(edges.size() - 1), column + ": the last edge is the max");
            double width = (profile.max() - profile.min()) / counts.size();
            for (int i = 0; i < edges.size(); i++) {
                assertEquals(profile.min() + i * width, (double) edges.get(i), 1e-12, column + ": edges are equally wide, edge " + i);
            }
            if (checkBins) {
                long[] expected = new long[counts.size()];
                for (double v : values) {
                    int bin = -1;
                    for (int i = 0; i < counts.size() && bin < 0; i++) {
                        boolean last = i == counts.size() - 1;
                        if (v >= edges.get(i) && (v < edges.get(i + 1) || (last && v <= edges.get(i + 1)))) {
                            bin = i;
                        }
                    }
                    assertTrue(bin >= 0, column + ": " + v + " falls in no bin of " + edges);
                    expected[bin]++;
                }
                assertEquals(Arrays.stream(expected).boxed().toList(), counts, column + ": counts per bin");
            }
        }

        @Test
        @DisplayName("fromCsv: name from the file name, digest = SHA-256 of the file, a file: source, inferred column types")
        void fromCsvDescribesTheFile() throws IOException {
            Path file = csv("iris-train.csv", CSV);
            Dataset dataset = Dataset.fromCsv(file);
            assertEquals("iris-train", dataset.name());
            assertEquals(sha256(Files.readAllBytes(file)), dataset.digest());
            URI source = URI.create(dataset.source());
            assertEquals("file", source.getScheme());
            assertEquals(file.toAbsolutePath().normalize(), Path.of(source));
            assertEquals(List.of(new Dataset.Column("id", "long"), new Dataset.Column("x", "double"),
                    new Dataset.Column("label", "string"), new Dataset.Column("flag", "boolean")), dataset.schema());
            assertEquals("renamed", Dataset.fromCsv(file, "renamed").name());
            assertEquals(dataset, Dataset.fromCsv(file), "reading the same file twice gives an equal dataset");
        }

        @Test
        @DisplayName("fromCsv profiles each numeric column: count, missing, min, max, mean, sample std; not the others")
        void fromCsvProfile() {
            Dataset dataset = Dataset.fromCsv(csv("iris.csv", CSV));
            assertEquals(6, dataset.profile().rowCount());
            assertEquals(Set.of("id", "x"), dataset.profile().columns().keySet(), "only numeric columns are profiled");
            assertProfile(dataset.profile().columns().get("id"), ID, 0, "id");
            assertProfile(dataset.profile().columns().get("x"), X, 1, "x");
        }

        @Test
        @DisplayName("fromCsv histograms: one more edge than counts, from min to max, counts summing to the column's count")
        void fromCsvHistograms() {
            Dataset dataset = Dataset.fromCsv(csv("iris.csv", CSV));
            assertHistogram(dataset.profile().columns().get("id"), ID, false, "id");
            assertHistogram(dataset.profile().columns().get("x"), X, true, "x");
        }

        @Test
        @DisplayName("logInput: the run's inputs show each dataset and context in logging order, equal to what was logged")
        void logInputOrder() {
            Dataset train = dataset("iris", "v1");
            Dataset test = dataset("iris-test", "v1");
            ActiveRun run = tracker.startRun("iris");
            assertEquals(List.of(), run(run.id()).inputs());
            run.logInput(test, "test");
            run.logInput(train, "training");
            assertEquals(List.of(new DatasetInput(test, "test"), new DatasetInput(train, "training")), run(run.id()).inputs());
            run.close();
            assertEquals(List.of(new DatasetInput(test, "test"), new DatasetInput(train, "training")), run(run.id()).inputs(),
                    "inputs stay after the run ends");
        }

        @Test
        @DisplayName("a dataset read from CSV reads back equal, schema and profile included")
        void csvDatasetRoundTrip() {
            Dataset dataset = Dataset.fromCsv(csv("iris.csv", CSV));
            ActiveRun run = tracker.startRun("iris");
            run.logInput(dataset, "training");
            Dataset stored = run(run.id()).inputs().get(0).dataset();
            assertEquals(dataset.schema(), stored.schema());
            assertEquals(dataset.profile(), stored.profile());
            assertEquals(dataset, stored);
        }

        @Test
        @DisplayName("the same dataset and context logged twice is one input; the same dataset in two contexts is two")
        void inputIdentity() {
            Dataset train = dataset("iris", "v1");
            ActiveRun run = tracker.startRun("iris");
            run.logInput(train, "training");
            run.logInput(train, "training");
            assertEquals(List.of(new DatasetInput(train, "training")), run(run.id()).inputs());
            run.logInput(train, "validation");
            run.logInput(train, "training");
            assertEquals(List.of(new DatasetInput(train, "training"), new DatasetInput(train, "validation")),
                    run(run.id()).inputs());
        }

        @Test
        @DisplayName("runsUsing(digest) returns the runs that logged the dataset, oldest first, deleted ones included")
        void runsUsing() {
            Dataset train = dataset("iris", "v1");
            Dataset other = dataset("iris", "v2");
            ActiveRun older = tracker.startRun("iris");
            clock.advance(Duration.ofSeconds(1));
            ActiveRun newer = tracker.startRun("iris");
            clock.advance(Duration.ofSeconds(1));
            ActiveRun unrelated = tracker.startRun("iris");
            clock.advance(Duration.ofSeconds(1));
            ActiveRun elsewhere = tracker.startRun("mnist");
            // Logged in another order than the runs started: runsUsing orders by start.
            elsewhere.logInput(train, "training");
            newer.logInput(train, "training");
            older.logInput(train, "validation");
            older.logInput(train, "training");
            unrelated.logInput(other, "training");

            assertEquals(List.of(older.id(), newer.id(), elsewhere.id()), ids(tracker.runsUsing(train.digest())));
            assertEquals(List.of(unrelated.id()), ids(tracker.runsUsing(other.digest())));
            assertEquals(List.of(), tracker.runsUsing(sha256("never logged".getBytes(StandardCharsets.UTF_8))));
            assertEquals(List.of(new DatasetInput(train, "validation"), new DatasetInput(train, "training")),
                    tracker.runsUsing(train.digest()).get(0).inputs(), "the runs come with their inputs");

            tracker.deleteRun(newer.id());
            assertEquals(List.of(older.id(), newer.id(), elsewhere.id()), ids(tracker.runsUsing(train.digest())));
        }

        @Test
        @DisplayName("a profile with NaN statistics (one value, no value) and -0.0 round-trips exactly")
        void nanProfileRoundTrip() {
            Dataset single = singleRowDataset();
            Dataset negativeZero = dataset("iris", "v1");
            ActiveRun run = tracker.startRun("iris");
            run.logInput(single, "training");
            run.logInput(negativeZero, "training");
            List<DatasetInput> inputs = run(run.id()).inputs();
            assertEquals(List.of(new DatasetInput(single, "training"), new DatasetInput(negativeZero, "training")), inputs);
            Dataset.ColumnProfile v = inputs.get(0).dataset().profile().columns().get("v");
            assertTrue(Double.isNaN(v.std()), () -> "NaN std read back as " + v.std());
            Dataset.ColumnProfile w = inputs.get(0).dataset().profile().columns().get("w");
            assertTrue(Double.isNaN(w.min()) && Double.isNaN(w.max()) && Double.isNaN(w.mean()), () -> "read back as " + w);
            assertEquals(new Dataset.Histogram(List.of(), List.of()), w.histogram());
            double min = inputs.get(1).dataset().profile().columns().get("income").min();
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(min), () -> "-0.0 read back as " + min);
        }

        @Test
        @DisplayName("fromCsv of a column with one value gives a NaN sample std, and the dataset round-trips exactly")
        void fromCsvSingleValue() {
            Dataset dataset = Dataset.fromCsv(csv("one.csv", "a,b\n2.5,x\n"));
            Dataset.ColumnProfile a = dataset.profile().columns().get("a");
            assertEquals(1, a.count());
            assertEquals(2.5, a.mean());
            assertTrue(Double.isNaN(a.std()), () -> "one value has a NaN sample std, not " + a.std());
            ActiveRun run = tracker.startRun("iris");
            run.logInput(dataset, "validation");
            assertEquals(List.of(new DatasetInput(dataset, "validation")), run(run.id()).inputs());
        }

        @Test
        @DisplayName("logInput to an ended or deleted run fails with RunNotActiveException and records nothing")
        void logInputToInactiveRun() {
            Dataset train = dataset("iris", "v1");
            ActiveRun ended = tracker.startRun("iris");
            ended.end(RunStatus.FINISHED);
            RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> ended.logInput(train, "training"));
            assertMessageContains(e, ended.id());
            assertEquals(List.of(), run(ended.id()).inputs());

            ActiveRun deleted = tracker.startRun("iris");
            tracker.deleteRun(deleted.id());
            assertThrows(RunNotActiveException.class, () -> deleted.logInput(train, "training"));
            tracker.restoreRun(deleted.id());
            assertEquals(List.of(), run(deleted.id()).inputs());
            assertEquals(List.of(), tracker.runsUsing(train.digest()));
        }
    }

    // =============================================================================================

    /** Rule 15: models are logged with a flavor and a descriptor, and load back as they were. */
    @Nested
    @DisplayName("Models")
    class Models {

        private final TestModels.LinearModel linear = new TestModels.LinearModel(new double[] {0.5, -1.25, 3.0e-7}, 0.125);

        private ModelSignature signature() {
            return new ModelSignature(
                    List.of(ModelSignature.Field.column("sepal_length", "double"),
                            ModelSignature.Field.column("species_hint", "string"),
                            ModelSignature.Field.tensor("pixels", "float32", -1, 28, 28)),
                    List.of(ModelSignature.Field.column("score", "double"),
                            ModelSignature.Field.tensor("logits", "float32", -1, 3)));
        }

        private List<Map<String, Object>> inputExample() {
            Map<String, Object> first = new LinkedHashMap<>();
            first.put("sepal_length", 5.1);
            first.put("species_hint", "setosa");
            Map<String, Object> second = new LinkedHashMap<>();
            second.put("sepal_length", 6.7);
            second.put("species_hint", "virginica");
            return List.of(first, second);
        }

        @Test
        @DisplayName("a record logged with the json flavor loads back equal; its URI is runs:/<runId>/<path>")
        void jsonRoundTrip() {
            ActiveRun run = tracker.startRun("iris");
            Instant logTime = clock.peek();
            LoggedModel logged = run.logModel("model", linear);
            assertEquals("runs:/" + run.id() + "/model", logged.uri());
            assertEquals(run.id(), logged.runId());
            assertEquals("model", logged.artifactPath());
            assertEquals("json", logged.flavor());
            assertEquals(logTime, logged.creationTime());
            assertEquals(Optional.empty(), logged.signature());
            assertEquals(Optional.empty(), logged.inputExample());
            assertEquals(Map.of(), logged.metadata());

            TestModels.LinearModel loaded = tracker.loadModel(logged.uri(), TestModels.LinearModel.class);
            assertEquals(linear, loaded);
            assertEquals(linear.predict(new double[] {1, 2, 3}), loaded.predict(new double[] {1, 2, 3}));
            run.close();
            assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class), "loads from an ended run too");
            assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class, ModelFlavor.json()));
        }

        @Test
        @DisplayName("the model directory holds MLmodel.json and data/; getLoggedModel reads back the logged model")
        void modelDirectory() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("models/linear", linear);
            assertEquals(List.of(ArtifactEntry.directory("models")), tracker.listArtifacts(run.id(), ""));
            List<ArtifactEntry> entries = tracker.listArtifacts(run.id(), "models/linear");
            assertEquals(List.of("models/linear/MLmodel.json", "models/linear/data"),
                    entries.stream().map(ArtifactEntry::path).toList());
            assertFalse(entries.get(0).isDirectory());
            assertTrue(entries.get(0).sha256().isPresent());
            assertTrue(entries.get(1).isDirectory());
            assertFalse(artifactTree(tracker, run.id(), "models/linear/data").isEmpty(), "the payload is stored under data/");
            assertEquals(logged, tracker.getLoggedModel(logged.uri()));
        }

        @Test
        @DisplayName("a Path to a file is logged with the files flavor and loads back as a Path to the same bytes")
        void filesFlavorFile() throws IOException {
            byte[] onnx = bytes(20_000, 11);
            Path file = newFile("model.onnx", onnx);
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("onnx", file);
            assertEquals("files", logged.flavor());
            Files.write(file, bytes(10, 12)); // the logged model is a copy: changing the source afterwards is harmless
            Path loaded = tracker.loadModel(logged.uri(), Path.class);
            assertTrue(Files.isRegularFile(loaded), () -> loaded + " is not a file");
            assertEquals("model.onnx", loaded.getFileName().toString());
            assertArrayEquals(onnx, Files.readAllBytes(loaded));
        }

        @Test
        @DisplayName("a Path to a directory tree is logged with the files flavor and loads back as a Path to the same tree")
        void filesFlavorDirectory() {
            Map<String, byte[]> files = new TreeMap<>();
            files.put("model.params", bytes(50_000, 1));
            files.put("serving.properties", "engine=PyTorch\n".getBytes(StandardCharsets.UTF_8));
            files.put("synset/labels.txt", "setosa\nversicolor\nvirginica\n".getBytes(StandardCharsets.UTF_8));
            files.put("synset/deep/empty.bin", new byte[0]);
            Path source = writeTree(newDirectory("models").resolve("djl-model"), files);
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("djl", source, ModelFlavor.files());
            assertEquals("files", logged.flavor());
            Path loaded = tracker.loadModel(logged.uri(), Path.class);
            assertTrue(Files.isDirectory(loaded), () -> loaded + " is not a directory");
            assertEquals("djl-model", loaded.getFileName().toString());
            assertEquals(digestsOf(files), localDigests(loaded));
        }

        @Test
        @DisplayName("a Serializable model (strings, primitive and string arrays) round-trips with the java-serialized flavor")
        void javaSerializedRoundTrip() {
            TestModels.Perceptron model = new TestModels.Perceptron("iris-perceptron", new double[] {0.5, -2.0},
                    List.of("negative", "positive"), 0.75);
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("perceptron", model, ModelFlavor.javaSerialized());
            assertEquals("java-serialized", logged.flavor());
            TestModels.Perceptron loaded = tracker.loadModel(logged.uri(), TestModels.Perceptron.class);
            assertEquals(model, loaded);
            assertEquals("positive", loaded.classify(new double[] {4, 1}));
            assertEquals(model, tracker.loadModel(logged.uri(), TestModels.Perceptron.class, ModelFlavor.javaSerialized()));
        }

        @Test
        @DisplayName("a java-serialized model holding basic JDK collections (ArrayList, HashMap, TreeMap, List.of) loads back")
        void javaSerializedJdkCollections() {
            Map<String, java.io.Serializable> extras = new LinkedHashMap<>();
            extras.put("ArrayList", new ArrayList<>(List.of("a", "b")));
            extras.put("HashMap", new java.util.HashMap<>(Map.of("setosa", 0.5)));
            extras.put("TreeMap", new TreeMap<>(Map.of("setosa", 0.5)));
            extras.put("List.of", (java.io.Serializable) List.of(1L, 2L));
            extras.put("empty ArrayList", new ArrayList<String>());
            ActiveRun run = tracker.startRun("iris");
            List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
            extras.forEach((name, extra) -> {
                TestModels.Perceptron model = new TestModels.Perceptron(name, new double[] {1}, List.of("n", "p"), extra);
                LoggedModel logged = run.logModel("models/" + name.replace(' ', '-').replace(".", ""), model,
                        ModelFlavor.javaSerialized());
                checks.add(() -> assertEquals(model, assertDoesNotThrow(
                        () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class), "a model holding " + name)));
            });
            assertAll(checks);
        }

        @Test
        @DisplayName("a java-serialized model holding a class from a package not allowed is refused with ClassNotAllowedException; allowing the package loads it")
        void javaSerializedFilter() {
            TestModels.Perceptron model = new TestModels.Perceptron("calibrated", new double[] {1, 1},
                    List.of("negative", "positive"), new Calibration(2.0, -0.5));
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("perceptron", model, ModelFlavor.javaSerialized());
            assertThrows(ClassNotAllowedException.class, () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class));
            assertThrows(ClassNotAllowedException.class, () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class,
                    ModelFlavor.javaSerialized("dev.runlog.tracking.tck.oth")), "a package is not a name prefix");
            TestModels.Perceptron loaded = tracker.loadModel(logged.uri(), TestModels.Perceptron.class,
                    ModelFlavor.javaSerialized(Calibration.class.getPackageName()));
            assertEquals(model, loaded);
            assertEquals(new Calibration(2.0, -0.5), loaded.extra());
            assertEquals(model, tracker.loadModel(logged.uri(), TestModels.Perceptron.class,
                    ModelFlavor.javaSerialized("dev.runlog.tracking.tck")), "an allowed package allows its subpackages");
        }

        @Test
        @DisplayName("the ClassNotAllowedException refusing a java-serialized model names the refused class")
        void javaSerializedRefusalNamesClass() {
            TestModels.Perceptron model = new TestModels.Perceptron("calibrated", new double[] {1, 1},
                    List.of("negative", "positive"), new Calibration(2.0, -0.5));
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("perceptron", model, ModelFlavor.javaSerialized());
            ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                    () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class));
            assertMessageContains(refused, Calibration.class.getName());
        }

        @Test
        @DisplayName("ModelOptions: the logged model carries its signature, input example file and metadata")
        void modelOptions() {
            ModelSignature signature = signature();
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("classifier", linear, ModelOptions.defaults()
                    .signature(signature)
                    .inputExample(inputExample())
                    .metadata("framework", "plain-java")
                    .metadata("owner", "vision-team"));
            assertEquals(Optional.of(signature), logged.signature());
            assertEquals(List.of(-1L, 28L, 28L), logged.signature().orElseThrow().inputs().get(2).shape());
            assertEquals(Map.of("framework", "plain-java", "owner", "vision-team"), logged.metadata());
            String example = logged.inputExample().orElseThrow(() -> new AssertionError("no input example recorded"));
            String json = compactJson(utf8(tracker.openArtifact(run.id(), "classifier/" + example)));
            assertEquals("[{\"sepal_length\":5.1,\"species_hint\":\"setosa\"},"
                    + "{\"sepal_length\":6.7,\"species_hint\":\"virginica\"}]", json);
            assertTrue(tracker.listArtifacts(run.id(), "classifier").stream()
                    .anyMatch(e -> e.path().equals("classifier/" + example)), "the example is listed in the model directory");

            LoggedModel read = tracker.getLoggedModel(logged.uri());
            assertEquals(logged, read);
            assertTrue(read.signature().orElseThrow().inputs().get(2).isTensor());
            assertFalse(read.signature().orElseThrow().inputs().get(0).isTensor());
            assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class));
        }

        @Test
        @DisplayName("payloadSize is the sum of the payload's file sizes; payloadSha256 is 64 hex characters, the same for the same payload")
        void payloadDigest() {
            Path tree = writeTree(newDirectory("tree").resolve("model"),
                    Map.of("a.bin", bytes(1000, 1), "b/c.bin", bytes(2345, 2), "b/d/e.bin", bytes(17, 3)));
            ActiveRun run = tracker.startRun("iris");
            LoggedModel files = run.logModel("files", tree, ModelOptions.defaults().inputExample(Map.of("a", 1)));
            assertEquals(1000 + 2345 + 17, files.payloadSize());
            assertEquals(artifactTree(tracker, run.id(), "files/data").values().stream().mapToLong(ArtifactEntry::size).sum(),
                    files.payloadSize(), "the payload is what lies under data/, nothing else");

            LoggedModel first = run.logModel("first", linear);
            LoggedModel second = run.logModel("second", linear);
            LoggedModel other = run.logModel("other", new TestModels.LinearModel(new double[] {0.5, -1.25, 3.0e-7}, 0.25));
            assertEquals(artifactTree(tracker, run.id(), "first/data").values().stream().mapToLong(ArtifactEntry::size).sum(),
                    first.payloadSize());
            for (LoggedModel m : List.of(files, first, second, other)) {
                assertTrue(SHA256_HEX.matcher(m.payloadSha256()).matches(), () -> m.artifactPath() + ": " + m.payloadSha256());
            }
            assertEquals(first.payloadSha256(), second.payloadSha256(), "the same payload has the same digest");
            assertNotEquals(first.payloadSha256(), other.payloadSha256(), "another payload has another digest");
            assertNotEquals(first.modelUuid(), second.modelUuid(), "each log is a new model");
            assertEquals(4, Set.of(files.modelUuid(), first.modelUuid(), second.modelUuid(), other.modelUuid()).size());
        }

        @ParameterizedTest(name = "artifact path \"{0}\"")
        @ValueSource(strings = {"", ".", "/", "../model", "/abs/model"})
        @DisplayName("logModel to the artifact root or outside it fails with InvalidInputException and stores nothing")
        void invalidArtifactPath(String path) {
            ActiveRun run = tracker.startRun("iris");
            assertThrows(InvalidInputException.class, () -> run.logModel(path, linear));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }

        @Test
        @DisplayName("loading or reading a model where there is none fails with NotFoundException")
        void missingModel() {
            ActiveRun run = tracker.startRun("iris");
            run.logModel("model", linear);
            run.logArtifact(newFile("loss.png", bytes(10, 1)), "plots");
            for (String uri : List.of("runs:/" + run.id() + "/nothing", "runs:/" + run.id() + "/plots",
                    "runs:/" + run.id() + "/model/data", "runs:/" + UNKNOWN_RUN_ID + "/model")) {
                assertThrows(NotFoundException.class, () -> tracker.loadModel(uri, TestModels.LinearModel.class), uri);
                assertThrows(NotFoundException.class, () -> tracker.getLoggedModel(uri), uri);
            }
        }

        @ParameterizedTest(name = "model URI \"{0}\"")
        @ValueSource(strings = {"not-a-uri", "runs:/", "runs:/abc", "runs:/abc/", "runs://model", "models:/iris/1",
                "s3://bucket/model", "runs:/abc/../model"})
        @DisplayName("a malformed model URI fails with InvalidInputException")
        void malformedUri(String uri) {
            assertThrows(InvalidInputException.class, () -> tracker.loadModel(uri, TestModels.LinearModel.class));
            assertThrows(InvalidInputException.class, () -> tracker.getLoggedModel(uri));
        }

        @Test
        @DisplayName("loading a model as a type it cannot be, or with another flavor than its own, fails with InvalidInputException")
        void incompatibleType() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel json = run.logModel("model", linear);
            LoggedModel files = run.logModel("files", newFile("model.onnx", bytes(100, 1)));
            assertThrows(InvalidInputException.class, () -> tracker.loadModel(json.uri(), Integer.class));
            assertThrows(InvalidInputException.class, () -> tracker.loadModel(json.uri(), String.class));
            assertThrows(InvalidInputException.class, () -> tracker.loadModel(files.uri(), TestModels.LinearModel.class));
            InvalidInputException flavor = assertThrows(InvalidInputException.class,
                    () -> tracker.loadModel(json.uri(), TestModels.LinearModel.class, ModelFlavor.files()));
            assertMessageContains(flavor, "json", "files");
        }

        @Test
        @DisplayName("ModelFlavor.named finds the built-in flavors; an unknown name fails with InvalidInputException listing the known ones")
        void namedFlavor() {
            assertEquals("json", ModelFlavor.named("json").name());
            assertEquals("files", ModelFlavor.named("files").name());
            assertEquals("java-serialized", ModelFlavor.named("java-serialized").name());
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelFlavor.named("nope"));
            assertMessageContains(e, "nope", "json", "files", "java-serialized");
        }

        @Test
        @DisplayName("a model the flavor cannot store fails with InvalidInputException and stores nothing")
        void unstorableModel() {
            ActiveRun run = tracker.startRun("iris");
            assertThrows(InvalidInputException.class, () -> run.logModel("model", new Object() { }, ModelFlavor.javaSerialized()));
            assertThrows(InvalidInputException.class, () -> run.logModel("model", linear, ModelFlavor.files()));
            assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        }
    }

    // =============================================================================================

    /**
     * Rule 15b: a logged model is immutable. No artifact write lands in its directory, no model is
     * logged in, at or around it, and a model whose payload does not match its descriptor (missing,
     * partial) never loads. A refused write changes no byte.
     */
    @Nested
    @DisplayName("Model immutability")
    class ModelImmutability {

        private final TestModels.LinearModel original = new TestModels.LinearModel(new double[] {0.5, -1.25}, 0.125);
        private final TestModels.LinearModel other = new TestModels.LinearModel(new double[] {9.0, 9.0}, 9.0);

        /** Runs {@code write}, expecting a ConflictException naming {@code path}, and checks the model is intact. */
        private void assertRefused(ActiveRun run, LoggedModel model, String path, Executable write) {
            SortedMap<String, String> before = artifactDigests(tracker, run.id(), model.artifactPath());
            ConflictException e = assertThrows(ConflictException.class, write::execute, path);
            assertMessageContains(e, "'" + path + "'");
            assertEquals(before, artifactDigests(tracker, run.id(), model.artifactPath()), "no byte of the model changed");
            assertEquals(original, tracker.loadModel(model.uri(), TestModels.LinearModel.class));
        }

        @Test
        @DisplayName("logModel again at a model's path fails with ConflictException naming it; the first model still loads")
        void relogModel() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("model", original);
            assertRefused(run, logged, "model", () -> run.logModel("model", other));
            assertRefused(run, logged, "model", () -> run.logModel("./model/", newFile("model.onnx", bytes(10, 1))));
            assertEquals(logged, tracker.getLoggedModel(logged.uri()));
        }

        @Test
        @DisplayName("logText, logJson, logArtifact and logArtifacts into a model's directory fail with ConflictException naming the path")
        void artifactWritesIntoModel() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("model", original);
            String payload = artifactTree(tracker, run.id(), "model/data").values().iterator().next().path();
            Path tree = writeTree(newDirectory("tree"), Map.of("model/data/extra.bin", bytes(10, 2), "ok/a.txt", bytes(5, 3)));
            assertRefused(run, logged, payload, () -> run.logText("{\"weights\":[9.0,9.0],\"bias\":9.0}", payload));
            assertRefused(run, logged, "model/MLmodel.json", () -> run.logText("{}", "model/MLmodel.json"));
            assertRefused(run, logged, "model/data/notes.json", () -> run.logJson(Map.of("a", 1), "model/data/notes.json"));
            assertRefused(run, logged, "model/MLmodel.json", () -> run.logArtifact(newFile("MLmodel.json", bytes(10, 4)), "model"));
            assertRefused(run, logged, "model/data/extra.bin", () -> run.logArtifacts(tree.resolve("model"), "model"));
            assertRefused(run, logged, "model/data/extra.bin", () -> run.logArtifacts(tree, ""));
            assertFalse(artifactTree(tracker, run.id(), "").containsKey("ok/a.txt"), "a refused tree stores none of its files");
        }

        @Test
        @DisplayName("a model inside or around a logged one is refused; models and files beside it are fine")
        void nestedModels() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("models/a", original);
            assertRefused(run, logged, "models/a/inner", () -> run.logModel("models/a/inner", other));
            assertRefused(run, logged, "models", () -> run.logModel("models", other));
            LoggedModel beside = run.logModel("models/b", other);
            run.logText("two models", "models/README.txt");
            run.logText("a prefix is not a directory", "models/ab/notes.txt");
            assertEquals(other, tracker.loadModel(beside.uri(), TestModels.LinearModel.class));
            assertEquals(original, tracker.loadModel(logged.uri(), TestModels.LinearModel.class));
        }

        @Test
        @DisplayName("a descriptor whose payload file is missing or partial never loads: IntegrityException naming the file")
        void halfWrittenModel() {
            ActiveRun run = tracker.startRun("iris");
            LoggedModel logged = run.logModel("model", original);
            String descriptor = utf8(tracker.openArtifact(run.id(), "model/MLmodel.json"));
            String payloadFile = artifactTree(tracker, run.id(), "model/data").firstKey();
            // What a write cut short by a crash would leave if a descriptor went first: no payload, or part of it.
            run.logText(descriptor, "missing/MLmodel.json");
            run.logText("{\"weigh", "partial/data/" + payloadFile);
            run.logText(descriptor, "partial/MLmodel.json");
            for (String path : List.of("missing", "partial")) {
                IntegrityException e = assertThrows(IntegrityException.class,
                        () -> tracker.loadModel("runs:/" + run.id() + "/" + path, TestModels.LinearModel.class), path);
                assertMessageContains(e, path + "/data/" + payloadFile);
            }
        }
    }

    // =============================================================================================

    /** Rule 16: a model or a whole run moves between stores through a .tar.gz archive, unchanged. */
    @Nested
    @DisplayName("Archives")
    class Archives {

        private final TestModels.LinearModel linear = new TestModels.LinearModel(new double[] {0.5, -1.25, 3.0e-7}, 0.125);

        private Path archive(String name) {
            return newDirectory("archives").resolve(name);
        }

        private LoggedModel logModelInFinishedRun() {
            try (ActiveRun run = tracker.startRun("iris")) {
                return run.logModel("models/linear", linear, ModelOptions.defaults()
                        .signature(new ModelSignature(List.of(ModelSignature.Field.tensor("x", "float64", -1, 3)),
                                List.of(ModelSignature.Field.column("y", "double"))))
                        .inputExample(List.of(List.of(1.0, 2.0, 3.0)))
                        .metadata("owner", "vision-team"));
            }
        }

        @Test
        @DisplayName("exportModel, then importModel into another store: a new run, the same artifact path, uuid and payload, an equal model")
        void modelRoundTrip() {
            LoggedModel logged = logModelInFinishedRun();
            Path archive = archive("model.tar.gz");
            tracker.exportModel(logged.uri(), archive);
            assertTrue(Files.isRegularFile(archive), "the archive is written");

            Tracker target = newTracker(builder -> { });
            clock.advance(Duration.ofHours(1));
            LoggedModel imported = target.importModel(archive);
            assertNotEquals(logged.runId(), imported.runId());
            assertTrue(RUN_ID.matcher(imported.runId()).matches(), imported.runId());
            assertEquals(logged.artifactPath(), imported.artifactPath());
            assertEquals("runs:/" + imported.runId() + "/models/linear", imported.uri());
            assertEquals(logged.modelUuid(), imported.modelUuid());
            assertEquals(logged.payloadSha256(), imported.payloadSha256());
            assertEquals(logged.payloadSize(), imported.payloadSize());
            assertEquals(logged.flavor(), imported.flavor());
            assertEquals(logged.flavorConfig(), imported.flavorConfig());
            assertEquals(logged.signature(), imported.signature());
            assertEquals(logged.inputExample(), imported.inputExample());
            assertEquals(logged.metadata(), imported.metadata());

            assertEquals(imported, target.getLoggedModel(imported.uri()));
            assertEquals(linear, target.loadModel(imported.uri(), TestModels.LinearModel.class));
            assertEquals(artifactDigests(tracker, logged.runId(), "models/linear/data"),
                    artifactDigests(target, imported.runId(), "models/linear/data"));
            assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class), "the source is unchanged");
        }

        @Test
        @DisplayName("an imported model's run is FINISHED, in an experiment named as the source's, tagged runlog.importedFrom")
        void importedModelRun() {
            LoggedModel logged = logModelInFinishedRun();
            Path archive = archive("model.tar.gz");
            tracker.exportModel(logged.uri(), archive);

            Tracker target = newTracker(builder -> { });
            LoggedModel imported = target.importModel(archive);
            Run run = target.getRun(imported.runId());
            assertEquals(RunStatus.FINISHED, run.info().status());
            assertEquals(LifecycleStage.ACTIVE, run.info().lifecycleStage());
            assertEquals("iris", target.getExperiment(run.info().experimentId()).name());
            String from = run.data().tags().get("runlog.importedFrom");
            assertNotNull(from, () -> "no runlog.importedFrom tag in " + run.data().tags());
            assertTrue(from.contains(logged.runId()), () -> "runlog.importedFrom should name the source run: " + from);

            Tracker third = newTracker(builder -> { });
            Experiment existing = third.createExperiment("iris");
            LoggedModel again = third.importModel(archive);
            assertEquals(existing.id(), third.getRun(again.runId()).info().experimentId(),
                    "an import lands in the existing experiment of that name");
            assertEquals(1, third.listExperiments(ViewType.ALL).size());
        }

        @Test
        @DisplayName("exportRun, then importRun into another store: params, tags, metrics bit for bit, inputs, artifacts, status and times")
        void runRoundTrip() {
            Dataset train = dataset("iris", "v1");
            Dataset single = singleRowDataset();
            Map<String, byte[]> tree = new TreeMap<>();
            tree.put("config/params.json", "{\"lr\": 0.1}".getBytes(StandardCharsets.UTF_8));
            tree.put("config/deep/weights.bin", bytes(40_000, 1));
            tree.put("empty.txt", new byte[0]);

            ActiveRun run = tracker.newRun("iris").name("baseline").tag("team", "vision").start();
            run.logParam("lr", 0.1).logParams(Map.of("optimizer", "sgd", "epochs", 12));
            run.setTag("stage", "candidate");
            double[] values = {0.5, Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2,
                    Double.MIN_VALUE, 0.0, 7.25};
            long[] steps = {5, 1, 3, 3, 0, Long.MAX_VALUE, 2, 1, 3};
            for (int i = 0; i < values.length; i++) {
                clock.advanceMillis(7);
                run.logMetric("loss", values[i], steps[i]);
            }
            clock.advanceMillis(3);
            run.logMetrics(Map.of("accuracy", 0.97, "f1", -0.0), 4);
            run.logInput(train, "training");
            run.logInput(single, "validation");
            run.logArtifacts(writeTree(newDirectory("tree"), tree), "bundle");
            run.logArtifact(newFile("model.bin", bytes(300, 2)));
            run.logText("notes ✓", "notes/summary.md");
            clock.advance(Duration.ofMinutes(5));
            run.end(RunStatus.FAILED);

            Path archive = archive("run.tar.gz");
            tracker.exportRun(run.id(), archive);
            Tracker target = newTracker(builder -> { });
            clock.advance(Duration.ofDays(1));
            Run imported = target.importRun(archive);
            Run source = tracker.getRun(run.id());

            String id = imported.info().id();
            assertNotEquals(run.id(), id);
            assertTrue(RUN_ID.matcher(id).matches(), id);
            assertEquals(imported, target.getRun(id), "importRun returns the run as stored");
            assertEquals("baseline", imported.info().name());
            assertEquals("iris", target.getExperiment(imported.info().experimentId()).name());
            assertEquals(RunStatus.FAILED, imported.info().status());
            assertEquals(source.info().startTime(), imported.info().startTime());
            assertEquals(source.info().endTime(), imported.info().endTime());
            assertTrue(imported.info().endTime().isPresent());
            assertEquals(LifecycleStage.ACTIVE, imported.info().lifecycleStage());

            assertEquals(Map.of("lr", "0.1", "optimizer", "sgd", "epochs", "12"), imported.data().params());
            assertEquals(source.data().params(), imported.data().params());
            assertEquals(Map.of("team", "vision", "stage", "candidate"), userTags(imported));
            assertEquals(run.id(), imported.data().tags().get("runlog.importedFrom"));
            source.data().tags().forEach((key, value) ->
                    assertEquals(value, imported.data().tags().get(key), () -> "tag " + key));

            assertEquals(Set.of("loss", "accuracy", "f1"), imported.data().latestMetrics().keySet());
            assertEquals(source.data().latestMetrics(), imported.data().latestMetrics());
            for (String key : source.data().latestMetrics().keySet()) {
                List<Metric> expected = tracker.metricHistory(run.id(), key);
                List<Metric> actual = target.metricHistory(id, key);
                assertEquals(expected, actual, key);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(Double.doubleToRawLongBits(expected.get(i).value()), Double.doubleToRawLongBits(actual.get(i).value()),
                            key + " point " + i);
                }
            }
            assertEquals(values.length, target.metricHistory(id, "loss").size());

            assertEquals(List.of(new DatasetInput(train, "training"), new DatasetInput(single, "validation")), imported.inputs());
            assertEquals(List.of(id), ids(target.runsUsing(train.digest())));

            SortedMap<String, String> artifacts = artifactDigests(tracker, run.id(), "");
            assertEquals(5, artifacts.size(), () -> "source artifacts: " + artifacts);
            assertEquals(artifacts, artifactDigests(target, id, ""));
            for (String path : artifacts.keySet()) {
                assertArrayEquals(readAll(tracker.openArtifact(run.id(), path)), readAll(target.openArtifact(id, path)), path);
            }
        }

        @Test
        @DisplayName("importing an archive of the wrong kind fails with IntegrityException and stores nothing")
        void wrongKind() {
            LoggedModel logged = logModelInFinishedRun();
            Path modelArchive = archive("model.tar.gz");
            tracker.exportModel(logged.uri(), modelArchive);
            Path runArchive = archive("run.tar.gz");
            tracker.exportRun(logged.runId(), runArchive);

            Tracker target = newTracker(builder -> { });
            assertThrows(IntegrityException.class, () -> target.importRun(modelArchive));
            assertThrows(IntegrityException.class, () -> target.importModel(runArchive));
            assertEquals(List.of(), target.listExperiments(ViewType.ALL));
        }

        @Test
        @DisplayName("exporting a missing model or run fails with NotFoundException and writes no archive")
        void exportMissing() {
            ActiveRun run = tracker.startRun("iris");
            Path modelArchive = archive("model.tar.gz");
            assertThrows(NotFoundException.class, () -> tracker.exportModel("runs:/" + run.id() + "/model", modelArchive));
            assertThrows(NotFoundException.class, () -> tracker.exportModel("runs:/" + UNKNOWN_RUN_ID + "/model", modelArchive));
            Path runArchive = archive("run.tar.gz");
            assertThrows(NotFoundException.class, () -> tracker.exportRun(UNKNOWN_RUN_ID, runArchive));
            assertFalse(Files.exists(modelArchive));
            assertFalse(Files.exists(runArchive));
        }
    }

    // =============================================================================================

    /** Rule 17: stores are found by URI scheme. */
    @Nested
    @DisplayName("Store discovery")
    class StoreDiscovery {

        @Test
        @DisplayName("an unknown scheme fails with InvalidInputException naming it")
        void unknownScheme() {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open("nosuch:x"));
            assertMessageContains(e, "nosuch");
        }

        @Test
        @DisplayName("Tracker.open finds this store by its URI scheme")
        void openByUri() {
            try (Tracker opened = Tracker.open(storeUri(newDirectory("open")))) {
                assertEquals(List.of(), opened.listExperiments(ViewType.ALL));
                try (ActiveRun run = opened.startRun("iris")) {
                    run.logParam("lr", 0.1);
                    assertEquals("0.1", opened.getRun(run.id()).data().params().get("lr"));
                }
            }
        }

        @Test
        @DisplayName("each storeUri(dir) is a fresh store: another store's experiments are not in it")
        void freshStores() {
            tracker.startRun("iris").close();
            Tracker other = newTracker(builder -> { });
            assertEquals(List.of(), other.listExperiments(ViewType.ALL));
            assertEquals(1, tracker.listExperiments(ViewType.ALL).size());
        }
    }

    // =============================================================================================

    /**
     * Rule 18: run search. Every case runs against one fixture of 16 runs in three experiments, so
     * that each expected list is exact; {@code ${...}} in a filter stands for a value only known once
     * the fixture is built (a run id, a start or end time, a dataset digest, an artifact URI), and
     * {@code {rA rB}} in an expected list for runs that tie on every order key, which come in run id
     * order, in the direction of the last key.
     *
     * <p>The fixture, run {@code rNN} starting at {@code START + NN s}:
     * <pre>
     * run exp   status    acc (latest)        loss  lr     opt    team    user     inputs
     * r01 alpha FINISHED  0.5                 0.4   0.1    adam   vision  u-alice  iris@v1 training
     * r02 alpha FINISHED  0.9                 0.2   0.01   Adam   Vision  u-bob    iris@v1 training, iris@v2 eval
     * r03 alpha FINISHED  0.7 (step 5; 0.95 logged later at step 2) 0.3 0.001 sgd nlp u-alice wine@v1 training
     * r04 beta  FAILED    NaN (after 0.8)     -     0.1    adamw  vision  u-carol  -
     * r05 alpha FINISHED  -0.0                NaN   -      ADAMW  speech  u-bob    iris@v2 eval
     * r06 beta  FINISHED  +Infinity           0.1   0.1    sgd    -       u-alice  -
     * r07 alpha FINISHED  -Infinity           -     0.01   -      nlp     u-bob    -
     * r08 alpha FINISHED  0.0                 0.5   0.1    adam   -       u-carol  -
     * r09 beta  KILLED    -                   0.25  -      sgd    vision  u-alice  -
     * r10 alpha FINISHED  0.9                 0.2   0.01   adam   vision  u-bob    wine@v1 eval
     * r11 beta  RUNNING   -                   -     0.1    -      vision  u-alice  -
     * r12 beta  FAILED    0.6 (NaN before)    -     -      adam   nlp     u-bob    iris@v1 eval
     * r13 alpha FINISHED, then deleted: 0.99  -     0.1    adam   vision  u-alice  -
     * r14 gamma FINISHED  0.1                 -     0.1    adam   vision  u-carol  iris@v1 training
     * r15 gamma FINISHED  -                   0.6   -      sgd    speech  u-alice  -
     * r16 gamma RUNNING   1.0                 -     0.001  adam   vision  u-bob    -
     * </pre>
     * The latest points of r03, r04 and r12 were logged in separate batches. Metric {@code f1}: r08
     * 0.2 (after 0.3 at the same step, 1 ms earlier), r10 0.4 (with 0.1 at the same step and
     * timestamp). r14's team was nlp, then overwritten. Runs end in {@link #END_ORDER}, one second apart from {@code START + 100 s}. Also: params
     * {@code learning rate} (r03 0.5, r06 0.05), {@code p} (r07, an injection attempt),
     * {@code city} (r09 Zürich, r10 ZÜRICH); tags {@code mlflow.runName} (r01, r04, r15) and
     * {@code note} (r07 {@code x' OR 1=1 --}, r08 {@code it' OR '1'='1}, r09 {@code a*b?[c]},
     * r10 {@code aXb-c}); {@code runlog.user} as the user column.
     */
    @Nested
    @DisplayName("Search")
    class Search {
        private static final String ALPHA = "search-alpha";
        private static final String BETA = "search-beta";
        private static final String GAMMA = "search-gamma";
        private static final List<String> END_ORDER = List.of("r03", "r01", "r02", "r05", "r04", "r07", "r06", "r08",
                "r09", "r10", "r12", "r13", "r14", "r15");
        /** Every active run, in the default order: start_time DESC. */
        private static final String ACTIVE = "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03 r02 r01";
        private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+):([^}]+)}");

        /** The fixture's runs by name, as stored once built. */
        private final Map<String, Run> runs = new LinkedHashMap<>();

        @BeforeEach
        void buildFixture() {
            tracker.createExperiment(ALPHA);
            clock.advanceMillis(10);
            tracker.createExperiment(BETA);
            clock.advanceMillis(10);
            tracker.createExperiment(GAMMA);
            Map<String, ActiveRun> started = new LinkedHashMap<>();
            start(started, "r01", ALPHA, "u-alice", run -> run.logParams(Map.of("lr", "0.1", "opt", "adam", "layers", "2"))
                    .logMetric("acc", 0.5, 0).logMetric("loss", 0.4, 0)
                    .setTag("team", "vision").setTag("mlflow.runName", "r01")
                    .logInput(dataset("iris", "v1"), "training"));
            start(started, "r02", ALPHA, "u-bob", run -> run.logParams(Map.of("lr", "0.01", "opt", "Adam"))
                    .logMetric("acc", 0.9, 0).logMetric("loss", 0.2, 0).setTag("team", "Vision")
                    .logInput(dataset("iris", "v1"), "training").logInput(dataset("iris", "v2"), "eval"));
            start(started, "r03", ALPHA, "u-alice", run -> run
                    .logParams(Map.of("lr", "0.001", "opt", "sgd", "learning rate", "0.5"))
                    .logMetric("acc", 0.7, 5).flush().logMetric("acc", 0.95, 2).logMetric("loss", 0.3, 0).setTag("team", "nlp")
                    .logInput(dataset("wine", "v1"), "training"));
            start(started, "r04", BETA, "u-carol", run -> run.logParams(Map.of("lr", "0.1", "opt", "adamw"))
                    .logMetric("acc", 0.8, 0).flush().logMetric("acc", Double.NaN, 1)
                    .setTag("team", "vision").setTag("mlflow.runName", "r04"));
            start(started, "r05", ALPHA, "u-bob", run -> run.logParam("opt", "ADAMW")
                    .logMetric("acc", -0.0, 0).logMetric("loss", Double.NaN, 0).setTag("team", "speech")
                    .logInput(dataset("iris", "v2"), "eval"));
            start(started, "r06", BETA, "u-alice", run -> run
                    .logParams(Map.of("lr", "0.1", "opt", "sgd", "learning rate", "0.05"))
                    .logMetric("acc", Double.POSITIVE_INFINITY, 0).logMetric("loss", 0.1, 0));
            start(started, "r07", ALPHA, "u-bob", run -> run.logParams(Map.of("lr", "0.01", "p", "x' OR 1=1 --"))
                    .logMetric("acc", Double.NEGATIVE_INFINITY, 0).setTag("team", "nlp").setTag("note", "x' OR 1=1 --"));
            start(started, "r08", ALPHA, "u-carol", run -> {
                run.logParams(Map.of("lr", "0.1", "opt", "adam"))
                        .logMetric("acc", 0.0, 0).logMetric("loss", 0.5, 0).setTag("note", "it' OR '1'='1")
                        .logMetric("f1", 0.3, 1);
                clock.advanceMillis(1);
                run.logMetric("f1", 0.2, 1); // same step, later timestamp: the latest
            });
            start(started, "r09", BETA, "u-alice", run -> run.logParams(Map.of("opt", "sgd", "city", "Zürich"))
                    .logMetric("loss", 0.25, 0).setTag("team", "vision").setTag("note", "a*b?[c]"));
            start(started, "r10", ALPHA, "u-bob", run -> run.logParams(Map.of("lr", "0.01", "opt", "adam", "city", "ZÜRICH"))
                    .logMetric("acc", 0.9, 0).logMetric("loss", 0.2, 0).setTag("team", "vision").setTag("note", "aXb-c")
                    .logMetric("f1", 0.4, 0).logMetric("f1", 0.1, 0) // same step and timestamp: the larger is the latest
                    .logInput(dataset("wine", "v1"), "eval"));
            start(started, "r11", BETA, "u-alice", run -> run.logParam("lr", "0.1").setTag("team", "vision"));
            start(started, "r12", BETA, "u-bob", run -> run.logParam("opt", "adam")
                    .logMetric("acc", 0.3, 0).flush().logMetric("acc", Double.NaN, 10).flush().logMetric("acc", 0.6, 11)
                    .setTag("team", "nlp").logInput(dataset("iris", "v1"), "eval"));
            start(started, "r13", ALPHA, "u-alice", run -> run.logParams(Map.of("lr", "0.1", "opt", "adam"))
                    .logMetric("acc", 0.99, 0).setTag("team", "vision"));
            start(started, "r14", GAMMA, "u-carol", run -> run.logParams(Map.of("lr", "0.1", "opt", "adam"))
                    .logMetric("acc", 0.1, 0).setTag("team", "nlp").setTag("team", "vision").logInput(dataset("iris", "v1"), "training"));
            start(started, "r15", GAMMA, "u-alice", run -> run.logParam("opt", "sgd")
                    .logMetric("loss", 0.6, 0).setTag("team", "speech").setTag("mlflow.runName", "r15"));
            start(started, "r16", GAMMA, "u-bob", run -> run.logParams(Map.of("lr", "0.001", "opt", "adam"))
                    .logMetric("acc", 1.0, 0).setTag("team", "vision"));
            clock.set(START.plusSeconds(100));
            for (String name : END_ORDER) {
                started.get(name).end(switch (name) {
                    case "r04", "r12" -> RunStatus.FAILED;
                    case "r09" -> RunStatus.KILLED;
                    default -> RunStatus.FINISHED;
                });
                clock.advanceMillis(1000);
            }
            tracker.deleteRun(started.get("r13").id());
            started.forEach((name, run) -> runs.put(name, tracker.getRun(run.id())));
            clock.set(START.plusSeconds(200));
        }

        private void start(Map<String, ActiveRun> started, String name, String experiment, String user, Consumer<ActiveRun> body) {
            clock.set(START.plusSeconds(Integer.parseInt(name.substring(1))));
            ActiveRun run = tracker.newRun(experiment).name(name).tag("runlog.user", user).start();
            body.accept(run);
            run.flush();
            started.put(name, run);
        }

        /** The filter with each {@code ${kind:arg}} replaced by the value it names. */
        private String resolve(String filter) {
            java.util.regex.Matcher m = PLACEHOLDER.matcher(filter);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String arg = m.group(2);
                String value = switch (m.group(1)) {
                    case "id" -> fixtureRun(arg).info().id();
                    case "start" -> Long.toString(fixtureRun(arg).info().startTime().toEpochMilli());
                    case "end" -> Long.toString(fixtureRun(arg).info().endTime().orElseThrow().toEpochMilli());
                    case "uri" -> fixtureRun(arg).info().artifactUri().replace("'", "''");
                    case "sha" -> sha256(arg.getBytes(StandardCharsets.UTF_8));
                    case "exp" -> tracker.getExperimentByName(arg).orElseThrow().id();
                    default -> throw new IllegalArgumentException("no placeholder kind " + m.group(1));
                };
                m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }

        private Run fixtureRun(String name) {
            Run run = runs.get(name);
            assertNotNull(run, () -> "no fixture run " + name);
            return run;
        }

        /** Run names in expected order; a {@code {...}} group is put in run id order, in the last key's direction. */
        private List<String> expected(String expected, String order) {
            String[] clauses = order.split("\\|");
            boolean descending = order.isBlank()
                    || clauses[clauses.length - 1].trim().toUpperCase(java.util.Locale.ROOT).endsWith(" DESC");
            List<String> out = new ArrayList<>();
            List<String> group = null;
            for (String token : expected.trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                if (token.startsWith("{")) {
                    group = new ArrayList<>();
                    token = token.substring(1);
                }
                boolean closes = token.endsWith("}");
                if (closes) {
                    token = token.substring(0, token.length() - 1);
                }
                if (group != null) {
                    group.add(token);
                } else {
                    out.add(token);
                }
                if (closes) {
                    group.sort(java.util.Comparator.comparing((String n) -> fixtureRun(n).info().id()));
                    if (descending) {
                        java.util.Collections.reverse(group);
                    }
                    out.addAll(group);
                    group = null;
                }
            }
            return out;
        }

        private List<String> names(List<Run> found) {
            return found.stream().map(r -> r.info().name()).toList();
        }

        private RunQuery query(String filter, String order) {
            RunQuery query = tracker.searchRuns().filter(resolve(filter));
            if (!order.isBlank()) {
                query.orderBy(order.split("\\|"));
            }
            return query;
        }

        /** Every page of the query, {@code size} runs at most each, following the tokens; checks the pages' shape. */
        private List<Run> allPages(java.util.function.Supplier<RunQuery> query, int size) {
            List<Run> all = new ArrayList<>();
            Optional<String> token = Optional.empty();
            int pages = 0;
            do {
                RunQuery q = query.get().maxResults(size);
                token.ifPresent(q::pageToken);
                RunPage page = q.page();
                token = page.nextPageToken();
                if (token.isPresent()) {
                    assertEquals(size, page.runs().size(), "a page with a next token is full");
                } else {
                    assertTrue(page.runs().size() <= size, "a page holds at most maxResults runs");
                }
                all.addAll(page.runs());
                assertTrue(++pages <= 200, "paging does not end");
            } while (token.isPresent());
            return all;
        }

        private static Arguments row(String filter, String order, String expected) {
            return Arguments.of(filter, order, expected);
        }

        static Stream<Arguments> runCases() {
            return Stream.of(
                    // ---- metrics: every comparator; the latest value; NaN, -0.0, ±Infinity
                    row("metrics.acc > 0.5", "", "r16 r12 r10 r06 r03 r02"),
                    row("metrics.acc >= 0.5", "", "r16 r12 r10 r06 r03 r02 r01"),
                    row("metrics.acc < 0.5", "", "r14 r08 r07 r05"),
                    row("metrics.acc <= 0.5", "", "r14 r08 r07 r05 r01"),
                    row("metrics.acc = 0.9", "", "r10 r02"),
                    row("metrics.acc != 0.9", "", "r16 r14 r12 r08 r07 r06 r05 r04 r03 r01"),
                    row("metrics.acc == 0.9", "", "r10 r02"),
                    row("metrics.acc <> 0.9", "", "r16 r14 r12 r08 r07 r06 r05 r04 r03 r01"),
                    row("metrics.acc = 0", "", "r08 r05"),
                    row("metrics.acc = -0.0", "", "r08 r05"),
                    row("metrics.acc < 0", "", "r07"),
                    row("metrics.acc >= 0", "", "r16 r14 r12 r10 r08 r06 r05 r03 r02 r01"),
                    row("metrics.acc = 1e999", "", "r06"),
                    row("metrics.acc > 1e308", "", "r06"),
                    row("metrics.acc < -1e308", "", "r07"),
                    row("metrics.acc >= -1e999", "", "r16 r14 r12 r10 r08 r07 r06 r05 r03 r02 r01"),
                    row("metrics.acc < 1e999", "", "r16 r14 r12 r10 r08 r07 r05 r03 r02 r01"),
                    row("metrics.acc = 0.7", "", "r03"),
                    row("metrics.acc = 0.95", "", ""),
                    row("metrics.acc = 0.6", "", "r12"),
                    row("metrics.acc = 0.8", "", ""),
                    row("metrics.acc=1", "", "r16"),
                    row("metrics.acc > .95", "", "r16 r06"),
                    row("metric.loss <= 0.2", "", "r10 r06 r02"),
                    row("metrics.loss != 0.2", "", "r15 r09 r08 r06 r05 r03 r01"),
                    row("metrics.loss < 1e999", "", "r15 r10 r09 r08 r06 r03 r02 r01"),
                    row("NOT metrics.acc >= -1e999", "", "r15 r11 r09 r04"),
                    row("NOT metrics.acc > 0.5", "", "r15 r14 r11 r09 r08 r07 r05 r04 r01"),
                    row("NOT metrics.acc != 0.9", "", "r15 r11 r10 r09 r02"),
                    row("metrics.acc IS NULL", "", "r15 r11 r09"),
                    row("metrics.acc IS NOT NULL", "", "r16 r14 r12 r10 r08 r07 r06 r05 r04 r03 r02 r01"),
                    row("metrics.nosuch > 0 OR metrics.nosuch != 0", "", ""),
                    row("metrics.f1 = 0.2", "", "r08"),
                    row("metrics.f1 = 0.4", "", "r10"),
                    row("metrics.f1 < 0.35", "", "r08"),
                    row("metrics.ACC > 0.5", "", ""),
                    // ---- params: every prefix, = != LIKE ILIKE, IS [NOT] NULL, quoted keys
                    row("params.opt = 'adam'", "", "r16 r14 r12 r10 r08 r01"),
                    row("param.opt = 'sgd'", "", "r15 r09 r06 r03"),
                    row("parameter.lr = '0.001'", "", "r16 r03"),
                    row("parameters.lr = '0.01'", "", "r10 r07 r02"),
                    row("params.opt = \"sgd\"", "", "r15 r09 r06 r03"),
                    row("params.opt != 'adam'", "", "r15 r09 r06 r05 r04 r03 r02"),
                    row("params.opt LIKE 'adam%'", "", "r16 r14 r12 r10 r08 r04 r01"),
                    row("params.opt ILIKE 'adam%'", "", "r16 r14 r12 r10 r08 r05 r04 r02 r01"),
                    row("params.opt LIKE 'ada_'", "", "r16 r14 r12 r10 r08 r01"),
                    row("params.opt ILIKE 'ADA_'", "", "r16 r14 r12 r10 r08 r02 r01"),
                    row("params.opt LIKE 'ADAM%'", "", "r05"),
                    row("params.opt LIKE '%W'", "", "r05"),
                    row("params.opt LIKE '%'", "", "r16 r15 r14 r12 r10 r09 r08 r06 r05 r04 r03 r02 r01"),
                    row("params.opt LIKE 'adam'", "", "r16 r14 r12 r10 r08 r01"),
                    row("params.lr IS NULL", "", "r15 r12 r09 r05"),
                    row("params.lr IS NOT NULL", "", "r16 r14 r11 r10 r08 r07 r06 r04 r03 r02 r01"),
                    row("params.`learning rate` = '0.5'", "", "r03"),
                    row("params.\"learning rate\" IS NOT NULL", "", "r06 r03"),
                    row("params.`opt` = 'adam' AND params.\"lr\" = '0.1'", "", "r14 r08 r01"),
                    row("NOT params.lr = '0.1'", "", "r16 r15 r12 r10 r09 r07 r05 r03 r02"),
                    row("NOT params.lr != '0.1'", "", "r15 r14 r12 r11 r09 r08 r06 r05 r04 r01"),
                    row("params.city ILIKE 'zürich'", "", "r09"),
                    row("params.city = 'ZÜRICH'", "", "r10"),
                    row("params.city ILIKE 'z%'", "", "r10 r09"),
                    row("params.opt IN ('sgd', 'ADAMW')", "", "r15 r09 r06 r05 r03"),
                    row("params.OPT = 'adam'", "", ""),
                    // ---- tags, quoted keys with dots, system tags
                    row("tags.team = 'vision'", "", "r16 r14 r11 r10 r09 r04 r01"),
                    row("tag.team ILIKE 'VISION'", "", "r16 r14 r11 r10 r09 r04 r02 r01"),
                    row("tags.team LIKE 'V%'", "", "r02"),
                    row("tags.team LIKE '_ision'", "", "r16 r14 r11 r10 r09 r04 r02 r01"),
                    row("tags.team != 'vision'", "", "r15 r12 r07 r05 r03 r02"),
                    row("tags.team IS NULL", "", "r08 r06"),
                    row("NOT tags.team = 'vision'", "", "r15 r12 r08 r07 r06 r05 r03 r02"),
                    row("tags.`mlflow.runName` = 'r04'", "", "r04"),
                    row("tags.\"mlflow.runName\" IS NOT NULL", "", "r15 r04 r01"),
                    row("tags.mlflow.runName LIKE 'r0%'", "", "r04 r01"),
                    row("tags.`runlog.user` = 'u-alice'", "", "r15 r11 r09 r06 r03 r01"),
                    row("tags.runlog.user = 'u-carol'", "", "r14 r08 r04"),
                    row("tags.note LIKE 'a*b%'", "", "r09"),
                    row("tags.note LIKE '%[c]'", "", "r09"),
                    row("tags.note LIKE 'a_b?%'", "", "r09"),
                    row("tags.note ILIKE 'AXB%'", "", "r10"),
                    row("tags.note = 'it\\' OR \\'1\\'=\\'1'", "", "r08"),
                    // ---- attributes: every prefix, string and numeric ones, IN / NOT IN
                    row("user_id = 'u-bob'", "", "r16 r12 r10 r07 r05 r02"),
                    row("attributes.user_id != 'u-bob'", "", "r15 r14 r11 r09 r08 r06 r04 r03 r01"),
                    row("attributes.user_id IN ('u-carol', 'u-nobody')", "", "r14 r08 r04"),
                    row("attributes.status = 'FAILED'", "", "r12 r04"),
                    row("attr.status != 'FINISHED'", "", "r16 r12 r11 r09 r04"),
                    row("run.status IN ('RUNNING', 'KILLED')", "", "r16 r11 r09"),
                    row("status NOT IN ('FINISHED', 'FAILED')", "", "r16 r11 r09"),
                    row("attribute.status LIKE 'F%'", "", "r15 r14 r12 r10 r08 r07 r06 r05 r04 r03 r02 r01"),
                    row("status ILIKE 'running'", "", "r16 r11"),
                    row("run_name = 'r07'", "", "r07"),
                    row("attributes.run_name IN ('r01', 'r13', 'r15', 'nope')", "", "r15 r01"),
                    row("run_name NOT IN ('r01', 'r02')", "", "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03"),
                    row("run_name LIKE 'r1%'", "", "r16 r15 r14 r12 r11 r10"),
                    row("run_name LIKE 'r0_'", "", "r09 r08 r07 r06 r05 r04 r03 r02 r01"),
                    row("run_name ILIKE 'R1_'", "", "r16 r15 r14 r12 r11 r10"),
                    row("run_name LIKE 'R1%'", "", ""),
                    row("run_id = '${id:r03}'", "", "r03"),
                    row("attributes.run_id IN ('${id:r05}', '${id:r07}', '${id:r13}')", "", "r07 r05"),
                    row("run_id NOT IN ('${id:r01}', '${id:r16}')", "", "r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03 r02"),
                    row("artifact_uri = '${uri:r04}'", "", "r04"),
                    row("attributes.artifact_uri LIKE '%${id:r10}%'", "", "r10"),
                    row("start_time > ${start:r05}", "", "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06"),
                    row("attributes.start_time <= ${start:r03}", "", "r03 r02 r01"),
                    row("start_time < ${start:r03}", "", "r02 r01"),
                    row("start_time >= ${start:r14}", "", "r16 r15 r14"),
                    row("created = ${start:r07}", "", "r07"),
                    row("attributes.created >= ${start:r14}", "", "r16 r15 r14"),
                    row("start_time != ${start:r01}", "", "r16 r15 r14 r12 r11 r10 r09 r08 r07 r06 r05 r04 r03 r02"),
                    row("end_time > ${end:r10}", "", "r15 r14 r12"),
                    row("attributes.end_time <= ${end:r01}", "", "r03 r01"),
                    row("end_time = ${end:r06}", "", "r06"),
                    row("end_time != 0", "", "r15 r14 r12 r10 r09 r08 r07 r06 r05 r04 r03 r02 r01"),
                    row("NOT end_time > 0", "", "r16 r11"),
                    // ---- datasets: name, digest, context; a condition holds when one input satisfies it
                    row("datasets.name = 'iris'", "", "r14 r12 r05 r02 r01"),
                    row("dataset.name = 'wine'", "", "r10 r03"),
                    row("datasets.context = 'eval'", "", "r12 r10 r05 r02"),
                    row("datasets.name = 'iris' AND datasets.context = 'eval'", "", "r12 r05 r02"),
                    row("datasets.digest = '${sha:iris@v2}'", "", "r05 r02"),
                    row("datasets.digest IN ('${sha:wine@v1}', '${sha:iris@v2}')", "", "r10 r05 r03 r02"),
                    row("datasets.context != 'training'", "", "r12 r10 r05 r02"),
                    row("datasets.context NOT IN ('training')", "", "r12 r10 r05 r02"),
                    row("NOT datasets.name = 'iris'", "", "r16 r15 r11 r10 r09 r08 r07 r06 r04 r03"),
                    row("datasets.context ILIKE 'TRAIN%'", "", "r14 r03 r02 r01"),
                    row("datasets.name LIKE 'w%'", "", "r10 r03"),
                    // ---- AND, OR, NOT, parentheses, precedence, keywords in any case
                    row("params.opt = 'sgd' OR tags.team = 'speech'", "", "r15 r09 r06 r05 r03"),
                    row("params.opt = 'adam' AND tags.team = 'vision' OR status = 'FAILED'", "", "r16 r14 r12 r10 r04 r01"),
                    row("status = 'FAILED' OR params.opt = 'adam' AND tags.team = 'vision'", "", "r16 r14 r12 r10 r04 r01"),
                    row("params.opt = 'adam' AND (tags.team = 'vision' OR status = 'FAILED')", "", "r16 r14 r12 r10 r01"),
                    row("NOT (params.opt = 'adam' OR params.opt = 'sgd')", "", "r11 r07 r05 r04 r02"),
                    row("NOT params.opt = 'adam' AND NOT params.opt = 'sgd'", "", "r11 r07 r05 r04 r02"),
                    row("NOT NOT tags.team = 'nlp'", "", "r12 r07 r03"),
                    row("((tags.team = 'nlp'))", "", "r12 r07 r03"),
                    row("(metrics.acc > 0.5 OR metrics.loss < 0.3) AND NOT status = 'RUNNING'", "", "r12 r10 r09 r06 r03 r02"),
                    row("params.opt = 'adam' aNd Tags.team = 'vision' oR STATUS = 'FAILED'", "", "r16 r14 r12 r10 r04 r01"),
                    row("Metrics.acc > 0.5 and not Attributes.Status = 'RUNNING'", "", "r12 r10 r06 r03 r02"),
                    row("params.opt like 'adam%' or params.opt iLike 'adamw'", "", "r16 r14 r12 r10 r08 r05 r04 r01"),
                    row("params.lr iS nOt NuLl and run_name nOt In ('r01') AND metrics.acc is null", "", "r11"),
                    // ---- injection attempts: only literal matches
                    row("tags.note = 'x'' OR 1=1 --'", "", "r07"),
                    row("params.p = 'x'' OR 1=1 --'", "", "r07"),
                    row("tags.note LIKE '%'' OR ''1''=''1'", "", "r08"),
                    row("tags.`a'; DROP TABLE runs; --` = 'v'", "", ""),
                    row("tags.`team' OR '1'='1` = 'vision'", "", ""),
                    row("params.opt = 'adam'' OR ''1''=''1'", "", ""),
                    row("run_name = 'r01'' --'", "", ""),
                    row("tags.team IN ('vision'') OR (''1''=''1')", "", ""),
                    row("datasets.name = 'iris'' OR 1=1 --'", "", ""),
                    row("params.`?` = '?' OR params.opt = '?'", "", ""),
                    // ---- order: metrics with NaN after numbers and missing last, both directions; ties by run id
                    row("", "metrics.acc ASC", "r07 {r05 r08} r14 r01 r12 r03 {r02 r10} r16 r06 r04 {r09 r11 r15}"),
                    row("", "metrics.acc DESC", "r06 r16 {r02 r10} r03 r12 r01 r14 {r05 r08} r07 r04 {r09 r11 r15}"),
                    row("", "metrics.acc", "r07 {r05 r08} r14 r01 r12 r03 {r02 r10} r16 r06 r04 {r09 r11 r15}"),
                    row("metrics.acc >= -1e999", "metrics.acc DESC", "r06 r16 {r02 r10} r03 r12 r01 r14 {r05 r08} r07"),
                    row("metrics.acc > 0", "metrics.acc ASC", "r14 r01 r12 r03 {r02 r10} r16 r06"),
                    row("metrics.acc > 0 AND tags.team = 'vision'", "metrics.acc desc|run_name", "r16 r10 r01 r14"),
                    row("metrics.acc != 0.9", "metrics.acc DESC", "r06 r16 r03 r12 r01 r14 {r05 r08} r07 r04"),
                    row("", "metrics.loss DESC|start_time ASC", "r15 r08 r01 r03 r09 r02 r10 r06 r05 r04 r07 r11 r12 r14 r16"),
                    row("", "metrics.nosuch DESC", "{" + ACTIVE + "}"),
                    row("", "metrics.nosuch ASC", "{" + ACTIVE + "}"),
                    // ---- order: params, tags, attributes, several keys
                    row("", "params.opt|start_time DESC", "r05 r02 r16 r14 r12 r10 r08 r01 r04 r15 r09 r06 r03 r11 r07"),
                    row("", "params.lr DESC|run_name", "r01 r04 r06 r08 r11 r14 r02 r07 r10 r03 r16 r05 r09 r12 r15"),
                    row("", "tags.team|start_time", "r02 r03 r07 r12 r05 r15 r01 r04 r09 r10 r11 r14 r16 r06 r08"),
                    row("", "tags.team DESC|start_time DESC", "r16 r14 r11 r10 r09 r04 r01 r15 r05 r12 r07 r03 r02 r08 r06"),
                    row("", "tags.runlog.user DESC|metrics.acc ASC", "r08 r14 r04 r07 r05 r12 {r02 r10} r16 r01 r03 r06 {r09 r11 r15}"),
                    row("", "user_id|start_time DESC", "r15 r11 r09 r06 r03 r01 r16 r12 r10 r07 r05 r02 r14 r08 r04"),
                    row("", "start_time", "r01 r02 r03 r04 r05 r06 r07 r08 r09 r10 r11 r12 r14 r15 r16"),
                    row("", "attributes.start_time DESC", ACTIVE),
                    row("", "created ASC", "r01 r02 r03 r04 r05 r06 r07 r08 r09 r10 r11 r12 r14 r15 r16"),
                    row("", "run_name DESC", ACTIVE),
                    row("", "run_id", "{" + ACTIVE + "}"),
                    row("", "attributes.run_id DESC", "{" + ACTIVE + "}"),
                    row("tags.team = 'vision'", "attributes.run_name", "r01 r04 r09 r10 r11 r14 r16"),
                    row("", "end_time", "r03 r01 r02 r05 r04 r07 r06 r08 r09 r10 r12 r14 r15 {r11 r16}"),
                    row("", "end_time DESC", "r15 r14 r12 r10 r09 r08 r06 r07 r04 r05 r02 r01 r03 {r11 r16}"),
                    row("", "status|run_name DESC", "r12 r04 r15 r14 r10 r08 r07 r06 r05 r03 r02 r01 r09 r16 r11"),
                    row("", "status DESC|end_time|run_name", "r11 r16 r09 r03 r01 r02 r05 r07 r06 r08 r10 r14 r15 r04 r12"),
                    row("params.opt = 'adam'", "metrics.acc DESC|params.lr", "r16 r10 r12 r01 r14 r08"),
                    row("metrics.acc > 0 AND (params.opt = 'sgd' OR tags.team = 'nlp')", "metrics.acc DESC", "r06 r03 r12"));
        }

        @ParameterizedTest(name = "[{index}] filter <{0}> order <{1}>")
        @MethodSource("runCases")
        @DisplayName("filters and orders give exactly the expected runs in order, through list(), stream(), page() and pages of 4")
        void searchCase(String filter, String order, String expected) {
            List<String> want = expected(expected, order);
            String resolved = resolve(filter);
            assertEquals(want, names(query(filter, order).list()), () -> "list() for <" + resolved + "> order <" + order + ">");
            assertAll(
                    () -> assertEquals(want, names(query(filter, order).stream().toList()), "stream()"),
                    () -> assertEquals(want, names(query(filter, order).page().runs()), "page()"),
                    () -> assertEquals(Optional.empty(), query(filter, order).page().nextPageToken(), "one page holds all"),
                    () -> assertEquals(want, names(allPages(() -> query(filter, order), 4)), "pages of 4"));
        }

        @Test
        @DisplayName("the fixture holds what the cases assume: latest metrics, statuses, end times, the deleted run")
        void fixtureIsAsDescribed() {
            assertEquals(0.7, fixtureRun("r03").data().metrics().get("acc"), "the latest point is the largest step");
            assertTrue(fixtureRun("r04").data().metrics().get("acc").isNaN(), "r04 ends with NaN");
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(fixtureRun("r05").data().metrics().get("acc")));
            assertEquals(0.6, fixtureRun("r12").data().metrics().get("acc"));
            assertEquals(RunStatus.RUNNING, fixtureRun("r11").info().status());
            assertEquals(Optional.empty(), fixtureRun("r16").info().endTime());
            assertEquals(RunStatus.FAILED, fixtureRun("r04").info().status());
            assertEquals(RunStatus.KILLED, fixtureRun("r09").info().status());
            assertEquals(LifecycleStage.DELETED, fixtureRun("r13").info().lifecycleStage());
            assertEquals(START.plusSeconds(100), fixtureRun("r03").info().endTime().orElseThrow());
            assertEquals(START.plusSeconds(7), fixtureRun("r07").info().startTime());
            assertEquals("u-carol", fixtureRun("r14").data().tags().get("runlog.user"));
            assertEquals(2, fixtureRun("r02").inputs().size());
        }

        @Test
        @DisplayName("experiments(...) takes names and ids; none means all; an unknown one fails with NotFoundException")
        void experimentsByNameAndId() {
            String beta = tracker.getExperimentByName(BETA).orElseThrow().id();
            String gamma = tracker.getExperimentByName(GAMMA).orElseThrow().id();
            assertEquals(List.of("r10", "r08", "r07", "r05", "r03", "r02", "r01"), names(tracker.searchRuns().experiments(ALPHA).list()));
            assertEquals(List.of("r12", "r11", "r09", "r06", "r04"), names(tracker.searchRuns().experiments(beta).list()));
            assertEquals(List.of("r16", "r15", "r14", "r10", "r08", "r07", "r05", "r03", "r02", "r01"),
                    names(tracker.searchRuns().experiments(ALPHA, gamma).list()));
            assertEquals(List.of("r16", "r15", "r14"), names(tracker.searchRuns().experiments(GAMMA, gamma).list()),
                    "an experiment named twice counts once");
            assertEquals(expected(ACTIVE, ""), names(tracker.searchRuns().experiments().list()));
            assertEquals(List.of("r12", "r04"), names(tracker.searchRuns().experiments(BETA)
                    .filter("status = 'FAILED'").list()));
            assertEquals(List.of("r14"), names(tracker.searchRuns().experiments(gamma)
                    .filter("params.opt = 'adam'").orderBy("metrics.acc").maxResults(1).page().runs()));
            assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments("no-such-experiment").page());
            assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments(ALPHA, "no-such-experiment").list());
            assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments("999999").list());
            assertThrows(NotFoundException.class, () -> tracker.searchRuns().experiments(ALPHA + "' OR '1'='1").list());
            assertEquals(List.of("r16", "r15", "r14"), names(tracker.searchRuns().experiments(GAMMA)
                    .filter("params.opt = 'sgd' OR params.opt = 'adam'").list()), "an OR filter stays inside the experiments");
        }

        @Test
        @DisplayName("viewType: ACTIVE_ONLY by default, DELETED_ONLY, ALL; deleting an experiment deletes its runs from view")
        void viewTypes() {
            assertEquals(expected(ACTIVE, ""), names(tracker.searchRuns().list()));
            assertEquals(expected(ACTIVE, ""), names(tracker.searchRuns().viewType(ViewType.ACTIVE_ONLY).list()));
            assertEquals(List.of("r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY).list()));
            List<String> all = new ArrayList<>(expected(ACTIVE, ""));
            all.add(3, "r13");
            assertEquals(all, names(tracker.searchRuns().viewType(ViewType.ALL).list()));
            assertEquals(List.of("r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY)
                    .filter("params.opt = 'adam'").list()));
            assertEquals(List.of("r16", "r14", "r13", "r12", "r10", "r08", "r01"), names(tracker.searchRuns()
                    .viewType(ViewType.ALL).filter("params.opt = 'adam'").list()));
            assertEquals(List.of("r06", "r16", "r13"), names(tracker.searchRuns().viewType(ViewType.ALL)
                    .filter("metrics.acc > 0.95").orderBy("metrics.acc DESC").list()));
            assertThrows(InvalidInputException.class, () -> tracker.searchRuns().viewType(null).page());

            String gamma = tracker.getExperimentByName(GAMMA).orElseThrow().id();
            tracker.deleteExperiment(gamma);
            assertEquals(List.of("r12", "r11", "r10", "r09", "r08", "r07", "r06", "r05", "r04", "r03", "r02", "r01"),
                    names(tracker.searchRuns().list()));
            assertEquals(List.of("r16", "r15", "r14", "r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY).list()));
            assertEquals(List.of(), names(tracker.searchRuns().experiments(GAMMA).list()),
                    "a deleted experiment can still be named; its runs are deleted");
            assertEquals(List.of("r16", "r15", "r14"), names(tracker.searchRuns().experiments(GAMMA).viewType(ViewType.ALL).list()));
            tracker.restoreExperiment(gamma);
            assertEquals(expected(ACTIVE, ""), names(tracker.searchRuns().list()));
            assertEquals(List.of("r13"), names(tracker.searchRuns().viewType(ViewType.DELETED_ONLY).list()));
        }

        static Stream<Arguments> pagingOrders() {
            return Stream.of("", "metrics.acc DESC", "metrics.acc ASC", "params.opt|start_time DESC",
                            "tags.team DESC|metrics.loss", "end_time", "end_time DESC|metrics.acc", "run_name DESC",
                            "user_id|end_time DESC", "metrics.nosuch", "status|params.lr DESC|metrics.acc", "created ASC",
                            "artifact_uri DESC", "metrics.f1|tags.team DESC|run_id")
                    .map(Arguments::of);
        }

        @ParameterizedTest(name = "order <{0}>")
        @MethodSource("pagingOrders")
        @DisplayName("collecting every page equals list(), for page sizes 1, 2, 3, 5, 16 and 17, with and without deleted runs")
        void pagesEqualList(String order) {
            for (ViewType view : ViewType.values()) {
                java.util.function.Supplier<RunQuery> query = () -> query("", order).viewType(view);
                List<String> all = names(query.get().list());
                assertEquals(view == ViewType.ALL ? 16 : view == ViewType.ACTIVE_ONLY ? 15 : 1, all.size());
                assertEquals(all, names(query.get().stream().toList()), "stream()");
                for (int size : new int[] {1, 2, 3, 5, 16, 17}) {
                    assertEquals(all, names(allPages(query, size)), view + ", pages of " + size);
                }
            }
        }

        @ParameterizedTest(name = "order <{0}>")
        @MethodSource("pagingOrders")
        @DisplayName("with a filter, collecting every page equals list(), which holds exactly the matching runs")
        void filteredPagesEqualList(String order) {
            for (String filter : List.of("metrics.acc IS NOT NULL AND NOT params.opt = 'sgd'",
                    "metrics.acc > -1e999 OR params.opt = 'sgd'")) {
                for (ViewType view : List.of(ViewType.ACTIVE_ONLY, ViewType.ALL)) {
                    java.util.function.Supplier<RunQuery> filtered = () -> query(filter, order).viewType(view);
                    List<String> some = names(filtered.get().list());
                    assertEquals(new HashSet<>(names(tracker.searchRuns().viewType(view).filter(filter).list())),
                            new HashSet<>(some), filter + ": the order changes nothing but the order");
                    for (int size : new int[] {1, 2, 4}) {
                        assertEquals(some, names(allPages(filtered, size)), filter + ", " + view + ", pages of " + size);
                    }
                }
            }
        }

        @ParameterizedTest(name = "then order <{0}>")
        @MethodSource("pagingOrders")
        @DisplayName("ordered first by a metric the filter requires: every page equals list(), which equals the general plan's order")
        void metricDrivenPagesEqualList(String order) {
            for (String driving : List.of("metrics.acc >= -1e999", "metrics.acc > 0 AND params.opt = 'adam'",
                    "metrics.acc <= 1 AND metrics.acc >= 0", "metrics.acc = 0")) {
                String clauses = "metrics.acc DESC" + (order.isBlank() ? "" : "|" + order);
                java.util.function.Supplier<RunQuery> query = () -> query(driving, clauses);
                List<String> all = names(query.get().list());
                // The same condition under NOT NOT cannot drive the plan: the order must be the same.
                assertEquals(names(query("NOT NOT (" + driving + ")", clauses).list()), all, driving);
                for (int size : new int[] {1, 2, 3}) {
                    assertEquals(all, names(allPages(query, size)), driving + ", pages of " + size);
                }
            }
        }

        @Test
        @DisplayName("a run_id IN list of 40,000 ids finds the runs it names")
        void largeInList() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                ids.add(String.format("%032x", i));
            }
            ids.add(fixtureRun("r05").info().id());
            ids.add(fixtureRun("r07").info().id());
            String filter = "run_id IN (" + ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")) + ")";
            assertEquals(List.of("r07", "r05"), names(tracker.searchRuns().filter(filter).list()));
        }

        @Test
        @DisplayName("a filter of 1,500 OR-ed conditions finds the runs one of them matches")
        void longOrChain() {
            StringBuilder filter = new StringBuilder();
            for (int i = 0; i < 1_500; i++) {
                filter.append("params.opt = 'x").append(i).append("' OR ");
            }
            filter.append("run_name = 'r03'");
            assertEquals(List.of("r03"), names(tracker.searchRuns().filter(filter.toString()).list()));
        }

        @Test
        @DisplayName("stream() reads the same runs as list(), lazily, and page() stops after maxResults with a token")
        void streamAndPage() {
            for (String order : List.of("", "metrics.acc DESC", "params.opt|run_name")) {
                assertEquals(names(query("", order).list()), names(query("", order).stream().toList()));
                assertEquals(names(query("", order).list()).subList(0, 3), names(query("", order).stream().limit(3).toList()));
            }
            RunPage first = tracker.searchRuns().maxResults(4).page();
            assertEquals(List.of("r16", "r15", "r14", "r12"), names(first.runs()));
            assertTrue(first.nextPageToken().isPresent());
            RunPage second = tracker.searchRuns().maxResults(4).pageToken(first.nextPageToken().get()).page();
            assertEquals(List.of("r11", "r10", "r09", "r08"), names(second.runs()));
            assertEquals(List.of("r07", "r06", "r05", "r04", "r03", "r02", "r01"),
                    names(tracker.searchRuns().maxResults(4).pageToken(second.nextPageToken().orElseThrow()).list()),
                    "list() after a token reads every later run");
            RunPage exact = tracker.searchRuns().maxResults(15).page();
            assertEquals(15, exact.runs().size());
            assertEquals(Optional.empty(), exact.nextPageToken(), "no token when the page holds the last run");
            RunPage none = tracker.searchRuns().filter("params.opt = 'none'").page();
            assertEquals(List.of(), none.runs());
            assertEquals(Optional.empty(), none.nextPageToken());
        }

        @Test
        @DisplayName("maxResults must be 1 to 50,000: 0, -1, 50,001 fail with InvalidInputException")
        void maxResultsBounds() {
            for (int bad : new int[] {0, -1, 50_001, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                assertThrows(InvalidInputException.class, () -> tracker.searchRuns().maxResults(bad).page(), "maxResults " + bad);
                assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().maxResults(bad).page(), "maxResults " + bad);
            }
            assertEquals(1, tracker.searchRuns().maxResults(1).page().runs().size());
            assertEquals(15, tracker.searchRuns().maxResults(50_000).page().runs().size());
            assertEquals(3, tracker.searchExperiments().maxResults(50_000).page().experiments().size());
        }

        @Test
        @DisplayName("a page token continues only its own query: another filter, order, scope, view or entity fails with InvalidInputException")
        void tokenOfAnotherQuery() {
            java.util.function.Supplier<RunQuery> adam = () -> tracker.searchRuns().filter("params.opt = 'adam'");
            RunPage first = adam.get().maxResults(2).page();
            assertEquals(List.of("r16", "r14"), names(first.runs()));
            String token = first.nextPageToken().orElseThrow();
            assertEquals(List.of("r12", "r10"), names(adam.get().maxResults(2).pageToken(token).page().runs()));
            assertEquals(List.of("r12", "r10", "r08", "r01"), names(adam.get().maxResults(10).pageToken(token).page().runs()),
                    "the page size may change between pages");
            assertAll(
                    () -> assertThrows(InvalidInputException.class,
                            () -> tracker.searchRuns().filter("params.opt = 'sgd'").pageToken(token).page(), "other filter"),
                    () -> assertThrows(InvalidInputException.class,
                            () -> tracker.searchRuns().pageToken(token).page(), "no filter"),
                    () -> assertThrows(InvalidInputException.class,
                            () -> adam.get().orderBy("run_name").pageToken(token).page(), "other order"),
                    () -> assertThrows(InvalidInputException.class,
                            () -> adam.get().experiments(ALPHA).pageToken(token).page(), "other experiments"),
                    () -> assertThrows(InvalidInputException.class,
                            () -> adam.get().viewType(ViewType.ALL).pageToken(token).page(), "other view"),
                    () -> assertThrows(InvalidInputException.class,
                            () -> tracker.searchRuns().filter("params.opt = 'ADAM'").pageToken(token).list(), "list() checks the token too"),
                    () -> assertThrows(InvalidInputException.class,
                            () -> adam.get().filter("params.opt = 'sgd'").pageToken(token).stream().toList(), "stream() too"),
                    () -> assertThrows(InvalidInputException.class,
                            () -> tracker.searchExperiments().pageToken(token).page(), "an experiment search"));
        }

        private static String base64(String json) {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        @DisplayName("a garbage page token fails with InvalidInputException")
        void garbageTokens() {
            String token = tracker.searchRuns().maxResults(3).page().nextPageToken().orElseThrow();
            List<String> garbage = List.of("garbage", "", " ", "!!!", "%00", "null", base64("{}"), base64("[]"), base64("null"),
                    base64("\"x\""), base64("{\"q\":1,\"id\":2,\"v\":3}"), token.substring(0, token.length() / 2),
                    new StringBuilder(token).reverse().toString(), "x" + token);
            for (String bad : garbage) {
                assertThrows(InvalidInputException.class, () -> tracker.searchRuns().maxResults(3).pageToken(bad).page(),
                        () -> "token '" + bad + "'");
                assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().pageToken(bad).page(),
                        () -> "experiment token '" + bad + "'");
            }
        }

        @Test
        @DisplayName("a token whose position was tampered with fails with InvalidInputException, not another exception")
        void tamperedTokens() {
            Map<String, List<String>> forgeries = new LinkedHashMap<>();
            // A string where the order key is a number, a number where it is a string, or too many or few values.
            forgeries.put("", List.of("[\"later\"]", "[true]", "[{}]", "[[1]]", "[1.0, 2.0]", "[]"));
            forgeries.put("metrics.acc DESC", List.of("[\"later\"]", "[true]", "[{}]", "[1.0, 2.0]"));
            forgeries.put("params.opt", List.of("[1.5]", "[\"adam\", \"x\"]"));
            List<String> problems = new ArrayList<>();
            for (String order : forgeries.keySet()) {
                String token = query("", order).maxResults(3).page().nextPageToken().orElseThrow();
                String json = new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                assertTrue(json.contains("\"v\":["), json);
                for (String values : forgeries.get(order)) {
                    String forged = base64(json.replaceFirst("\"v\":\\[[^\\]]*]",
                            java.util.regex.Matcher.quoteReplacement("\"v\":" + values)));
                    try {
                        RunPage page = query("", order).maxResults(3).pageToken(forged).page();
                        problems.add("order <" + order + ">, cursor " + values + ": no exception, returned " + names(page.runs()));
                    } catch (InvalidInputException expected) {
                        // refused, as it should be
                    } catch (RuntimeException e) {
                        problems.add("order <" + order + ">, cursor " + values + ": " + e);
                    }
                }
            }
            // A missing value where the order key can never be missing: refused, or an empty page.
            String token = query("", "").maxResults(3).page().nextPageToken().orElseThrow();
            String json = new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String forged = base64(json.replaceFirst("\"v\":\\[[^\\]]*]", "\"v\":[null]"));
            try {
                RunPage page = query("", "").maxResults(3).pageToken(forged).page();
                if (!page.runs().isEmpty()) {
                    problems.add("order <>, cursor [null]: returned " + names(page.runs()) + " after a missing start time");
                }
            } catch (InvalidInputException expected) {
                // refusing the token is as good
            } catch (RuntimeException e) {
                problems.add("order <>, cursor [null]: " + e);
            }
            assertEquals(List.of(), problems, "forged tokens not refused with InvalidInputException");
        }

        @ParameterizedTest(name = "order <{0}>")
        @ValueSource(strings = {"", "metrics.acc DESC", "run_name", "params.opt|start_time DESC", "metrics.acc ASC|run_name DESC",
                "end_time|start_time"})
        @DisplayName("keyset paging: runs added (later and earlier) or deleted between pages are never repeated, and none present throughout is skipped")
        void keysetStability(String order) {
            List<String> initial = ids(query("", order).list());
            Set<String> deletedUnseen = new HashSet<>();
            Map<String, String> addedAfter = new LinkedHashMap<>(); // new run id -> the last run seen when it was added
            List<String> seen = new ArrayList<>();
            Optional<String> token = Optional.empty();
            int page = 0;
            do {
                RunQuery q = query("", order).maxResults(3);
                token.ifPresent(q::pageToken);
                RunPage p = q.page();
                p.runs().forEach(r -> seen.add(r.info().id()));
                token = p.nextPageToken();
                if (page < 4 && token.isPresent()) {
                    String last = seen.get(seen.size() - 1);
                    clock.set(START.plusSeconds(300 + page));
                    try (ActiveRun late = tracker.newRun(ALPHA).name("n-late-" + page).start()) {
                        late.logMetric("acc", 0.55 + page / 100.0, 0).logParam("opt", "adam");
                        addedAfter.put(late.id(), last);
                    }
                    clock.set(START.minusSeconds(300 + page));
                    try (ActiveRun early = tracker.newRun(BETA).name("z-early-" + page).start()) {
                        early.logMetric("acc", 0.45 - page / 100.0, 0).logParam("opt", "sgd");
                        addedAfter.put(early.id(), last);
                    }
                    // Delete a run not seen yet: the last one in the initial order.
                    for (int i = initial.size() - 1; i >= 0; i--) {
                        if (!seen.contains(initial.get(i)) && !deletedUnseen.contains(initial.get(i))) {
                            tracker.deleteRun(initial.get(i));
                            deletedUnseen.add(initial.get(i));
                            break;
                        }
                    }
                    if (page == 1) {
                        tracker.deleteRun(last); // the run the token points after
                    }
                }
                page++;
                assertTrue(page < 100, "paging does not end");
            } while (token.isPresent());

            assertEquals(seen.size(), new HashSet<>(seen).size(), () -> "a run was returned twice: " + seen);
            for (String id : initial) {
                if (deletedUnseen.contains(id)) {
                    assertFalse(seen.contains(id), "a run deleted before its page came is not returned");
                } else {
                    assertTrue(seen.contains(id), () -> "run " + tracker.getRun(id).info().name() + " was skipped");
                }
            }
            // Every run in the final order of all runs: a run added after the position paging had
            // reached is returned, one added before it is not; and the runs come in that order.
            List<String> order0 = ids(query("", order).viewType(ViewType.ALL).list());
            addedAfter.forEach((id, last) -> assertEquals(order0.indexOf(id) > order0.indexOf(last), seen.contains(id),
                    () -> "run " + tracker.getRun(id).info().name() + " added after " + tracker.getRun(last).info().name()));
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(order0.indexOf(seen.get(i - 1)) < order0.indexOf(seen.get(i)), "pages come in the search's order");
            }
        }

        @Test
        @DisplayName("filter text never becomes SQL: injections in values, keys, patterns and order keys change nothing")
        void injectionLeavesTheStoreIntact() {
            int runsBefore = tracker.searchRuns().viewType(ViewType.ALL).list().size();
            int experimentsBefore = tracker.listExperiments(ViewType.ALL).size();
            Map<String, List<String>> cases = new LinkedHashMap<>();
            cases.put("params.p = 'x'' OR 1=1 --'", List.of("r07"));
            cases.put("tags.`a'; DROP TABLE runs; --` = 'v'", List.of());
            cases.put("tags.note LIKE '%'' OR ''1''=''1'", List.of("r08"));
            cases.put("params.opt = 'adam\\' OR 1=1 --'", List.of());
            cases.put("tags.team IN ('vision'') OR (''1''=''1')", List.of());
            cases.put("run_id IN ('x'') OR 1=1 --')", List.of());
            cases.put("attributes.artifact_uri LIKE '%'' OR 1=1 --'", List.of());
            cases.put("datasets.digest = ''' OR 1=1; DELETE FROM runs; --'", List.of());
            cases.put("params.`opt\"; DROP TABLE params; --` IS NULL AND run_name = 'r01'", List.of("r01"));
            cases.put("tags.`note` ILIKE '%'' OR 1=1 --'", List.of("r07"));
            for (var c : cases.entrySet()) {
                assertEquals(c.getValue(), names(tracker.searchRuns().filter(c.getKey()).list()), c.getKey());
            }
            for (String bad : List.of("params.opt = 'adam'; DROP TABLE runs", "run_name = 'r01' --", "params.opt = '' OR ''1''=''1'",
                    "params.opt = 'adam' /* x */", "1=1", "params.opt = 'a' OR 1=1")) {
                assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter(bad).list(), bad);
            }
            List<String> byId = new ArrayList<>(runs.values().stream().filter(r -> r.info().lifecycleStage() == LifecycleStage.ACTIVE)
                    .map(r -> r.info().id()).sorted().toList());
            java.util.Collections.reverse(byId);
            assertEquals(byId, ids(tracker.searchRuns().orderBy("params.`p; DROP TABLE runs; --` DESC").list()),
                    "an order key nobody has: every run, by id");
            assertEquals(List.of(), tracker.searchExperiments().filter("name = 'x'' OR ''1''=''1'").list());
            assertEquals(List.of(), tracker.searchExperiments().filter("tags.`x'; DROP TABLE experiments; --` = 'y'").list());

            assertEquals(runsBefore, tracker.searchRuns().viewType(ViewType.ALL).list().size());
            assertEquals(experimentsBefore, tracker.listExperiments(ViewType.ALL).size());
            assertEquals("x' OR 1=1 --", tracker.getRun(fixtureRun("r07").info().id()).data().params().get("p"));
            try (ActiveRun after = tracker.startRun(ALPHA)) {
                after.logParam("p", "after").setTag("team", "vision");
                assertEquals(List.of(after.id()), ids(tracker.searchRuns().filter("params.p = 'after'").list()));
            }
            assertEquals(runsBefore + 1, tracker.searchRuns().viewType(ViewType.ALL).list().size());
        }

        @Test
        @DisplayName("a bad filter or order clause fails with InvalidFilterException naming the column, when the search runs")
        void invalidFilterThroughTheApi() {
            InvalidFilterException e = assertThrows(InvalidFilterException.class,
                    () -> tracker.searchRuns().filter("metrics.acc").page());
            assertEquals(12, e.column());
            assertMessageContains(e, "expected a comparator after 'metrics.acc' at column 12");
            assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter("params.lr > '0.1'").list());
            assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter("metrics.acc > 1").orderBy("datasets.name").list());
            assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().orderBy("metrics.acc DESC", "nosuch").page());
            assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().orderBy("").page());
            assertThrows(InvalidFilterException.class, () -> tracker.searchRuns().filter("name = 'x'").page(),
                    "name is an experiment attribute, not a run one");
            assertThrows(InvalidInputException.class, () -> tracker.searchRuns().orderBy((String) null).page());
        }

        @Test
        @DisplayName("runs tying on every order key come in run id order, in the direction of the last key, across pages")
        void tiesByRunId() {
            clock.set(START.plusSeconds(500));
            List<String> tied = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                try (ActiveRun run = tracker.newRun("ties").name("same").start()) {
                    run.logMetric("m", i % 2 == 0 ? 0.0 : -0.0, 0);
                    tied.add(run.id());
                }
            }
            List<String> ascending = tied.stream().sorted().toList();
            List<String> descending = new ArrayList<>(ascending);
            java.util.Collections.reverse(descending);
            java.util.function.Function<String[], java.util.function.Supplier<RunQuery>> q =
                    order -> () -> tracker.searchRuns().experiments("ties").orderBy(order);
            assertEquals(descending, ids(tracker.searchRuns().experiments("ties").list()), "default start_time DESC");
            assertEquals(ascending, ids(q.apply(new String[] {"start_time"}).get().list()));
            assertEquals(descending, ids(q.apply(new String[] {"start_time", "run_name DESC"}).get().list()));
            assertEquals(ascending, ids(q.apply(new String[] {"run_name DESC", "start_time ASC"}).get().list()));
            assertEquals(ascending, ids(q.apply(new String[] {"metrics.m"}).get().list()), "0.0 and -0.0 tie");
            assertEquals(descending, ids(q.apply(new String[] {"metrics.m DESC"}).get().list()), "0.0 and -0.0 tie");
            for (String[] order : List.of(new String[] {"start_time"}, new String[] {"metrics.m DESC"},
                    new String[] {"params.none", "start_time DESC"})) {
                assertEquals(ids(q.apply(order).get().list()), ids(allPages(q.apply(order), 2)), String.join(",", order));
            }
        }

        @Test
        @DisplayName("strings order by Unicode code point in every store; LIKE's _ is one character; ILIKE folds ASCII only")
        void unicodeStrings() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("u-smile", "\uD83D\uDE00"); // U+1F600, a surrogate pair in UTF-16
            values.put("u-fullwidth-a", "\uFF21"); // U+FF21
            values.put("u-e-acute", "é");
            values.put("u-z", "z");
            values.put("u-upper-e-acute", "É");
            for (var v : values.entrySet()) {
                try (ActiveRun run = tracker.newRun("unicode").name(v.getKey()).start()) {
                    run.logParam("sym", v.getValue());
                }
                clock.advanceMillis(1);
            }
            assertEquals(List.of("u-z", "u-upper-e-acute", "u-e-acute", "u-fullwidth-a", "u-smile"),
                    names(tracker.searchRuns().experiments("unicode").orderBy("params.sym").list()),
                    "z U+7A < É U+C9 < é U+E9 < Ａ U+FF21 < 😀 U+1F600");
            assertEquals(List.of("u-smile", "u-fullwidth-a", "u-e-acute", "u-upper-e-acute", "u-z"),
                    names(tracker.searchRuns().experiments("unicode").orderBy("params.sym DESC").list()));
            assertEquals(5, tracker.searchRuns().experiments("unicode").filter("params.sym LIKE '_'").list().size());
            assertEquals(List.of("u-e-acute"), names(tracker.searchRuns().experiments("unicode").filter("params.sym ILIKE 'é'").list()));
            assertEquals(List.of("u-z"), names(tracker.searchRuns().experiments("unicode").filter("params.sym ILIKE 'Z'").list()));
            assertEquals(List.of("u-smile"), names(tracker.searchRuns().experiments("unicode")
                    .filter("params.sym = '\uD83D\uDE00'").list()));
        }
    }

    // =============================================================================================

    /** Rule 19: experiment search, by name, tags, times and lifecycle. */
    @Nested
    @DisplayName("Experiment search")
    class ExperimentSearches {
        /** Every active experiment, in the default order: creation_time DESC. */
        private static final String ACTIVE = "rate_50% speech_ctc NLP-gpt nlp-bert cv-vit cv-resnet";
        private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+):([^}]+)}");

        @BeforeEach
        void buildFixture() {
            make("cv-resnet", 0, Map.of("team", "vision", "owner", "ann"));
            make("cv-vit", 1, Map.of("team", "vision"));
            make("nlp-bert", 2, Map.of("team", "nlp", "owner", "bob"));
            make("NLP-gpt", 3, Map.of("team", "nlp"));
            make("speech_ctc", 4, Map.of());
            make("tabular-xgb", 5, Map.of("team", "tabular"));
            make("rate_50%", 6, Map.of("team", "growth"));
            clock.set(START.plusSeconds(10));
            tracker.deleteExperiment(id("tabular-xgb"));
            clock.set(START.plusSeconds(20));
        }

        private void make(String name, int second, Map<String, String> tags) {
            clock.set(START.plusSeconds(second));
            Experiment experiment = tracker.createExperiment(name);
            tags.forEach((k, v) -> tracker.setExperimentTag(experiment.id(), k, v));
        }

        private String id(String name) {
            return tracker.getExperimentByName(name).orElseThrow().id();
        }

        private String resolve(String filter) {
            java.util.regex.Matcher m = PLACEHOLDER.matcher(filter);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                Experiment e = tracker.getExperimentByName(m.group(2)).orElseThrow();
                String value = switch (m.group(1)) {
                    case "ctime" -> Long.toString(e.creationTime().toEpochMilli());
                    case "eid" -> e.id();
                    default -> throw new IllegalArgumentException(m.group(1));
                };
                m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }

        private ExperimentQuery query(String filter, String order) {
            ExperimentQuery query = tracker.searchExperiments().filter(resolve(filter));
            if (!order.isBlank()) {
                query.orderBy(order.split("\\|"));
            }
            return query;
        }

        private List<String> names(List<Experiment> found) {
            return found.stream().map(Experiment::name).toList();
        }

        private static List<String> list(String names) {
            return names.isBlank() ? List.of() : List.of(names.trim().split("\\s+"));
        }

        private List<Experiment> allPages(java.util.function.Supplier<ExperimentQuery> query, int size) {
            List<Experiment> all = new ArrayList<>();
            Optional<String> token = Optional.empty();
            int pages = 0;
            do {
                ExperimentQuery q = query.get().maxResults(size);
                token.ifPresent(q::pageToken);
                ExperimentPage page = q.page();
                token = page.nextPageToken();
                assertTrue(token.isEmpty() ? page.experiments().size() <= size : page.experiments().size() == size);
                all.addAll(page.experiments());
                assertTrue(++pages <= 200, "paging does not end");
            } while (token.isPresent());
            return all;
        }

        private static Arguments row(String filter, String order, String expected) {
            return Arguments.of(filter, order, expected);
        }

        static Stream<Arguments> experimentCases() {
            return Stream.of(
                    row("", "", ACTIVE),
                    row("name = 'cv-vit'", "", "cv-vit"),
                    row("attributes.name LIKE 'cv-%'", "", "cv-vit cv-resnet"),
                    row("name LIKE 'nlp%'", "", "nlp-bert"),
                    row("name ILIKE 'NLP%'", "", "NLP-gpt nlp-bert"),
                    row("name != 'cv-vit'", "", "rate_50% speech_ctc NLP-gpt nlp-bert cv-resnet"),
                    row("name LIKE 'rate_50%'", "", "rate_50%"),
                    row("name LIKE '%\\_%'", "", ""),
                    row("name IN ('cv-vit', 'speech_ctc', 'tabular-xgb')", "", "speech_ctc cv-vit"),
                    row("attr.name NOT IN ('cv-vit', 'speech_ctc')", "", "rate_50% NLP-gpt nlp-bert cv-resnet"),
                    row("experiment_id = '${eid:nlp-bert}'", "", "nlp-bert"),
                    row("tags.team = 'vision'", "", "cv-vit cv-resnet"),
                    row("tag.team != 'vision'", "", "rate_50% NLP-gpt nlp-bert"),
                    row("tags.owner IS NULL", "", "rate_50% speech_ctc NLP-gpt cv-vit"),
                    row("tags.owner IS NOT NULL", "", "nlp-bert cv-resnet"),
                    row("tags.`team` ILIKE 'NLP' AND tags.\"owner\" IS NULL", "", "NLP-gpt"),
                    row("creation_time > ${ctime:cv-vit}", "", "rate_50% speech_ctc NLP-gpt nlp-bert"),
                    row("attributes.creation_time <= ${ctime:cv-vit}", "", "cv-vit cv-resnet"),
                    row("creation_time = ${ctime:nlp-bert}", "", "nlp-bert"),
                    row("creation_time != ${ctime:nlp-bert}", "", "rate_50% speech_ctc NLP-gpt cv-vit cv-resnet"),
                    row("creation_time < ${ctime:nlp-bert} OR creation_time >= ${ctime:speech_ctc}", "", "rate_50% speech_ctc cv-vit cv-resnet"),
                    row("last_update_time >= ${ctime:NLP-gpt}", "", "rate_50% speech_ctc NLP-gpt"),
                    row("tags.team = 'vision' OR name LIKE 'NLP%'", "", "NLP-gpt cv-vit cv-resnet"),
                    row("NOT tags.team = 'nlp'", "", "rate_50% speech_ctc cv-vit cv-resnet"),
                    row("(name LIKE 'cv%' OR name LIKE 'nlp%') AND NOT tags.owner IS NOT NULL", "", "cv-vit"),
                    row("Name like 'CV%' or NAME ilike 'SPEECH%'", "", "speech_ctc"),
                    row("name = 'x'' OR ''1''=''1'", "", ""),
                    row("tags.`team'; DROP TABLE experiments; --` = 'vision'", "", ""),
                    row("", "name", "NLP-gpt cv-resnet cv-vit nlp-bert rate_50% speech_ctc"),
                    row("", "name DESC", "speech_ctc rate_50% nlp-bert cv-vit cv-resnet NLP-gpt"),
                    row("", "creation_time ASC", "cv-resnet cv-vit nlp-bert NLP-gpt speech_ctc rate_50%"),
                    row("", "tags.team DESC|name", "cv-resnet cv-vit NLP-gpt nlp-bert rate_50% speech_ctc"),
                    row("", "tags.owner|creation_time DESC", "cv-resnet nlp-bert rate_50% speech_ctc NLP-gpt cv-vit"),
                    row("tags.team IS NOT NULL", "last_update_time", "cv-resnet cv-vit nlp-bert NLP-gpt rate_50%"),
                    row("", "attributes.last_update_time DESC", ACTIVE));
        }

        @ParameterizedTest(name = "[{index}] filter <{0}> order <{1}>")
        @MethodSource("experimentCases")
        @DisplayName("filters and orders give exactly the expected experiments, through list(), page() and pages of 2")
        void experimentCase(String filter, String order, String expected) {
            List<String> want = list(expected);
            assertEquals(want, names(query(filter, order).list()), () -> "list() for <" + resolve(filter) + "> order <" + order + ">");
            assertAll(
                    () -> assertEquals(want, names(query(filter, order).stream().toList()), "stream()"),
                    () -> assertEquals(want, names(query(filter, order).page().experiments()), "page()"),
                    () -> assertEquals(want, names(allPages(() -> query(filter, order), 2)), "pages of 2"));
        }

        @Test
        @DisplayName("viewType: ACTIVE_ONLY by default, DELETED_ONLY, ALL; deleting sets last_update_time")
        void viewTypes() {
            assertEquals(list(ACTIVE), names(tracker.searchExperiments().list()));
            assertEquals(List.of("tabular-xgb"), names(tracker.searchExperiments().viewType(ViewType.DELETED_ONLY).list()));
            assertEquals(List.of("rate_50%", "tabular-xgb", "speech_ctc", "NLP-gpt", "nlp-bert", "cv-vit", "cv-resnet"),
                    names(tracker.searchExperiments().viewType(ViewType.ALL).list()));
            assertEquals(List.of("tabular-xgb"), names(tracker.searchExperiments().viewType(ViewType.ALL)
                    .filter(resolve("last_update_time > ${ctime:rate_50%}")).list()));
            assertEquals(List.of("tabular-xgb"), names(tracker.searchExperiments().viewType(ViewType.ALL)
                    .filter("tags.team = 'tabular'").list()));
            assertEquals(List.of(), names(tracker.searchExperiments().filter("tags.team = 'tabular'").list()));
            tracker.restoreExperiment(id("tabular-xgb"));
            assertEquals(List.of("rate_50%", "tabular-xgb", "speech_ctc", "NLP-gpt", "nlp-bert", "cv-vit", "cv-resnet"),
                    names(tracker.searchExperiments().list()));
            assertEquals(List.of(), names(tracker.searchExperiments().viewType(ViewType.DELETED_ONLY).list()));
        }

        @Test
        @DisplayName("collecting every page equals list() for several orders and page sizes")
        void pagesEqualList() {
            for (String order : List.of("", "name", "name DESC", "tags.team|creation_time DESC", "tags.owner DESC",
                    "last_update_time DESC|name", "experiment_id DESC", "experiment_id")) {
                for (ViewType view : ViewType.values()) {
                    java.util.function.Supplier<ExperimentQuery> query = () -> query("", order).viewType(view);
                    List<String> all = names(query.get().list());
                    for (int size : new int[] {1, 2, 3, 7}) {
                        assertEquals(all, names(allPages(query, size)), order + ", " + view + ", pages of " + size);
                    }
                }
            }
        }

        @Test
        @DisplayName("experiments created at the same instant come in id order, compared as numbers, across pages")
        void tiesByNumericId() {
            clock.set(START.plusSeconds(30));
            List<String> created = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                created.add(tracker.createExperiment(String.format("same-%02d", i)).name());
            }
            String filter = "creation_time = " + START.plusSeconds(30).toEpochMilli();
            List<String> newestFirst = new ArrayList<>(created);
            java.util.Collections.reverse(newestFirst);
            assertEquals(newestFirst, names(tracker.searchExperiments().filter(filter).list()), "default order: ids descending");
            assertEquals(created, names(tracker.searchExperiments().filter(filter).orderBy("creation_time ASC").list()));
            assertEquals(newestFirst, names(allPages(() -> tracker.searchExperiments().filter(filter), 5)));
            assertEquals(created, names(allPages(() -> tracker.searchExperiments().filter(filter).orderBy("creation_time"), 5)));
            assertEquals(created, names(allPages(() -> tracker.searchExperiments().filter(filter).orderBy("tags.none"), 5)));
        }

        @Test
        @DisplayName("fields runs have and experiments do not fail with InvalidFilterException")
        void invalidFilters() {
            for (String bad : List.of("metrics.acc > 1", "params.lr = '0.1'", "status = 'FINISHED'", "datasets.name = 'iris'",
                    "creation_time = 'x'", "name > 'a'", "name IS NULL", "creation_time IN ('1')", "name = 'a' extra")) {
                assertThrows(InvalidFilterException.class, () -> tracker.searchExperiments().filter(bad).list(), bad);
            }
            for (String bad : List.of("params.lr", "run_name", "name UP", "")) {
                assertThrows(InvalidFilterException.class, () -> tracker.searchExperiments().orderBy(bad).list(), bad);
            }
        }

        @Test
        @DisplayName("page tokens: another filter fails with InvalidInputException; garbage too")
        void tokens() {
            ExperimentPage first = tracker.searchExperiments().maxResults(2).page();
            assertEquals(List.of("rate_50%", "speech_ctc"), names(first.experiments()));
            String token = first.nextPageToken().orElseThrow();
            assertEquals(List.of("NLP-gpt", "nlp-bert", "cv-vit", "cv-resnet"),
                    names(tracker.searchExperiments().maxResults(10).pageToken(token).page().experiments()));
            assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().filter("name LIKE '%'").pageToken(token).page());
            assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().orderBy("name").pageToken(token).page());
            assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().viewType(ViewType.ALL).pageToken(token).page());
            assertThrows(InvalidInputException.class, () -> tracker.searchRuns().pageToken(token).page(), "a run search");
            assertThrows(InvalidInputException.class, () -> tracker.searchExperiments().pageToken("garbage").page());
        }
    }
}
