package dev.runlog.storage.postgres.internal;

import static dev.runlog.storage.postgres.internal.PgDatabase.exists;
import static dev.runlog.storage.postgres.internal.PgDatabase.update;

import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSnapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Experiments and runs that exist elsewhere, written with their identity, and runs read back whole
 * for such a copy, and runs recorded in bulk: the SQL behind {@code importExperiment},
 * {@code importRun}, {@code importMetrics}, {@code snapshotRun} and {@code recordRuns}' inserts, each
 * inside one transaction of the caller's. Rows go in a statement per
 * table whatever their number (arrays through {@code unnest}), so an import costs a few round trips.
 */
final class PgImports {
    private PgImports() {
    }

    static void importExperiment(Connection c, Experiment e) throws SQLException {
        long id = Long.parseLong(RunSnapshot.experimentId(e.id()));
        if (exists(c, "SELECT 1 FROM runlog_experiments WHERE experiment_id = ?", id)) {
            throw new ConflictException("An experiment with id " + e.id() + " already exists");
        }
        if (exists(c, "SELECT 1 FROM runlog_experiments WHERE name = ?", e.name())) {
            throw new ConflictException("An experiment named '" + e.name() + "' already exists");
        }
        // New experiments must be numbered after the imported one: the identity's sequence moves
        // past it first (never back), so a host creating one concurrently cannot take this id.
        if (id > 0) {
            PgDatabase.first(c, rs -> rs.getLong(1), "SELECT setval(s, greatest(?, coalesce(pg_sequence_last_value(s::regclass), 0)))"
                    + " FROM pg_get_serial_sequence('runlog_experiments', 'experiment_id') AS s", id);
        }
        try {
            update(c, "INSERT INTO runlog_experiments (experiment_id, name, lifecycle_stage, creation_time, last_update_time)"
                    + " VALUES (?, ?, ?, ?, ?)", id, e.name(), e.lifecycleStage().name(), e.creationTime().toEpochMilli(),
                    e.lastUpdateTime().toEpochMilli());
        } catch (SQLException x) {
            if (PgErrors.isUniqueViolation(x)) {
                // Another host took the id or the name between our check and our insert.
                throw new ConflictException("An experiment with id " + e.id() + " or named '" + e.name() + "' already exists");
            }
            throw x;
        }
        PgRunWrites.pairs(c, "INSERT INTO runlog_experiment_tags (experiment_id, key, value) SELECT ?, k, v"
                + " FROM unnest(?::text[], ?::text[]) AS p (k, v)", id, e.tags());
    }

    static void importRun(Connection c, RunSnapshot run) throws SQLException {
        RunInfo info = run.info();
        long experimentId = PgTrackingStore.experimentKey(info.experimentId())
                .orElseThrow(() -> new NotFoundException("No experiment with id " + info.experimentId()));
        String experimentStage = PgTrackingStore.lockExperiment(c, experimentId, info.experimentId());
        if (exists(c, "SELECT 1 FROM runlog_runs WHERE run_id = ?", info.id())) {
            throw new ConflictException("A run with id " + info.id() + " already exists");
        }
        if (experimentStage.equals(LifecycleStage.DELETED.name()) && info.lifecycleStage() == LifecycleStage.ACTIVE) {
            throw new InvalidInputException("run " + info.id() + " is ACTIVE in deleted experiment " + info.experimentId());
        }
        // No owner, even for a RUNNING run: no process of this host runs it, so none may end it as orphaned.
        try {
            update(c, "INSERT INTO runlog_runs (run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage,"
                    + " deleted_with_experiment, deleted_time, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    info.id(), experimentId, info.name(), info.status().name(), info.startTime().toEpochMilli(),
                    info.endTime().map(Instant::toEpochMilli).orElse(null), info.lifecycleStage().name(),
                    run.deletedWithExperiment(), run.deletedTime().map(Instant::toEpochMilli).orElse(null), info.artifactUri());
        } catch (SQLException e) {
            if (PgErrors.isUniqueViolation(e)) {
                throw new ConflictException("A run with id " + info.id() + " already exists");
            }
            throw e;
        }
        String[] tables = {"runlog_params", "runlog_tags"};
        List<Map<String, String>> values = List.of(run.params(), run.tags());
        for (int i = 0; i < tables.length; i++) {
            PgRunWrites.pairs(c, "INSERT INTO " + tables[i] + " (run_id, key, value) SELECT ?, k, v" // our own table names
                    + " FROM unnest(?::text[], ?::text[]) AS p (k, v)", info.id(), values.get(i));
        }
        PgRunData.refresh(c, info.id());
        PgRunFiles.recordArtifacts(c, info.id(), run.artifacts());
        PgRunFiles.recordInputs(c, info.id(), run.inputs());
    }

    /** Appends under the run's row lock, whatever its status and stage, as a batch from its own process would. */
    static void importMetrics(Connection c, String runId, List<Metric> points) throws SQLException {
        if (!exists(c, "SELECT 1 FROM runlog_runs WHERE run_id = ? FOR UPDATE", runId)) {
            throw new NotFoundException("No run with id " + runId);
        }
        if (!points.isEmpty()) {
            PgChunks.append(c, runId, points, null);
            PgRunData.refresh(c, runId);
        }
    }

    static RunSnapshot snapshotRun(Connection c, String runId) throws SQLException {
        Run run = PgRunReader.load(c, List.of(runId)).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("No run with id " + runId));
        Object[] deletion = PgDatabase.first(c, rs -> new Object[] {rs.getBoolean(1), rs.getObject(2)},
                "SELECT deleted_with_experiment, deleted_time FROM runlog_runs WHERE run_id = ?", runId).orElseThrow();
        boolean withExperiment = (Boolean) deletion[0];
        Optional<Instant> deletedTime = deletion[1] == null || withExperiment
                || run.info().lifecycleStage() != LifecycleStage.DELETED ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(((Number) deletion[1]).longValue()));
        return new RunSnapshot(run.info(), run.data().params(), run.data().tags(), run.inputs(),
                PgRunFiles.recordedArtifacts(c, runId), withExperiment, deletedTime);
    }

    /**
     * Inserts recorded runs (whose experiments the caller has checked and locked) with their tags,
     * params, metric points and run records: a fixed number of array-bound statements, whatever the
     * number of runs.
     *
     * @throws ConflictException if one of the run ids is taken
     */
    static void insertRecordedRuns(Connection c, List<RecordedRun> runs, Map<String, Long> experimentIds)
            throws SQLException {
        String[] ids = runs.stream().map(r -> r.spec().runId()).toArray(String[]::new);
        Optional<String> taken = PgDatabase.first(c, rs -> rs.getString(1),
                "SELECT run_id FROM runlog_runs WHERE run_id = ANY (?) LIMIT 1", (Object) ids);
        if (taken.isPresent()) {
            throw new ConflictException("A run with id " + taken.get() + " already exists");
        }
        try {
            update(c, "INSERT INTO runlog_runs (run_id, experiment_id, name, status, start_time, end_time,"
                    + " lifecycle_stage, artifact_uri) SELECT id, e, n, s, st, et, 'ACTIVE', u FROM unnest(?::text[], ?::bigint[],"
                    + " ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[]) WITH ORDINALITY"
                    + " AS r (id, e, n, s, st, et, u, o) ORDER BY o",
                    ids, runs.stream().map(r -> experimentIds.get(r.spec().experimentId())).toArray(Long[]::new),
                    runs.stream().map(r -> r.spec().name()).toArray(String[]::new),
                    runs.stream().map(r -> r.endStatus().name()).toArray(String[]::new),
                    runs.stream().map(r -> r.spec().startTime().toEpochMilli()).toArray(Long[]::new),
                    runs.stream().map(r -> r.endTime().toEpochMilli()).toArray(Long[]::new),
                    runs.stream().map(r -> r.spec().artifactUri()).toArray(String[]::new));
        } catch (SQLException e) {
            if (PgErrors.isUniqueViolation(e)) {
                // Another host recorded one of these ids between our check and our insert.
                throw new ConflictException("A run with one of these ids already exists: " + e.getMessage());
            }
            throw e;
        }
        triples(c, "INSERT INTO runlog_tags (run_id, key, value) SELECT * FROM unnest(?::text[], ?::text[], ?::text[])",
                runs, r -> r.spec().tags());
        triples(c, "INSERT INTO runlog_params (run_id, key, value) SELECT * FROM unnest(?::text[], ?::text[], ?::text[])",
                runs, RecordedRun::params);
        Map<String, List<Metric>> points = new LinkedHashMap<>();
        for (RecordedRun run : runs) {
            points.put(run.spec().runId(), run.metrics());
        }
        PgChunks.appendAll(c, points);
        PgRunData.refresh(c, points.keySet());
    }

    /** Inserts every run's pairs of {@code pairs} as rows (run id, key, value), in one statement. */
    private static void triples(Connection c, String sql, List<RecordedRun> runs,
                                java.util.function.Function<RecordedRun, Map<String, String>> pairs) throws SQLException {
        List<String> owners = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (RecordedRun run : runs) {
            pairs.apply(run).forEach((k, v) -> {
                owners.add(run.spec().runId());
                keys.add(k);
                values.add(v);
            });
        }
        if (!owners.isEmpty()) {
            update(c, sql, owners.toArray(new String[0]), keys.toArray(new String[0]), values.toArray(new String[0]));
        }
    }
}
