package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.Gate;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Objective;
import dev.runlog.registry.PromotionCandidate;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ClassNotAllowedException;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.tck.other.Calibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every model registry store keeps, as JUnit 5 tests: the registry counterpart of
 * {@link TrackingStoreCompatibilityKit}. A store module that ships a
 * {@link dev.runlog.registry.spi.RegistryStoreProvider} proves it by subclassing this kit in its
 * tests and saying how to open a fresh, empty store:
 *
 * <pre>{@code
 * class SqliteRegistryCompatibilityTest extends RegistryStoreCompatibilityKit {
 *     protected String storeUri(Path dir) { return "sqlite:" + dir.resolve("runlog.db"); }
 * }
 * }</pre>
 *
 * <p>The kit drives the registry only through the public API, as users do: before each test it
 * builds {@code Tracker.builder().uri(storeUri(dir)).clock(clock).shutdownHook(false).build()} and
 * {@code ModelRegistry.of(tracker)}, so the registry store is found through its provider exactly as
 * in production. Time comes from a {@link MutableClock} the tests move by hand, so every creation
 * time, update time and audit trail entry is checked to the millisecond.
 *
 * <p>The rules are grouped in {@link Nested} classes: models, versions, stages, aliases,
 * {@code models:/} URIs, the audit trail, promotion gates, search, live deployment, concurrency and
 * store discovery. The whole kit takes a few seconds per store; the deployment tests poll every
 * 25 ms and wait for a swap with a deadline instead of sleeping.
 */
public abstract class RegistryStoreCompatibilityKit {

    /**
     * Where {@link #clock} stands when each test starts: a fixed instant in the past, with
     * milliseconds, so a store that reads the system clock or drops milliseconds is caught.
     */
    protected static final Instant START = Instant.parse("2022-03-14T09:26:53.589Z");

    /** Who the registry records as the acting user when the caller names none. */
    protected static final String PROCESS_USER = Optional.ofNullable(System.getProperty("user.name")).orElse("");

    /** The experiment every run the kit logs a model in belongs to. */
    private static final String EXPERIMENT = "registry-kit";

    /** How often the kit's deployed handles poll: short, so that a swap is seen within milliseconds. */
    private static final Duration FAST_POLL = Duration.ofMillis(25);

    /** How long a test waits for something asynchronous (a swap, a reported failure) before failing. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** A well-formed run id that no store has given out. */
    private static final String UNKNOWN_RUN_ID = "0123456789abcdef0123456789abcdef";

    /** The clock of the kit's tracker, reset to {@link #START} before each test. */
    protected MutableClock clock;

    /** A tracker on a fresh store, opened before each test and closed after it. */
    protected Tracker tracker;

    /** The registry in {@link #tracker}'s store. */
    protected ModelRegistry registry;

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    /**
     * The URI of a fresh, empty store, such as {@code "memory:"} or
     * {@code "sqlite:" + dir.resolve("runlog.db")}. Called once per store a test opens (once per
     * test, twice in a few groups), each time with a new empty directory the store may put its files
     * in; it is deleted after the test, once the trackers are closed.
     *
     * @param tempDir an empty directory for this store alone
     * @return a tracking URI whose store holds nothing yet, and whose registry holds no model
     */
    protected abstract String storeUri(Path tempDir);

    /** Resets the clock and opens {@link #tracker} and {@link #registry} on a fresh store. */
    @BeforeEach
    protected final void openKitRegistry(@TempDir Path tempDir) {
        clock = new MutableClock(START);
        tracker = Tracker.builder().uri(storeUri(tempDir)).clock(clock).shutdownHook(false).build();
        toClose.push(tracker);
        registry = ModelRegistry.of(tracker);
    }

    /**
     * Closes every deployed handle, then the tracker: handles first, so that no poller reads a
     * closed store. A failing close fails the test.
     */
    @AfterEach
    protected final void closeKitRegistry() throws Exception {
        Closer.closeAll(toClose);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A small json model; {@code bias} tells versions apart when they are loaded back. */
    protected static TestModels.LinearModel linear(double bias) {
        return new TestModels.LinearModel(new double[] {1.0, -2.5}, bias);
    }

    /** Logs {@code model} with the json flavor in a new, then finished, run; returns its {@code runs:/} URI. */
    protected final String logModel(Object model) {
        return logModel(model, Map.of(), Map.of());
    }

    /** Logs {@code model} in a new run that also logs {@code metrics} and {@code runTags}; returns its URI. */
    protected final String logModel(Object model, Map<String, Double> metrics, Map<String, String> runTags) {
        try (ActiveRun run = tracker.startRun(EXPERIMENT)) {
            metrics.forEach(run::logMetric);
            runTags.forEach(run::setTag);
            return run.logModel("model", model, ModelFlavor.json()).uri();
        }
    }

    /** Registers a fresh json model (bias {@code n}) as the next version of {@code name}. */
    protected final ModelVersion registerNew(String name, double n) {
        return registry.register(name, logModel(linear(n)));
    }

    /** Registers a fresh model whose run logged {@code metrics} and {@code runTags}. */
    protected final ModelVersion registerWith(String name, Map<String, Double> metrics, Map<String, String> runTags) {
        return registry.register(name, logModel(linear(metrics.hashCode()), metrics, runTags));
    }

    /** Moves the clock one second on and returns the new time, so each change gets its own instant. */
    protected final Instant tick() {
        clock.advance(Duration.ofSeconds(1));
        return clock.peek();
    }

    /** A deployed handle that is closed after the test, before the tracker. */
    protected final <T> DeployedModel<T> track(DeployedModel<T> handle) {
        toClose.push(handle);
        return handle;
    }

    /** Asserts that {@code body} throws {@code type} whose message contains every part; returns it. */
    protected static <T extends Throwable> T assertThrowsWith(Class<T> type, Executable body, String... parts) {
        T thrown = assertThrows(type, body);
        assertMessageContains(thrown, parts);
        return thrown;
    }

    protected static void assertMessageContains(Throwable e, String... parts) {
        String message = e.getMessage();
        assertNotNull(message, () -> e.getClass().getName() + " has no message");
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message should contain '" + part + "': " + message);
        }
    }

    /** Polls {@code condition} every few milliseconds until it holds or {@link #DEADLINE} passes. */
    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("within " + DEADLINE.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + what);
            }
        }
    }

    /** "name/version" of each version, in order: short enough to compare whole result lists. */
    protected static List<String> refs(List<ModelVersion> versions) {
        return versions.stream().map(v -> v.name() + "/" + v.version()).toList();
    }

    protected static List<String> names(List<RegisteredModel> models) {
        return models.stream().map(RegisteredModel::name).toList();
    }

    protected static List<Action> actions(List<ModelEvent> events) {
        return events.stream().map(ModelEvent::action).toList();
    }

    /**
     * An event without its sequence and model, as one line: what the audit trail tests compare.
     * Times are offsets from {@link #START}, in seconds.
     */
    protected static String describe(ModelEvent e) {
        return "v" + e.version() + " " + e.action() + (e.alias() == null ? "" : " @" + e.alias()) + " " + e.from()
                + "->" + e.to() + " at +" + Duration.between(START, e.time()).toMillis() / 1000.0 + "s by " + e.user()
                + (e.comment().isEmpty() ? "" : ": " + e.comment());
    }

    protected static List<String> describe(List<ModelEvent> events) {
        return events.stream().map(RegistryStoreCompatibilityKit::describe).toList();
    }

    /** A line of {@link #describe(ModelEvent)} for an expected event. */
    protected static String event(int version, Action action, String alias, String from, String to, long atSecond,
                                  String user, String comment) {
        return "v" + version + " " + action + (alias == null ? "" : " @" + alias) + " " + from + "->" + to + " at +"
                + atSecond + ".0s by " + user + (comment.isEmpty() ? "" : ": " + comment);
    }

    /**
     * Replays the registrations and STAGE_CHANGED events of a trail, checking that sequence numbers
     * increase and that each stage change starts from the stage the version was left in by the
     * trail before it (a lost or reordered event breaks that chain); returns the stages the trail
     * ends with, by version.
     */
    protected static Map<Integer, Stage> replayStages(List<ModelEvent> trail) {
        Map<Integer, Stage> stages = new TreeMap<>();
        long lastSequence = Long.MIN_VALUE;
        for (ModelEvent e : trail) {
            assertTrue(e.sequence() > lastSequence, () -> "sequence must increase along the trail: " + e);
            lastSequence = e.sequence();
            if (e.action() == Action.VERSION_REGISTERED) {
                stages.put(e.version(), Stage.NONE);
            } else if (e.action() == Action.STAGE_CHANGED) {
                Stage before = stages.get(e.version());
                assertEquals(String.valueOf(before), e.from(), () -> "the trail moves v" + e.version()
                        + " from the stage it was in: " + e);
                stages.put(e.version(), Stage.parse(e.to()));
            }
        }
        return stages;
    }

    /** The versions of {@code name} now in {@code stage}, by number. */
    protected final List<Integer> inStage(String name, Stage stage) {
        return registry.searchVersions("name = '" + name + "' AND stage = '" + stage + "'").stream()
                .map(ModelVersion::version).sorted().toList();
    }

    /** A daemon thread, so that one stuck after a failed test cannot keep the test JVM alive. */
    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts the threads, opens the gate, waits for them, and fails with what the threads threw. */
    private static void startAndJoin(List<Thread> threads, CountDownLatch go, List<Throwable> failures)
            throws InterruptedException {
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(thread.isAlive(), () -> thread.getName() + " did not finish");
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " thread(s) failed; first: " + failures.get(0),
                    failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    /** What a two-argument case of a {@link #cases} table checks. */
    @FunctionalInterface
    protected interface Case<A, B> {
        void check(A a, B b) throws Throwable;
    }

    /** How a case of a {@link #cases} table is named in the report. */
    @FunctionalInterface
    protected interface CaseName<A, B> {
        String name(A a, B b);
    }

    /**
     * One dynamic test per row of a two-column table. A {@code @TestFactory} runs its
     * {@code @BeforeEach} once for all its rows, so a table whose cases only read shares one
     * fixture instead of rebuilding it per case; each row is still reported and fails on its own.
     */
    @SuppressWarnings("unchecked")
    protected static <A, B> Stream<DynamicTest> cases(Stream<Arguments> rows, CaseName<A, B> name, Case<A, B> body) {
        return rows.map(Arguments::get).map(row -> {
            A a = (A) row[0];
            B b = (B) row[1];
            return DynamicTest.dynamicTest(name.name(a, b), () -> body.check(a, b));
        });
    }

    /** Wraps a gate so that every result it gives during a promotion is kept in {@code results}. */
    protected static Gate recording(Gate gate, List<GateResult> results) {
        return candidate -> {
            GateResult result = gate.check(candidate);
            results.add(result);
            return result;
        };
    }

    /** A listener that keeps what it hears, for the deployment tests. */
    protected static final class RecordingListener implements dev.runlog.registry.DeploymentListener {
        /** "previous->current" version numbers of each swap. */
        final List<String> swaps = new CopyOnWriteArrayList<>();
        /** The version each failure attempted (null when none could be resolved), and the error. */
        final List<Map.Entry<ModelVersion, RuntimeException>> failures = new CopyOnWriteArrayList<>();

        @Override
        public void swapped(ModelVersion previous, ModelVersion current) {
            swaps.add(previous.version() + "->" + current.version());
        }

        @Override
        public void failed(ModelVersion attempted, RuntimeException error) {
            failures.add(new java.util.AbstractMap.SimpleImmutableEntry<>(attempted, error));
        }
    }

    /**
     * The json flavor, counting its loads: each poll that tries a failing version loads it once, so
     * the count shows that polls went on without sleeping for a fixed time.
     */
    protected static final class CountingJsonFlavor implements ModelFlavor {
        final AtomicInteger loads = new AtomicInteger();

        @Override
        public String name() {
            return ModelFlavor.json().name();
        }

        @Override
        public Map<String, String> save(Object model, Path directory) throws java.io.IOException {
            return ModelFlavor.json().save(model, directory);
        }

        @Override
        public <T> T load(Path directory, Class<T> type) throws java.io.IOException {
            loads.incrementAndGet();
            return ModelFlavor.json().load(directory, type);
        }
    }

    // =============================================================================================

    /** Registered models: unique, valid names; descriptions and tags; rename and delete. */
    @Nested
    @DisplayName("Models")
    class Models {

        @Test
        @DisplayName("createModel returns an empty model stamped with the clock; getModel reads it back")
        void createAndGet() {
            RegisteredModel created = registry.createModel("iris");
            assertEquals(new RegisteredModel("iris", "", START, START, Map.of(), Map.of()), created);
            tick();
            assertEquals(created, registry.getModel("iris"));
            assertThrowsWith(NotFoundException.class, () -> registry.getModel("ghost"), "'ghost'");
        }

        @Test
        @DisplayName("createModel with a taken name fails with ConflictException, also when register created it")
        void createTakenName() {
            registry.createModel("iris");
            assertThrowsWith(ConflictException.class, () -> registry.createModel("iris"), "'iris'");
            registerNew("wine", 1);
            assertThrowsWith(ConflictException.class, () -> registry.createModel("wine"), "'wine'");
            assertEquals(1, registry.getVersion("wine", 1).version(), "the conflict left the existing model alone");
            assertEquals(List.of(Action.MODEL_CREATED), actions(registry.history("iris")),
                    "a refused create records nothing");
        }

        @Test
        @DisplayName("names differing only in case are different models")
        void namesAreCaseSensitive() {
            registry.createModel("Iris");
            registry.createModel("iris");
            assertEquals(List.of("Iris", "iris"), names(registry.searchModels(null)));
        }

        @Test
        @DisplayName("updateDescription sets, replaces and clears the description and moves lastUpdateTime")
        void description() {
            registry.createModel("iris");
            Instant t1 = tick();
            RegisteredModel described = registry.updateDescription("iris", "Classifies irises.\nSecond line: ü ✓");
            assertEquals("Classifies irises.\nSecond line: ü ✓", described.description());
            assertEquals(t1, described.lastUpdateTime());
            assertEquals(START, described.creationTime());
            assertEquals(described, registry.getModel("iris"));
            tick();
            assertEquals("", registry.updateDescription("iris", "").description());
            assertEquals("", registry.getModel("iris").description());
            assertThrowsWith(NotFoundException.class, () -> registry.updateDescription("ghost", "x"), "'ghost'");
            assertThrowsWith(InvalidInputException.class, () -> registry.updateDescription("iris", "x".repeat(5_001)),
                    "5001");
        }

        @Test
        @DisplayName("model tags are set, overwritten and deleted, and shown by getModel")
        void tags() {
            registry.createModel("iris");
            registry.setModelTag("iris", "team", "vision");
            registry.setModelTag("iris", "owner", "ana");
            registry.setModelTag("iris", "team", "perception");
            assertEquals(Map.of("team", "perception", "owner", "ana"), registry.getModel("iris").tags());
            registry.deleteModelTag("iris", "owner");
            assertEquals(Map.of("team", "perception"), registry.getModel("iris").tags());
            assertThrowsWith(NotFoundException.class, () -> registry.setModelTag("ghost", "k", "v"), "'ghost'");
            assertThrowsWith(NotFoundException.class, () -> registry.deleteModelTag("ghost", "k"), "'ghost'");
            assertThrows(InvalidInputException.class, () -> registry.setModelTag("iris", "", "v"));
            assertThrows(InvalidInputException.class, () -> registry.setModelTag("iris", "k", null));
        }

        @Test
        @DisplayName("lastUpdateTime of a model follows every change to it or to one of its versions")
        void modelLastUpdateTime() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            // Each step runs one second after the previous one; the model must show its time.
            Map<String, Runnable> steps = new java.util.LinkedHashMap<>();
            steps.put("updateDescription(model)", () -> registry.updateDescription("iris", "d"));
            steps.put("setModelTag", () -> registry.setModelTag("iris", "k", "v"));
            steps.put("deleteModelTag", () -> registry.deleteModelTag("iris", "k"));
            steps.put("register", () -> registerNew("iris", 3));
            steps.put("transition", () -> registry.transition("iris", 1, Stage.STAGING));
            steps.put("updateDescription(version)", () -> registry.updateDescription("iris", 1, "d"));
            steps.put("setVersionTag", () -> registry.setVersionTag("iris", 1, "k", "v"));
            steps.put("deleteVersionTag", () -> registry.deleteVersionTag("iris", 1, "k"));
            steps.put("setAlias", () -> registry.setAlias("iris", "champion", 1));
            steps.put("deleteAlias", () -> registry.deleteAlias("iris", "champion"));
            steps.put("deleteVersion", () -> registry.deleteVersion("iris", 2));
            List<String> missed = new ArrayList<>();
            steps.forEach((step, action) -> {
                Instant at = tick();
                action.run();
                RegisteredModel model = registry.getModel("iris");
                if (!model.lastUpdateTime().equals(at)) {
                    missed.add(step + " left it at " + model.lastUpdateTime() + " instead of " + at);
                }
                assertEquals(START, model.creationTime(), step + " changed creationTime");
            });
            assertEquals(List.of(), missed, "steps after which RegisteredModel.lastUpdateTime was not the change's time");
        }

        @Test
        @DisplayName("renameModel moves versions, stages, aliases, tags and the audit trail to the new name")
        void renameCascades() {
            ModelVersion v1 = registerNew("old", 1);
            registerNew("old", 2);
            registry.transition("old", 2, Stage.PRODUCTION);
            registry.setAlias("old", "champion", 2);
            registry.setModelTag("old", "team", "vision");
            registry.setVersionTag("old", 1, "validated", "true");
            registry.updateDescription("old", "the description");
            int eventsBefore = registry.history("old").size();
            Instant renamedAt = tick();

            RegisteredModel renamed = registry.renameModel("old", "new");
            assertEquals(new RegisteredModel("new", "the description", START, renamedAt, Map.of("team", "vision"),
                    Map.of("champion", 2)), renamed);
            assertEquals(renamed, registry.getModel("new"));

            ModelVersion moved = registry.getVersion("new", 1);
            assertEquals("new", moved.name());
            assertEquals(v1.source(), moved.source());
            assertEquals(Map.of("validated", "true"), moved.tags());
            assertEquals(Stage.PRODUCTION, registry.getVersion("new", 2).stage());
            assertEquals(2, registry.getByAlias("new", "champion").version());
            assertEquals(List.of("champion"), registry.getVersion("new", 2).aliases());
            assertEquals(2, registry.resolve("models:/new/Production").version());
            assertEquals(List.of("new/2", "new/1"), refs(registry.searchVersions("name = 'new'")));

            List<ModelEvent> trail = registry.history("new");
            assertEquals(eventsBefore + 1, trail.size(), () -> "the whole trail follows the model: " + trail);
            assertTrue(trail.stream().allMatch(e -> e.model().equals("new")), () -> "every event is under the new name: " + trail);
            assertEquals(event(0, Action.MODEL_RENAMED, null, "old", "new", 1, PROCESS_USER, ""),
                    describe(trail.get(trail.size() - 1)));

            assertThrowsWith(NotFoundException.class, () -> registry.getModel("old"), "'old'");
            assertThrowsWith(NotFoundException.class, () -> registry.getVersion("old", 1), "'old'");
            assertThrowsWith(NotFoundException.class, () -> registry.history("old"), "'old'");
            assertThrowsWith(NotFoundException.class, () -> registry.resolve("models:/old/1"), "'old'");
            assertEquals(List.of(), registry.searchVersions("name = 'old'"));
            assertEquals(3, registerNew("new", 3).version(), "numbering continues under the new name");
            assertEquals(1, registerNew("old", 4).version(), "the old name is free again, with its own numbering");
        }

        @Test
        @DisplayName("renameModel to a taken name fails with ConflictException and changes nothing")
        void renameToTakenName() {
            registerNew("a", 1);
            registerNew("b", 2);
            int trailOfA = registry.history("a").size();
            assertThrowsWith(ConflictException.class, () -> registry.renameModel("a", "b"), "'b'");
            assertEquals(1, registry.getVersion("a", 1).version());
            assertEquals(registry.getVersion("b", 1).source(), registry.resolve("models:/b/1").source());
            assertNotEquals(registry.getVersion("a", 1).source(), registry.getVersion("b", 1).source());
            assertEquals(trailOfA, registry.history("a").size(), "a refused rename records nothing");
            assertThrowsWith(NotFoundException.class, () -> registry.renameModel("ghost", "c"), "'ghost'");
            assertThrows(InvalidInputException.class, () -> registry.renameModel("a", "has/slash"));
        }

        @Test
        @DisplayName("deleteModel removes versions and aliases, keeps the trail ending with MODEL_DELETED; "
                + "a new model of that name starts again at version 1")
        void deleteModel() {
            ModelVersion first = registerNew("iris", 1);
            registerNew("iris", 2);
            registry.setAlias("iris", "champion", 1);
            registry.setModelTag("iris", "team", "vision");
            registry.transition("iris", 2, Stage.PRODUCTION);
            int trailBefore = registry.history("iris").size();
            tick();

            registry.deleteModel("iris");
            assertThrowsWith(NotFoundException.class, () -> registry.getModel("iris"), "'iris'");
            assertThrowsWith(NotFoundException.class, () -> registry.getVersion("iris", 1), "'iris'");
            assertThrowsWith(NotFoundException.class, () -> registry.getByAlias("iris", "champion"), "'iris'");
            assertThrowsWith(NotFoundException.class, () -> registry.resolve("models:/iris/Production"), "'iris'");
            assertEquals(List.of(), registry.searchVersions(null));
            assertEquals(List.of(), registry.searchModels(null));
            assertThrowsWith(NotFoundException.class, () -> registry.latest("iris", Stage.PRODUCTION), "'iris'");

            List<ModelEvent> trail = registry.history("iris");
            assertEquals(trailBefore + 1, trail.size(), () -> "the trail is kept: " + trail);
            assertEquals(event(0, Action.MODEL_DELETED, null, null, null, 1, PROCESS_USER, ""),
                    describe(trail.get(trail.size() - 1)));
            assertThrowsWith(NotFoundException.class, () -> registry.deleteModel("iris"), "'iris'");

            tick();
            ModelVersion again = registerNew("iris", 3);
            assertEquals(1, again.version(), "a new model of the name starts at version 1");
            assertNotEquals(first.source(), again.source());
            RegisteredModel recreated = registry.getModel("iris");
            assertEquals(Map.of(), recreated.tags());
            assertEquals(Map.of(), recreated.aliases());
            assertEquals(START.plusSeconds(2), recreated.creationTime());
            assertEquals(Stage.NONE, registry.getVersion("iris", 1).stage());
        }

        @Test
        @DisplayName("a rename takes only the live model's trail, not that of a deleted model which had the name before")
        void renameLeavesDeletedTrail() {
            registerNew("a", 1);
            tick();
            registry.deleteModel("a");
            List<ModelEvent> deletedTrail = registry.history("a");
            tick();
            registerNew("a", 2);
            registry.renameModel("a", "b");
            assertEquals(List.of(Action.MODEL_CREATED, Action.VERSION_REGISTERED, Action.MODEL_RENAMED),
                    actions(registry.history("b")),
                    "b was created once and never deleted; its trail must not claim otherwise");
            assertEquals(deletedTrail, registry.history("a"), "the deleted model's trail is kept under its name");
        }

        static Stream<Arguments> invalidNames() {
            return Stream.of(
                    Arguments.of("a/b", "'/'"),
                    Arguments.of("a@b", "'@'"),
                    Arguments.of("", "blank"),
                    Arguments.of("   ", "blank"),
                    Arguments.of("x".repeat(251), "251"),
                    Arguments.of("tab\there", "control character"),
                    Arguments.of("line\nbreak", "control character"),
                    Arguments.of("bell\u0007", "control character"),
                    Arguments.of(" leading", "whitespace"),
                    Arguments.of("trailing ", "whitespace"));
        }

        @TestFactory
        @DisplayName("an invalid model name fails with InvalidInputException naming the problem, wherever it is given")
        Stream<DynamicTest> invalidName() {
            String uri = logModel(linear(1));
            registerNew("valid", 1);
            return cases(invalidNames(), (String name, String problem) -> "\"" + name.replace("\t", "\\t")
                    .replace("\n", "\\n").replace("\u0007", "\\u0007") + "\" (" + problem + ")", (name, problem) -> {
                assertThrowsWith(InvalidInputException.class, () -> registry.createModel(name), problem);
                assertThrowsWith(InvalidInputException.class, () -> registry.register(name, uri), problem);
                assertThrowsWith(InvalidInputException.class, () -> registry.renameModel("valid", name), problem);
                assertThrowsWith(InvalidInputException.class, () -> registry.getModel(name), problem);
                assertEquals(List.of("valid"), names(registry.searchModels(null)), "nothing was created");
            });
        }

        @Test
        @DisplayName("a model name of 250 characters with spaces, dots and Unicode inside is valid")
        void longestValidName() {
            String name = "résumé scorer v2.1 " + "x".repeat(231);
            assertEquals(250, name.length());
            assertEquals(name, registry.createModel(name).name());
            assertEquals(1, registerNew(name, 1).version());
            assertEquals(1, registry.resolve("models:/" + name + "/1").version());
        }
    }

    // =============================================================================================

    /** Versions: numbered 1..n per model, never reused, pointing at logged models. */
    @Nested
    @DisplayName("Versions")
    class Versions {

        @Test
        @DisplayName("register creates the model on first use, recording MODEL_CREATED then VERSION_REGISTERED")
        void registerCreatesModel() {
            String uri = logModel(linear(1));
            assertThrows(NotFoundException.class, () -> registry.getModel("iris"));
            ModelVersion v1 = registry.register("iris", uri);
            assertEquals(1, v1.version());
            RegisteredModel model = registry.getModel("iris");
            assertEquals(START, model.creationTime());
            assertEquals(List.of(Action.MODEL_CREATED, Action.VERSION_REGISTERED), actions(registry.history("iris")));
        }

        @Test
        @DisplayName("a version records its source, run, READY status, user and the clock's time")
        void versionFields() {
            clock.advanceMillis(4_321);
            ActiveRun run = tracker.startRun(EXPERIMENT);
            String uri = run.logModel("models/linear", linear(1), ModelFlavor.json()).uri();
            run.close();
            ModelVersion v = registry.register("iris", uri);
            assertAll(
                    () -> assertEquals("iris", v.name()),
                    () -> assertEquals(1, v.version()),
                    () -> assertEquals(uri, v.source()),
                    () -> assertEquals("runs:/" + run.id() + "/models/linear", v.source()),
                    () -> assertEquals(run.id(), v.runId()),
                    () -> assertEquals(ModelVersion.Status.READY, v.status()),
                    () -> assertEquals(Stage.NONE, v.stage()),
                    () -> assertEquals("", v.description()),
                    () -> assertEquals(PROCESS_USER, v.userId()),
                    () -> assertEquals(START.plusMillis(4_321), v.creationTime()),
                    () -> assertEquals(START.plusMillis(4_321), v.lastUpdateTime()),
                    () -> assertEquals(Map.of(), v.tags()),
                    () -> assertEquals(List.of(), v.aliases()),
                    () -> assertEquals("models:/iris/1", v.uri()));
            tick();
            assertEquals(v, registry.getVersion("iris", 1), "getVersion reads back what register returned");
        }

        @Test
        @DisplayName("versions are numbered 1..n per model, each model on its own")
        void sequentialNumbers() {
            for (int i = 1; i <= 5; i++) {
                assertEquals(i, registerNew("iris", i).version());
            }
            assertEquals(1, registerNew("wine", 9).version());
            assertEquals(6, registerNew("iris", 6).version());
            assertEquals(List.of("iris/6", "iris/5", "iris/4", "iris/3", "iris/2", "iris/1"),
                    refs(registry.searchVersions("name = 'iris'")));
        }

        @Test
        @DisplayName("the same logged model may be registered twice, under one name or two")
        void sameSourceTwice() {
            String uri = logModel(linear(1));
            assertEquals(1, registry.register("iris", uri).version());
            assertEquals(2, registry.register("iris", uri).version());
            assertEquals(1, registry.register("wine", uri).version());
            assertEquals(uri, registry.getVersion("iris", 2).source());
        }

        @Test
        @DisplayName("a deleted version's number is never given again, not even the highest one")
        void numbersNeverReused() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            registerNew("iris", 3);
            registry.deleteVersion("iris", 3);
            assertEquals(4, registerNew("iris", 4).version());
            registry.deleteVersion("iris", 2);
            registry.deleteVersion("iris", 4);
            assertEquals(5, registerNew("iris", 5).version());
            assertEquals(List.of("iris/5", "iris/1"), refs(registry.searchVersions("name = 'iris'")));
            assertThrowsWith(NotFoundException.class, () -> registry.getVersion("iris", 2), "'iris'", "version 2");
            assertThrowsWith(NotFoundException.class, () -> registry.deleteVersion("iris", 2), "version 2");
        }

        @Test
        @DisplayName("deleting every version keeps the model; the next one continues the numbering")
        void deleteAllVersions() {
            registerNew("iris", 1);
            registry.deleteVersion("iris", 1);
            assertEquals("iris", registry.getModel("iris").name());
            assertEquals(Optional.empty(), registry.latest("iris", Stage.NONE));
            assertEquals(2, registerNew("iris", 2).version());
        }

        @ParameterizedTest
        @ValueSource(strings = {"models:/iris/1", "file:///tmp/model", "s3://bucket/model", "model", "", "RUNS:/x/y"})
        @DisplayName("register refuses a URI that is not runs:/ with InvalidInputException, creating nothing")
        void registerRefusesOtherUris(String uri) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> registry.register("iris", uri));
            assertMessageContains(e, "runs:/");
            assertThrows(NotFoundException.class, () -> registry.getModel("iris"), "no model was created");
        }

        @Test
        @DisplayName("register of a runs:/ URI where no model was logged fails with NotFoundException, creating nothing")
        void registerWithoutLoggedModel() {
            String runId;
            try (ActiveRun run = tracker.startRun(EXPERIMENT)) {
                run.logText("not a model", "notes/readme.txt");
                run.logModel("model", linear(1), ModelFlavor.json());
                runId = run.id();
            }
            assertThrows(NotFoundException.class, () -> registry.register("iris", "runs:/" + runId + "/other"));
            assertThrows(NotFoundException.class, () -> registry.register("iris", "runs:/" + runId + "/notes"));
            assertThrows(NotFoundException.class,
                    () -> registry.register("iris", "runs:/" + UNKNOWN_RUN_ID + "/model"));
            assertThrows(NotFoundException.class, () -> registry.getModel("iris"), "no model was created");
            assertEquals(1, registry.register("iris", "runs:/" + runId + "/model").version(),
                    "the failed attempts used up no version number");
        }

        @Test
        @DisplayName("getVersion tells a missing model from a missing version, naming both")
        void getVersionNotFound() {
            registerNew("iris", 1);
            NotFoundException noVersion = assertThrowsWith(NotFoundException.class,
                    () -> registry.getVersion("iris", 7), "'iris'", "version 7");
            NotFoundException noModel = assertThrowsWith(NotFoundException.class,
                    () -> registry.getVersion("ghost", 7), "'ghost'", "does not exist");
            assertFalse(noVersion.getMessage().contains("does not exist"),
                    () -> "a missing version of an existing model must not read as a missing model: " + noVersion.getMessage());
            assertFalse(noModel.getMessage().contains("version 7"),
                    () -> "a missing model must not read as a missing version: " + noModel.getMessage());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
        @DisplayName("version 0 or negative fails with InvalidInputException everywhere a version is given")
        void nonPositiveVersion(int version) {
            registerNew("iris", 1);
            String v = "version " + version;
            assertAll(
                    () -> assertThrowsWith(InvalidInputException.class, () -> registry.getVersion("iris", version), v),
                    () -> assertThrowsWith(InvalidInputException.class,
                            () -> registry.updateDescription("iris", version, "d"), v),
                    () -> assertThrowsWith(InvalidInputException.class,
                            () -> registry.setVersionTag("iris", version, "k", "v"), v),
                    () -> assertThrowsWith(InvalidInputException.class,
                            () -> registry.deleteVersionTag("iris", version, "k"), v),
                    () -> assertThrowsWith(InvalidInputException.class, () -> registry.deleteVersion("iris", version), v),
                    () -> assertThrowsWith(InvalidInputException.class,
                            () -> registry.transition("iris", version, Stage.STAGING), v),
                    () -> assertThrowsWith(InvalidInputException.class,
                            () -> registry.promote("iris", version, Stage.STAGING), v),
                    () -> assertThrowsWith(InvalidInputException.class,
                            () -> registry.setAlias("iris", "champion", version), v),
                    () -> assertThrowsWith(InvalidInputException.class, () -> registry.history("iris", version), v));
        }

        @Test
        @DisplayName("version tags are set, overwritten and deleted, per version")
        void versionTags() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            registry.setVersionTag("iris", 1, "validated", "false");
            registry.setVersionTag("iris", 1, "validated", "true");
            registry.setVersionTag("iris", 1, "dataset", "v3");
            registry.setVersionTag("iris", 2, "dataset", "v4");
            assertEquals(Map.of("validated", "true", "dataset", "v3"), registry.getVersion("iris", 1).tags());
            registry.deleteVersionTag("iris", 1, "dataset");
            assertEquals(Map.of("validated", "true"), registry.getVersion("iris", 1).tags());
            assertEquals(Map.of("dataset", "v4"), registry.getVersion("iris", 2).tags());
            assertEquals(Map.of(), registry.getModel("iris").tags(), "version tags are not model tags");
            assertThrowsWith(NotFoundException.class, () -> registry.setVersionTag("iris", 3, "k", "v"), "version 3");
            assertThrowsWith(NotFoundException.class, () -> registry.setVersionTag("ghost", 1, "k", "v"), "'ghost'");
            assertThrows(InvalidInputException.class, () -> registry.setVersionTag("iris", 1, "bad\tkey", "v"));
        }

        @Test
        @DisplayName("a version's description is set and cleared; other versions keep theirs")
        void versionDescription() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            Instant at = tick();
            ModelVersion described = registry.updateDescription("iris", 1, "trained on the full set");
            assertEquals("trained on the full set", described.description());
            assertEquals(at, described.lastUpdateTime());
            assertEquals(described, registry.getVersion("iris", 1));
            assertEquals("", registry.getVersion("iris", 2).description());
            assertEquals("", registry.getModel("iris").description(), "a version description is not the model's");
            assertEquals("", registry.updateDescription("iris", 1, null).description());
            assertThrowsWith(NotFoundException.class, () -> registry.updateDescription("iris", 9, "d"), "version 9");
            assertThrowsWith(InvalidInputException.class,
                    () -> registry.updateDescription("iris", 1, "x".repeat(5_001)), "5001");
            assertEquals("x".repeat(5_000), registry.updateDescription("iris", 1, "x".repeat(5_000)).description());
        }

        @Test
        @DisplayName("lastUpdateTime of a version follows its stage, description, tags and aliases, and nothing else")
        void versionLastUpdateTime() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            Map<String, Runnable> ownChanges = new java.util.LinkedHashMap<>();
            ownChanges.put("transition", () -> registry.transition("iris", 1, Stage.STAGING));
            ownChanges.put("updateDescription", () -> registry.updateDescription("iris", 1, "d"));
            ownChanges.put("setVersionTag", () -> registry.setVersionTag("iris", 1, "k", "v"));
            ownChanges.put("deleteVersionTag", () -> registry.deleteVersionTag("iris", 1, "k"));
            ownChanges.put("setAlias", () -> registry.setAlias("iris", "champion", 1));
            List<String> missed = new ArrayList<>();
            ownChanges.forEach((step, action) -> {
                Instant at = tick();
                action.run();
                ModelVersion v = registry.getVersion("iris", 1);
                if (!v.lastUpdateTime().equals(at)) {
                    missed.add(step + " left it at " + v.lastUpdateTime() + " instead of " + at);
                }
                assertEquals(START, v.creationTime(), step + " changed creationTime");
            });
            assertEquals(List.of(), missed, "changes after which ModelVersion.lastUpdateTime was not the change's time");

            Instant before = registry.getVersion("iris", 1).lastUpdateTime();
            tick();
            registry.transition("iris", 2, Stage.PRODUCTION);
            registry.setModelTag("iris", "k", "v");
            registry.updateDescription("iris", "model description");
            assertEquals(before, registry.getVersion("iris", 1).lastUpdateTime(),
                    "changes to the model or to another version leave a version's lastUpdateTime alone");
        }
    }

    // =============================================================================================

    /** Stages: transitions, archiving the previous holders, the latest version of a stage. */
    @Nested
    @DisplayName("Stages")
    class Stages {

        @Test
        @DisplayName("transition moves a version between stages and returns it in its new stage")
        void transition() {
            registerNew("iris", 1);
            Instant at = tick();
            ModelVersion staged = registry.transition("iris", 1, Stage.STAGING);
            assertEquals(Stage.STAGING, staged.stage());
            assertEquals(at, staged.lastUpdateTime());
            assertEquals(staged, registry.getVersion("iris", 1));
            for (Stage stage : List.of(Stage.PRODUCTION, Stage.ARCHIVED, Stage.NONE, Stage.PRODUCTION)) {
                assertEquals(stage, registry.transition("iris", 1, stage).stage());
                assertEquals(stage, registry.getVersion("iris", 1).stage());
            }
            assertEquals(Stage.PRODUCTION, registry.transition("iris", 1, Stage.PRODUCTION).stage(),
                    "a transition to the current stage is allowed");
        }

        @Test
        @DisplayName("transition of a missing version or model fails with NotFoundException; a null stage with InvalidInputException")
        void transitionErrors() {
            registerNew("iris", 1);
            assertThrowsWith(NotFoundException.class, () -> registry.transition("iris", 2, Stage.STAGING), "version 2");
            assertThrowsWith(NotFoundException.class, () -> registry.transition("ghost", 1, Stage.STAGING), "'ghost'");
            assertThrows(InvalidInputException.class, () -> registry.transition("iris", 1, null));
            assertThrows(InvalidInputException.class, () -> registry.transition("iris", 1, Stage.STAGING, null));
            assertEquals(Stage.NONE, registry.getVersion("iris", 1).stage());
        }

        @Test
        @DisplayName("without archiveExisting several versions may share a stage")
        void defaultDoesNotArchive() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            registry.transition("iris", 1, Stage.PRODUCTION);
            registry.transition("iris", 2, Stage.PRODUCTION, TransitionOptions.defaults().comment("both"));
            assertEquals(List.of(1, 2), inStage("iris", Stage.PRODUCTION));
        }

        @ParameterizedTest
        @EnumSource(value = Stage.class, names = {"STAGING", "PRODUCTION"})
        @DisplayName("archiveExisting moves every other holder of the target stage to Archived in the same call")
        void archiveExisting(Stage target) {
            Stage other = target == Stage.PRODUCTION ? Stage.STAGING : Stage.PRODUCTION;
            for (int i = 1; i <= 5; i++) {
                registerNew("iris", i);
            }
            registry.transition("iris", 1, target);
            registry.transition("iris", 2, other);
            registry.transition("iris", 3, target);
            registerNew("wine", 9);
            registry.transition("wine", 1, target);
            Instant at = tick();

            ModelVersion promoted = registry.transition("iris", 4, target, TransitionOptions.archiveExisting());
            assertEquals(target, promoted.stage());
            assertEquals(List.of(4), inStage("iris", target));
            assertEquals(List.of(1, 3), inStage("iris", Stage.ARCHIVED));
            assertEquals(List.of(2), inStage("iris", other), "versions in another stage stay");
            assertEquals(List.of(5), inStage("iris", Stage.NONE));
            assertEquals(target, registry.getVersion("wine", 1).stage(), "other models are not touched");
            assertEquals(at, registry.getVersion("iris", 1).lastUpdateTime(), "archived in the same instant");
            assertEquals(at, registry.getVersion("iris", 3).lastUpdateTime());
        }

        @ParameterizedTest
        @EnumSource(value = Stage.class, names = {"NONE", "ARCHIVED"})
        @DisplayName("archiveExisting has no effect when the target is None or Archived")
        void archiveExistingIgnoredForNoneAndArchived(Stage target) {
            registerNew("iris", 1);
            registerNew("iris", 2);
            registerNew("iris", 3);
            registry.transition("iris", 1, Stage.ARCHIVED);
            registry.transition("iris", 3, Stage.PRODUCTION);
            // v2 is in None; v1 in Archived: whichever is the target, the others stay where they are.
            int trail = registry.history("iris").size();
            registry.transition("iris", 3, target, TransitionOptions.archiveExisting());
            assertEquals(target, registry.getVersion("iris", 3).stage());
            assertEquals(Stage.ARCHIVED, registry.getVersion("iris", 1).stage());
            assertEquals(Stage.NONE, registry.getVersion("iris", 2).stage());
            assertEquals(trail + 1, registry.history("iris").size(), "only the moved version has an event");
        }

        @Test
        @DisplayName("latest(name, stage) is the highest version in that stage, empty when the stage is empty, NotFound without the model")
        void latest() {
            for (int i = 1; i <= 4; i++) {
                registerNew("iris", i);
            }
            assertEquals(Optional.empty(), registry.latest("iris", Stage.PRODUCTION));
            assertEquals(4, registry.latest("iris", Stage.NONE).orElseThrow().version());
            registry.transition("iris", 3, Stage.PRODUCTION);
            registry.transition("iris", 1, Stage.PRODUCTION);
            registry.transition("iris", 2, Stage.STAGING);
            assertEquals(registry.getVersion("iris", 3), registry.latest("iris", Stage.PRODUCTION).orElseThrow());
            assertEquals(2, registry.latest("iris", Stage.STAGING).orElseThrow().version());
            assertEquals(Optional.empty(), registry.latest("iris", Stage.ARCHIVED));
            registry.transition("iris", 3, Stage.ARCHIVED);
            assertEquals(1, registry.latest("iris", Stage.PRODUCTION).orElseThrow().version());
            registry.deleteVersion("iris", 1);
            assertEquals(Optional.empty(), registry.latest("iris", Stage.PRODUCTION));
            assertEquals(4, registry.latest("iris", Stage.NONE).orElseThrow().version());
            assertThrows(InvalidInputException.class, () -> registry.latest("iris", null));
            assertThrowsWith(NotFoundException.class, () -> registry.latest("ghost", Stage.PRODUCTION), "'ghost'");
        }
    }

    // =============================================================================================

    /** Aliases: named pointers at versions, moved and deleted, reserved words refused. */
    @Nested
    @DisplayName("Aliases")
    class Aliases {

        @Test
        @DisplayName("setAlias points an alias at a version; getByAlias, the version and the model show it")
        void setAndGet() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            ModelVersion pointed = registry.setAlias("iris", "champion", 1);
            assertEquals(1, pointed.version());
            assertEquals(List.of("champion"), pointed.aliases());
            assertEquals(registry.getVersion("iris", 1), registry.getByAlias("iris", "champion"));
            assertEquals(Map.of("champion", 1), registry.getModel("iris").aliases());
            assertEquals(List.of(), registry.getVersion("iris", 2).aliases());
        }

        @Test
        @DisplayName("setAlias on a version that has it elsewhere moves it")
        void move() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            registry.setAlias("iris", "champion", 1);
            ModelVersion moved = registry.setAlias("iris", "champion", 2);
            assertEquals(List.of("champion"), moved.aliases());
            assertEquals(2, registry.getByAlias("iris", "champion").version());
            assertEquals(List.of(), registry.getVersion("iris", 1).aliases());
            assertEquals(Map.of("champion", 2), registry.getModel("iris").aliases());
        }

        @Test
        @DisplayName("a version lists all its aliases, sorted; aliases are per model")
        void versionsListAliases() {
            registerNew("iris", 1);
            registerNew("wine", 2);
            registry.setAlias("iris", "staging-candidate", 1);
            registry.setAlias("iris", "Champion", 1);
            registry.setAlias("iris", "b_2", 1);
            registry.setAlias("wine", "champion", 1);
            assertEquals(List.of("Champion", "b_2", "staging-candidate"), registry.getVersion("iris", 1).aliases());
            assertEquals(List.of("Champion", "b_2", "staging-candidate"),
                    registry.searchVersions("name = 'iris'").get(0).aliases());
            assertEquals(Map.of("Champion", 1, "b_2", 1, "staging-candidate", 1), registry.getModel("iris").aliases());
            assertEquals(List.of("champion"), registry.getVersion("wine", 1).aliases());
            assertThrows(NotFoundException.class, () -> registry.getByAlias("iris", "champion"),
                    "aliases are case-sensitive and per model");
        }

        @Test
        @DisplayName("deleteAlias removes it; deleting an alias that is not set fails with NotFoundException")
        void delete() {
            registerNew("iris", 1);
            registry.setAlias("iris", "champion", 1);
            registry.setAlias("iris", "backup", 1);
            registry.deleteAlias("iris", "champion");
            assertThrowsWith(NotFoundException.class, () -> registry.getByAlias("iris", "champion"), "'champion'", "'iris'");
            assertEquals(List.of("backup"), registry.getVersion("iris", 1).aliases());
            assertEquals(Map.of("backup", 1), registry.getModel("iris").aliases());
            int trail = registry.history("iris").size();
            assertThrowsWith(NotFoundException.class, () -> registry.deleteAlias("iris", "champion"), "'champion'");
            assertThrowsWith(NotFoundException.class, () -> registry.deleteAlias("iris", "never-set"), "'never-set'");
            assertThrowsWith(NotFoundException.class, () -> registry.deleteAlias("ghost", "champion"), "'ghost'");
            assertEquals(trail, registry.history("iris").size(), "failed deletes record nothing");
        }

        @Test
        @DisplayName("getByAlias of a missing model names the model")
        void getByAliasOfMissingModel() {
            assertThrowsWith(NotFoundException.class, () -> registry.getByAlias("ghost", "champion"), "'ghost'");
        }

        @Test
        @DisplayName("setAlias on a missing version fails with NotFoundException and leaves the alias where it was")
        void setAliasOnMissingVersion() {
            registerNew("iris", 1);
            registry.setAlias("iris", "champion", 1);
            assertThrowsWith(NotFoundException.class, () -> registry.setAlias("iris", "champion", 5), "version 5");
            assertThrowsWith(NotFoundException.class, () -> registry.setAlias("ghost", "champion", 1), "'ghost'");
            assertEquals(1, registry.getByAlias("iris", "champion").version());
        }

        @Test
        @DisplayName("an alias disappears with its version")
        void goesWithItsVersion() {
            registerNew("iris", 1);
            registerNew("iris", 2);
            registry.setAlias("iris", "champion", 1);
            registry.setAlias("iris", "challenger", 2);
            registry.deleteVersion("iris", 1);
            assertThrows(NotFoundException.class, () -> registry.getByAlias("iris", "champion"));
            assertThrows(NotFoundException.class, () -> registry.resolve("models:/iris@champion"));
            assertEquals(Map.of("challenger", 2), registry.getModel("iris").aliases());
            assertThrows(NotFoundException.class, () -> registry.deleteAlias("iris", "champion"));
            List<ModelEvent> last = registry.history("iris", 1);
            assertEquals(List.of(Action.ALIAS_DELETED, Action.VERSION_DELETED),
                    last.subList(last.size() - 2, last.size()).stream().map(ModelEvent::action).toList(),
                    () -> "the trail says the alias went with the version: " + last);
            assertEquals("champion", last.get(last.size() - 2).alias());
            registerNew("iris", 3);
            assertThrows(NotFoundException.class, () -> registry.getByAlias("iris", "champion"),
                    "a later version does not inherit the alias");
        }

        @Test
        @DisplayName("aliases survive stage transitions")
        void surviveTransitions() {
            registerNew("iris", 1);
            registry.setAlias("iris", "champion", 1);
            registry.transition("iris", 1, Stage.PRODUCTION);
            registry.transition("iris", 1, Stage.ARCHIVED);
            assertEquals(List.of("champion"), registry.getByAlias("iris", "champion").aliases());
            assertEquals(Stage.ARCHIVED, registry.getByAlias("iris", "champion").stage());
        }

        @TestFactory
        @DisplayName("reserved aliases ('latest' and v<digits>, in any case) fail with InvalidInputException")
        Stream<DynamicTest> reserved() {
            registerNew("iris", 1);
            return Stream.of("latest", "LATEST", "Latest", "v1", "V12", "v007").map(alias -> DynamicTest.dynamicTest(alias,
                    () -> {
                        assertThrowsWith(InvalidInputException.class, () -> registry.setAlias("iris", alias, 1), alias,
                                "reserved");
                        assertThrowsWith(InvalidInputException.class, () -> registry.getByAlias("iris", alias), "reserved");
                        assertThrowsWith(InvalidInputException.class, () -> registry.deleteAlias("iris", alias), "reserved");
                        assertEquals(Map.of(), registry.getModel("iris").aliases());
                    }));
        }

        @TestFactory
        @DisplayName("aliases other than letters, digits, '_' and '-' fail with InvalidInputException")
        Stream<DynamicTest> invalidCharacters() {
            registerNew("iris", 1);
            return Stream.of("", "two words", "dotted.name", "a/b", "a@b", "émoji", "tab\t", "semi;colon")
                    .map(alias -> DynamicTest.dynamicTest("'" + alias.replace("\t", "\\t") + "'", () -> {
                        assertThrowsWith(InvalidInputException.class, () -> registry.setAlias("iris", alias, 1), "alias");
                        assertEquals(Map.of(), registry.getModel("iris").aliases());
                    }));
        }

        @Test
        @DisplayName("aliases that only look reserved are valid, up to 255 characters")
        void nearlyReserved() {
            registerNew("iris", 1);
            List<String> valid = List.of("v1a", "vv1", "v", "version-2", "latest-good", "x_Y-9", "a".repeat(255));
            for (String alias : valid) {
                assertEquals(1, registry.setAlias("iris", alias, 1).version(), alias);
            }
            assertEquals(new TreeSet<>(valid), registry.getModel("iris").aliases().keySet());
            assertThrows(InvalidInputException.class, () -> registry.setAlias("iris", "a".repeat(256), 1));
            assertThrows(InvalidInputException.class, () -> registry.setAlias("iris", null, 1));
        }
    }

    // =============================================================================================

    /** {@code models:/} URIs: every form resolves to the right version and loads the right model. */
    @Nested
    @DisplayName("URIs")
    class Uris {

        /**
         * iris v1 Archived, v2 Production, v3 Staging, v4 None; @champion on 2, @challenger on 3.
         * Each version's model is {@code linear(version)}.
         */
        @BeforeEach
        void fixture() {
            for (int i = 1; i <= 4; i++) {
                registerNew("iris", i);
            }
            registry.transition("iris", 1, Stage.ARCHIVED);
            registry.transition("iris", 2, Stage.PRODUCTION);
            registry.transition("iris", 3, Stage.STAGING);
            registry.setAlias("iris", "champion", 2);
            registry.setAlias("iris", "challenger", 3);
        }

        static Stream<Arguments> forms() {
            return Stream.of(
                    Arguments.of("models:/iris/3", 3),
                    Arguments.of("models:/iris/1", 1),
                    Arguments.of("models:/iris/Production", 2),
                    Arguments.of("models:/iris/production", 2),
                    Arguments.of("models:/iris/PRODUCTION", 2),
                    Arguments.of("models:/iris/STAGING", 3),
                    Arguments.of("models:/iris/Staging", 3),
                    Arguments.of("models:/iris/archived", 1),
                    Arguments.of("models:/iris/None", 4),
                    Arguments.of("models:/iris@champion", 2),
                    Arguments.of("models:/iris@challenger", 3),
                    Arguments.of("models:/iris/latest", 4));
        }

        @TestFactory
        @DisplayName("each URI form resolves to its version and loads the model logged for it")
        Stream<DynamicTest> resolvesAndLoads() {
            // Dynamic tests share the fixture, built once: the cases only read.
            return cases(forms(), (String uri, Integer version) -> uri + " -> version " + version, (uri, version) -> {
                assertEquals(registry.getVersion("iris", version), registry.resolve(uri));
                assertEquals(linear(version), registry.load(uri, TestModels.LinearModel.class));
                assertEquals(linear(version), registry.load(uri, TestModels.LinearModel.class, ModelFlavor.json()));
            });
        }

        @Test
        @DisplayName("a stage URI resolves to the highest version in the stage; latest to the highest version")
        void highestWins() {
            registerNew("iris", 5);
            registry.transition("iris", 5, Stage.PRODUCTION);
            assertEquals(5, registry.resolve("models:/iris/Production").version());
            registry.transition("iris", 5, Stage.ARCHIVED);
            assertEquals(2, registry.resolve("models:/iris/Production").version());
            assertEquals(5, registry.resolve("models:/iris/latest").version());
            registry.deleteVersion("iris", 5);
            assertEquals(4, registry.resolve("models:/iris/latest").version());
        }

        @Test
        @DisplayName("a URI follows a move: the alias, the stage")
        void followsMoves() {
            registry.setAlias("iris", "champion", 4);
            registry.transition("iris", 4, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            assertEquals(linear(4), registry.load("models:/iris@champion", TestModels.LinearModel.class));
            assertEquals(linear(4), registry.load("models:/iris/Production", TestModels.LinearModel.class));
        }

        @Test
        @DisplayName("ModelVersion.uri() resolves to that version")
        void versionUri() {
            ModelVersion v3 = registry.getVersion("iris", 3);
            assertEquals("models:/iris/3", v3.uri());
            assertEquals(v3, registry.resolve(v3.uri()));
        }

        static Stream<Arguments> malformed() {
            return Stream.of(
                    Arguments.of("iris/1", "does not start with 'models:/'"),
                    Arguments.of("runs:/0123456789abcdef0123456789abcdef/model", "does not start with 'models:/'"),
                    Arguments.of("Models:/iris/1", "does not start with 'models:/'"),
                    Arguments.of("models:iris/1", "does not start with 'models:/'"),
                    Arguments.of("models://1", "model name is empty"),
                    Arguments.of("models:/@champion", "model name is empty"),
                    Arguments.of("models:/iris", "names no version, stage, alias or 'latest'"),
                    Arguments.of("models:/", "names no version, stage, alias or 'latest'"),
                    Arguments.of("models:/iris/", "exactly one segment"),
                    Arguments.of("models:/a/b/c", "exactly one segment"),
                    Arguments.of("models:/iris/3/", "exactly one segment"),
                    Arguments.of("models:/iris@", "alias after '@' is empty"),
                    Arguments.of("models:/iris/Prod", "'Prod' is not a version number, a stage"),
                    Arguments.of("models:/iris/deployed", "'deployed' is not a version number, a stage"),
                    Arguments.of("models:/iris/-1", "'-1' is not a version number"),
                    Arguments.of("models:/iris/99999999999", "out of range"));
        }

        @TestFactory
        @DisplayName("a malformed URI fails with InvalidInputException saying why")
        Stream<DynamicTest> malformedUri() {
            return cases(malformed(), (String uri, String why) -> uri, (uri, why) -> {
                InvalidInputException e = assertThrowsWith(InvalidInputException.class, () -> registry.resolve(uri),
                        "'" + uri + "'", why);
                assertEquals(e.getMessage(), assertThrows(InvalidInputException.class,
                        () -> registry.load(uri, TestModels.LinearModel.class)).getMessage(), "load says the same");
                assertThrows(InvalidInputException.class,
                        () -> registry.deploy(uri, Map.class, DeployOptions.defaults().pollInterval(FAST_POLL)));
            });
        }

        @Test
        @DisplayName("version 0 in a URI fails with InvalidInputException")
        void versionZero() {
            assertThrowsWith(InvalidInputException.class, () -> registry.resolve("models:/iris/0"), "version 0");
        }

        @TestFactory
        @DisplayName("an alias in a URI is checked like any alias: invalid or reserved ones fail with InvalidInputException")
        Stream<DynamicTest> invalidAliasInUri() {
            return Stream.of("models:/iris@two words", "models:/iris@dotted.alias", "models:/iris@latest",
                            "models:/iris@v2", "models:/iris@a/b")
                    .map(uri -> DynamicTest.dynamicTest(uri,
                            () -> assertThrowsWith(InvalidInputException.class, () -> registry.resolve(uri), "alias")));
        }

        @Test
        @DisplayName("an invalid model name in a URI fails with InvalidInputException")
        void invalidNameInUri() {
            assertThrowsWith(InvalidInputException.class, () -> registry.resolve("models:/ iris/1"), "whitespace");
        }

        @Test
        @DisplayName("a URI pointing at nothing fails with NotFoundException naming what is missing")
        void pointsAtNothing() {
            registry.createModel("empty");
            assertAll(
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.resolve("models:/iris/99"), "'iris'", "version 99"),
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.resolve("models:/iris@ghost"), "'iris'", "'ghost'"),
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.resolve("models:/empty/Production"), "'empty'", "Production"),
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.resolve("models:/empty/latest"), "'empty'"),
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.resolve("models:/ghost/1"), "'ghost'", "does not exist"),
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.resolve("models:/ghost/Production"), "'ghost'", "does not exist"),
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.resolve("models:/ghost@champion"), "'ghost'", "does not exist"),
                    () -> assertThrowsWith(NotFoundException.class,
                            () -> registry.load("models:/iris/99", TestModels.LinearModel.class), "version 99"));
            registry.transition("iris", 3, Stage.ARCHIVED);
            assertThrowsWith(NotFoundException.class, () -> registry.resolve("models:/iris/Staging"), "Staging");
        }
    }

    // =============================================================================================

    /** The audit trail: every change, with when, by whom and why, in order. */
    @Nested
    @DisplayName("History")
    class History {

        @Test
        @DisplayName("registrations, transitions (with what they archived), alias moves, deletes and renames are all recorded")
        void fullTrail() {
            String u = PROCESS_USER;
            ModelVersion v1 = registerNew("m", 1);                                               // +0
            tick();
            ModelVersion v2 = registerNew("m", 2);                                               // +1
            tick();
            registry.transition("m", 1, Stage.PRODUCTION);                                       // +2
            tick();
            registry.transition("m", 2, Stage.PRODUCTION,
                    TransitionOptions.archiveExisting().user("ci").comment("why"));              // +3
            tick();
            registry.setAlias("m", "champion", 2);                                               // +4
            tick();
            registry.setAlias("m", "champion", 1);                                               // +5
            tick();
            registry.deleteAlias("m", "champion");                                               // +6
            tick();
            registry.deleteVersion("m", 1);                                                      // +7
            tick();
            registry.renameModel("m", "m2");                                                     // +8

            List<ModelEvent> trail = registry.history("m2");
            assertEquals(List.of(
                    event(0, Action.MODEL_CREATED, null, null, null, 0, u, ""),
                    event(1, Action.VERSION_REGISTERED, null, null, v1.source(), 0, u, ""),
                    event(2, Action.VERSION_REGISTERED, null, null, v2.source(), 1, u, ""),
                    event(1, Action.STAGE_CHANGED, null, "None", "Production", 2, u, ""),
                    event(2, Action.STAGE_CHANGED, null, "None", "Production", 3, "ci", "why"),
                    event(1, Action.STAGE_CHANGED, null, "Production", "Archived", 3, "ci",
                            "archived: version 2 took the stage (why)"),
                    event(2, Action.ALIAS_SET, "champion", null, "2", 4, u, ""),
                    event(1, Action.ALIAS_SET, "champion", "2", "1", 5, u, ""),
                    event(1, Action.ALIAS_DELETED, "champion", "1", null, 6, u, ""),
                    event(1, Action.VERSION_DELETED, null, "Archived", null, 7, u, ""),
                    event(0, Action.MODEL_RENAMED, null, "m", "m2", 8, u, "")), describe(trail));
            assertTrue(trail.stream().allMatch(e -> e.model().equals("m2")));
            assertEquals(Optional.of("champion"), trail.get(6).aliasName());
            assertEquals(Optional.empty(), trail.get(3).aliasName());
        }

        @Test
        @DisplayName("sequence numbers increase along the trail, also for changes made in the same instant")
        void sequenceOrdersSameInstant() {
            registerNew("m", 1);
            registerNew("m", 2);
            registry.transition("m", 2, Stage.STAGING);
            registry.transition("m", 1, Stage.STAGING, TransitionOptions.archiveExisting());
            registry.setAlias("m", "a", 1);
            registerNew("other", 3);
            registry.setAlias("m", "b", 2);
            List<ModelEvent> trail = registry.history("m");
            assertEquals(List.of(Action.MODEL_CREATED, Action.VERSION_REGISTERED, Action.VERSION_REGISTERED,
                    Action.STAGE_CHANGED, Action.STAGE_CHANGED, Action.STAGE_CHANGED, Action.ALIAS_SET,
                    Action.ALIAS_SET), actions(trail));
            for (int i = 1; i < trail.size(); i++) {
                assertTrue(trail.get(i).sequence() > trail.get(i - 1).sequence(), "sequence increases: " + trail);
            }
            assertTrue(trail.stream().allMatch(e -> e.time().equals(START)));
            List<ModelEvent> other = registry.history("other");
            assertTrue(other.get(0).sequence() > trail.get(6).sequence() && other.get(0).sequence() < trail.get(7).sequence(),
                    "sequence is store-wide, so it also orders events of different models");
        }

        @Test
        @DisplayName("history(name, version) keeps that version's events, in order")
        void perVersion() {
            registerNew("m", 1);
            registerNew("m", 2);
            tick();
            registry.transition("m", 1, Stage.PRODUCTION);
            tick();
            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting().comment("better"));
            tick();
            registry.setAlias("m", "champion", 2);
            String u = PROCESS_USER;
            assertEquals(List.of(
                    event(1, Action.VERSION_REGISTERED, null, null, registry.getVersion("m", 1).source(), 0, u, ""),
                    event(1, Action.STAGE_CHANGED, null, "None", "Production", 1, u, ""),
                    event(1, Action.STAGE_CHANGED, null, "Production", "Archived", 2, u,
                            "archived: version 2 took the stage (better)")), describe(registry.history("m", 1)));
            assertEquals(List.of(Action.VERSION_REGISTERED, Action.STAGE_CHANGED, Action.ALIAS_SET),
                    actions(registry.history("m", 2)));
            assertEquals(List.of(), registry.history("m", 3), "a version never registered has no events");
            assertThrowsWith(NotFoundException.class, () -> registry.history("ghost", 1), "'ghost'");
        }

        @Test
        @DisplayName("the acting user and comment of TransitionOptions are recorded; the process user otherwise")
        void userAndComment() {
            registerNew("m", 1);
            registry.transition("m", 1, Stage.STAGING, TransitionOptions.defaults().user("ci"));
            registry.transition("m", 1, Stage.PRODUCTION, TransitionOptions.defaults().comment("passed QA"));
            registry.transition("m", 1, Stage.ARCHIVED, TransitionOptions.defaults().user("ana").comment("retired"));
            List<ModelEvent> moves = registry.history("m", 1).stream()
                    .filter(e -> e.action() == Action.STAGE_CHANGED).toList();
            assertEquals(List.of("ci|", PROCESS_USER + "|passed QA", "ana|retired"),
                    moves.stream().map(e -> e.user() + "|" + e.comment()).toList());
        }

        @Test
        @DisplayName("failed changes record nothing")
        void failuresRecordNothing() {
            registerNew("m", 1);
            registry.setAlias("m", "champion", 1);
            int length = registry.history("m").size();
            assertThrows(NotFoundException.class, () -> registry.transition("m", 2, Stage.STAGING));
            assertThrows(NotFoundException.class, () -> registry.setAlias("m", "champion", 2));
            assertThrows(NotFoundException.class, () -> registry.deleteAlias("m", "other"));
            assertThrows(NotFoundException.class, () -> registry.deleteVersion("m", 2));
            assertThrows(InvalidInputException.class, () -> registry.setAlias("m", "latest", 1));
            assertThrows(ConflictException.class, () -> registry.createModel("m"));
            assertThrows(NotFoundException.class, () -> registry.register("m", "runs:/" + UNKNOWN_RUN_ID + "/model"));
            assertEquals(length, registry.history("m").size());
        }

        @Test
        @DisplayName("history of a model that never existed fails with NotFoundException")
        void unknownModel() {
            assertThrowsWith(NotFoundException.class, () -> registry.history("ghost"), "'ghost'");
            assertThrows(InvalidInputException.class, () -> registry.history("bad/name"));
        }
    }

    // =============================================================================================

    /** Promotion gates: every failure listed with what was compared; nothing changes when rejected. */
    @Nested
    @DisplayName("Gates")
    class PromotionGates {

        @Test
        @DisplayName("metricAtLeast passes at or above the bound and fails below it or without the metric")
        void metricAtLeast() {
            registerWith("m", Map.of("accuracy", 0.93), Map.of());
            registerWith("m", Map.of("accuracy", 0.9), Map.of());
            registerWith("m", Map.of("accuracy", 0.85), Map.of());
            registerWith("m", Map.of("loss", 0.1), Map.of());
            Gate gate = Gates.metricAtLeast("accuracy", 0.9);
            List<GateResult> results = new ArrayList<>();
            assertEquals(Stage.STAGING, registry.promote("m", 1, Stage.STAGING, recording(gate, results)).stage());
            registry.promote("m", 2, Stage.STAGING, recording(gate, results));
            assertEquals(List.of(
                    new GateResult("metrics.accuracy >= 0.9", true, "0.93", ">= 0.9"),
                    new GateResult("metrics.accuracy >= 0.9", true, "0.9", ">= 0.9")), results);

            PromotionRejectedException below = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 3, Stage.STAGING, gate));
            assertEquals(List.of(GateResult.fail("metrics.accuracy >= 0.9", "0.85", ">= 0.9")), below.failures());
            assertMessageContains(below, "m", "version 3", "Staging", "metrics.accuracy >= 0.9", "actual 0.85",
                    "required >= 0.9");
            assertEquals("m", below.model());
            assertEquals(3, below.version());
            assertEquals(Stage.STAGING, below.target());

            PromotionRejectedException missing = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 4, Stage.PRODUCTION, gate));
            assertEquals(List.of(GateResult.fail("metrics.accuracy >= 0.9", "no such metric", ">= 0.9")),
                    missing.failures());
            assertMessageContains(missing, "no such metric");
        }

        @Test
        @DisplayName("metricAtMost passes at or below the bound and fails above it")
        void metricAtMost() {
            registerWith("m", Map.of("loss", 0.25), Map.of());
            registerWith("m", Map.of("loss", 0.5), Map.of());
            Gate gate = Gates.metricAtMost("loss", 0.3);
            List<GateResult> results = new ArrayList<>();
            registry.promote("m", 1, Stage.PRODUCTION, recording(gate, results));
            assertEquals(List.of(new GateResult("metrics.loss <= 0.3", true, "0.25", "<= 0.3")), results);
            PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 2, Stage.PRODUCTION, gate));
            assertEquals(List.of(GateResult.fail("metrics.loss <= 0.3", "0.5", "<= 0.3")), e.failures());
            assertMessageContains(e, "actual 0.5", "required <= 0.3");
        }

        @Test
        @DisplayName("every failing gate is listed, in the order given, not just the first")
        void allFailuresInOrder() {
            registerWith("m", Map.of("accuracy", 0.8, "loss", 0.4), Map.of("validated", "false"));
            PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 1, Stage.PRODUCTION,
                            Gates.metricAtMost("loss", 0.2),
                            Gates.metricAtLeast("accuracy", 0.5),
                            Gates.requireTag("validated", "true"),
                            candidate -> GateResult.fail("custom", "x", "y"),
                            Gates.metricAtLeast("accuracy", 0.95)));
            assertEquals(List.of(
                    GateResult.fail("metrics.loss <= 0.2", "0.4", "<= 0.2"),
                    GateResult.fail("tags.validated = 'true'", "'false'", "'true'"),
                    GateResult.fail("custom", "x", "y"),
                    GateResult.fail("metrics.accuracy >= 0.95", "0.8", ">= 0.95")), e.failures());
            assertMessageContains(e, "rejected by 4 gates", "metrics.loss <= 0.2", "tags.validated = 'true'",
                    "custom", "metrics.accuracy >= 0.95");
            String message = e.getMessage();
            assertTrue(message.indexOf("metrics.loss") < message.indexOf("tags.validated")
                    && message.indexOf("tags.validated") < message.indexOf("custom")
                    && message.indexOf("custom") < message.indexOf("metrics.accuracy >= 0.95"),
                    () -> "the message lists the failures in the order given: " + message);
        }

        @Test
        @DisplayName("a rejected promotion changes nothing: stages, holders, times and the trail stay")
        void rejectionChangesNothing() {
            registerWith("m", Map.of("accuracy", 0.9), Map.of());
            registerWith("m", Map.of("accuracy", 0.7), Map.of());
            registry.promote("m", 1, Stage.PRODUCTION);
            List<ModelEvent> trail = registry.history("m");
            ModelVersion v1 = registry.getVersion("m", 1);
            ModelVersion v2 = registry.getVersion("m", 2);
            RegisteredModel model = registry.getModel("m");
            tick();
            assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 2, Stage.PRODUCTION, Gates.beatsCurrent("accuracy")));
            assertEquals(v1, registry.getVersion("m", 1));
            assertEquals(v2, registry.getVersion("m", 2));
            assertEquals(model, registry.getModel("m"));
            assertEquals(trail, registry.history("m"));
            assertEquals(1, registry.latest("m", Stage.PRODUCTION).orElseThrow().version());
        }

        @Test
        @DisplayName("a lambda gate sees the version, its run, the target, the incumbent and its run")
        void lambdaGate() {
            ModelVersion v1 = registry.register("m", logModel(linear(1), Map.of("accuracy", 0.8), Map.of()));
            String uri2;
            try (ActiveRun run = tracker.startRun(EXPERIMENT)) {
                run.logParam("subset", "10%");
                uri2 = run.logModel("model", linear(2), ModelFlavor.json()).uri();
            }
            ModelVersion v2 = registry.register("m", uri2);
            registry.promote("m", 1, Stage.PRODUCTION);
            AtomicReference<PromotionCandidate> seen = new AtomicReference<>();
            Gate fullData = candidate -> {
                seen.set(candidate);
                String subset = candidate.run().data().params().get("subset");
                return subset == null ? GateResult.pass("trained on the full data set")
                        : GateResult.fail("trained on the full data set", "subset=" + subset, "no subset");
            };
            PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 2, Stage.PRODUCTION, fullData));
            assertEquals(List.of(GateResult.fail("trained on the full data set", "subset=10%", "no subset")),
                    e.failures());
            PromotionCandidate candidate = seen.get();
            assertEquals(v2, candidate.version());
            assertEquals(v2.runId(), candidate.run().info().id());
            assertEquals(Stage.PRODUCTION, candidate.target());
            assertEquals(1, candidate.incumbent().orElseThrow().version());
            assertEquals(v1.runId(), candidate.incumbentRun().orElseThrow().info().id());
            assertEquals(0.8, candidate.incumbentMetric("accuracy").orElseThrow());
            assertTrue(candidate.metric("accuracy").isEmpty());
            assertEquals(Stage.NONE, registry.getVersion("m", 2).stage());
        }

        @Test
        @DisplayName("Gates.check passes when its predicate holds, and fails with actual 'false', required 'true'")
        void predicateGate() {
            registerNew("m", 1);
            registerNew("m", 2);
            registry.setVersionTag("m", 2, "ok", "yes");
            Gate tagged = Gates.check("version is tagged ok", c -> c.version().tags().containsKey("ok"));
            PromotionRejectedException e = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 1, Stage.STAGING, tagged));
            assertEquals(List.of(GateResult.fail("version is tagged ok", "false", "true")), e.failures());
            List<GateResult> results = new ArrayList<>();
            registry.promote("m", 2, Stage.STAGING, recording(tagged, results));
            assertEquals(List.of(GateResult.pass("version is tagged ok")), results);
        }

        @Test
        @DisplayName("beatsCurrent (MAXIMIZE): no incumbent passes, better passes, a tie and worse fail")
        void beatsCurrentMaximize() {
            registerWith("m", Map.of("accuracy", 0.9), Map.of());
            registerWith("m", Map.of("accuracy", 0.95), Map.of());
            registerWith("m", Map.of("accuracy", 0.95), Map.of());
            registerWith("m", Map.of("accuracy", 0.8), Map.of());
            registerWith("m", Map.of("loss", 0.1), Map.of());
            Gate gate = Gates.beatsCurrent("accuracy");
            String name = "metrics.accuracy beats the current production version";
            List<GateResult> results = new ArrayList<>();
            registry.promote("m", 1, Stage.PRODUCTION, recording(gate, results));
            registry.promote("m", 2, Stage.PRODUCTION, recording(gate, results));
            assertEquals(List.of(
                    new GateResult(name, true, "no version in Production", ""),
                    new GateResult(name, true, "0.95", "> 0.9 (version 1)")), results);
            PromotionRejectedException tie = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 3, Stage.PRODUCTION, gate));
            assertEquals(List.of(GateResult.fail(name, "0.95", "> 0.95 (version 2)")), tie.failures());
            PromotionRejectedException worse = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 4, Stage.PRODUCTION, gate));
            assertEquals(List.of(GateResult.fail(name, "0.8", "> 0.95 (version 2)")), worse.failures());
            assertMessageContains(worse, "actual 0.8", "required > 0.95 (version 2)");
            PromotionRejectedException missing = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 5, Stage.PRODUCTION, gate));
            assertEquals(List.of(GateResult.fail(name, "no such metric", "> 0.95 (version 2)")), missing.failures());
            assertEquals(List.of(2), inStage("m", Stage.PRODUCTION));
        }

        @Test
        @DisplayName("beatsCurrent (MINIMIZE): lower is better, a tie fails; the incumbent is per target stage")
        void beatsCurrentMinimize() {
            registerWith("m", Map.of("loss", 0.3), Map.of());
            registerWith("m", Map.of("loss", 0.2), Map.of());
            registerWith("m", Map.of("loss", 0.2), Map.of());
            registerWith("m", Map.of("loss", 0.4), Map.of());
            Gate gate = Gates.beatsCurrent("loss", Objective.MINIMIZE);
            String name = "metrics.loss beats the current staging version";
            registry.promote("m", 1, Stage.STAGING, gate);
            List<GateResult> results = new ArrayList<>();
            registry.promote("m", 2, Stage.STAGING, recording(gate, results));
            assertEquals(List.of(new GateResult(name, true, "0.2", "< 0.3 (version 1)")), results);
            PromotionRejectedException tie = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 3, Stage.STAGING, gate));
            assertEquals(List.of(GateResult.fail(name, "0.2", "< 0.2 (version 2)")), tie.failures());
            assertThrows(PromotionRejectedException.class, () -> registry.promote("m", 4, Stage.STAGING, gate));
            // Production is empty: its gate has no incumbent, whatever Staging holds.
            assertEquals(Stage.PRODUCTION, registry.promote("m", 4, Stage.PRODUCTION, gate).stage());
        }

        @Test
        @DisplayName("requireTag passes on a version tag or, failing that, a run tag; fails naming what it found")
        void requireTag() {
            registerWith("m", Map.of("a", 1.0), Map.of());
            registerWith("m", Map.of("b", 2.0), Map.of("validated", "true"));
            registerWith("m", Map.of("c", 3.0), Map.of());
            registerWith("m", Map.of("d", 4.0), Map.of("validated", "false"));
            registry.setVersionTag("m", 1, "validated", "true");
            registry.setVersionTag("m", 3, "validated", "pending");
            Gate gate = Gates.requireTag("validated", "true");
            String name = "tags.validated = 'true'";
            List<GateResult> results = new ArrayList<>();
            registry.promote("m", 1, Stage.STAGING, recording(gate, results));
            registry.promote("m", 2, Stage.STAGING, recording(gate, results));
            assertEquals(List.of(new GateResult(name, true, "'true'", "'true'"),
                    new GateResult(name, true, "'true'", "'true'")), results, "on the version, then on the run");
            assertEquals(List.of(GateResult.fail(name, "'pending'", "'true'")),
                    assertThrows(PromotionRejectedException.class,
                            () -> registry.promote("m", 3, Stage.STAGING, gate)).failures());
            assertEquals(List.of(GateResult.fail(name, "'false'", "'true'")),
                    assertThrows(PromotionRejectedException.class,
                            () -> registry.promote("m", 4, Stage.STAGING, gate)).failures());
            registerNew("m", 5);
            PromotionRejectedException none = assertThrows(PromotionRejectedException.class,
                    () -> registry.promote("m", 5, Stage.STAGING, gate));
            assertEquals(List.of(GateResult.fail(name, "no such tag", "'true'")), none.failures());
            assertMessageContains(none, "no such tag", "'true'");
        }

        @Test
        @DisplayName("promote archives the previous holder, recording user and comment")
        void promoteArchivesPrevious() {
            registerWith("m", Map.of("accuracy", 0.9), Map.of());
            registerWith("m", Map.of("accuracy", 0.95), Map.of());
            registry.promote("m", 1, Stage.PRODUCTION);
            Instant at = tick();
            ModelVersion promoted = registry.promote("m", 2, Stage.PRODUCTION,
                    TransitionOptions.defaults().user("ci").comment("nightly"), Gates.beatsCurrent("accuracy"));
            assertEquals(Stage.PRODUCTION, promoted.stage());
            assertEquals(at, promoted.lastUpdateTime());
            assertEquals(Stage.ARCHIVED, registry.getVersion("m", 1).stage());
            List<ModelEvent> trail = registry.history("m");
            assertEquals(List.of(
                    event(2, Action.STAGE_CHANGED, null, "None", "Production", 1, "ci", "nightly"),
                    event(1, Action.STAGE_CHANGED, null, "Production", "Archived", 1, "ci",
                            "archived: version 2 took the stage (nightly)")),
                    describe(trail.subList(trail.size() - 2, trail.size())));
        }

        @Test
        @DisplayName("a gate that throws aborts the promotion with its exception and changes nothing")
        void throwingGate() {
            registerNew("m", 1);
            int trail = registry.history("m").size();
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> registry.promote("m", 1, Stage.PRODUCTION, Gates.metricAtLeast("a", 0), candidate -> {
                        throw new IllegalStateException("validation service unreachable");
                    }));
            assertEquals("validation service unreachable", thrown.getMessage());
            assertEquals(Stage.NONE, registry.getVersion("m", 1).stage());
            assertEquals(trail, registry.history("m").size());
        }

        @ParameterizedTest
        @EnumSource(value = Stage.class, names = {"NONE", "ARCHIVED"})
        @DisplayName("promote to None or Archived fails with InvalidInputException and changes nothing")
        void promoteOnlyUp(Stage target) {
            registerNew("m", 1);
            registry.transition("m", 1, Stage.STAGING);
            int trail = registry.history("m").size();
            assertThrowsWith(InvalidInputException.class, () -> registry.promote("m", 1, target), target.toString());
            assertEquals(Stage.STAGING, registry.getVersion("m", 1).stage());
            assertEquals(trail, registry.history("m").size());
        }

        @Test
        @DisplayName("promote of a missing version fails with NotFoundException; a null gate with InvalidInputException")
        void promoteErrors() {
            registerNew("m", 1);
            assertThrowsWith(NotFoundException.class, () -> registry.promote("m", 2, Stage.PRODUCTION), "version 2");
            assertThrowsWith(NotFoundException.class, () -> registry.promote("ghost", 1, Stage.PRODUCTION), "'ghost'");
            assertThrows(InvalidInputException.class,
                    () -> registry.promote("m", 1, Stage.PRODUCTION, Gates.metricAtLeast("a", 1), null));
            assertEquals(Stage.NONE, registry.getVersion("m", 1).stage());
        }
    }

    // =============================================================================================

    /**
     * Model integrity: a version records the SHA-256 of its model's descriptor, keeps it for life,
     * and keeps serving the model it was registered with; a model that is not whole is never
     * registered.
     */
    @Nested
    @DisplayName("Model integrity")
    class ModelIntegrity {

        private byte[] artifact(String runId, String path) {
            try (java.io.InputStream in = tracker.openArtifact(runId, path)) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** SHA-256 of the MLmodel.json of the model at {@code runs:/<runId>/<path>}, in hex. */
        private String descriptorSha256(String runsUri) {
            String runIdAndPath = runsUri.substring("runs:/".length());
            int slash = runIdAndPath.indexOf('/');
            byte[] descriptor = artifact(runIdAndPath.substring(0, slash), runIdAndPath.substring(slash + 1) + "/MLmodel.json");
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(descriptor));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Test
        @DisplayName("modelDigest is the SHA-256 of MLmodel.json, kept by every read, transition, alias and rename")
        void digestRecorded() {
            String uri = logModel(linear(1));
            ModelVersion v1 = registry.register("m", uri);
            String digest = descriptorSha256(uri);
            assertEquals(Optional.of(digest), v1.modelDigest());
            ModelVersion v2 = registerNew("m", 2);
            assertNotEquals(v1.modelDigest(), v2.modelDigest(), "another model, another digest");
            registry.transition("m", 1, Stage.PRODUCTION);
            registry.setAlias("m", "champion", 1);
            List<ModelVersion> reads = List.of(registry.getVersion("m", 1), registry.resolve("models:/m/Production"),
                    registry.getByAlias("m", "champion"), registry.latest("m", Stage.PRODUCTION).orElseThrow(),
                    registry.searchVersions("name = 'm' AND version = 1").get(0));
            reads.forEach(read -> assertEquals(Optional.of(digest), read.modelDigest(), read::toString));
            registry.renameModel("m", "renamed");
            assertEquals(Optional.of(digest), registry.getVersion("renamed", 1).modelDigest());
        }

        @Test
        @DisplayName("a registered model cannot be overwritten by its still running run: load and deploy keep serving it")
        void registeredModelStays() {
            ActiveRun run = tracker.startRun("integrity");
            String uri = run.logModel("model", linear(1), ModelFlavor.json()).uri();
            registry.register("m", uri);
            registry.transition("m", 1, Stage.PRODUCTION);
            assertThrowsWith(ConflictException.class, () -> run.logModel("model", linear(2)), "'model'");
            assertThrowsWith(ConflictException.class, () -> run.logText("{}", "model/MLmodel.json"), "'model/MLmodel.json'");
            run.close();
            assertEquals(linear(1), registry.load("models:/m/Production", TestModels.LinearModel.class));
            DeployedModel<TestModels.LinearModel> live = track(registry.deploy("m", Stage.PRODUCTION, TestModels.LinearModel.class));
            assertEquals(linear(1), live.get());
            assertEquals(Optional.of(descriptorSha256(uri)), registry.resolve("models:/m/1").modelDigest());
        }

        @Test
        @DisplayName("registering a model whose payload is missing or partial fails with IntegrityException naming the file; no version is made")
        void halfWrittenModelIsNotRegistered() {
            ActiveRun run = tracker.startRun("integrity");
            String whole = run.logModel("model", linear(1), ModelFlavor.json()).uri();
            String descriptor = new String(artifact(run.id(), "model/MLmodel.json"), java.nio.charset.StandardCharsets.UTF_8);
            run.logText(descriptor, "missing/MLmodel.json");
            run.logText("{\"weigh", "partial/data/model.json");
            run.logText(descriptor, "partial/MLmodel.json");
            for (String path : List.of("missing", "partial")) {
                assertThrowsWith(dev.runlog.tracking.IntegrityException.class,
                        () -> registry.register("m", "runs:/" + run.id() + "/" + path), "'m'", path + "/data/model.json");
            }
            assertThrows(NotFoundException.class, () -> registry.getModel("m"), "a refused registration creates nothing");
            assertEquals(1, registry.register("m", whole).version());
        }
    }

    // =============================================================================================

    /** Search: the run search grammar over models and versions, in a fixed order. */
    @Nested
    @DisplayName("Search")
    class Search {

        private String sharedRunId;

        /**
         * Models IRIS-legacy (team vision), iris (team vision), iris-v2 (no versions), wine (team
         * tabular). iris v1 None, v2 Production, v3 Staging tagged validated=true; wine v1 Production
         * (the same logged model as iris v2), v2 None tagged validated=false; IRIS-legacy v1 None.
         */
        @BeforeEach
        void fixture() {
            registerNew("iris", 1);
            String shared = logModel(linear(2));
            registry.register("iris", shared);
            registerNew("iris", 3);
            registry.transition("iris", 2, Stage.PRODUCTION);
            registry.transition("iris", 3, Stage.STAGING);
            registry.setVersionTag("iris", 3, "validated", "true");
            registry.register("wine", shared);
            registerNew("wine", 4);
            registry.transition("wine", 1, Stage.PRODUCTION);
            registry.setVersionTag("wine", 2, "validated", "false");
            registerNew("IRIS-legacy", 5);
            registry.createModel("iris-v2");
            registry.setModelTag("iris", "team", "vision");
            registry.setModelTag("IRIS-legacy", "team", "vision");
            registry.setModelTag("wine", "team", "tabular");
            sharedRunId = registry.getVersion("iris", 2).runId();
        }

        static Stream<Arguments> modelFilters() {
            return Stream.of(
                    Arguments.of(null, List.of("IRIS-legacy", "iris", "iris-v2", "wine")),
                    Arguments.of("", List.of("IRIS-legacy", "iris", "iris-v2", "wine")),
                    Arguments.of("name = 'wine'", List.of("wine")),
                    Arguments.of("name != 'iris'", List.of("IRIS-legacy", "iris-v2", "wine")),
                    Arguments.of("name LIKE 'iris%'", List.of("iris", "iris-v2")),
                    Arguments.of("name ILIKE 'iris%'", List.of("IRIS-legacy", "iris", "iris-v2")),
                    Arguments.of("name LIKE '%-%'", List.of("IRIS-legacy", "iris-v2")),
                    Arguments.of("tags.team = 'vision'", List.of("IRIS-legacy", "iris")),
                    Arguments.of("name LIKE 'iris%' AND tags.team = 'vision'", List.of("iris")),
                    Arguments.of("tags.team = 'tabular' OR name = 'iris-v2'", List.of("iris-v2", "wine")),
                    Arguments.of("tags.team IS NULL", List.of("iris-v2")),
                    Arguments.of("name IN ('wine', 'iris', 'ghost')", List.of("iris", "wine")),
                    Arguments.of("name = 'ghost'", List.of()));
        }

        @TestFactory
        @DisplayName("searchModels filters by name and tags and returns models by name")
        Stream<DynamicTest> searchModels() {
            return cases(modelFilters(), (String filter, List<String> expected) -> filter == null ? "null" : "\"" + filter + "\"",
                    (filter, expected) -> assertEquals(expected, names(registry.searchModels(filter))));
        }

        @Test
        @DisplayName("searchModels returns whole models: tags, aliases, description")
        void searchModelsReturnsWholeModels() {
            registry.setAlias("iris", "champion", 2);
            registry.updateDescription("iris", "d");
            assertEquals(List.of(registry.getModel("iris")), registry.searchModels("name = 'iris'"));
        }

        static Stream<Arguments> versionFilters() {
            return Stream.of(
                    Arguments.of(null, List.of("IRIS-legacy/1", "iris/3", "iris/2", "iris/1", "wine/2", "wine/1")),
                    Arguments.of("name = 'iris'", List.of("iris/3", "iris/2", "iris/1")),
                    Arguments.of("name = 'iris-v2'", List.of()),
                    Arguments.of("stage = 'Production'", List.of("iris/2", "wine/1")),
                    Arguments.of("current_stage = 'Staging'", List.of("iris/3")),
                    Arguments.of("stage = 'production'", List.of("iris/2", "wine/1")),
                    Arguments.of("stage IN ('STAGING', 'production')", List.of("iris/3", "iris/2", "wine/1")),
                    Arguments.of("name = 'iris' AND stage != 'PRODUCTION'", List.of("iris/3", "iris/1")),
                    Arguments.of("version >= 2", List.of("iris/3", "iris/2", "wine/2")),
                    Arguments.of("version = 1", List.of("IRIS-legacy/1", "iris/1", "wine/1")),
                    Arguments.of("tags.validated = 'true'", List.of("iris/3")),
                    Arguments.of("tags.validated IS NOT NULL", List.of("iris/3", "wine/2")),
                    Arguments.of("name = 'iris' AND version >= 2", List.of("iris/3", "iris/2")),
                    Arguments.of("name = 'iris' AND (stage = 'Production' OR tags.validated = 'true')",
                            List.of("iris/3", "iris/2")),
                    Arguments.of("stage = 'Production' OR tags.validated = 'true'", List.of("iris/3", "iris/2", "wine/1")),
                    Arguments.of("name = 'wine' OR name = 'IRIS-legacy'", List.of("IRIS-legacy/1", "wine/2", "wine/1")),
                    Arguments.of("name = 'wine' AND NOT stage = 'Production'", List.of("wine/2")),
                    Arguments.of("name LIKE 'iris%'", List.of("iris/3", "iris/2", "iris/1")),
                    Arguments.of("name ILIKE 'iris%' AND version < 2", List.of("IRIS-legacy/1", "iris/1")),
                    Arguments.of("name = 'iris' AND name = 'wine'", List.of()),
                    Arguments.of("user_id = '" + PROCESS_USER + "' AND version > 2", List.of("iris/3")));
        }

        @TestFactory
        @DisplayName("searchVersions filters by name, stage, version, tags and returns name order, newest version first")
        Stream<DynamicTest> searchVersions() {
            return cases(versionFilters(), (String filter, List<String> expected) -> filter == null ? "null" : "\"" + filter + "\"",
                    (filter, expected) -> assertEquals(expected, refs(registry.searchVersions(filter))));
        }

        @Test
        @DisplayName("searchVersions by run_id finds every version of that run, under any model; by source too")
        void byRunId() {
            assertEquals(List.of("iris/2", "wine/1"), refs(registry.searchVersions("run_id = '" + sharedRunId + "'")));
            assertEquals(List.of("wine/1"),
                    refs(registry.searchVersions("run_id = '" + sharedRunId + "' AND name = 'wine'")));
            String source = registry.getVersion("iris", 2).source();
            assertEquals(List.of("iris/2", "wine/1"), refs(registry.searchVersions("source = '" + source + "'")));
            assertEquals(List.of(), registry.searchVersions("run_id = '" + UNKNOWN_RUN_ID + "'"));
        }

        @Test
        @DisplayName("searchVersions returns whole versions, equal to getVersion, whether or not it names one model")
        void wholeVersions() {
            registry.setAlias("iris", "champion", 3);
            registry.setAlias("wine", "champion", 2);
            registry.updateDescription("wine", 2, "d");
            assertEquals(List.of(registry.getVersion("iris", 3), registry.getVersion("iris", 2),
                    registry.getVersion("iris", 1)), registry.searchVersions("name = 'iris'"));
            assertEquals(List.of(registry.getVersion("iris", 3), registry.getVersion("wine", 2)),
                    registry.searchVersions("version >= 2 AND tags.validated IS NOT NULL"));
        }

        @Test
        @DisplayName("search follows deletes and renames")
        void followsChanges() {
            registry.deleteVersion("iris", 2);
            registry.renameModel("wine", "vino");
            assertEquals(List.of("vino/1"), refs(registry.searchVersions("stage = 'Production'")));
            assertEquals(List.of("IRIS-legacy", "iris", "iris-v2", "vino"), names(registry.searchModels(null)));
            assertEquals(List.of(), registry.searchVersions("name = 'wine'"));
        }

        static Stream<Arguments> badFilters() {
            return Stream.of(
                    Arguments.of("models", "name 'iris'", 6),
                    Arguments.of("models", "name = ", 8),
                    Arguments.of("models", "stage = 'Production'", 1),
                    Arguments.of("versions", "stage = 'Production' AND", 25),
                    Arguments.of("versions", "version = 'two'", 11),
                    Arguments.of("versions", "metrics.accuracy > 0.9", 1),
                    Arguments.of("versions", "(name = 'iris'", 15));
        }

        @TestFactory
        @DisplayName("a filter that does not parse fails with InvalidFilterException naming the column")
        Stream<DynamicTest> syntaxError() {
            return badFilters().map(Arguments::get).map(a -> DynamicTest.dynamicTest(a[0] + ": " + a[1], () -> {
                String filter = (String) a[1];
                int column = (Integer) a[2];
                InvalidFilterException e = assertThrows(InvalidFilterException.class, () -> {
                    if (a[0].equals("models")) {
                        registry.searchModels(filter);
                    } else {
                        registry.searchVersions(filter);
                    }
                });
                assertEquals(filter, e.filter());
                assertEquals(column, e.column(), e::getMessage);
                assertMessageContains(e, "column " + column);
            }));
        }
    }

    // =============================================================================================

    /**
     * Hostile input: registry searches share the run search's limits, and text that is not valid
     * Unicode never reaches a store, where SQLite would turn it into '?' and merge distinct names.
     */
    @Nested
    @DisplayName("Hostile input (filter limits, unpaired surrogates)")
    class HostileInput {
        private static final String BAD = "x\uD800y";

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"deep parentheses", "deep NOTs", "too many conditions"})
        @DisplayName("searchModels and searchVersions reject filters past the limits, never with a StackOverflowError")
        void filterLimits(String shape) {
            registerNew("m", 1);
            String filter = switch (shape) {
                case "deep parentheses" -> "(".repeat(3_000) + "name = 'm'" + ")".repeat(3_000);
                case "deep NOTs" -> "NOT ".repeat(20_000) + "name = 'm'";
                default -> String.join(" OR ", Collections.nCopies(2_001, "name = 'm'"));
            };
            String limit = shape.equals("too many conditions") ? "2000" : "100";
            assertThrowsWith(InvalidFilterException.class, () -> registry.searchModels(filter), limit);
            assertThrowsWith(InvalidFilterException.class, () -> registry.searchVersions(filter), limit);
        }

        @Test
        @DisplayName("the deepest and longest allowed filters answer")
        void largestAllowedFilters() {
            registerNew("m", 1);
            registerNew("n", 2);
            String deep = "(".repeat(99) + "name = 'n'" + ")".repeat(99);
            assertEquals(List.of("n"), names(registry.searchModels(deep)));
            assertEquals(List.of("n/1"), refs(registry.searchVersions("NOT ".repeat(100) + "name = 'n'")));
            String longest = String.join(" OR ", Collections.nCopies(1_999, "name = 'x'")) + " OR name = 'm'";
            assertEquals(List.of("m"), names(registry.searchModels(longest)));
        }

        @Test
        @DisplayName("an unpaired UTF-16 surrogate is rejected in names, descriptions, tags, comments and filters, naming the field")
        void unpairedSurrogates() {
            ModelVersion v = registerNew("m", 1);
            String uri = logModel(linear(2));
            assertThrowsWith(InvalidInputException.class, () -> registry.createModel(BAD), "registered model name", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.register(BAD, uri), "registered model name", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.renameModel("m", BAD), "registered model name", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.updateDescription("m", BAD), "description", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.updateDescription("m", v.version(), BAD), "description",
                    "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.setModelTag("m", BAD, "v"), "tag key", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.setModelTag("m", "k", BAD), "value of tag 'k'", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.setVersionTag("m", v.version(), "k", BAD),
                    "value of tag 'k'", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.setAlias("m", BAD, v.version()), "alias");
            assertThrowsWith(InvalidInputException.class, () -> registry.transition("m", v.version(), Stage.STAGING,
                    TransitionOptions.defaults().comment(BAD)), "transition comment", "surrogate");
            assertThrowsWith(InvalidInputException.class, () -> registry.transition("m", v.version(), Stage.STAGING,
                    TransitionOptions.defaults().user(BAD)), "transition user", "surrogate");
            assertThrowsWith(InvalidFilterException.class, () -> registry.searchModels("name = '" + BAD + "'"), "surrogate");
            assertThrowsWith(InvalidFilterException.class, () -> registry.searchVersions("tags.k = '" + BAD + "'"), "surrogate");
            assertEquals(List.of("m"), names(registry.searchModels("")), "nothing was stored");
            assertEquals(Stage.NONE, registry.getVersion("m", v.version()).stage());
        }

        @Test
        @DisplayName("names that differ only in a surrogate pair (emoji) stay distinct and come back exactly")
        void surrogatePairs() {
            String smile = "model \uD83D\uDE00";
            String wink = "model \uD83D\uDE09";
            registerNew(smile, 1);
            registerNew(wink, 2);
            registry.updateDescription(smile, "\uD83D\uDE00 works");
            assertEquals(List.of(smile, wink), names(registry.searchModels("name LIKE 'model %'")).stream().sorted().toList());
            assertEquals("\uD83D\uDE00 works", registry.getModel(smile).description());
            assertEquals(List.of(wink + "/1"), refs(registry.searchVersions("name = '" + wink + "'")));
        }
    }

    // =============================================================================================

    /** Live deployment: a handle follows its stage or alias, swapping models in the background. */
    @Nested
    @DisplayName("Deployment")
    class Deployment {

        private final DeployOptions fast = DeployOptions.defaults().pollInterval(FAST_POLL);

        /** Registers a json model {@code {"id": id}} as the next version of "m". */
        private ModelVersion registerMap(int id) {
            return registry.register("m", logModel(Map.of("id", id)));
        }

        @Test
        @DisplayName("deploy by stage serves the stage's version; after a promotion the handle swaps within the deadline")
        void followsStage() {
            registerMap(1);
            registerMap(2);
            registry.transition("m", 1, Stage.PRODUCTION);
            DeployedModel<Map> handle = track(registry.deploy("models:/m/Production", Map.class, fast));
            RecordingListener listener = new RecordingListener();
            handle.addListener(listener);
            assertEquals(Map.of("id", 1), handle.get());
            assertEquals(registry.getVersion("m", 1), handle.version());
            assertEquals("models:/m/Production", handle.uri());

            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            await("the handle serves version 2", () -> handle.version().version() == 2);
            assertEquals(Map.of("id", 2), handle.get());
            await("the listener hears of the swap", () -> !listener.swaps.isEmpty());
            assertEquals(List.of("1->2"), listener.swaps);
            assertEquals(List.of(), listener.failures);
        }

        @Test
        @DisplayName("deploy(name, stage, type) and deploy(name, alias, type) name their URI and serve the version now there")
        void convenienceOverloads() {
            registerMap(1);
            registerMap(2);
            registry.transition("m", 2, Stage.PRODUCTION);
            registry.setAlias("m", "champion", 1);
            DeployedModel<Map> byStage = track(registry.deploy("m", Stage.PRODUCTION, Map.class));
            assertEquals("models:/m/Production", byStage.uri());
            assertEquals(2, byStage.version().version());
            assertEquals(Map.of("id", 2), byStage.get());
            DeployedModel<Map> byAlias = track(registry.deploy("m", "champion", Map.class));
            assertEquals("models:/m@champion", byAlias.uri());
            assertEquals(1, byAlias.version().version());
            assertEquals(Map.of("id", 1), byAlias.get());
        }

        @Test
        @DisplayName("deploy by alias follows the alias when it moves")
        void followsAlias() {
            registerMap(1);
            registerMap(2);
            registry.setAlias("m", "champion", 1);
            DeployedModel<Map> handle = track(registry.deploy("models:/m@champion", Map.class, fast));
            RecordingListener listener = new RecordingListener();
            handle.addListener(listener);
            assertEquals(Map.of("id", 1), handle.get());
            registry.setAlias("m", "champion", 2);
            await("the handle serves version 2", () -> handle.version().version() == 2);
            assertEquals(Map.of("id", 2), handle.get());
            await("the listener hears of the swap", () -> !listener.swaps.isEmpty());
            assertEquals(List.of("1->2"), listener.swaps);
        }

        @Test
        @DisplayName("refresh() swaps at once and returns true; false when nothing changed")
        void refresh() {
            registerMap(1);
            registerMap(2);
            registry.transition("m", 1, Stage.STAGING);
            // An hour between polls: only refresh() can make this handle swap during the test.
            DeployedModel<Map> handle = track(registry.deploy("models:/m/Staging", Map.class,
                    DeployOptions.defaults().pollInterval(Duration.ofHours(1))));
            RecordingListener listener = new RecordingListener();
            handle.addListener(listener);
            assertFalse(handle.refresh(), "nothing changed yet");
            registry.transition("m", 2, Stage.STAGING, TransitionOptions.archiveExisting());
            assertEquals(1, handle.version().version(), "no poll ran");
            assertTrue(handle.refresh());
            assertEquals(2, handle.version().version());
            assertEquals(Map.of("id", 2), handle.get());
            assertEquals(List.of("1->2"), listener.swaps, "listeners hear of swaps made by refresh()");
            assertFalse(handle.refresh());
            assertEquals(List.of("1->2"), listener.swaps);
        }

        @Test
        @DisplayName("a version that fails to load leaves the old one serving and is reported once over several polls")
        void loadFailureKeepsOldModel() {
            registerMap(1);
            registry.transition("m", 1, Stage.PRODUCTION);
            CountingJsonFlavor flavor = new CountingJsonFlavor();
            DeployedModel<Map> handle = track(registry.deploy("models:/m/Production", Map.class, fast.flavor(flavor)));
            RecordingListener listener = new RecordingListener();
            handle.addListener(listener);

            // A json array: a valid model, but not one that reads as a Map.
            registry.register("m", logModel(List.of(1, 2, 3)));
            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            await("the failed load is reported", () -> !listener.failures.isEmpty());
            int loadsAtFailure = flavor.loads.get();
            await("three more polls try version 2", () -> flavor.loads.get() >= loadsAtFailure + 3);
            assertFalse(handle.refresh(), "refresh() cannot load version 2 either");
            assertFalse(handle.refresh());
            assertEquals(1, listener.failures.size(), () -> "reported once, not at every poll: " + listener.failures);
            Map.Entry<ModelVersion, RuntimeException> failure = listener.failures.get(0);
            assertEquals(registry.getVersion("m", 2), failure.getKey());
            assertTrue(failure.getValue() instanceof RunlogException, () -> "a Runlog exception: " + failure.getValue());
            assertEquals(Map.of("id", 1), handle.get(), "the old model keeps serving");
            assertEquals(1, handle.version().version());
            assertEquals(List.of(), listener.swaps);

            registerMap(3);
            registry.transition("m", 3, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            await("the handle serves version 3", () -> handle.version().version() == 3);
            assertEquals(Map.of("id", 3), handle.get());
            await("the listener hears of the swap", () -> !listener.swaps.isEmpty());
            assertEquals(List.of("1->3"), listener.swaps);
            assertEquals(1, listener.failures.size());
        }

        @Test
        @DisplayName("a flavor that throws is reported once as the failure of that version; the old model keeps serving")
        void throwingFlavor() {
            registerMap(1);
            registry.setAlias("m", "champion", 1);
            AtomicBoolean broken = new AtomicBoolean();
            AtomicInteger attempts = new AtomicInteger();
            ModelFlavor flaky = new ModelFlavor() {
                @Override
                public String name() {
                    return "json";
                }

                @Override
                public Map<String, String> save(Object model, Path directory) throws java.io.IOException {
                    return ModelFlavor.json().save(model, directory);
                }

                @Override
                public <T> T load(Path directory, Class<T> type) throws java.io.IOException {
                    if (broken.get()) {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("the model server ran out of memory");
                    }
                    return ModelFlavor.json().load(directory, type);
                }
            };
            DeployedModel<Map> handle = track(registry.deploy("models:/m@champion", Map.class, fast.flavor(flaky)));
            RecordingListener listener = new RecordingListener();
            handle.addListener(listener);
            broken.set(true);
            registerMap(2);
            registry.setAlias("m", "champion", 2);
            await("three polls try version 2", () -> attempts.get() >= 3);
            assertEquals(1, listener.failures.size(), () -> "reported once: " + listener.failures);
            assertEquals(2, listener.failures.get(0).getKey().version());
            assertMessageContains(listener.failures.get(0).getValue(), "ran out of memory");
            assertEquals(Map.of("id", 1), handle.get());

            broken.set(false);
            await("the handle serves version 2 once it loads", () -> handle.version().version() == 2);
            assertEquals(Map.of("id", 2), handle.get());
        }

        @Test
        @DisplayName("a stage that empties is reported once, with no version; the old model keeps serving")
        void stageEmpties() {
            registerMap(1);
            registry.transition("m", 1, Stage.PRODUCTION);
            DeployedModel<Map> handle = track(registry.deploy("models:/m/Production", Map.class, fast));
            RecordingListener listener = new RecordingListener();
            handle.addListener(listener);
            registry.transition("m", 1, Stage.ARCHIVED);
            await("the empty stage is reported", () -> !listener.failures.isEmpty());
            // Explicit checks as well as background polls: each must not report it again.
            for (int i = 0; i < 3; i++) {
                assertFalse(handle.refresh());
            }
            assertEquals(1, listener.failures.size(), () -> "reported once: " + listener.failures);
            assertNull(listener.failures.get(0).getKey(), "no version could be resolved");
            assertTrue(listener.failures.get(0).getValue() instanceof NotFoundException,
                    () -> "NotFoundException: " + listener.failures.get(0).getValue());
            assertEquals(Map.of("id", 1), handle.get());
            assertEquals(1, handle.version().version());

            registerMap(2);
            registry.transition("m", 2, Stage.PRODUCTION);
            await("the handle serves version 2", () -> handle.version().version() == 2);
        }

        @Test
        @DisplayName("a model deleted and registered again under the handle is followed: its new version 1 is another model")
        void followsRecreatedModel() {
            registerMap(1);
            registry.transition("m", 1, Stage.PRODUCTION);
            DeployedModel<Map> handle = track(registry.deploy("models:/m/Production", Map.class, fast));
            registry.deleteModel("m");
            registerMap(2);
            registry.transition("m", 1, Stage.PRODUCTION);
            // Same name and number as before: only the source tells the versions apart.
            await("the handle serves the new version 1", () -> Map.of("id", 2).equals(handle.get()));
            assertEquals(registry.getVersion("m", 1), handle.version());
        }

        @Test
        @DisplayName("deploy of an empty stage, a missing alias or a missing model fails with NotFoundException")
        void deployNothing() {
            registerMap(1);
            assertThrowsWith(NotFoundException.class,
                    () -> registry.deploy("models:/m/Production", Map.class, fast), "'m'", "Production");
            assertThrowsWith(NotFoundException.class, () -> registry.deploy("m", Stage.STAGING, Map.class), "Staging");
            assertThrowsWith(NotFoundException.class,
                    () -> registry.deploy("models:/m@champion", Map.class, fast), "'champion'");
            assertThrowsWith(NotFoundException.class,
                    () -> registry.deploy("models:/ghost/1", Map.class, fast), "'ghost'");
        }

        @Test
        @DisplayName("deploy of a version that cannot be loaded as the type fails at once")
        void deployUnloadable() {
            registry.register("m", logModel(List.of(1, 2)));
            assertThrows(InvalidInputException.class, () -> registry.deploy("models:/m/1", Map.class, fast));
        }

        @Test
        @DisplayName("close() stops the swapping; the handle keeps serving the last model")
        void closeStops() throws InterruptedException {
            registerMap(1);
            registerMap(2);
            registry.transition("m", 1, Stage.PRODUCTION);
            CountingJsonFlavor flavor = new CountingJsonFlavor();
            DeployedModel<Map> handle = track(registry.deploy("models:/m/Production", Map.class, fast.flavor(flavor)));
            RecordingListener listener = new RecordingListener();
            handle.addListener(listener);
            handle.close();
            int loads = flavor.loads.get();
            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            // A negative can only be watched for a while: 12 poll intervals, well past when an
            // open handle swaps (see followsStage).
            Thread.sleep(FAST_POLL.toMillis() * 12);
            assertEquals(1, handle.version().version());
            assertEquals(Map.of("id", 1), handle.get());
            assertEquals(loads, flavor.loads.get(), "a closed handle loads nothing");
            assertEquals(List.of(), listener.swaps);
        }

        @Test
        @DisplayName("DeployOptions refuses a poll interval under 10 ms")
        void pollIntervalFloor() {
            assertThrowsWith(InvalidInputException.class,
                    () -> DeployOptions.defaults().pollInterval(Duration.ofMillis(9)), "10 ms");
            assertEquals(Duration.ofSeconds(1), DeployOptions.defaults().getPollInterval());
        }
    }

    // =============================================================================================

    /** Deploying with a flavor by stage or alias, as an interface, and the files-flavor copies a handle owns. */
    @Nested
    @DisplayName("Deployment flavors")
    class DeployFlavors {

        private final DeployOptions onRefresh = DeployOptions.defaults().pollInterval(Duration.ofHours(1));
        private Path loadedModels;
        private Path sources;

        /** Reopens the kit's tracker on a second store with a loaded-model directory of its own, to see what is left there. */
        @BeforeEach
        void trackerWithLoadedModelDirectory(@TempDir Path dir) throws IOException {
            loadedModels = Files.createDirectories(dir.resolve("loaded-models"));
            sources = Files.createDirectories(dir.resolve("sources"));
            tracker = Tracker.builder().uri(storeUri(Files.createDirectories(dir.resolve("store")))).clock(clock)
                    .shutdownHook(false).loadedModelDirectory(loadedModels).build();
            toClose.push(tracker);
            registry = ModelRegistry.of(tracker);
        }

        private String logWith(Object model, ModelFlavor flavor) {
            try (ActiveRun run = tracker.startRun(EXPERIMENT)) {
                return run.logModel("model", model, flavor).uri();
            }
        }

        private String logFile(byte[] content) throws IOException {
            return logWith(Files.write(Files.createTempFile(sources, "model", ".onnx"), content), ModelFlavor.files());
        }

        @Test
        @DisplayName("deploy(name, stage or alias, type, options) loads every version with the flavor of DeployOptions: java-serialized with an extra allowed package")
        void flavorByStageAndAlias() {
            TestModels.Perceptron first = new TestModels.Perceptron("first", new double[] {1, 1}, List.of("n", "p"),
                    new Calibration(2.0, -0.5));
            registry.register("m", logWith(first, ModelFlavor.javaSerialized()));
            registry.transition("m", 1, Stage.PRODUCTION);
            registry.setAlias("m", "champion", 1);
            ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                    () -> registry.deploy("m", Stage.PRODUCTION, TestModels.Perceptron.class));
            assertEquals(List.of(Calibration.class.getName()), refused.refusedClasses());

            DeployOptions allowing = onRefresh.flavor(ModelFlavor.javaSerialized(Calibration.class.getPackageName()));
            DeployedModel<TestModels.Perceptron> byStage = track(
                    registry.deploy("m", Stage.PRODUCTION, TestModels.Perceptron.class, allowing));
            DeployedModel<TestModels.Perceptron> byAlias = track(
                    registry.deploy("m", "champion", TestModels.Perceptron.class, allowing));
            assertEquals("models:/m/Production", byStage.uri());
            assertEquals("models:/m@champion", byAlias.uri());
            assertEquals(first, byStage.get());
            assertEquals(first, byAlias.get());

            TestModels.Perceptron second = new TestModels.Perceptron("second", new double[] {1, -1}, List.of("n", "p"),
                    new Calibration(3.0, 0.5));
            registry.register("m", logWith(second, ModelFlavor.javaSerialized()));
            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            registry.setAlias("m", "champion", 2);
            assertTrue(byStage.refresh());
            assertTrue(byAlias.refresh());
            assertEquals(second, byStage.get());
            assertEquals(second, byAlias.get());
        }

        @Test
        @DisplayName("load and deploy a json model as an interface its class implements; a class that does not implement it is refused naming both")
        void interfaceType() {
            registerNew("m", 1);
            registry.transition("m", 1, Stage.PRODUCTION);
            assertEquals(linear(1), registry.load("models:/m/Production", TestModels.Predictor.class));
            DeployedModel<TestModels.Predictor> handle = track(
                    registry.deploy("m", Stage.PRODUCTION, TestModels.Predictor.class, onRefresh));
            assertEquals(linear(1), handle.get());
            registerNew("m", 2);
            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            assertTrue(handle.refresh());
            assertEquals(linear(2).predict(new double[] {1, 1}), handle.get().predict(new double[] {1, 1}));

            registry.register("m", logModel(new TestModels.EvalReport("m", 0.5, List.of(), false)));
            assertThrowsWith(InvalidInputException.class, () -> registry.load("models:/m/3", TestModels.Predictor.class),
                    TestModels.EvalReport.class.getName(), TestModels.Predictor.class.getName());
        }

        @Test
        @DisplayName("a files-flavor handle deletes the copy it swapped away from and, on close, the one it served; closing the tracker leaves nothing")
        void filesCopies() throws IOException {
            byte[] first = {1, 2, 3};
            byte[] second = {4, 5, 6, 7};
            registry.register("m", logFile(first));
            registry.register("m", logFile(second));
            registry.transition("m", 1, Stage.PRODUCTION);
            DeployedModel<Path> handle = track(registry.deploy("m", Stage.PRODUCTION, Path.class, onRefresh));
            Path servedFirst = handle.get();
            assertArrayEquals(first, Files.readAllBytes(servedFirst));

            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            assertTrue(handle.refresh());
            Path servedSecond = handle.get();
            assertArrayEquals(second, Files.readAllBytes(servedSecond));
            assertFalse(Files.exists(servedFirst), () -> "the copy swapped away from is deleted: " + servedFirst);
            Path loadedDirectly = registry.load("models:/m/1", Path.class);
            assertEquals(Set.of(servedSecond.toRealPath(), loadedDirectly.toRealPath()), filesUnder(loadedModels),
                    "only the served copy and the registry's own load are left");

            handle.close();
            assertFalse(Files.exists(servedSecond), () -> "close deletes the served copy: " + servedSecond);
            assertArrayEquals(first, Files.readAllBytes(loadedDirectly), "a copy loaded through load() is the tracker's");
            tracker.close();
            assertEquals(Set.of(), filesUnder(loadedModels));
            try (Stream<Path> left = Files.list(loadedModels)) {
                assertEquals(List.of(), left.toList(), "no directory is left behind");
            }
        }

        private Set<Path> filesUnder(Path root) throws IOException {
            try (Stream<Path> paths = Files.walk(root)) {
                Set<Path> files = new java.util.HashSet<>();
                for (Path p : paths.filter(Files::isRegularFile).toList()) {
                    files.add(p.toRealPath());
                }
                return files;
            }
        }
    }

    // =============================================================================================

    /** Concurrency: numbering, stage exclusivity and promotion under threads of one process. */
    @Nested
    @DisplayName("Concurrency")
    class Concurrency {

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        @DisplayName("8 threads × 25 registrations of one model get exactly versions 1..200, each once")
        void concurrentRegistrations() throws InterruptedException {
            final int threadCount = 8;
            final int perThread = 25;
            // Two sources alternate, so the store cannot get away with numbering per source.
            String[] sources = {logModel(linear(1)), logModel(linear(2))};
            CountDownLatch go = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Integer> numbers = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                final int thread = t;
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            numbers.add(registry.register("m", sources[(thread + i) % 2]).version());
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-register-" + t));
            }
            startAndJoin(threads, go, failures);

            List<Integer> sorted = new ArrayList<>(numbers);
            Collections.sort(sorted);
            assertEquals(IntStream.rangeClosed(1, threadCount * perThread).boxed().toList(), sorted,
                    "every number from 1 to 200 exactly once");
            List<ModelVersion> stored = registry.searchVersions("name = 'm'");
            assertEquals(threadCount * perThread, stored.size());
            assertEquals(threadCount * perThread, new java.util.HashSet<>(refs(stored)).size());
            List<ModelEvent> trail = registry.history("m");
            assertEquals(1, trail.stream().filter(e -> e.action() == Action.MODEL_CREATED).count(),
                    "the model was created once, by whichever thread came first");
            assertEquals(threadCount * perThread,
                    trail.stream().filter(e -> e.action() == Action.VERSION_REGISTERED).map(ModelEvent::version).distinct().count());
            assertEquals(threadCount * perThread + 1, registerNew("m", 0).version());
        }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        @DisplayName("8 threads creating one model at once: exactly one succeeds, the others get ConflictException")
        void concurrentCreates() throws InterruptedException {
            final int threadCount = 8;
            CountDownLatch go = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicInteger created = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        registry.createModel("m");
                        created.incrementAndGet();
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-create-" + t));
            }
            startAndJoin(threads, go, failures);
            assertEquals(1, created.get());
            assertEquals(threadCount - 1, conflicts.get());
            assertEquals(List.of(Action.MODEL_CREATED), actions(registry.history("m")));
        }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        @DisplayName("8 threads moving versions to Production with archiveExisting never leave two there")
        void concurrentTransitions() throws InterruptedException {
            final int threadCount = 8;
            final int rounds = 10;
            for (int i = 1; i <= threadCount; i++) {
                registerNew("m", i);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                final int version = t + 1;
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        for (int round = 0; round < rounds; round++) {
                            registry.transition("m", version, Stage.PRODUCTION,
                                    TransitionOptions.archiveExisting().user("t" + version));
                            // After any transition to Production, exactly one version holds it.
                            List<ModelVersion> holders = registry.searchVersions("name = 'm' AND stage = 'Production'");
                            if (holders.size() != 1) {
                                violations.add("after a transition of v" + version + ": " + refs(holders));
                            }
                            if (registry.latest("m", Stage.PRODUCTION).isEmpty()) {
                                violations.add("latest(Production) empty after a transition of v" + version);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-transition-" + t));
            }
            // A reader checks all the time, across models, while the writers run.
            Thread reader = daemon(() -> {
                try {
                    go.await();
                    while (writing.get()) {
                        List<ModelVersion> holders = registry.searchVersions("stage = 'Production'");
                        if (holders.size() > 1) {
                            violations.add("reader saw " + refs(holders));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "kit-transition-reader");
            reader.start();
            try {
                startAndJoin(threads, go, failures);
            } finally {
                writing.set(false);
                reader.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertEquals(List.of(), violations);
            rethrowAll(failures);

            List<Integer> holders = inStage("m", Stage.PRODUCTION);
            assertEquals(1, holders.size(), () -> "exactly one version in Production at the end: " + holders);
            int holder = holders.get(0);
            assertEquals(holder, registry.latest("m", Stage.PRODUCTION).orElseThrow().version());
            for (int v = 1; v <= threadCount; v++) {
                assertEquals(v == holder ? Stage.PRODUCTION : Stage.ARCHIVED, registry.getVersion("m", v).stage(), "v" + v);
            }
            List<ModelEvent> trail = registry.history("m");
            assertEquals(threadCount * rounds, trail.stream()
                    .filter(e -> e.action() == Action.STAGE_CHANGED && "Production".equals(e.to())).count());
            Map<Integer, Stage> replayed = replayStages(trail);
            for (int v = 1; v <= threadCount; v++) {
                assertEquals(registry.getVersion("m", v).stage(), replayed.get(v), "the trail replays to v" + v + "'s stage");
            }
        }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        @DisplayName("concurrent promotions gated by beatsCurrent end with the best promoted version in Production")
        void concurrentPromotions() throws InterruptedException {
            final int threadCount = 6;
            final int perThread = 4;
            final int count = threadCount * perThread;
            // Distinct accuracies in a shuffled order, so threads promote better and worse versions in turn.
            List<Double> accuracies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                accuracies.add(0.5 + i * 0.01);
            }
            Collections.shuffle(accuracies, new Random(42));
            Map<Integer, Double> accuracyOf = new HashMap<>();
            for (int i = 0; i < count; i++) {
                ModelVersion v = registerWith("m", Map.of("accuracy", accuracies.get(i)), Map.of());
                accuracyOf.put(v.version(), accuracies.get(i));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Integer> promoted = new CopyOnWriteArrayList<>();
            List<Integer> rejected = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                final int thread = t;
                threads.add(daemon(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            int version = 1 + thread + i * threadCount;
                            try {
                                registry.promote("m", version, Stage.PRODUCTION, Gates.beatsCurrent("accuracy"));
                                promoted.add(version);
                            } catch (PromotionRejectedException e) {
                                // Rejected only because a better version held the stage.
                                assertEquals(1, e.failures().size(), e::getMessage);
                                assertTrue(e.failures().get(0).gate().startsWith("metrics.accuracy beats"), e::getMessage);
                                rejected.add(version);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "kit-promote-" + t));
            }
            startAndJoin(threads, go, failures);

            assertEquals(count, promoted.size() + rejected.size());
            assertFalse(promoted.isEmpty());
            int best = promoted.stream().max(Comparator.comparing(accuracyOf::get)).orElseThrow();
            int globalBest = accuracyOf.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            assertEquals(List.of(best), inStage("m", Stage.PRODUCTION),
                    () -> "the best of the promoted versions " + promoted + " holds Production");
            assertEquals(globalBest, best, "the best version overall cannot have been rejected by beatsCurrent");
            for (int v : promoted) {
                if (v != best) {
                    assertEquals(Stage.ARCHIVED, registry.getVersion("m", v).stage(), "v" + v);
                }
            }
            for (int v : rejected) {
                assertEquals(Stage.NONE, registry.getVersion("m", v).stage(), "a rejected version did not move: v" + v);
            }
            // Each promotion beat the holder it replaced: along the trail, Production's accuracy only rises.
            List<ModelEvent> trail = registry.history("m");
            double last = Double.NEGATIVE_INFINITY;
            for (ModelEvent e : trail) {
                if (e.action() == Action.STAGE_CHANGED && "Production".equals(e.to())) {
                    double accuracy = accuracyOf.get(e.version());
                    assertTrue(accuracy > last, "v" + e.version() + " (" + accuracy + ") took Production from a holder with "
                            + last + ": " + describe(trail));
                    last = accuracy;
                }
            }
            Map<Integer, Stage> replayed = replayStages(trail);
            assertEquals(Stage.PRODUCTION, replayed.get(best));
        }

        private void rethrowAll(List<Throwable> failures) {
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " thread(s) failed", failures.get(0));
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
        }
    }

    // =============================================================================================

    /** Discovery: the registry is found through the tracker, and every instance sees the same data. */
    @Nested
    @DisplayName("Discovery")
    class Discovery {

        @Test
        @DisplayName("two ModelRegistry.of on one tracker see each other's changes")
        void sameStore() {
            ModelRegistry other = ModelRegistry.of(tracker);
            registerNew("iris", 1);
            assertEquals(1, other.getVersion("iris", 1).version());
            other.setAlias("iris", "champion", 1);
            assertEquals(1, registry.getByAlias("iris", "champion").version());
            assertEquals(registry.history("iris"), other.history("iris"));
        }

        @Test
        @DisplayName("a fresh store's registry is empty")
        void freshIsEmpty() {
            assertEquals(List.of(), registry.searchModels(null));
            assertEquals(List.of(), registry.searchVersions(null));
        }
    }
}
