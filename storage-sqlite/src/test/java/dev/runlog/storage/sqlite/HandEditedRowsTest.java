package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
}
