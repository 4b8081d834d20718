package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules the {@link Tracker} keeps by itself, whatever store is under it: which keys it takes,
 * what {@code tracker.run(experiment, body)} does with the body's outcome, the {@code runlog.*}
 * system tags, and asynchronous logging. They once ran in the store contract kit for every store;
 * they run here once, on the memory store, as no store can change them.
 */
class TrackerRulesTest {
    private static final Instant START = Instant.parse("2021-06-15T08:30:00.123Z");

    /** A clock the tests move by hand, so the end time of a run body is known. */
    private static final class HandClock extends Clock {
        private volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration amount) {
            now = now.plus(amount);
        }
    }

    private final HandClock clock = new HandClock();
    private final List<Tracker> open = new ArrayList<>();
    private Tracker tracker;

    @BeforeEach
    void openTracker() {
        tracker = newTracker(builder -> { });
    }

    @AfterEach
    void closeTrackers() {
        open.forEach(Tracker::close);
    }

    private Tracker newTracker(Consumer<Tracker.Builder> options) {
        Tracker.Builder builder = Tracker.builder().uri("memory:").clock(clock).shutdownHook(false);
        options.accept(builder);
        Tracker opened = builder.build();
        open.add(opened);
        return opened;
    }

    /** The three kinds of keys, all under the same rules: how to log one, and which keys a run holds. */
    enum KeyKind {
        PARAM((run, key) -> run.logParam(key, "v"), run -> run.data().params().keySet()),
        METRIC((run, key) -> run.logMetric(key, 1.5, 3), run -> run.data().latestMetrics().keySet()),
        TAG((run, key) -> run.setTag(key, "v"), run -> run.data().tags().keySet().stream()
                .filter(k -> !k.startsWith("runlog.")).collect(Collectors.toSet()));

        private final BiConsumer<ActiveRun, String> log;
        private final Function<Run, Set<String>> keys;

        KeyKind(BiConsumer<ActiveRun, String> log, Function<Run, Set<String>> keys) {
            this.log = log;
            this.keys = keys;
        }
    }

    private static String visible(String key) {
        if (key.length() > 40) {
            return key.length() + " × '" + key.charAt(0) + "'";
        }
        return "\"" + key.replace("\\", "\\\\").replace("\n", "\\n") + "\"";
    }

    @Test
    @DisplayName("times are whole milliseconds, as every store keeps them, whatever the clock's precision")
    void timesAreWholeMilliseconds() {
        clock.now = Instant.parse("2021-06-15T08:30:00.123456789Z");
        Instant millis = Instant.parse("2021-06-15T08:30:00.123Z");
        String experimentId = tracker.createExperiment("precise").id();
        String runId;
        try (ActiveRun run = tracker.startRun("precise")) {
            runId = run.id();
            run.logMetric("loss", 0.5, 1);
        }
        assertEquals(millis, tracker.getExperiment(experimentId).creationTime());
        assertEquals(millis, tracker.getExperiment(experimentId).lastUpdateTime());
        Run run = tracker.getRun(runId);
        assertEquals(millis, run.info().startTime());
        assertEquals(Optional.of(millis), run.info().endTime());
        assertEquals(millis.toEpochMilli(), run.data().latestMetrics().get("loss").timestamp());
    }

    /** Rule 5: keys of params, metrics and tags. */
    @Nested
    @DisplayName("Keys (params, metrics, tags)")
    class KeyRules {

        static Stream<Arguments> invalidKeys() {
            List<String> keys = List.of("", "a//b", "a/", "/a", "a/./b", "a/../b", "..", ".", "a\\b", "a:b", "a\n",
                    "k".repeat(251));
            return Stream.of(KeyKind.values()).flatMap(kind -> keys.stream()
                    .map(key -> Arguments.of(kind, Named.of(visible(key), key))));
        }

        @ParameterizedTest(name = "{0} key {1}")
        @MethodSource("invalidKeys")
        @DisplayName("malformed keys fail with InvalidInputException and store nothing")
        void invalidKey(KeyKind kind, String key) {
            ActiveRun run = tracker.startRun("keys");
            assertThrows(InvalidInputException.class, () -> kind.log.accept(run, key));
            run.flush();
            assertEquals(Set.of(), kind.keys.apply(tracker.getRun(run.id())));
        }

        @Test
        @DisplayName("a malformed tag key given to the run builder fails with InvalidInputException")
        void invalidBuilderTagKey() {
            assertThrows(InvalidInputException.class, () -> tracker.newRun("keys").tag("a//b", "v"));
            assertThrows(InvalidInputException.class, () -> tracker.newRun("keys").tags(Map.of("a:b", "v")));
        }
    }

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
            assertEquals(tracker.getRun(id.get()), result);
        }

        /**
         * Runs a body that logs a point and then throws {@code failure}; checks that exactly that
         * throwable comes out, and returns the id of the run the body had.
         */
        private String runThrowing(Throwable failure) {
            AtomicReference<String> id = new AtomicReference<>();
            Throwable thrown = assertThrows(Throwable.class, () -> tracker.run("iris", run -> {
                id.set(run.id());
                run.logMetric("loss", Double.NaN, 7);
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (Exception) failure;
            }));
            assertSame(failure, thrown);
            return id.get();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(classes = {IllegalStateException.class, IOException.class, StackOverflowError.class})
        @DisplayName("a body throwing a RuntimeException, a checked exception or an Error ends the run FAILED and the same throwable is rethrown")
        void bodyThrows(Class<? extends Throwable> type) throws ReflectiveOperationException {
            String id = runThrowing(type.getConstructor(String.class).newInstance("loss diverged"));
            Run stored = tracker.getRun(id);
            assertEquals(RunStatus.FAILED, stored.info().status());
            assertTrue(stored.info().endTime().isPresent(), "a FAILED run has an end time");
            assertEquals(1, tracker.metricHistory(id, "loss").size(), "points logged before the failure are stored");
        }

        @Test
        @DisplayName("a body that ends the run itself keeps the status it chose")
        void bodyEndsRun() {
            Run result = tracker.run("iris", run -> run.end(RunStatus.KILLED));
            assertEquals(RunStatus.KILLED, result.info().status());
            assertEquals(RunStatus.KILLED, tracker.getRun(result.info().id()).info().status());
        }
    }

    /** Rule 10: the {@code runlog.*} tags every run gets. */
    @Nested
    @DisplayName("System tags")
    class SystemTagRules {

        @Test
        @DisplayName("runlog.user is the user.name system property")
        void user() {
            ActiveRun run = tracker.startRun("iris");
            assertEquals(System.getProperty("user.name"), tracker.getRun(run.id()).data().tags().get("runlog.user"));
        }

        @Test
        @DisplayName("runlog.source.name is present and not blank")
        void sourceName() {
            ActiveRun run = tracker.startRun("iris");
            String source = tracker.getRun(run.id()).data().tags().get("runlog.source.name");
            assertNotNull(source, "runlog.source.name missing");
            assertFalse(source.isBlank(), "runlog.source.name is blank");
        }

        @Test
        @DisplayName("a run without a parent has no runlog.parentRunId")
        void noParent() {
            ActiveRun run = tracker.startRun("iris");
            assertFalse(tracker.getRun(run.id()).data().tags().containsKey("runlog.parentRunId"));
        }

        @Test
        @DisplayName("startChildRun makes a named run in the same experiment tagged with the parent's id")
        void startChildRun() {
            ActiveRun parent = tracker.startRun("sweep");
            ActiveRun child = parent.startChildRun("lr=0.1");
            assertEquals("lr=0.1", child.name());
            assertEquals(parent.experimentId(), child.experimentId());
            Run stored = tracker.getRun(child.id());
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
                Run stored = tracker.getRun(child.id());
                assertEquals(parent.id(), stored.data().tags().get("runlog.parentRunId"));
                assertEquals(parent.experimentId(), stored.info().experimentId());
            }
            assertEquals("a", tracker.getRun(byRun.id()).info().name());
            assertEquals("b", tracker.getRun(byId.id()).info().name());
        }

        @Test
        @DisplayName("a parent in another experiment fails with InvalidInputException")
        void parentInOtherExperiment() {
            ActiveRun parent = tracker.startRun("sweep");
            assertThrows(InvalidInputException.class, () -> tracker.newRun("other").parent(parent).start());
            assertThrows(InvalidInputException.class, () -> tracker.newRun("other").parent(parent.id()).start());
        }
    }

    /** Rule 11: asynchronous metric logging loses nothing and is visible after flush. */
    @Nested
    @DisplayName("Async logging")
    class AsyncLogging {

        /** A run of {@code on} in which {@code count} points of "loss" were logged: step i, value i / 2. */
        private static ActiveRun logged(Tracker on, int count) {
            ActiveRun run = on.startRun("iris");
            for (int i = 0; i < count; i++) {
                run.logMetric("loss", i * 0.5, i);
            }
            return run;
        }

        private static void assertSeries(Tracker on, String runId, String key, int count) {
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
            ActiveRun run = logged(tracker, 10_000);
            run.flush();
            assertSeries(tracker, run.id(), "loss", 10_000);
            assertEquals(9_999 * 0.5, tracker.getRun(run.id()).data().metrics().get("loss"));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = RunStatus.class, names = {"FINISHED", "KILLED"})
        @DisplayName("close() (FINISHED) and end(status) flush before the run ends")
        void endingFlushes(RunStatus status) {
            ActiveRun run = logged(tracker, 2_000);
            if (status == RunStatus.FINISHED) {
                run.close();
            } else {
                run.end(status);
            }
            assertSeries(tracker, run.id(), "loss", 2_000);
            assertEquals(status, tracker.getRun(run.id()).info().status());
        }

        @Test
        @DisplayName("with a 16-point buffer, all of 5,000 points are stored (back-pressure, nothing dropped)")
        void backPressure() {
            Tracker small = newTracker(builder -> builder.bufferCapacity(16));
            ActiveRun run = logged(small, 5_000);
            run.flush();
            assertSeries(small, run.id(), "loss", 5_000);
        }

        @Test
        @DisplayName("logMetrics refuses a number beyond a double's range instead of storing infinity, and stores nothing of the call")
        void logMetricsRefusesNumbersADoubleCannotHold() {
            Tracker sync = newTracker(builder -> builder.durability(Durability.SYNC));
            ActiveRun run = sync.startRun("iris");
            Map<String, Number> metrics = new java.util.LinkedHashMap<>();
            metrics.put("acc", 0.9);
            metrics.put("huge", new java.math.BigDecimal("1e400"));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> run.logMetrics(metrics, 1));
            assertTrue(e.getMessage().startsWith("value of metric 'huge' is 1E+400, too large for a double"), e.getMessage());
            assertTrue(sync.metricHistory(run.id(), "acc").isEmpty(), "a point of the refused call was stored");
            run.logMetrics(Map.of("inf", Double.POSITIVE_INFINITY, "big", java.math.BigInteger.TEN.pow(300)), 2);
            assertEquals(Double.POSITIVE_INFINITY, sync.metricHistory(run.id(), "inf").get(0).value(), "a double infinity is a value");
            assertEquals(1e300, sync.metricHistory(run.id(), "big").get(0).value());
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
}
