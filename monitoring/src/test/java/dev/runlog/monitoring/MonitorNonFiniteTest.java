package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Non-finite values: NaN (or null) is a missing feature, as before; an infinite one is refused at
 * {@code record}, naming the feature, in every form of the call, rather than making a window's
 * statistic infinite; an infinite statistic that remains (chi-squared of an unseen category) is
 * logged as it is, never left out.
 */
class MonitorNonFiniteTest {
    private static Tracker tracker;
    private static Reference reference;

    @BeforeAll
    static void open() {
        tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
        Random random = new Random(4);
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("x", random.doubles(500).toArray());
        reference = Reference.of(numeric, Map.of("c", List.of("a", "b", "a", "b")));
    }

    @AfterAll
    static void close() {
        tracker.close();
    }

    private static ModelMonitor monitor(List<String> features) {
        return ModelMonitor.forReference(tracker, "non-finite", reference, MonitorOptions.defaults().window(10)
                .features(features).pollInterval(Duration.ofHours(1)));
    }

    @Test
    void aShiftOfHugeFiniteValuesIsDriftNotAnOverflowedSpreadThatHidesIt() {
        // Values near 1e200 overflowed the reference's sum of squares, its spread read as infinite
        // and every Wasserstein distance as 0: no window over 1,000 rows ever drifted.
        for (double scale : new double[] {1, 1e160, 1e200, 1e300}) {
            Random random = new Random(7);
            double[] training = random.doubles(3_000).map(u -> random.nextGaussian() * scale).toArray();
            double[] serving = random.doubles(1_500).map(u -> (random.nextGaussian() + 1) * scale).toArray();
            try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "huge", Reference.of(Map.of("h", training), Map.of()),
                    MonitorOptions.defaults().window(100_000).pollInterval(Duration.ofHours(1)))) {
                for (double v : serving) {
                    monitor.record(new double[] {v}, 0.0);
                }
                FeatureDrift drift = monitor.closeWindow().orElseThrow().drift().orElseThrow().features().get(0);
                double exact = DriftTests.wasserstein(training, serving);
                assertEquals(DriftMethod.WASSERSTEIN, drift.method());
                assertTrue(drift.drifted(), scale + ": " + drift);
                assertEquals(exact, drift.statistic(), exact * 0.05, scale + ": " + drift);
            }
        }
    }

    @Test
    void anInfiniteOutputAndATextOutputForANumericTargetAreRefusedAtRecord() {
        // An infinite output made the window's prediction drift Infinity; a text output for a numeric
        // target was left out of the comparison without a word.
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("x", new Random(5).doubles(500).toArray());
        numeric.put("y", new Random(6).doubles(500).toArray());
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "outputs", Reference.of(numeric, Map.of()),
                MonitorOptions.defaults().window(10).target("y").pollInterval(Duration.ofHours(1)))) {
            InvalidInputException infinite = assertThrows(InvalidInputException.class,
                    () -> monitor.record(new double[] {0.5}, Double.POSITIVE_INFINITY));
            assertTrue(infinite.getMessage().contains("the output is Infinity"), infinite.getMessage());
            assertThrows(InvalidInputException.class, () -> monitor.record(new Object[] {0.5}, Float.NEGATIVE_INFINITY));
            InvalidInputException text = assertThrows(InvalidInputException.class,
                    () -> monitor.record(new double[] {0.5}, "0.7"));
            assertTrue(text.getMessage().contains("the target 'y' is numeric"), text.getMessage());
            monitor.record(new double[] {0.5}, 0.7);
            assertEquals(1, monitor.closeWindow().orElseThrow().predictions());
        }
    }

    @Test
    void anInfiniteFeatureIsRefusedAtRecordNamingIt() {
        try (ModelMonitor monitor = monitor(List.of("x"))) {
            InvalidInputException numeric = assertThrows(InvalidInputException.class,
                    () -> monitor.record(new double[] {Double.POSITIVE_INFINITY}, 1.0));
            assertTrue(numeric.getMessage().contains("feature 'x' is Infinity"), numeric.getMessage());
            assertThrows(InvalidInputException.class,
                    () -> monitor.record(new Object[] {Double.NEGATIVE_INFINITY}, 1.0));
            assertThrows(InvalidInputException.class, () -> monitor.record(Map.of("x", Float.POSITIVE_INFINITY), 1.0));
            InvalidInputException big = assertThrows(InvalidInputException.class,
                    () -> monitor.record(new Object[] {new BigDecimal("1e400")}, 1.0));
            assertTrue(big.getMessage().contains("feature 'x' is Infinity (as a double)"), big.getMessage());
            // NaN stays a missing value; the window is judged on the finite values.
            Random random = new Random(5);
            for (int i = 0; i < 10; i++) {
                monitor.record(new double[] {i == 0 ? Double.NaN : random.nextDouble()}, 1.0);
            }
            WindowReport report = monitor.flush().get(0);
            assertEquals(10, report.predictions());
            FeatureDrift x = report.drift().orElseThrow().features().get(0);
            assertTrue(Double.isFinite(x.statistic()), x.toString());
            assertEquals(x.statistic(), tracker.getRun(monitor.runId()).data().metrics().get("drift.x"));
        }
    }

    @Test
    void anInfiniteStatisticIsLoggedNotLeftOut() {
        try (ModelMonitor monitor = monitor(List.of("c"))) {
            for (int i = 0; i < 10; i++) {
                monitor.record(new Object[] {i == 0 ? "new" : "a"}, 1.0);
            }
            FeatureDrift c = monitor.flush().get(0).drift().orElseThrow().features().get(0);
            assertEquals(Double.POSITIVE_INFINITY, c.statistic());
            Map<String, Double> metrics = tracker.getRun(monitor.runId()).data().metrics();
            assertEquals(Double.POSITIVE_INFINITY, metrics.get("drift.c"));
            assertEquals(0.0, metrics.get("drift.c.p_value"));
            assertEquals(1.0, metrics.get("drift.c.drifted"));
        }
    }
}
