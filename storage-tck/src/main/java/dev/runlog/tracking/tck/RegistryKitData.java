package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.registry.Gate;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ModelFlavor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.params.provider.Arguments;

/** What the registry contracts share: the start instant, models logged and registered through the harness, and the ways they are described. */
final class RegistryKitData {
    private RegistryKitData() {
    }

    /**
     * Where the harness clock stands when each test starts: a fixed instant in the past, with
     * milliseconds, so a store that reads the system clock or drops milliseconds is caught.
     */
    static final Instant START = Instant.parse("2022-03-14T09:26:53.589Z");

    /** Who the registry records as the acting user when the caller names none. */
    static final String PROCESS_USER = Optional.ofNullable(System.getProperty("user.name")).orElse("");

    /** The experiment every run the kit logs a model in belongs to. */
    static final String EXPERIMENT = "registry-kit";

    /** How often the kit's deployed handles poll: short, so that a swap is seen within milliseconds. */
    static final Duration FAST_POLL = Duration.ofMillis(25);

    /** How long a test waits for something asynchronous (a swap, a reported failure) before failing. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    // ---- helpers --------------------------------------------------------------------------------

    /** A small json model; {@code bias} tells versions apart when they are loaded back. */
    static TestModels.LinearModel linear(double bias) {
        return new TestModels.LinearModel(new double[] {1.0, -2.5}, bias);
    }

    /** Logs {@code model} with the json flavor in a new, then finished, run; returns its {@code runs:/} URI. */
    static String logModel(StoreHarness kit, Object model) {
        return logModel(kit, model, Map.of(), Map.of());
    }

    /** Logs {@code model} in a new run that also logs {@code metrics} and {@code runTags}; returns its URI. */
    static String logModel(StoreHarness kit, Object model, Map<String, Double> metrics, Map<String, String> runTags) {
        try (ActiveRun run = kit.tracker().startRun(EXPERIMENT)) {
            metrics.forEach(run::logMetric);
            runTags.forEach(run::setTag);
            return run.logModel("model", model, ModelFlavor.json()).uri();
        }
    }

    /** Registers a fresh json model (bias {@code n}) as the next version of {@code name}. */
    static ModelVersion registerNew(StoreHarness kit, String name, double n) {
        return kit.registry().register(name, logModel(kit, linear(n)));
    }

    /** Registers a fresh model whose run logged {@code metrics} and {@code runTags}. */
    static ModelVersion registerWith(StoreHarness kit, String name, Map<String, Double> metrics, Map<String, String> runTags) {
        return kit.registry().register(name, logModel(kit, linear(metrics.hashCode()), metrics, runTags));
    }

    /** Registers {@code count} fresh versions of {@code name}, the i-th a json model of bias i, so that they load apart. */
    static void registerVersions(StoreHarness kit, String name, int count) {
        for (int i = 1; i <= count; i++) {
            registerNew(kit, name, i);
        }
    }

    /** Registers one fresh version of {@code name} per score, in order, each from a run that logged {@code metric} as that score. */
    static void registerScores(StoreHarness kit, String name, String metric, double... scores) {
        for (double score : scores) {
            registerWith(kit, name, Map.of(metric, score), Map.of());
        }
    }

    /** Moves the clock one second on and returns the new time, so each change gets its own instant. */
    static Instant tick(StoreHarness kit) {
        kit.clock().advance(Duration.ofSeconds(1));
        return kit.clock().peek();
    }

    /** Polls {@code condition} every few milliseconds until it holds or {@link #DEADLINE} passes. */
    static void await(String what, BooleanSupplier condition) {
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
    static List<String> refs(List<ModelVersion> versions) {
        return versions.stream().map(v -> v.name() + "/" + v.version()).toList();
    }

    static List<String> names(List<RegisteredModel> models) {
        return models.stream().map(RegisteredModel::name).toList();
    }

    static List<Action> actions(List<ModelEvent> events) {
        return events.stream().map(ModelEvent::action).toList();
    }

    /**
     * An event without its sequence and model, as one line: what the audit trail tests compare.
     * Times are offsets from {@link #START}, in seconds.
     */
    static String describe(ModelEvent e) {
        return "v" + e.version() + " " + e.action() + (e.alias() == null ? "" : " @" + e.alias()) + " " + e.from()
                + "->" + e.to() + " at +" + Duration.between(START, e.time()).toMillis() / 1000.0 + "s by " + e.user()
                + (e.comment().isEmpty() ? "" : ": " + e.comment());
    }

    static List<String> describe(List<ModelEvent> events) {
        return events.stream().map(RegistryKitData::describe).toList();
    }

    /** A line of {@link #describe(ModelEvent)} for an expected event. */
    static String event(int version, Action action, String alias, String from, String to, long atSecond,
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
    static Map<Integer, Stage> replayStages(List<ModelEvent> trail) {
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
    static List<Integer> inStage(StoreHarness kit, String name, Stage stage) {
        return kit.registry().searchVersions("name = '" + name + "' AND stage = '" + stage + "'").stream()
                .map(ModelVersion::version).sorted().toList();
    }

    /** What a two-argument case of a {@link #cases} table checks. */
    @FunctionalInterface
    interface Case<A, B> {
        void check(A a, B b) throws Throwable;
    }

    /** How a case of a {@link #cases} table is named in the report. */
    @FunctionalInterface
    interface CaseName<A, B> {
        String name(A a, B b);
    }

    /**
     * One dynamic test per row of a two-column table. A {@code @TestFactory} runs its
     * {@code @BeforeEach} once for all its rows, so a table whose cases only read shares one
     * fixture instead of rebuilding it per case; each row is still reported and fails on its own.
     */
    @SuppressWarnings("unchecked")
    static <A, B> Stream<DynamicTest> cases(Stream<Arguments> rows, CaseName<A, B> name, Case<A, B> body) {
        return rows.map(Arguments::get).map(row -> {
            A a = (A) row[0];
            B b = (B) row[1];
            return DynamicTest.dynamicTest(name.name(a, b), () -> body.check(a, b));
        });
    }

    /** Wraps a gate so that every result it gives during a promotion is kept in {@code results}. */
    static Gate recording(Gate gate, List<GateResult> results) {
        return candidate -> {
            GateResult result = gate.check(candidate);
            results.add(result);
            return result;
        };
    }

    /** A listener that keeps what it hears, for the deployment tests. */
    static final class RecordingListener implements dev.runlog.registry.DeploymentListener {
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
    static final class CountingJsonFlavor implements ModelFlavor {
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
}
