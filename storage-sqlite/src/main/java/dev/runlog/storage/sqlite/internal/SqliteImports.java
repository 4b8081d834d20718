package dev.runlog.storage.sqlite.internal;

import static dev.runlog.storage.sqlite.internal.Sql.bind;
import static dev.runlog.storage.sqlite.internal.Sql.update;

import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.spi.RunSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Experiments and runs that exist elsewhere, written with their identity, and runs read back whole
 * for such a copy: the SQL behind {@code importExperiment}, {@code importRun}, {@code importMetrics}
 * and {@code snapshotRun}, each run inside one transaction of the caller's.
 */
final class SqliteImports {
    private SqliteImports() {
    }

    static void importExperiment(Connection c, Experiment e) throws SQLException {
        long id = Long.parseLong(RunSnapshot.experimentId(e.id()));
        if (exists(c, "SELECT 1 FROM experiments WHERE experiment_id = ?", id)) {
            throw new ConflictException("An experiment with id " + e.id() + " already exists");
        }
        if (exists(c, "SELECT 1 FROM experiments WHERE name = ?", e.name())) {
            throw new ConflictException("An experiment named '" + e.name() + "' already exists");
        }
        // An explicit id: AUTOINCREMENT then numbers new experiments after the highest id ever stored.
        update(c, "INSERT INTO experiments (experiment_id, name, lifecycle_stage, creation_time, last_update_time)"
                + " VALUES (?, ?, ?, ?, ?)", id, e.name(), e.lifecycleStage().name(), e.creationTime().toEpochMilli(),
                e.lastUpdateTime().toEpochMilli());
        insertAll(c, "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)", id, e.tags());
    }

    static void importRun(Connection c, RunSnapshot run) throws SQLException {
        RunInfo info = run.info();
        long experimentId = SqliteTrackingStore.existingExperimentKey(info.experimentId());
        String experimentStage = SqliteTrackingStore.requireExperiment(c, experimentId, info.experimentId());
        if (exists(c, "SELECT 1 FROM runs WHERE run_id = ?", info.id())) {
            throw new ConflictException("A run with id " + info.id() + " already exists");
        }
        if (experimentStage.equals(LifecycleStage.DELETED.name()) && info.lifecycleStage() == LifecycleStage.ACTIVE) {
            throw new InvalidInputException("run " + info.id() + " is ACTIVE in deleted experiment " + info.experimentId());
        }
        // No run_owners row, even for a RUNNING run: no process of this machine runs it, so none may end it as orphaned.
        update(c, "INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage,"
                + " deleted_with_experiment, artifact_uri, deleted_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                info.id(), experimentId, info.name(), info.status().name(), info.startTime().toEpochMilli(),
                info.endTime().map(Instant::toEpochMilli).orElse(null), info.lifecycleStage().name(),
                run.deletedWithExperiment() ? 1 : 0, info.artifactUri(),
                run.deletedTime().map(Instant::toEpochMilli).orElse(null));
        insertAll(c, "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", info.id(), run.params());
        insertAll(c, "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)", info.id(), run.tags());
        update(c, "INSERT INTO run_data (run_id, data) VALUES (?, ?)", info.id(),
                RunDataCodec.encode(new RunDataCodec.Data(run.params(), run.tags(), Map.of())));
        RunFileRecords.recordArtifacts(c, info.id(), run.artifacts());
        RunFileRecords.recordInputs(c, info.id(), run.inputs());
    }

    static void importMetrics(Connection c, String runId, List<Metric> points) throws SQLException {
        RunDataCodec.Data data = runData(c, runId)
                .orElseThrow(() -> new NotFoundException("No run with id " + runId));
        if (points.isEmpty()) {
            return;
        }
        data.latest().putAll(MetricChunks.append(c, runId, points));
        update(c, "UPDATE run_data SET data = ? WHERE run_id = ?", RunDataCodec.encode(data), runId);
    }

    static RunSnapshot snapshotRun(Connection c, String runId) throws SQLException {
        Run run = RunLoader.load(c, List.of(runId)).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("No run with id " + runId));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT deleted_with_experiment, deleted_time FROM runs WHERE run_id = ?")) {
            bind(ps, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean withExperiment = rs.getInt(1) != 0;
                long deleted = rs.getLong(2);
                Optional<Instant> deletedTime = rs.wasNull() || withExperiment ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(deleted));
                return new RunSnapshot(run.info(), run.data().params(), run.data().tags(), run.inputs(),
                        RunFileRecords.recordedArtifacts(c, runId), withExperiment, deletedTime);
            }
        }
    }

    private static Optional<RunDataCodec.Data> runData(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM run_data WHERE run_id = ?")) {
            bind(ps, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RunDataCodec.decode(rs.getBytes(1))) : Optional.empty();
            }
        }
    }

    private static void insertAll(Connection c, String sql, Object owner, Map<String, String> entries)
            throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                bind(ps, owner, entry.getKey(), entry.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static boolean exists(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
