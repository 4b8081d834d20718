package dev.runlog.storage.sqlite.internal;

import static dev.runlog.storage.sqlite.internal.Sql.update;

import dev.runlog.tracking.LifecycleStage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Changes to an experiment's row: its lifecycle, which its runs follow, and its tags; each inside
 * the caller's write transaction, after checking the experiment exists.
 */
final class SqliteExperimentUpdates {
    private SqliteExperimentUpdates() {
    }

    /**
     * Deletes the experiment and, marked as deleted with it, its active runs; or restores it and
     * the runs its deletion deleted (not those deleted on their own).
     */
    static Void lifecycle(Connection c, long id, String experimentId, LifecycleStage stage, Instant time) throws SQLException {
        SqliteTrackingStore.requireExperiment(c, id, experimentId);
        update(c, "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?",
                stage.name(), time.toEpochMilli(), id);
        if (stage == LifecycleStage.DELETED) {
            update(c, "UPDATE runs SET lifecycle_stage = ?, deleted_with_experiment = 1"
                    + " WHERE experiment_id = ? AND lifecycle_stage = ?", stage.name(), id, LifecycleStage.ACTIVE.name());
        } else {
            update(c, "UPDATE runs SET lifecycle_stage = ?, deleted_with_experiment = 0"
                    + " WHERE experiment_id = ? AND deleted_with_experiment = 1", stage.name(), id);
        }
        return null;
    }

    /** Sets a tag, or removes it when {@code value} is null. */
    static Void tag(Connection c, long id, String experimentId, String key, String value) throws SQLException {
        SqliteTrackingStore.requireExperiment(c, id, experimentId);
        if (value == null) {
            update(c, "DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", id, key);
        } else {
            update(c, "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)"
                    + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value", id, key, value);
        }
        return null;
    }
}
