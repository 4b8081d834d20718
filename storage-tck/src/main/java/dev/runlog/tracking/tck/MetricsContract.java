package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitAssertions.steps;
import static dev.runlog.tracking.tck.KitAssertions.values;
import static dev.runlog.tracking.tck.KitData.START;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 6: metrics are append-only series of doubles. */
public interface MetricsContract {

    @Test
    @DisplayName("the latest value is the point with the largest step, even when logged earlier")
    default void latestIsLargestStep(Tracker tracker, MutableClock clock) {
        ActiveRun run = tracker.startRun("iris");
        run.logMetric("loss", 1.0, 5);
        clock.advance(Duration.ofSeconds(1));
        run.logMetric("loss", 2.0, 3).flush();
        Run stored = tracker.getRun(run.id());
        assertEquals(1.0, stored.data().metrics().get("loss"));
        assertEquals(new Metric("loss", 1.0, 5, START.toEpochMilli()), stored.data().latestMetrics().get("loss"));
    }

    @Test
    @DisplayName("at an equal step, the point with the later timestamp is the latest")
    default void latestAtEqualStepIsLaterTimestamp(Tracker tracker, MutableClock clock) {
        ActiveRun run = tracker.startRun("iris");
        run.logMetric("acc", 9.0, 2);
        clock.advanceMillis(1);
        run.logMetric("acc", 1.0, 2).flush();
        assertEquals(1.0, tracker.getRun(run.id()).data().metrics().get("acc"));

        // Logged last, with a larger value, but timestamped earlier: not the latest.
        clock.set(START.minusSeconds(60));
        run.logMetric("acc", 5.0, 2).flush();
        assertEquals(1.0, tracker.getRun(run.id()).data().metrics().get("acc"));
        assertEquals(START.plusMillis(1).toEpochMilli(), tracker.getRun(run.id()).data().latestMetrics().get("acc").timestamp());
    }

    @Test
    @DisplayName("at an equal step and timestamp, the larger value is the latest")
    default void latestTieIsLargerValue(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logMetric("acc", 3.0, 1).logMetric("acc", 7.0, 1).logMetric("acc", 5.0, 1).flush();
        assertEquals(7.0, tracker.getRun(run.id()).data().metrics().get("acc"));
    }

    @Test
    @DisplayName("metricHistory is ordered by step, then timestamp, even when logged out of order")
    default void historyOrder(Tracker tracker, MutableClock clock) {
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
    default void appendOnly(Tracker tracker, MutableClock clock) {
        long t = START.toEpochMilli();
        ActiveRun run = tracker.startRun("iris");
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
    default void specialValues(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logMetric("nan", Double.NaN, 1).logMetric("pinf", Double.POSITIVE_INFINITY, 2)
                .logMetric("ninf", Double.NEGATIVE_INFINITY, 3).flush();
        Map<String, Double> latest = tracker.getRun(run.id()).data().metrics();
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
    default void exactValuesAndSteps(Tracker tracker) {
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
        Metric latest = tracker.getRun(run.id()).data().latestMetrics().get("x");
        assertEquals(Long.MAX_VALUE, latest.step());
        assertEquals(Double.doubleToRawLongBits(values[7]), Double.doubleToRawLongBits(latest.value()));
    }

    @Test
    @DisplayName("a long history keeps every point, in step order, each value bit for bit (-0.0 and NaN included)")
    default void longHistoryKeepsEveryPointExactly(Tracker tracker) {
        int points = 5_000;
        ActiveRun run = tracker.startRun("iris");
        for (int i = 0; i < points; i++) {
            run.logMetric("loss", value(i), i);
        }
        run.flush();
        List<Metric> history = tracker.metricHistory(run.id(), "loss");
        assertEquals(points, history.size(), "points kept");
        for (int i = 0; i < points; i++) {
            Metric point = history.get(i);
            int step = i;
            assertEquals(step, point.step(), () -> "point " + step + " of the history");
            assertEquals(Double.doubleToRawLongBits(value(i)), Double.doubleToRawLongBits(point.value()),
                    () -> "value at step " + step + " read back as " + point.value() + ", logged " + value(step));
        }
        assertEquals(points, tracker.metricSeries(run.id(), "loss").size());
    }

    /** Point i of the long history: mostly plain values, with -0.0, NaN and the infinities among them. */
    private static double value(int i) {
        return switch (i % 97) {
            case 13 -> -0.0;
            case 29 -> Double.NaN;
            case 41 -> Double.POSITIVE_INFINITY;
            case 53 -> Double.NEGATIVE_INFINITY;
            default -> 1.0 / (i + 1);
        };
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
    default void defaultStep(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logMetric("accuracy", 0.97).flush();
        assertEquals(List.of(new Metric("accuracy", 0.97, 0, START.toEpochMilli())),
                tracker.metricHistory(run.id(), "accuracy"));
    }

    @Test
    @DisplayName("logMetrics logs each entry at the same step and timestamp")
    default void logMetricsSameStepAndTime(Tracker tracker, MutableClock clock) {
        Map<String, Number> points = new LinkedHashMap<>();
        points.put("a", 1);
        points.put("b", 2.5);
        points.put("c", 3L);
        points.put("d", 0.25f);
        ActiveRun run = tracker.startRun("iris");
        clock.setAutoAdvance(Duration.ofMillis(1));
        long before = clock.millis();
        run.logMetrics(points, 17);
        long after = clock.millis();
        clock.setAutoAdvance(Duration.ZERO);
        run.flush();

        Map<String, Metric> latest = tracker.getRun(run.id()).data().latestMetrics();
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
    default void timestampFromClock(Tracker tracker, MutableClock clock) {
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
    default void historyOfUnknownKey(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logMetric("loss", 0.5).flush();
        assertEquals(List.of(), tracker.metricHistory(run.id(), "accuracy"));
    }

    @Test
    @DisplayName("metricHistory returns an unmodifiable list")
    default void historyIsUnmodifiable(Tracker tracker) {
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
    default void metricSeriesMatchesHistory(Tracker tracker, MutableClock clock) {
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
    default void latestMetricsOfManyRuns(Tracker tracker) {
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
