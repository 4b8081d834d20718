package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A column constant in the training data: whatever method a window's size or the options pick,
 * moving every value off the constant, up or down and however little, is drift, and keeping it
 * is not.
 */
class ConstantReferenceMonitorTest {

    @ParameterizedTest(name = "{0} rows, {1}: {2}")
    @CsvSource({
        "200, , 5.05", "200, , 4.95", "200, , 5",
        "1500, , 5.05", "1500, , 4.95", "1500, , 5",
        "200, POPULATION_STABILITY_INDEX, 5.05", "200, POPULATION_STABILITY_INDEX, 4.95",
        "200, POPULATION_STABILITY_INDEX, 5",
        "200, JENSEN_SHANNON, 5.05", "200, JENSEN_SHANNON, 4.95", "200, JENSEN_SHANNON, 5",
    })
    void movingEveryValueOffTheConstantIsDrift(int rows, DriftMethod method, double current) {
        Random random = new Random(3);
        double[] constant = new double[500];
        Arrays.fill(constant, 5);
        Reference reference = Reference.of(Map.of("k", constant, "x", random.doubles(500).toArray()), Map.of());
        DriftOptions drift = method == null ? DriftOptions.defaults() : DriftOptions.defaults().numericMethod(method);
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
             ModelMonitor monitor = ModelMonitor.forReference(tracker, "constant", reference, MonitorOptions.defaults()
                     .window(rows).drift(drift).features(java.util.List.of("k", "x")).pollInterval(Duration.ofHours(1)))) {
            for (int i = 0; i < rows; i++) {
                monitor.record(new double[] {current, random.nextDouble()}, 1.0);
            }
            FeatureDrift k = monitor.flush().get(0).drift().orElseThrow().features().stream()
                    .filter(f -> f.feature().equals("k")).findFirst().orElseThrow();
            if (current == 5) {
                assertFalse(k.drifted(), k.toString());
            } else {
                assertTrue(k.drifted(), k.toString());
            }
            Double logged = tracker.getRun(monitor.runId()).data().metrics().get("drift.k");
            assertEquals(k.statistic(), logged);
        }
    }
}
