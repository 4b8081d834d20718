package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.Stage;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import dev.runlog.xgboost.XGBoostTracking;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link XGBoostPipeline} on a SQLite store in a temporary directory, as a user would run it. */
class XGBoostPipelineTest {
    @TempDir
    Path dir;

    @Test
    void trainsAnAccurateBoosterAndServesItFromProduction() throws Exception {
        try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("runlog.db"))) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            XGBoostPipeline.Result result = XGBoostPipeline.run(tracker, new PrintStream(printed, true, StandardCharsets.UTF_8));
            String text = printed.toString(StandardCharsets.UTF_8);

            assertTrue(result.bestAuc() >= XGBoostPipeline.MIN_AUC, text);
            assertEquals(1, result.version());
            assertEquals(Stage.PRODUCTION, result.stage(), text);
            assertEquals(5, result.probabilities().size(), text);
            assertTrue(result.probabilities().stream().allMatch(p -> p >= 0 && p <= 1), text);

            Run run = tracker.getRun(result.runId());
            assertEquals("200", run.data().params().get(XGBoostTracking.ROUNDS_PARAM));
            assertEquals(result.rounds(), tracker.metricHistory(result.runId(), "valid-auc").size());
            assertEquals(result.bestAuc(), run.data().metrics().get(XGBoostTracking.BEST_SCORE_METRIC));
            assertEquals(1, run.inputs().size());
        }
    }
}
