package dev.runlog.storage.sqlite.internal;

import static dev.runlog.storage.sqlite.internal.Sql.bind;
import static dev.runlog.storage.sqlite.internal.Sql.update;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.ProcessOwner;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.StoreCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Garbage collection, the self-check and the ending of dead processes' runs for the SQLite
 * tracking store (TrackingStore's purgeDeleted, checkStore and killRunsOfDeadProcesses).
 */
final class SqliteMaintenance {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(SqliteMaintenance.class.getName());
    }
    /** The tables holding a run's rows, emptied before the run's own row; metric chunks go first, by series. */
    private static final List<String> RUN_TABLES = List.of("metric_series", "params", "tags", "run_data", "artifacts",
            "inputs", "run_owners");

    private SqliteMaintenance() {
    }

    static Purge purgeDeleted(SqliteDatabase db, Instant deletedBefore, Set<String> keep, boolean dryRun) {
        InputRules.notNull("deletedBefore", deletedBefore);
        InputRules.notNull("keep", keep);
        long before = deletedBefore.toEpochMilli();
        Purge purge = db.write(c -> {
            // A run deleted with its experiment was deleted when the experiment was; one deleted
            // before deletion times were kept (schema 8), when it ended or started.
            List<String> runs = new ArrayList<>(column(c, rs -> rs.getString(1), "SELECT r.run_id FROM runs r"
                    + " JOIN experiments e ON e.experiment_id = r.experiment_id WHERE r.lifecycle_stage = ? AND"
                    + " (CASE WHEN r.deleted_with_experiment = 1 THEN e.last_update_time"
                    + " ELSE coalesce(r.deleted_time, r.end_time, r.start_time) END) <= ? ORDER BY r.run_id",
                    LifecycleStage.DELETED.name(), before));
            runs.removeAll(keep);
            Set<String> purged = new HashSet<>(runs);
            List<String> experiments = new ArrayList<>();
            for (long experiment : column(c, rs -> rs.getLong(1), "SELECT experiment_id FROM experiments"
                    + " WHERE lifecycle_stage = ? AND last_update_time <= ? ORDER BY experiment_id",
                    LifecycleStage.DELETED.name(), before)) {
                if (purged.containsAll(column(c, rs -> rs.getString(1), "SELECT run_id FROM runs WHERE experiment_id = ?",
                        experiment))) {
                    experiments.add(Long.toString(experiment));
                }
            }
            if (!dryRun) {
                for (String run : runs) {
                    update(c, "DELETE FROM metric_chunks WHERE series_id IN (SELECT series_id FROM metric_series WHERE run_id = ?)", run);
                    for (String table : RUN_TABLES) {
                        update(c, "DELETE FROM " + table + " WHERE run_id = ?", run);
                    }
                    update(c, "DELETE FROM runs WHERE run_id = ?", run);
                    // Until the caller says its files are gone: a gc stopped before deleting them leaves them to the next.
                    update(c, "INSERT OR IGNORE INTO purged_runs (run_id) VALUES (?)", run);
                }
                for (String experiment : experiments) {
                    update(c, "DELETE FROM experiment_tags WHERE experiment_id = ?", Long.parseLong(experiment));
                    update(c, "DELETE FROM experiments WHERE experiment_id = ?", Long.parseLong(experiment));
                }
            }
            return new Purge(runs, experiments, 0);
        });
        if (dryRun || (purge.runIds().isEmpty() && purge.experimentIds().isEmpty() && !worthCompacting(db))) {
            return purge;
        }
        try {
            return new Purge(purge.runIds(), purge.experimentIds(), compact(db));
        } catch (RunlogException e) {
            // The purge is committed; a full disk (VACUUM writes a copy of the database) must not stop
            // the caller deleting the purged runs' files, which may be what frees the space.
            // Returned to the caller, who reports it (gc's one error line); the trace only at DEBUG.
            log().log(System.Logger.Level.DEBUG, "Compacting " + db.file() + " failed", e);
            return new Purge(purge.runIds(), purge.experimentIds(), 0, Optional.of(e.getMessage()));
        }
    }

    /**
     * Whether pages freed earlier are worth a compaction though this purge freed none: a gc stopped
     * (killed, or out of disk) between its purge and its compaction left them, and only a later
     * compaction gives them back. At least a quarter of the file and 1 MiB.
     */
    private static boolean worthCompacting(SqliteDatabase db) {
        return db.read(c -> {
            try (Statement s = c.createStatement()) {
                long free = single(s, "PRAGMA freelist_count");
                long pages = single(s, "PRAGMA page_count");
                return free * 4 >= pages && free * single(s, "PRAGMA page_size") >= 1 << 20;
            }
        });
    }

    /** The work of {@link SqliteTrackingStore#pendingArtifactDeletions}: purged runs not imported again since. */
    static List<String> pendingArtifactDeletions(SqliteDatabase db) {
        return db.read(c -> column(c, rs -> rs.getString(1), "SELECT p.run_id FROM purged_runs p WHERE NOT EXISTS"
                + " (SELECT 1 FROM runs r WHERE r.run_id = p.run_id) ORDER BY p.run_id"));
    }

    static void artifactsDeleted(SqliteDatabase db, String runId) {
        InputRules.notNull("run id", runId);
        db.write(c -> update(c, "DELETE FROM purged_runs WHERE run_id = ?", runId));
    }

    /** VACUUM, then a WAL checkpoint so the file itself shrinks; returns the bytes given back. */
    private static long compact(SqliteDatabase db) {
        return db.writeOutsideTransaction(c -> {
            try (Statement s = c.createStatement()) {
                long before = size(s);
                s.execute("VACUUM");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                long freed = Math.max(0, before - size(s));
                log().log(System.Logger.Level.INFO, "Compacted {0}: {1} bytes given back", db.file(), freed);
                return freed;
            }
        });
    }

    private static long size(Statement s) throws SQLException {
        return single(s, "PRAGMA page_count") * single(s, "PRAGMA page_size");
    }

    /** The work of {@link SqliteTrackingStore#killRunsOfDeadProcesses}, as its comment describes it. */
    static List<String> killRunsOfDeadOwners(SqliteDatabase db, Instant endTime) {
        List<Map.Entry<String, ProcessOwner>> dead = runsOfDeadOwners(db);
        if (dead.isEmpty()) {
            return List.of();
        }
        List<String> ended = db.writeIfFree(c -> {
            List<String> killed = new ArrayList<>();
            for (Map.Entry<String, ProcessOwner> entry : dead) {
                String runId = entry.getKey();
                // Each run in a savepoint of its own: a run whose record is damaged is left as it is (doctor
                // names it), and the other dead runs are still ended, now and not never.
                update(c, "SAVEPOINT ending_run");
                try {
                    if (endKilled(c, runId, entry.getValue(), endTime)) {
                        killed.add(runId);
                    }
                    update(c, "RELEASE ending_run");
                } catch (IntegrityException damaged) {
                    update(c, "ROLLBACK TO ending_run");
                    update(c, "RELEASE ending_run");
                    log().log(System.Logger.Level.WARNING, "Run {0}, whose process is gone, stays RUNNING: {1}", runId,
                            damaged.getMessage());
                }
            }
            return killed;
        }).orElseGet(List::of);
        // Said once committed: a full disk rolls the transaction back, and the runs stay RUNNING.
        Map<String, ProcessOwner> owners = new HashMap<>();
        dead.forEach(entry -> owners.put(entry.getKey(), entry.getValue()));
        for (String runId : ended) {
            log().log(System.Logger.Level.INFO, "Run {0} marked KILLED: its process ({1}) is gone and did not end it",
                    runId, owners.get(runId));
        }
        return ended;
    }

    /** Ends one dead process's run as KILLED with its reason; false if it is no longer RUNNING. */
    private static boolean endKilled(Connection c, String runId, ProcessOwner owner, Instant endTime) throws SQLException {
        // Checked again under the write lock: another process may have ended it since the read.
        // Ended at its last sign of life, its latest stored point (its start without one), not when
        // a later process happened to notice: that could be days after, and every duration would say so.
        if (update(c, "UPDATE runs SET status = ?, end_time = MAX(start_time, MIN(?, COALESCE((SELECT"
                + " MAX(MAX(last_timestamp, latest_timestamp)) FROM metric_series WHERE run_id = ?), start_time)))"
                + " WHERE run_id = ? AND status = ?",
                RunStatus.KILLED.name(), endTime.toEpochMilli(), runId, runId, RunStatus.RUNNING.name()) == 0) {
            return false;
        }
        String reason = "its process (" + owner + ") is gone and did not end it: killed or crashed;"
                + " marked KILLED by pid " + ProcessOwner.current().pid() + " when it opened the store at " + endTime
                + ", ended at its last stored metric point (or its start)";
        Map<String, String> tags = Map.of(Tracker.KILLED_REASON_TAG, reason);
        SqliteTrackingStore.upsertTags(c, runId, tags);
        SqliteTrackingStore.updateRunData(c, runId, Map.of(), tags, Map.of());
        update(c, "DELETE FROM run_owners WHERE run_id = ?", runId);
        return true;
    }

    /**
     * The RUNNING runs owned by a process of this machine (this process's host and pid namespace)
     * that is gone, with their owners: what opening a store ends as KILLED. The table holds only
     * running runs' owners, so all are read and the machine compared here: this process is then
     * described only when some run has an owner, not at every open of a store nobody writes.
     */
    private static List<Map.Entry<String, ProcessOwner>> runsOfDeadOwners(SqliteDatabase db) {
        return db.read(c -> {
            List<Map.Entry<String, ProcessOwner>> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.run_id, o.host, o.pid_namespace, o.pid, o.process_start"
                    + " FROM run_owners o JOIN runs r ON r.run_id = o.run_id WHERE r.status = ?")) {
                bind(ps, RunStatus.RUNNING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long start = rs.getLong(5);
                        // Asked right after the start time's own read: a NULL start is unknown, not 1970,
                        // and an owner of unknown start whose pid is alive is never taken for gone.
                        OptionalLong started = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(start);
                        ProcessOwner owner = new ProcessOwner(rs.getString(2), Optional.ofNullable(rs.getString(3)),
                                rs.getLong(4), started);
                        if (owner.isGone()) {
                            found.add(Map.entry(rs.getString(1), owner));
                        }
                    }
                }
            }
            return found;
        });
    }

    /**
     * SQLite's own checks (the integrity of every page and index, every foreign key), then every
     * metric chunk decoded and every run record against its tables ({@link RunRecordCheck}):
     * SQLite's check does not look inside records, a chunk's checksum does.
     */
    static StoreCheck check(SqliteDatabase db) {
        List<String> problems = new ArrayList<>();
        // Each check in a read of its own: one SQLite cannot finish (pages too damaged to walk) fails
        // its read, the commit included, and is then a finding of its own, not the end of the report.
        long version = db.scan(c -> {
            try (Statement s = c.createStatement()) {
                return single(s, "PRAGMA user_version");
            }
        });
        problems.addAll(checked(db, "the integrity check", c -> column(c, rs -> rs.getString(1), "PRAGMA integrity_check")
                .stream().filter(line -> !line.equals("ok")).map(line -> "integrity check: " + line).toList()));
        problems.addAll(checked(db, "the foreign key check", c -> {
            List<String> found = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                while (rs.next()) {
                    found.add("table " + rs.getString(1) + " row " + rs.getLong(2) + " refers to a missing row of "
                            + rs.getString(3));
                }
            }
            return found;
        }));
        if (version != Schema.latestVersion()) {
            problems.add("schema version " + version + ", expected " + Schema.latestVersion());
        }
        problems.addAll(checked(db, "reading the metric chunks", c -> {
            List<String> found = new ArrayList<>();
            checkChunks(c, found);
            return found;
        }));
        problems.addAll(checked(db, "reading the run records", c -> {
            List<String> found = new ArrayList<>();
            RunRecordCheck.check(c, found);
            return found;
        }));
        return new StoreCheck("SQLite schema " + version + ", " + db.file(), problems);
    }

    /** What {@code check} finds, or that it could not finish because the file is damaged. */
    private static List<String> checked(SqliteDatabase db, String what, SqliteDatabase.Work<List<String>> check) {
        try {
            return db.scan(check);
        } catch (IntegrityException e) {
            return List.of(what + " could not finish: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
    }

    /** Decodes every metric chunk into one reused buffer, naming each that fails or holds another count. */
    private static void checkChunks(Connection c, List<String> problems) throws SQLException {
        long[] steps = new long[0];
        long[] timestamps = new long[0];
        double[] values = new double[0];
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT m.run_id, m.key, k.chunk_no, k.point_count, k.data FROM metric_chunks k"
                     + " JOIN metric_series m ON m.series_id = k.series_id")) {
            while (rs.next()) {
                int count = rs.getInt(4);
                if (steps.length < count) {
                    steps = new long[count];
                    timestamps = new long[count];
                    values = new double[count];
                }
                String where = "metric '" + rs.getString(2) + "' of run " + rs.getString(1) + ", chunk " + rs.getLong(3);
                try {
                    int decoded = ChunkCodec.decode(rs.getBytes(5), steps, timestamps, values, 0);
                    if (decoded != count) {
                        problems.add(where + " holds " + decoded + " points, its row says " + count);
                    }
                } catch (IntegrityException e) { // how decode reports any malformed chunk
                    problems.add(where + ": " + e.getMessage());
                }
            }
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @FunctionalInterface
    private interface Cell<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The first column of every row a query returns, with {@code args} bound. */
    private static <T> List<T> column(Connection c, Cell<T> cell, String sql, Object... args) throws SQLException {
        List<T> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(cell.read(rs));
                }
            }
        }
        return values;
    }
}
