package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.GateResult;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written before migration 7 (no gates on audit trail events, no run-counting index)
 * opens, keeps its trail with no gates on the old events, and records gates and answers experiment
 * summaries from then on.
 */
class SqliteMigration7Test {

    @TempDir
    Path dir;

    private Tracker open() {
        return Tracker.builder().uri("sqlite:" + dir.resolve("runlog.db")).shutdownHook(false).build();
    }

    @Test
    void aDatabaseFromBeforeMigration7ReadsItsOldEventsWithNoGates() throws Exception {
        List<String> oldTrail;
        try (Tracker tracker = open()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            for (int i = 0; i < 2; i++) {
                try (ActiveRun run = tracker.startRun("old")) {
                    run.logMetric("accuracy", 0.9 + i / 100.0);
                    registry.register("m", run.logModel("model", Map.of("w", (double) i)).uri());
                }
            }
            registry.transition("m", 1, Stage.PRODUCTION);
            registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting().comment("by hand"));
            oldTrail = registry.history("m").stream().map(ModelEvent::toString).toList();
        }
        // What a database written before migration 7 looks like: no gates column, no index, schema version 6.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runlog.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP INDEX runs_by_experiment_stage");
            s.execute("ALTER TABLE registry_events DROP COLUMN gates");
            s.execute("ALTER TABLE runs DROP COLUMN deleted_time");
            s.execute("DROP TABLE purged_runs");
            s.execute("PRAGMA user_version = 6");
        }

        try (Tracker tracker = open()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            List<ModelEvent> trail = registry.history("m");
            assertEquals(oldTrail, trail.stream().map(ModelEvent::toString).toList());
            assertTrue(trail.stream().allMatch(e -> e.gates().isEmpty()), trail.toString());

            registry.promote("m", 1, Stage.PRODUCTION, Gates.metricAtLeast("accuracy", 0.8));
            List<ModelEvent> now = registry.history("m", 1);
            assertEquals(List.of(new GateResult("metrics.accuracy >= 0.8", true, "0.9", ">= 0.8")),
                    now.get(now.size() - 1).gates());
            List<ExperimentSummary> summaries = tracker.experimentSummaries(ViewType.ALL);
            assertEquals(List.of("old 2/0"), summaries.stream()
                    .map(x -> x.experiment().name() + " " + x.activeRuns() + "/" + x.deletedRuns()).toList());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runlog.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'runs_by_experiment_stage'")) {
            assertEquals(1, rs.getInt(1), "migration 7 created the index again");
        }
    }
}
