package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.DeploymentListener;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Acceptance: the model registry of one SQLite file shared by several JVMs. Processes registering
 * versions of one model at once get distinct consecutive numbers; processes promoting versions at
 * once never leave two versions in Production, not even for an instant another process could see;
 * and a deployment handle in one JVM swaps to the version another JVM promotes.
 */
class RegistryMultiProcessTest {
    private static final String MODEL = "shared-model";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** The acceptance bound for a live deployment to follow a promotion made by another process. */
    private static final Duration SWAP_DEADLINE = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    /** Words that must not appear in anything a child prints: lock trouble and stack traces. */
    private static final List<String> TROUBLE = List.of("locked", "busy", "exception", "error", "warning", "severe",
            "sqlite_");

    @TempDir
    Path dir;

    private final List<Kid> kids = new ArrayList<>();

    /** A child JVM with its collected stdout and stderr. */
    private record Kid(String name, Process process, ChildJvm.Lines out, ChildJvm.Lines err) {
        String output() {
            return name + " stdout:\n" + out.text() + "\n" + name + " stderr:\n" + err.text();
        }
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Kid kid : kids) {
            if (kid.process().isAlive()) {
                kid.process().destroyForcibly();
                kid.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---- 1. version numbers ---------------------------------------------------------------------

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fourProcessesRegisteringAtOnceGetTheNumbersOneToHundredEachOnce() throws Exception {
        int children = 4;
        int each = 25;
        int total = children * each;
        Path db = dir.resolve("registry.db");
        Path go = dir.resolve("go");
        // The parent creates and migrates the file, so the children race on the registry itself.
        openTracker(db).close();

        for (int c = 0; c < children; c++) {
            spawn("child " + c, "register", db.toString(), MODEL, Integer.toString(c), Integer.toString(each),
                    go.toString());
        }
        // Every child has logged its model and is polling for the go file: they register together.
        for (int c = 0; c < children; c++) {
            awaitLine(kids.get(c), ("READY " + c)::equals, "READY " + c);
        }
        Files.createFile(go);

        Map<Integer, String> sourceOf = new HashMap<>(); // child -> the model it registered
        Map<Integer, Integer> childOf = new TreeMap<>(); // version number -> the child that got it
        for (int c = 0; c < children; c++) {
            Kid kid = kids.get(c);
            List<Integer> numbers = new ArrayList<>();
            for (String line : finish(kid)) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "SOURCE" -> {
                        assertEquals(Integer.toString(c), parts[1], kid.output());
                        sourceOf.put(c, parts[2]);
                    }
                    case "VERSION" -> {
                        assertEquals(Integer.toString(c), parts[1], kid.output());
                        int number = Integer.parseInt(parts[2]);
                        numbers.add(number);
                        Integer previous = childOf.put(number, c);
                        assertEquals(null, previous, "version " + number + " was given to child " + previous
                                + " and to child " + c + "\n" + kid.output());
                    }
                    case "READY", "DONE" -> { }
                    default -> throw new AssertionError("unexpected line '" + line + "'\n" + kid.output());
                }
            }
            assertEquals(each, numbers.size(), kid.output());
            // One process's registrations are serialized by its own calls, so its numbers increase.
            assertEquals(numbers.stream().sorted().toList(), numbers, "child " + c + " got decreasing numbers");
        }
        assertEquals(children, new HashSet<>(sourceOf.values()).size(), "each child logged its own model: " + sourceOf);
        assertEquals(range(1, total), new ArrayList<>(childOf.keySet()), "the union of the children's numbers");
        // One child after the other would switch owners 3 times; more shows they registered at once.
        int switches = switches(new ArrayList<>(childOf.values()));
        assertTrue(switches > children - 1, "the children did not register concurrently: " + childOf);

        try (Tracker tracker = openTracker(db)) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            List<ModelVersion> versions = registry.searchVersions("name = '" + MODEL + "'");
            assertEquals(range(1, total), versions.stream().map(ModelVersion::version).sorted().toList(),
                    "the model's versions in the file");
            for (ModelVersion v : versions) {
                assertEquals(sourceOf.get(childOf.get(v.version())), v.source(),
                        "version " + v.version() + " holds the model of the child that was told it got it");
                assertEquals(Stage.NONE, v.stage(), "version " + v.version());
            }

            List<ModelEvent> history = registry.history(MODEL);
            List<ModelEvent> registered = history.stream()
                    .filter(e -> e.action() == ModelEvent.Action.VERSION_REGISTERED).toList();
            assertEquals(total, registered.size(), "VERSION_REGISTERED events: " + history);
            assertEquals(range(1, total), registered.stream().map(ModelEvent::version).toList(),
                    "registrations in the trail, in the order their numbers were given");
            for (ModelEvent e : registered) {
                assertEquals(sourceOf.get(childOf.get(e.version())), e.to(), "the trail's source of " + e);
            }
            // The children raced to create the model on their first registration: it was created once.
            assertEquals(1, history.stream().filter(e -> e.action() == ModelEvent.Action.MODEL_CREATED).count(),
                    "MODEL_CREATED events: " + history);
            assertEquals(total + 1, history.size(), "nothing else in the trail: " + history);

            // The counter the children advanced is where it should be: the next number is 101.
            assertEquals(total + 1, registry.register(MODEL, sourceOf.get(0)).version());
        }
    }

    // ---- 2. promotions --------------------------------------------------------------------------

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void concurrentPromotionsFromFourProcessesNeverLeaveTwoVersionsInProduction() throws Exception {
        int children = 4;
        int steps = 25;
        int versions = 20;
        long seed = System.nanoTime();
        String seedNote = " (seed " + seed + ")";
        Path db = dir.resolve("registry.db");
        Path go = dir.resolve("go");

        try (Tracker tracker = openTracker(db)) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            String source = logModel(tracker, Map.of("version", 0)).uri();
            for (int v = 1; v <= versions; v++) {
                assertEquals(v, registry.register(MODEL, source).version());
            }

            for (int c = 0; c < children; c++) {
                spawn("child " + c, "promote", db.toString(), MODEL, Integer.toString(c), Integer.toString(steps),
                        Integer.toString(versions), Long.toString(seed + c), go.toString());
            }
            for (int c = 0; c < children; c++) {
                awaitLine(kids.get(c), ("READY " + c)::equals, "READY " + c);
            }

            // Watches the stage from this JVM for the whole time the children work, through the
            // registry and through a raw read-only connection that knows nothing of the registry code.
            ProductionWatcher watcher = new ProductionWatcher(registry, db);
            watcher.start();
            List<List<String>> outputs = new ArrayList<>();
            try {
                Files.createFile(go);
                for (Kid kid : kids) {
                    outputs.add(finish(kid));
                }
            } finally {
                watcher.stop();
            }
            watcher.check(seedNote);

            // What the children did, and what they saw after each of their steps.
            Map<String, Integer> reported = new HashMap<>(); // step comment -> version moved
            for (int c = 0; c < children; c++) {
                Kid kid = kids.get(c);
                int next = 0;
                for (String line : outputs.get(c)) {
                    String[] parts = line.split(" ");
                    switch (parts[0]) {
                        case "VIOLATION" -> throw new AssertionError(kid.name() + " saw: " + line + seedNote + "\n"
                                + kid.output());
                        case "STEP" -> {
                            assertEquals(List.of(Integer.toString(c), Integer.toString(next),
                                    next % 2 == 0 ? "transition" : "promote"), List.of(parts[1], parts[2], parts[3]),
                                    kid.output());
                            reported.put(RegistryChild.stepComment(c, next), Integer.parseInt(parts[4]));
                            next++;
                        }
                        case "READY", "DONE" -> { }
                        default -> throw new AssertionError("unexpected line '" + line + "'\n" + kid.output());
                    }
                }
                assertEquals(steps, next, "steps reported by " + kid.output());
            }

            // Exactly one version holds the stage at the end, by the registry and by the table.
            List<ModelVersion> all = registry.searchVersions("name = '" + MODEL + "'");
            List<Integer> inProduction = all.stream().filter(v -> v.stage() == Stage.PRODUCTION)
                    .map(ModelVersion::version).toList();
            assertEquals(1, inProduction.size(), "versions in Production at the end: " + inProduction + seedNote);
            assertEquals(inProduction.get(0), registry.latest(MODEL, Stage.PRODUCTION).orElseThrow().version());
            try (Connection c = readOnly(db); Statement s = c.createStatement()) {
                assertEquals(1, productionCount(s));
            }

            checkTrail(registry.history(MODEL), reported, all, versions, seedNote);
        }
    }

    /**
     * Every transition a child reported is in the trail, with its own comment; nothing else moved a
     * version to Production; and replaying the trail from the start gives, after every transaction,
     * at most one version in Production and at the end exactly the stages the table holds.
     */
    private static void checkTrail(List<ModelEvent> history, Map<String, Integer> reported, List<ModelVersion> all,
                                   int versions, String seedNote) {
        Map<String, ModelEvent> byComment = new HashMap<>();
        Map<Integer, Stage> replayed = new TreeMap<>();
        ModelEvent promotion = null; // the event of the current transaction's move to Production
        for (ModelEvent e : history) {
            switch (e.action()) {
                case MODEL_CREATED -> { }
                case VERSION_REGISTERED -> assertEquals(null, replayed.put(e.version(), Stage.NONE), e.toString());
                case STAGE_CHANGED -> {
                    Stage before = replayed.get(e.version());
                    assertEquals(String.valueOf(before), e.from(), "the trail's 'from' of " + e + seedNote);
                    Stage after = Stage.parse(e.to());
                    if (after == Stage.PRODUCTION) {
                        // A new transaction begins; the previous one has finished archiving.
                        long holders = replayed.values().stream().filter(s -> s == Stage.PRODUCTION).count();
                        assertTrue(holders <= 1, "replaying the trail up to " + e + " gives " + holders
                                + " versions in Production: " + replayed + seedNote);
                        assertEquals(null, byComment.put(e.comment(), e), "two transitions commented '"
                                + e.comment() + "'" + seedNote);
                        promotion = e;
                    } else {
                        // Only archiving moves a version out of Production here, in the transaction
                        // of the version that took the stage, right after its own event.
                        assertEquals(Stage.ARCHIVED, after, e.toString());
                        assertEquals(Stage.PRODUCTION, before, e.toString());
                        assertTrue(promotion != null, "archived before any promotion: " + e);
                        assertEquals("archived: version " + promotion.version() + " took the stage ("
                                + promotion.comment() + ")", e.comment(), "archived outside the transaction of "
                                + promotion + seedNote);
                    }
                    replayed.put(e.version(), after);
                }
                default -> throw new AssertionError("unexpected event " + e + seedNote);
            }
        }
        assertEquals(reported.keySet(), byComment.keySet(), "transitions to Production in the trail vs reported"
                + seedNote);
        // Which child made each transition, in commit order: one child after the other would switch
        // owners (children - 1) times; more shows the children's transactions interleaved.
        List<String> order = byComment.values().stream().sorted(Comparator.comparingLong(ModelEvent::sequence))
                .map(e -> e.comment().split(" ")[1]).toList();
        int switches = switches(order);
        assertTrue(switches > new HashSet<>(order).size() - 1,
                "the children's transitions did not interleave: " + order + seedNote);
        for (Map.Entry<String, Integer> step : reported.entrySet()) {
            assertEquals(step.getValue(), byComment.get(step.getKey()).version(), "version moved by " + step.getKey());
        }
        assertEquals(versions, replayed.size());
        Map<Integer, Stage> actual = all.stream().collect(Collectors.toMap(ModelVersion::version, ModelVersion::stage,
                (a, b) -> a, TreeMap::new));
        assertEquals(actual, replayed, "the stages the trail replays to vs the table" + seedNote);
    }

    /** Polls the number of versions in Production from this JVM while the children work. */
    private final class ProductionWatcher {
        private final ModelRegistry registry;
        private final Path db;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile Throwable failure;
        private volatile String violation;
        private volatile int polls;
        private final Set<Integer> holders = ConcurrentHashMap.newKeySet();

        ProductionWatcher(ModelRegistry registry, Path db) {
            this.registry = registry;
            this.db = db;
            this.thread = new Thread(this::watch, "production-watcher");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void watch() {
            try (Connection c = readOnly(db); Statement s = c.createStatement()) {
                while (running.get()) {
                    List<Integer> byApi = registry.searchVersions("name = '" + MODEL + "' AND stage = 'Production'")
                            .stream().map(ModelVersion::version).toList();
                    long byTable = productionCount(s);
                    if (byApi.size() > 1 && violation == null) {
                        violation = "the registry showed versions " + byApi + " in Production at once";
                    }
                    if (byTable > 1 && violation == null) {
                        violation = "model_versions had " + byTable + " rows in stage PRODUCTION at once";
                    }
                    if (byApi.size() == 1) {
                        holders.add(byApi.get(0));
                    }
                    polls++;
                    // A short pause: the children need the two cores more than this loop does.
                    Thread.sleep(2);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(STEP_TIMEOUT.toMillis());
            assertFalse(thread.isAlive(), "the watcher did not stop");
        }

        void check(String note) {
            if (failure != null) {
                throw new AssertionError("watching the stage failed" + note, failure);
            }
            assertEquals(null, violation, note);
            // The watcher saw the stage change hands, so it watched while the children worked, not
            // only before they began or after they were done.
            assertTrue(holders.size() >= 2, "in " + polls + " polls the watcher saw only " + holders
                    + " in Production" + note);
        }
    }

    // ---- 3. live deployment across JVMs ---------------------------------------------------------

    /** Records what a handle's listener hears. */
    private static final class Recorder implements DeploymentListener {
        final List<String> swaps = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void swapped(ModelVersion previous, ModelVersion current) {
            swaps.add(previous.version() + " -> " + current.version());
        }

        @Override
        public void failed(ModelVersion attempted, RuntimeException error) {
            failures.add((attempted == null ? "resolve" : "version " + attempted.version()) + ": " + error);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDeployedHandleSwapsToTheVersionAnotherJvmPromotes() throws Exception {
        Path db = dir.resolve("registry.db");
        try (Tracker tracker = openTracker(db)) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            deployVersionOne(tracker, registry);
            try (DeployedModel<Map> handle = registry.deploy("models:/" + MODEL + "/Production", Map.class,
                    DeployOptions.defaults().pollInterval(POLL_INTERVAL))) {
                Recorder recorder = new Recorder();
                handle.addListener(recorder);
                assertEquals(Map.of("version", 1), handle.get());
                assertEquals(1, handle.version().version());

                Kid kid = spawn("child", "deploy", db.toString(), MODEL, "yes");
                assertEquals(List.of("REGISTERED 2", "PROMOTED 2", "DONE"), finish(kid), kid.output());

                // The handle swaps before it tells its listeners (on the polling thread): wait for both.
                awaitTrue(() -> handle.version().version() == 2 && !recorder.swaps.isEmpty(), SWAP_DEADLINE,
                        () -> "the handle still serves version " + handle.version().version() + " "
                                + SWAP_DEADLINE + " after the child promoted version 2; heard " + recorder.swaps
                                + " " + recorder.failures);
                assertEquals(RegistryChild.childModel(), handle.get(), "the child's model is served");
                assertEquals(2, handle.version().version());
                assertEquals(Stage.PRODUCTION, handle.version().stage());
                assertEquals(List.of("1 -> 2"), recorder.swaps);
                assertEquals(List.of(), recorder.failures);
                assertEquals(Stage.ARCHIVED, registry.getVersion(MODEL, 1).stage(), "archived by the child");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDeployedHandleKeepsServingVersionOneWhileAnotherJvmOnlyRegisters() throws Exception {
        Path db = dir.resolve("registry.db");
        try (Tracker tracker = openTracker(db)) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            deployVersionOne(tracker, registry);
            try (DeployedModel<Map> handle = registry.deploy("models:/" + MODEL + "/Production", Map.class,
                    DeployOptions.defaults().pollInterval(POLL_INTERVAL))) {
                Recorder recorder = new Recorder();
                handle.addListener(recorder);

                Kid kid = spawn("child", "deploy", db.toString(), MODEL, "wait");
                awaitLine(kid, "REGISTERED 2"::equals, "REGISTERED 2");
                // This JVM sees the child's version: the handle has something newer it must not take.
                assertEquals(2, registry.resolve("models:/" + MODEL + "/latest").version());
                assertEquals(Stage.NONE, registry.getVersion(MODEL, 2).stage());

                assertFalse(handle.refresh(), "an explicit check finds Production unchanged");
                // Five poll intervals: the background poller checks several times meanwhile.
                long until = System.nanoTime() + POLL_INTERVAL.multipliedBy(5).toNanos();
                while (System.nanoTime() < until) {
                    assertEquals(1, handle.version().version(), "swapped although nothing was promoted");
                    Thread.sleep(10);
                }
                assertEquals(Map.of("version", 1), handle.get());
                assertEquals(List.of(), recorder.swaps);
                assertEquals(List.of(), recorder.failures);

                // The same handle then follows the child's promotion: it was live all along.
                tell(kid, "PROMOTE");
                assertEquals(List.of("REGISTERED 2", "PROMOTED 2", "DONE"), finish(kid), kid.output());
                // The handle swaps before it tells its listeners (on the polling thread): wait for both.
                awaitTrue(() -> handle.version().version() == 2 && !recorder.swaps.isEmpty(), SWAP_DEADLINE,
                        () -> "no swap within " + SWAP_DEADLINE + " of the promotion; heard " + recorder.swaps
                                + " " + recorder.failures);
                assertEquals(RegistryChild.childModel(), handle.get());
                assertEquals(List.of("1 -> 2"), recorder.swaps);
                assertEquals(List.of(), recorder.failures);
            }
        }
    }

    /** Logs {version: 1}, registers it as version 1 and moves it to Production. */
    private static void deployVersionOne(Tracker tracker, ModelRegistry registry) {
        LoggedModel model = logModel(tracker, Map.of("version", 1));
        assertEquals(1, registry.register(MODEL, model.uri()).version());
        assertEquals(Stage.PRODUCTION, registry.transition(MODEL, 1, Stage.PRODUCTION).stage());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Tracker openTracker(Path db) {
        return Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
    }

    private static LoggedModel logModel(Tracker tracker, Object model) {
        try (ActiveRun run = tracker.startRun(RegistryChild.EXPERIMENT)) {
            return run.logModel("model", model, ModelFlavor.json());
        }
    }

    /** A connection that can only read, as a monitoring tool outside Runlog would open one. */
    private static Connection readOnly(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5_000);
        return DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
    }

    private static long productionCount(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM model_versions WHERE stage = 'PRODUCTION'")) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    /** How many times consecutive elements differ. */
    private static int switches(List<?> owners) {
        int switches = 0;
        for (int i = 1; i < owners.size(); i++) {
            if (!owners.get(i).equals(owners.get(i - 1))) {
                switches++;
            }
        }
        return switches;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    private Kid spawn(String name, String... args) throws IOException {
        Process process = ChildJvm.start(RegistryChild.class, args);
        Kid kid = new Kid(name, process, new ChildJvm.Lines(name + " stdout", process.getInputStream()),
                new ChildJvm.Lines(name + " stderr", process.getErrorStream()));
        kids.add(kid);
        return kid;
    }

    /** Waits for a child to print a line; if it dies or hangs instead, fails with its stderr. */
    private static void awaitLine(Kid kid, Predicate<String> wanted, String description)
            throws InterruptedException {
        try {
            kid.out().await(wanted, description, STEP_TIMEOUT);
        } catch (AssertionError e) {
            kid.process().waitFor(5, TimeUnit.SECONDS);
            String exit = kid.process().isAlive() ? "still running" : "exit code " + kid.process().exitValue();
            throw new AssertionError(e.getMessage() + "\n" + kid.name() + " (" + exit + ") stderr:\n"
                    + kid.err().text(), e);
        }
    }

    /**
     * Waits for a child to exit and checks it succeeded: exit code 0, DONE last, and no sign of
     * lock trouble or a stack trace in either stream. Returns its stdout.
     */
    private static List<String> finish(Kid kid) throws InterruptedException {
        assertTrue(kid.process().waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                kid.name() + " did not exit within " + STEP_TIMEOUT + "\n" + kid.output());
        List<String> out = kid.out().awaitEnd(STEP_TIMEOUT);
        List<String> err = kid.err().awaitEnd(STEP_TIMEOUT);
        assertEquals(0, kid.process().exitValue(), kid.output());
        List<String> both = new ArrayList<>(out);
        both.addAll(err);
        for (String line : both) {
            String lower = line.toLowerCase(Locale.ROOT);
            for (String word : TROUBLE) {
                assertFalse(lower.contains(word), kid.name() + " printed '" + word + "'\n" + kid.output());
            }
        }
        assertFalse(out.isEmpty(), kid.output());
        assertEquals("DONE", out.get(out.size() - 1), kid.output());
        return out;
    }

    private static void tell(Kid kid, String line) throws IOException {
        OutputStream in = kid.process().getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout,
                                  Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            Thread.sleep(20);
        }
    }
}
