package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a monitor refuses or ignores rather than judging wrongly: an infinite training value, an
 * endless window, calls after close; and which test a small training sample is judged by.
 */
class MonitorMisuseTest {
    private static Tracker tracker;

    @BeforeAll
    static void open() {
        tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
    }

    @AfterAll
    static void close() {
        tracker.close();
    }

    @Test
    void aReferenceHoldingAnInfinityIsRefusedAsRecordRefusesOne() {
        double[] x = new Random(3).doubles(50).toArray();
        x[7] = Double.POSITIVE_INFINITY;
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Reference.of(new LinkedHashMap<>(Map.of("x", x)), Map.of()));
        assertEquals("numeric column 'x' holds Infinity; a reference holds finite numbers, and NaN for a missing value",
                e.getMessage());
    }

    @Test
    void aWindowSpanBeyondTenYearsIsRefusedByName() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MonitorOptions.defaults().window(ChronoUnit.FOREVER.getDuration()));
        assertTrue(e.getMessage().startsWith("a window spans at most 3650 days; got PT"), e.getMessage());
        MonitorOptions.defaults().window(Duration.ofDays(3_650));
    }

    /** Integer.MAX_VALUE was taken, and the monitor's start then failed allocating its ring with an OutOfMemoryError. */
    @Test
    void aBlankTargetIsRefusedWhenSet() {
        for (String blank : new String[] {"", "  "}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> MonitorOptions.defaults().target(blank));
            assertEquals("target column must not be blank", e.getMessage());
        }
    }

    @Test
    void aBufferBeyondItsLargestIsRefusedWhenSet() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MonitorOptions.defaults().bufferCapacity(Integer.MAX_VALUE));
        assertEquals("the buffer holds 2 to 16777216 events; got 2147483647", e.getMessage());
        assertEquals(MonitorOptions.MAX_BUFFER_CAPACITY,
                MonitorOptions.defaults().bufferCapacity(MonitorOptions.MAX_BUFFER_CAPACITY).bufferCapacity());
    }

    @Test
    void aNegativeLatencyIsRefusedAndOnlyNoLatencyMeansNone() {
        Reference reference = Reference.of(Map.of("x", new Random(1).doubles(500).toArray()), Map.of());
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "latency", reference, MonitorOptions.defaults().window(10))) {
            // An end and a start swapped: dropped from the percentiles without a word before.
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> monitor.record(new double[] {0.5}, 1.0, -5_000_000L));
            assertTrue(e.getMessage().contains("got -5000000"), e.getMessage());
            assertThrows(InvalidInputException.class, () -> monitor.record(new Object[] {0.5}, 1.0, -2L));
            assertThrows(InvalidInputException.class, () -> monitor.record(Map.of("x", 0.5), 1.0, Long.MIN_VALUE));
            assertThrows(InvalidInputException.class, () -> monitor.record("request-1", new double[] {0.5}, 1.0, -3L));
            for (int i = 0; i < 9; i++) {
                monitor.record(new double[] {0.5}, 1.0, 1_000_000L * (i + 1));
            }
            monitor.record(new double[] {0.5}, 1.0, ModelMonitor.NO_LATENCY);
            WindowReport report = monitor.flush().get(0);
            assertEquals(10, report.predictions());
            assertEquals(9, report.latency().count(), "the prediction without a latency is not one of them");
        }
    }

    @Test
    void aReferenceMonitorTakesOnlyANameTheRegistryWouldTake() {
        Reference reference = Reference.of(Map.of("x", new Random(1).doubles(500).toArray()), Map.of());
        for (String name : List.of("", "a/b", "..", "m@x", " padded")) {
            assertThrows(InvalidInputException.class,
                    () -> ModelMonitor.forReference(tracker, name, reference, MonitorOptions.defaults()), name);
        }
        assertTrue(tracker.getExperimentByName("monitoring/a/b").isEmpty(), "no experiment made for a refused name");
    }

    /** Its windows had neither a drift verdict nor a reason for none. */
    @Test
    void aReferenceWithoutColumnsSaysWhyItsWindowsHaveNoDriftVerdict() {
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "empty", Reference.of(Map.of(), Map.of()),
                MonitorOptions.defaults().window(3))) {
            for (int i = 0; i < 3; i++) {
                monitor.record(new double[0], 1.0, 1_000_000L);
            }
            WindowReport report = monitor.flush().get(0);
            assertEquals(Optional.empty(), report.drift());
            assertEquals(Optional.of("the reference has no feature column to compare the inputs with"), report.notComparable());
            assertEquals(3, report.latency().count(), "latency is still judged");
        }
    }

    @Test
    void afterCloseFlushAndCloseWindowDoNothing() {
        Reference reference = Reference.of(Map.of("x", new Random(1).doubles(500).toArray()), Map.of());
        ModelMonitor monitor = ModelMonitor.forReference(tracker, "closed", reference, MonitorOptions.defaults().window(10));
        monitor.record(new double[] {0.5}, 1.0);
        monitor.close();
        monitor.record(new double[] {0.5}, 1.0);

        assertEquals(Optional.empty(), monitor.closeWindow());
        assertEquals(List.of(), monitor.flush());
        assertEquals(0, monitor.droppedWindows());
    }

    @Test
    void aSmallTrainingSampleIsJudgedByTheTestEvenInALargeWindow() {
        Random random = new Random(5);
        Reference small = Reference.of(Map.of("x", random.doubles(150).toArray()), Map.of());
        Reference large = Reference.of(Map.of("x", random.doubles(5_000).toArray()), Map.of());
        for (Reference reference : List.of(small, large)) {
            try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "sizes", reference,
                    MonitorOptions.defaults().window(2_000))) {
                for (int i = 0; i < 2_000; i++) {
                    monitor.record(new double[] {random.nextDouble()}, 1.0);
                }
                FeatureDrift x = monitor.flush().get(0).drift().orElseThrow().features().get(0);
                assertEquals(reference == small ? DriftMethod.KOLMOGOROV_SMIRNOV : DriftMethod.WASSERSTEIN, x.method());
                assertEquals(false, x.drifted(), x.toString());
            }
        }
    }

    @Test
    void anErrorAboveItsCeilingRaisesAnAlertAndOneBelowDoesNot() {
        Reference reference = Reference.of(Map.of("x", new Random(1).doubles(500).toArray()), Map.of());
        List<MonitorAlert> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "regression", reference, MonitorOptions.defaults()
                .window(1_000).metric("mae", (p, t) -> Math.abs(((Number) p).doubleValue() - ((Number) t).doubleValue()))
                .metricCeiling(0.5))) {
            monitor.addListener(alerts::add);
            for (double error : new double[] {0.1, 10}) {
                for (int i = 0; i < 10; i++) {
                    monitor.label(monitor.record(new double[] {0.5}, 1.0), 1.0 + error);
                }
                monitor.closeWindow();
            }
        }
        List<MonitorAlert> ceiling = alerts.stream().filter(a -> a.kind() == MonitorAlert.Kind.METRIC_ABOVE_CEILING).toList();
        assertEquals(1, ceiling.size(), alerts.toString());
        assertTrue(ceiling.get(0).message().contains("mae 10"), ceiling.get(0).message());
        assertThrows(InvalidInputException.class, () -> MonitorOptions.defaults().metricCeiling(Double.NaN));
    }

    /** A window of a handful of labels (the last at close, say) alerts only once it has the labels asked for. */
    @Test
    void aMetricAlertWaitsForTheLabelsItIsToldToNeed() {
        Reference reference = Reference.of(Map.of("x", new Random(1).doubles(500).toArray()), Map.of());
        List<MonitorAlert> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "few-labels", reference, MonitorOptions.defaults()
                .window(1_000).metric("mae", (p, t) -> Math.abs(((Number) p).doubleValue() - ((Number) t).doubleValue()))
                .metricCeiling(0.5).metricAlertLabels(5))) {
            monitor.addListener(alerts::add);
            for (int labels : new int[] {4, 5}) {
                for (int i = 0; i < labels; i++) {
                    monitor.label(monitor.record(new double[] {0.5}, 1.0), 11.0);
                }
                monitor.closeWindow();
            }
        }
        List<MonitorAlert> ceiling = alerts.stream().filter(a -> a.kind() == MonitorAlert.Kind.METRIC_ABOVE_CEILING).toList();
        assertEquals(1, ceiling.size(), alerts.toString());
        assertTrue(ceiling.get(0).message().contains("over 5 labels"), ceiling.get(0).message());
        assertThrows(InvalidInputException.class, () -> MonitorOptions.defaults().metricAlertLabels(0));
    }

    @Test
    void aMonitoringRunEndedElsewhereIsFollowedByANewRunNotByWindowsGivenUp() {
        Reference reference = Reference.of(Map.of("x", new Random(1).doubles(500).toArray()), Map.of());
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "ended-elsewhere", reference,
                MonitorOptions.defaults().window(10))) {
            String first = logWindow(monitor);
            tracker.endRun(first, dev.runlog.tracking.RunStatus.KILLED);   // a clean-up, the UI, runlog
            String second = logWindow(monitor);
            assertTrue(!second.equals(first), "still the ended run " + first);
            assertEquals(List.of(1L), tracker.metricHistory(second, "predictions").stream().map(m -> m.step()).toList());

            // Deleted rather than ended: the old run's buffered points were refused at the new run's
            // flush, and a window logged to the new run was given up (WINDOW_DROPPED) all the same.
            tracker.deleteRun(second);
            String third = logWindow(monitor);
            assertTrue(!third.equals(second), "still the deleted run " + second);
            assertEquals(List.of(2L), tracker.metricHistory(third, "predictions").stream().map(m -> m.step()).toList());
        }
    }

    /** Records and logs one window of 10 predictions, none given up; returns the run it went to. */
    private static String logWindow(ModelMonitor monitor) {
        for (int i = 0; i < 10; i++) {
            monitor.record(new double[] {0.5}, 1.0);
        }
        monitor.flush();
        assertEquals(0, monitor.droppedWindows());
        return monitor.runId();
    }
}
