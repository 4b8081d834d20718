package dev.runlog.storage.postgres.internal;

import static dev.runlog.storage.postgres.internal.PgDatabase.update;

import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.spi.StoredValues;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes of a run's metric points, params and tags inside a transaction the caller holds: what
 * {@code logBatch} does for one run and {@code logMetricsOfRuns} for each of several in one.
 */
final class PgRunWrites {
    private static final String ACTIVE = LifecycleStage.ACTIVE.name();

    private PgRunWrites() {
    }

    /**
     * Appends {@code metrics}, inserts {@code params} and upserts {@code tags} under the run's row
     * lock. The run's data record is read with that lock and written back with the latest points of
     * the keys the batch wrote (and its params and tags): rebuilding it from every param, tag and
     * series row of the run, per batch, cost ingest a fifth of its rate.
     */
    static void append(Connection c, String runId, List<Metric> metrics, Map<String, String> params,
                       Map<String, String> tags) throws SQLException {
        PgRunData.Data record = lockActiveRunWithRecord(c, runId);
        insertParams(c, runId, params);
        upsertTags(c, runId, tags);
        record.params().putAll(params);
        record.tags().putAll(tags);
        if (!metrics.isEmpty()) {
            PgChunks.append(c, runId, metrics, latest -> {
                record.latest().putAll(latest);
                return PgRunData.encode(record);
            });
        } else if (!params.isEmpty() || !tags.isEmpty()) {
            PgRunData.store(c, runId, record);
        }
    }

    /** Locks an active run's row and returns what its record holds (schema migration 4 keeps the record in the row). */
    private static PgRunData.Data lockActiveRunWithRecord(Connection c, String runId) throws SQLException {
        LockedRun run = lockUndeleted(c, runId, true);
        requireActive(runId, run.status());
        return PgRunData.decodeForChange(run.record());
    }

    /** A run's row locked for this transaction: its status, and its record when asked for (else null). */
    record LockedRun(RunStatus status, byte[] record) {
    }

    /** Locks the run's row for this transaction, refusing a missing or deleted run; reads its record if {@code withRecord}. */
    static LockedRun lockUndeleted(Connection c, String runId, boolean withRecord) throws SQLException {
        Object[] row = PgDatabase.first(c,
                rs -> new Object[] {rs.getString(1), rs.getString(2), withRecord ? rs.getBytes(3) : null},
                "SELECT status, lifecycle_stage" + (withRecord ? ", data" : "") + " FROM runlog_runs"
                        + " WHERE run_id = ? FOR UPDATE", runId)
                .orElseThrow(() -> new NotFoundException("No run with id " + runId));
        if (!row[1].equals(ACTIVE)) {
            throw new RunNotActiveException(runId, "it is deleted");
        }
        return new LockedRun(StoredValues.constant(RunStatus.class, (String) row[0], "a run status"), (byte[]) row[2]);
    }

    /** Refuses a run that has ended, and a deleted one (a null status). */
    static void requireActive(String runId, RunStatus status) {
        if (status == null) {
            throw new RunNotActiveException(runId, "it is deleted");
        }
        if (!status.isActive()) {
            throw new RunNotActiveException(runId, "it has ended with status " + status);
        }
    }

    /** Inserts params not yet stored; one stored with another value is a conflict. The run is locked. */
    private static void insertParams(Connection c, String runId, Map<String, String> params) throws SQLException {
        if (params.isEmpty()) {
            return;
        }
        Map<String, String> fresh = new LinkedHashMap<>(params);
        for (String[] stored : PgDatabase.list(c, rs -> new String[] {rs.getString(1), rs.getString(2)},
                "SELECT key, value FROM runlog_params WHERE run_id = ? AND key = ANY (?)", runId,
                params.keySet().toArray(new String[0]))) {
            String wanted = fresh.remove(stored[0]);
            if (!stored[1].equals(wanted)) {
                throw new ParamConflictException(runId, stored[0], stored[1], wanted);
            }
        }
        pairs(c, "INSERT INTO runlog_params (run_id, key, value) SELECT ?, k, v FROM unnest(?::text[], ?::text[]) AS p (k, v)",
                runId, fresh);
    }

    static void upsertTags(Connection c, String runId, Map<String, String> tags) throws SQLException {
        pairs(c, "INSERT INTO runlog_tags (run_id, key, value) SELECT ?, k, v FROM unnest(?::text[], ?::text[]) AS p (k, v)"
                + " ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value", runId, tags);
    }

    /** Runs {@code sql} with the owner (run or experiment id) and the keys and values as two arrays: one statement for any number. */
    static void pairs(Connection c, String sql, Object owner, Map<String, String> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        update(c, sql, owner, entries.keySet().toArray(new String[0]), entries.values().toArray(new String[0]));
    }
}
