package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every metric key a monitor logs is checked when it is built: two sources of one key (a column
 * named like a built-in metric, two names that map to one key, a label metric named like a drift
 * metric), a key over the length limit and a feature named twice are refused then, naming the
 * sources, rather than one value silently replacing another or every window being dropped.
 */
class MonitorMetricKeysTest {
    private static Tracker tracker;

    @BeforeAll
    static void open() {
        tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
    }

    @AfterAll
    static void close() {
        tracker.close();
    }

    private static Reference reference(String... columns) {
        Random random = new Random(1);
        Map<String, double[]> numeric = new LinkedHashMap<>();
        for (String column : columns) {
            numeric.put(column, random.doubles(200).toArray());
        }
        return Reference.of(numeric, Map.of());
    }

    private static MonitorOptions options() {
        return MonitorOptions.defaults().window(10).pollInterval(Duration.ofHours(1));
    }

    private static InvalidInputException refused(Reference reference, MonitorOptions options) {
        return assertThrows(InvalidInputException.class,
                () -> ModelMonitor.forReference(tracker, "keys", reference, options).close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataset", "share", "count"})
    void aFeatureNamedLikeABuiltInMetricIsRefusedNamingBoth(String column) {
        InvalidInputException e = refused(reference("x", column), options());
        assertTrue(e.getMessage().contains("the built-in metric 'drift." + column + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("feature '" + column + "'"), e.getMessage());
    }

    @Test
    void twoNamesMappedToOneKeyAreRefusedNamingBoth() {
        InvalidInputException e = refused(reference("a b", "a_b"), options());
        assertTrue(e.getMessage().contains("feature 'a b' and feature 'a_b'"), e.getMessage());
        assertTrue(e.getMessage().contains("'drift.a_b'"), e.getMessage());
    }

    @Test
    void lettersAndDigitsOfAnyScriptStayInTheKeys() {
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "keys", reference("é", "ü", "温度", "x y"), options())) {
            Random random = new Random(3);
            for (int i = 0; i < 10; i++) {
                monitor.record(new double[] {random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble()}, 1.0);
            }
            assertEquals(1, monitor.flush().size());
            Map<String, Double> metrics = tracker.getRun(monitor.runId()).data().metrics();
            for (String key : List.of("drift.é", "drift.ü", "drift.温度", "drift.x_y")) {
                assertTrue(metrics.containsKey(key), key + " in " + metrics.keySet());
            }
        }
    }

    @Test
    void aFeatureNamedLikeAnotherFeaturesPValueOrVerdictIsRefused() {
        InvalidInputException p = refused(reference("x", "x.p_value"), options());
        assertTrue(p.getMessage().contains("feature 'x' and feature 'x.p_value'"), p.getMessage());
        assertTrue(p.getMessage().contains("'drift.x.p_value'"), p.getMessage());
        InvalidInputException verdict = refused(reference("x.drifted", "x"), options());
        assertTrue(verdict.getMessage().contains("'drift.x.drifted'"), verdict.getMessage());
    }

    @Test
    void aLabelMetricNamedLikeADriftMetricIsRefused() {
        InvalidInputException builtIn = refused(reference("x"), options().metric("drift.dataset", (p, t) -> 1));
        assertTrue(builtIn.getMessage().contains("the built-in metric 'drift.dataset' and the label metric 'drift.dataset'"),
                builtIn.getMessage());
        InvalidInputException feature = refused(reference("x"), options().metric("drift.x", (p, t) -> 1));
        assertTrue(feature.getMessage().contains("the label metric 'drift.x' and feature 'x'"), feature.getMessage());
        InvalidInputException output = refused(reference("x", "y"),
                options().target("y").metric("prediction_drift", (p, t) -> 1));
        assertTrue(output.getMessage().contains("target 'y'"), output.getMessage());
    }

    @Test
    void aFeatureWhoseKeysWouldBeTooLongIsRefusedWhenTheMonitorIsBuilt() {
        // drift.<name>.p_value is 6 + 242 + 8 = 256 characters: over the limit of 250.
        String name = "c".repeat(242);
        InvalidInputException e = refused(reference(name, "z"), options());
        assertTrue(e.getMessage().contains("feature 'cccc"), e.getMessage());
        assertTrue(e.getMessage().contains("the limit is 250"), e.getMessage());
        // drift.<name> alone over the limit
        assertThrows(InvalidInputException.class, () -> ModelMonitor.forReference(tracker, "keys",
                reference("c".repeat(245)), options()).close());
    }

    @Test
    void theLongestNameThatFitsIsMonitoredAndEveryWindowLogged() {
        String name = "c".repeat(250 - "drift.".length() - ".p_value".length());
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "keys", reference(name), options())) {
            Random random = new Random(2);
            for (int i = 0; i < 10; i++) {
                monitor.record(new double[] {random.nextDouble()}, 1.0);
            }
            assertEquals(1, monitor.flush().size());
            Map<String, Double> metrics = tracker.getRun(monitor.runId()).data().metrics();
            assertTrue(metrics.containsKey("drift." + name + ".p_value"), metrics.keySet().toString());
            assertEquals(0, monitor.droppedWindows());
        }
    }

    @Test
    void aFeatureNamedTwiceIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MonitorOptions.defaults().features(List.of("x", "y", "x")));
        assertTrue(e.getMessage().contains("feature 'x' is named twice"), e.getMessage());
        assertThrows(InvalidInputException.class,
                () -> MonitorOptions.defaults().features(java.util.Arrays.asList("x", null)));
    }

    @Test
    void aReferenceWithANumericAndACategoricalColumnOfOneNameIsRefused() {
        Reference both = Reference.of(Map.of("x", new double[] {1, 2}), Map.of("x", List.of("a", "b")));
        InvalidInputException e = refused(both, options());
        assertTrue(e.getMessage().contains("feature 'x' is monitored twice"), e.getMessage());
    }

    @Test
    void distinctFeaturesEachKeepTheirOwnMetrics() {
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "keys", reference("a b", "c"), options())) {
            Random random = new Random(3);
            for (int i = 0; i < 10; i++) {
                monitor.record(new double[] {random.nextDouble() + 5, random.nextDouble()}, 1.0);
            }
            monitor.flush();
            Map<String, Double> metrics = tracker.getRun(monitor.runId()).data().metrics();
            assertEquals(1.0, metrics.get("drift.a_b.drifted"));
            assertEquals(0.0, metrics.get("drift.c.drifted"));
            assertEquals(0.5, metrics.get("drift.share"));
        }
    }
}
