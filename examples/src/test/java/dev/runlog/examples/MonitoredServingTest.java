package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.monitoring.MonitorAlert;
import dev.runlog.monitoring.WindowReport;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MonitoredServing} on the memory store (ModelMonitorTest runs the monitor on SQLite): clinic A's days do not drift, clinic B's do (features,
 * predictions and accuracy alert), the retrained version passes the monitoring gates, and the
 * Production monitor follows it.
 */
class MonitoredServingTest {
    @Test
    void clinicBsShiftIsFlaggedAndTheRetrainedModelIsPromotedThroughTheMonitoringGates() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Tracker tracker = Tracker.open("memory:")) {
            MonitoredServing.Result result = MonitoredServing.run(tracker, new PrintStream(printed, true, StandardCharsets.UTF_8));
            List<WindowReport> days = result.days();
            assertEquals(6, days.size());
            assertFalse(days.get(0).datasetDrifted() || days.get(1).datasetDrifted(), "clinic A is what v1 was trained on");
            assertTrue(days.get(2).datasetDrifted(), "clinic B reads every feature 25% larger");
            assertTrue(days.get(2).predictionDrift().orElseThrow().drifted());
            assertTrue(days.get(2).metric().getAsDouble() < MonitoredServing.ACCURACY_FLOOR);
            assertEquals(List.of(MonitorAlert.Kind.DRIFT, MonitorAlert.Kind.PREDICTION_DRIFT, MonitorAlert.Kind.METRIC_BELOW_FLOOR),
                    result.alerts().stream().filter(a -> a.report().window() == 2).map(MonitorAlert::kind).toList());
            assertTrue(result.promotedV2());
            assertEquals(2, days.get(5).version(), "the Production monitor followed the promotion");
            assertFalse(days.get(5).datasetDrifted(), "clinic B is what v2 was trained on");
            assertEquals(2, ModelRegistry.of(tracker).latest(MonitoredServing.MODEL_NAME, Stage.PRODUCTION).orElseThrow().version());
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        // How many features drift varies by one or two between runs: KLL sketches compact at random.
        assertTrue(out.matches("(?s).*day 3, clinic B, v1: 100 predictions, 2\\d of 30 features drifted \\(dataset drift: yes\\).*"), out);
        assertTrue(out.contains("version 2 promoted to Production"), out);
    }
}
