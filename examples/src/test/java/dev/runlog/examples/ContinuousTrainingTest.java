package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Tracker;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContinuousTraining} on a SQLite store: every decision follows the gates, Production ends
 * with the best model, and the audit trail records each move. The simulation runs once for all
 * the checks, which only read.
 */
class ContinuousTrainingTest {
    private static final String MODEL = ContinuousTraining.MODEL_NAME;

    @TempDir
    static Path dir;
    private static Tracker tracker;
    private static ModelRegistry registry;
    private static ContinuousTraining.Result result;

    @BeforeAll
    static void simulate() {
        tracker = Tracker.open("sqlite:" + dir.resolve("runlog.db"));
        registry = ModelRegistry.of(tracker);
        result = ContinuousTraining.run(tracker, new PrintStream(OutputStream.nullOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    @AfterAll
    static void closeStore() {
        tracker.close();
    }

    @Test
    void eachVersionWasPromotedExactlyWhenItPassedBothGates() {
        double production = Double.NaN;   // the val_accuracy of the version in Production, none yet
        for (ContinuousTraining.Step step : result.steps()) {
            // Read the metric back from the store: that is what the gates judged.
            String runId = registry.getVersion(MODEL, step.version()).runId();
            double valAccuracy = tracker.getRun(runId).data().metrics().get("val_accuracy");
            boolean passes = valAccuracy >= ContinuousTraining.MIN_VAL_ACCURACY
                    && (Double.isNaN(production) || valAccuracy > production);
            assertEquals(passes, step.promoted(), "version " + step.version() + ": " + step.rejections());
            if (passes) {
                production = valAccuracy;
            }
        }
        // The example is meant to show both outcomes.
        assertTrue(result.steps().stream().anyMatch(ContinuousTraining.Step::promoted));
        assertTrue(result.steps().stream().anyMatch(step -> !step.promoted()));
    }

    @Test
    void everyWindowIsRegisteredAndProductionHoldsTheBestOfThem() {
        List<ModelVersion> versions = registry.searchVersions("name = '" + MODEL + "'");
        assertEquals(result.steps().size(), versions.size());

        double best = versions.stream()
                .mapToDouble(v -> tracker.getRun(v.runId()).data().metrics().get("val_accuracy"))
                .max().orElseThrow();
        ModelVersion production = registry.latest(MODEL, Stage.PRODUCTION).orElseThrow();
        assertEquals(best, tracker.getRun(production.runId()).data().metrics().get("val_accuracy"));
        assertEquals(production.version(), result.production().orElseThrow().version());
        assertEquals(1, versions.stream().filter(v -> v.stage() == Stage.PRODUCTION).count());
    }

    @Test
    void historyRecordsEachRegistrationPromotionAndArchiving() {
        List<ModelEvent> history = registry.history(MODEL);
        assertEquals(history, result.history());

        List<Integer> registered = versionsWith(history, Action.VERSION_REGISTERED, null);
        assertEquals(result.steps().stream().map(ContinuousTraining.Step::version).toList(), registered);

        List<Integer> promoted = result.steps().stream().filter(ContinuousTraining.Step::promoted)
                .map(ContinuousTraining.Step::version).toList();
        assertEquals(promoted, versionsWith(history, Action.STAGE_CHANGED, "Production"));
        // Each promotion but the last was archived by the next one.
        assertEquals(promoted.subList(0, promoted.size() - 1), versionsWith(history, Action.STAGE_CHANGED, "Archived"));
        history.stream().filter(e -> e.action() == Action.STAGE_CHANGED && "Production".equals(e.to()))
                .forEach(e -> assertTrue(e.comment().startsWith("retrained on "), e.toString()));
    }

    /** The versions of the events with this action (and target state, if given), in trail order. */
    private static List<Integer> versionsWith(List<ModelEvent> history, Action action, String to) {
        return history.stream().filter(e -> e.action() == action && (to == null || to.equals(e.to())))
                .map(ModelEvent::version).toList();
    }
}
