package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Purge;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code runlog gc} on PostgreSQL: deletes for good, in one transaction, the runs deleted long
 * enough ago and then the deleted experiments left with no run, each table in one set-based
 * statement. PostgreSQL's autovacuum reuses the space afterwards; nothing is compacted here, so
 * the bytes reclaimed are reported as 0.
 */
final class PgPurge {
    /** The tables keyed by run id whose rows go with a purged run (metric chunks go with their series). */
    private static final List<String> RUN_ROWS = List.of("runlog_metric_series", "runlog_params", "runlog_tags",
            "runlog_artifact_records", "runlog_inputs", "runlog_runs");

    private PgPurge() {
    }

    static Purge purge(PgDatabase db, Instant deletedBefore, Set<String> keep, boolean dryRun) {
        InputRules.notNull("deletedBefore", deletedBefore);
        InputRules.notNull("keep", keep);
        long before = deletedBefore.toEpochMilli();
        return db.write(c -> {
            // When a run counts as deleted: with its experiment, when that was; alone, at its deletion
            // time, or (deleted with no time recorded) when it ended, else started.
            List<String> runs = strings(c, "SELECT r.run_id FROM runlog_runs r JOIN runlog_experiments e"
                    + " ON e.experiment_id = r.experiment_id WHERE r.lifecycle_stage = 'DELETED' AND NOT (r.run_id = ANY (?))"
                    + " AND CASE WHEN r.deleted_with_experiment THEN e.last_update_time"
                    + " ELSE coalesce(r.deleted_time, r.end_time, r.start_time) END <= ? ORDER BY r.run_id",
                    c.createArrayOf("text", keep.toArray()), before);
            Array purged = c.createArrayOf("text", runs.toArray());
            List<String> experiments = strings(c, "SELECT e.experiment_id::text FROM runlog_experiments e"
                    + " WHERE e.lifecycle_stage = 'DELETED' AND e.last_update_time <= ? AND NOT EXISTS (SELECT 1"
                    + " FROM runlog_runs r WHERE r.experiment_id = e.experiment_id AND NOT (r.run_id = ANY (?)))"
                    + " ORDER BY e.experiment_id", before, purged);
            if (!dryRun) {
                for (String table : RUN_ROWS) {
                    PgDatabase.update(c, "DELETE FROM " + table + " WHERE run_id = ANY (?)", purged);
                }
                PgDatabase.update(c, "DELETE FROM runlog_experiments WHERE experiment_id::text = ANY (?)",
                        c.createArrayOf("text", experiments.toArray()));
                // Until the caller says their artifacts are gone: a gc stopped before deleting them leaves them to the next.
                PgDatabase.update(c, "INSERT INTO runlog_purged_runs (run_id) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING",
                        purged);
            }
            return new Purge(runs, experiments, 0);
        });
    }

    /** Purged runs whose artifacts are not yet said to be deleted, leaving out ids imported again since. */
    static List<String> pending(PgDatabase db) {
        return db.read(c -> strings(c, "SELECT p.run_id FROM runlog_purged_runs p WHERE NOT EXISTS"
                + " (SELECT 1 FROM runlog_runs r WHERE r.run_id = p.run_id) ORDER BY p.run_id"));
    }

    static void artifactsDeleted(PgDatabase db, String runId) {
        InputRules.notNull("run id", runId);
        db.write(c -> PgDatabase.update(c, "DELETE FROM runlog_purged_runs WHERE run_id = ?", runId));
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
