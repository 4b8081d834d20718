package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.TrackerStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row changed by other means to a value Runlog never writes: reading it is an IntegrityException
 * naming the value, not an internal IllegalArgumentException that stopped doctor and every listing.
 */
class HandEditedRowsTest {
    @TempDir
    Path dir;

    @Test
    void aStatusOrStageRunlogNeverWritesIsReportedByName() throws Exception {
        String uri = "sqlite:" + dir.resolve("edited.db");
        String runId;
        try (Tracker tracker = Tracker.open(uri)) {
            try (ActiveRun run = tracker.startRun("edited")) {
                runId = run.id();
                ModelRegistry.of(tracker).register("m", run.logModel("model", Map.of("w", 1)).uri());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + uri); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE runs SET status = 'WEIRD'");
            s.executeUpdate("UPDATE model_versions SET stage = 'Bogus'");
        }
        try (Tracker tracker = Tracker.open(uri)) {
            IntegrityException run = assertThrows(IntegrityException.class, () -> tracker.getRun(runId));
            assertTrue(run.getMessage().contains("a run status 'WEIRD', which Runlog never writes"), run.getMessage());
            IntegrityException version = assertThrows(IntegrityException.class, () -> ModelRegistry.of(tracker).getVersion("m", 1));
            assertTrue(version.getMessage().contains("a version stage 'Bogus'"), version.getMessage());
        }
    }

    /** A corrupt record said only "a run": doctor's report and a listing's error left the user to find which. */
    @Test
    void aCorruptRunRecordNamesItsRun() throws Exception {
        String uri = "sqlite:" + dir.resolve("record.db");
        String runId;
        try (Tracker tracker = Tracker.open(uri); ActiveRun run = tracker.startRun("record")) {
            run.logParam("lr", "0.1");
            runId = run.id();
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + uri); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run_data SET data = substr(data, 1, 20)");
        }
        try (Tracker tracker = Tracker.open(uri)) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.getRun(runId));
            assertTrue(e.getMessage().startsWith("Run " + runId + ": The stored data record of a run is corrupt"), e.getMessage());
            IntegrityException listed = assertThrows(IntegrityException.class, () -> tracker.searchRuns().list());
            assertTrue(listed.getMessage().contains(runId), listed.getMessage());
        }
    }

    /**
     * The store's own check (what doctor shows) names every damaged run record, not only the
     * first, and a record that says other than the tables searches match, either way.
     */
    @Test
    void theStoreCheckNamesEveryRunWhoseRecordIsDamagedOrDisagreesWithItsTables() throws Exception {
        String uri = "sqlite:" + dir.resolve("records.db");
        List<String> ids = new ArrayList<>();
        try (Tracker tracker = Tracker.open(uri)) {
            for (int i = 0; i < 5; i++) {
                try (ActiveRun run = tracker.startRun("r" + i)) {
                    run.logParam("lr", "0.1");
                    run.setTag("team", "a");
                    run.logMetric("loss", 0.5, 3);
                    ids.add(run.id());
                }
            }
            assertEquals(List.of(), TrackerStores.of(tracker).tracking().checkStore().problems(), "a healthy store");
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + uri); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run_data SET data = substr(data, 1, 20) WHERE run_id IN ('" + ids.get(0) + "', '" + ids.get(1) + "')");
            s.executeUpdate("UPDATE tags SET value = 'b' WHERE key = 'team' AND run_id = '" + ids.get(2) + "'");
            s.executeUpdate("DELETE FROM params WHERE run_id = '" + ids.get(3) + "'");
            s.executeUpdate("UPDATE metric_series SET latest_step = 9 WHERE run_id = '" + ids.get(4) + "'");
        }
        try (Tracker tracker = Tracker.open(uri)) {
            List<String> problems = TrackerStores.of(tracker).tracking().checkStore().problems();
            assertEquals(5, problems.size(), problems.toString());
            String all = String.join("\n", problems);
            assertTrue(all.contains("Run " + ids.get(0) + ": The stored data record of a run is corrupt"), all);
            assertTrue(all.contains("Run " + ids.get(1) + ": The stored data record of a run is corrupt"), all);
            assertTrue(all.contains("run " + ids.get(2) + ": its record and its table disagree on tags 'team'"
                    + " (reads show 'a', searches match 'b')"), all);
            assertTrue(all.contains("run " + ids.get(3) + ": its record holds params 'lr', which searches do not find"), all);
            assertTrue(all.contains("run " + ids.get(4) + ": its record and its table disagree on latest metric values 'loss'"), all);
        }
    }
}
