package dev.runlog.storage.sqlite.internal;

import static dev.runlog.storage.sqlite.internal.Sql.update;

import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.spi.TrackingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Renaming experiments and runs ({@link TrackingStore#renameExperiment}, {@link TrackingStore#renameRun}),
 * each inside the caller's write transaction, which SQLite runs alone: a name checked free stays
 * free until the commit.
 */
final class SqliteRenames {
    private SqliteRenames() {
    }

    static Void experiment(Connection c, long id, String experimentId, String newName, Instant time) throws SQLException {
        String stage = SqliteTrackingStore.requireExperiment(c, id, experimentId);
        if (!stage.equals(LifecycleStage.ACTIVE.name())) {
            throw new ConflictException("Experiment " + experimentId + " is deleted; restore it before renaming it");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT experiment_id, lifecycle_stage FROM experiments WHERE name = ? AND experiment_id <> ?")) {
            ps.setString(1, newName);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new ConflictException("An experiment named '" + newName + "' already exists (id " + rs.getLong(1)
                            + (rs.getString(2).equals(LifecycleStage.DELETED.name()) ? ", deleted" : "") + ")");
                }
            }
        }
        update(c, "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                newName, time.toEpochMilli(), id);
        return null;
    }

    /** Renames the run and, if it has one, its name tag, in the tags table and in its data record alike. */
    static Void run(Connection c, String runId, String newName) throws SQLException {
        SqliteTrackingStore.requireUndeletedRun(c, runId);
        update(c, "UPDATE runs SET name = ? WHERE run_id = ?", newName, runId);
        if (update(c, "UPDATE tags SET value = ? WHERE run_id = ? AND key = ?", newName, runId,
                TrackingStore.RUN_NAME_TAG) == 0) {
            return null;
        }
        byte[] blob;
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM run_data WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                blob = rs.getBytes(1);
            }
        }
        RunDataCodec.Data data = RunDataCodec.decode(blob);
        data.tags().put(TrackingStore.RUN_NAME_TAG, newName);
        update(c, "UPDATE run_data SET data = ? WHERE run_id = ?", RunDataCodec.encode(data), runId);
        return null;
    }
}
