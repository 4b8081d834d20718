package dev.runlog.storage.sqlite.internal;

import static dev.runlog.storage.sqlite.internal.Sql.bind;
import static dev.runlog.storage.sqlite.internal.Sql.update;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ProcessOwner;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.StoredValues;
import dev.runlog.tracking.spi.TrackingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tracking store on one SQLite file. Metric points are kept per (run, key) series in encoded
 * chunks ({@link ChunkCodec}), one chunk per series per batch, with the series row carrying the
 * latest point so a run's latest metrics never decode a chunk.
 */
final class SqliteTrackingStore implements TrackingStore {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(SqliteTrackingStore.class.getName());
    }

    private final SqliteDatabase db;

    SqliteTrackingStore(SqliteDatabase db) {
        this.db = db;
    }

    /** The database file, which the model registry shares. */
    SqliteDatabase database() {
        return db;
    }

    // ---- experiments --------------------------------------------------------------------------

    @Override
    public Experiment createExperiment(String name, Instant creationTime) {
        return db.write(c -> {
            Optional<Experiment> existing = experimentByName(c, name);
            if (existing.isPresent()) {
                Experiment e = existing.get();
                throw new ConflictException("An experiment named '" + name + "' already exists (id " + e.id()
                        + (e.lifecycleStage() == LifecycleStage.DELETED ? ", deleted; restore it or pick another name" : "") + ")");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO experiments (name, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, LifecycleStage.ACTIVE.name());
                ps.setLong(3, creationTime.toEpochMilli());
                ps.setLong(4, creationTime.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    long id = keys.getLong(1);
                    return new Experiment(Long.toString(id), name, LifecycleStage.ACTIVE, millis(creationTime),
                            millis(creationTime), Map.of());
                }
            }
        });
    }

    @Override
    public Optional<Experiment> getExperiment(String experimentId) {
        Long id = experimentKey(experimentId);
        if (id == null) {
            return Optional.empty();
        }
        return db.read(c -> experiments(c, "WHERE experiment_id = ?", id).stream().findFirst());
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        return db.read(c -> experimentByName(c, name));
    }

    @Override
    public List<Experiment> listExperiments(ViewType viewType) {
        return db.read(c -> experiments(c, viewType));
    }

    @Override
    public List<ExperimentSummary> experimentSummaries(ViewType viewType) {
        // One read transaction: the counts are of exactly the experiments listed.
        return db.scan(c -> RunCounts.summaries(c, experiments(c, viewType), viewType));
    }

    private static List<Experiment> experiments(Connection c, ViewType viewType) throws SQLException {
        return switch (viewType) {
            case ALL -> experiments(c, "");
            case ACTIVE_ONLY -> experiments(c, "WHERE lifecycle_stage = ?", LifecycleStage.ACTIVE.name());
            case DELETED_ONLY -> experiments(c, "WHERE lifecycle_stage = ?", LifecycleStage.DELETED.name());
        };
    }

    @Override
    public void deleteExperiment(String experimentId, Instant time) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> SqliteExperimentUpdates.lifecycle(c, id, experimentId, LifecycleStage.DELETED, time));
    }

    @Override
    public void restoreExperiment(String experimentId, Instant time) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> SqliteExperimentUpdates.lifecycle(c, id, experimentId, LifecycleStage.ACTIVE, time));
    }

    @Override
    public void renameExperiment(String experimentId, String newName, Instant time) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> SqliteRenames.experiment(c, id, experimentId, newName, time));
    }

    @Override
    public void renameRun(String runId, String newName) {
        db.write(c -> SqliteRenames.run(c, runId, newName));
    }

    // ---- runs ---------------------------------------------------------------------------------

    @Override
    public void createRun(RunSpec spec) {
        createRun(spec, true);
    }

    @Override
    public void createUnownedRun(RunSpec spec) {
        createRun(spec, false);
    }

    private void createRun(RunSpec spec, boolean owned) {
        long experimentId = existingExperimentKey(spec.experimentId());
        db.write(c -> {
            String stage = requireExperiment(c, experimentId, spec.experimentId());
            if (!stage.equals(LifecycleStage.ACTIVE.name())) {
                throw new ConflictException("Experiment " + spec.experimentId() + " is deleted; restore it before starting runs in it");
            }
            if (exists(c, "SELECT 1 FROM runs WHERE run_id = ?", spec.runId())) {
                throw new ConflictException("A run with id " + spec.runId() + " already exists");
            }
            update(c, "INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage,"
                    + " deleted_with_experiment, artifact_uri) VALUES (?, ?, ?, ?, ?, NULL, ?, 0, ?)",
                    spec.runId(), experimentId, spec.name(), spec.status().name(), spec.startTime().toEpochMilli(),
                    LifecycleStage.ACTIVE.name(), spec.artifactUri());
            update(c, "INSERT INTO run_data (run_id, data) VALUES (?, ?)", spec.runId(),
                    RunDataCodec.encode(new RunDataCodec.Data(Map.of(), spec.tags(), Map.of())));
            upsertTags(c, spec.runId(), spec.tags());
            if (owned && spec.status().isActive()) {
                ProcessOwner owner = ProcessOwner.current();
                update(c, "INSERT INTO run_owners (run_id, host, pid_namespace, pid, process_start) VALUES (?, ?, ?, ?, ?)",
                        spec.runId(), owner.host(), owner.pidNamespace().orElse(null), owner.pid(),
                        owner.startMillis().isEmpty() ? null : owner.startMillis().getAsLong());
            }
            return null;
        });
    }

    /** One transaction for all the runs: all or none, and one commit however many there are. */
    @Override
    public void recordRuns(List<RecordedRun> runs) {
        db.write(c -> {
            RecordedRuns.write(c, runs);
            return null;
        });
    }

    @Override // imports: their SQL lives in SqliteImports
    public void importExperiment(Experiment experiment) {
        InputRules.notNull("experiment", experiment);
        db.write(c -> {
            SqliteImports.importExperiment(c, experiment);
            return null;
        });
    }

    @Override
    public void importRun(RunSnapshot run) {
        InputRules.notNull("run", run);
        db.write(c -> {
            SqliteImports.importRun(c, run);
            return null;
        });
    }

    @Override
    public void importMetrics(String runId, List<Metric> points) {
        InputRules.notNull("run id", runId);
        InputRules.notNull("points", points);
        db.write(c -> {
            SqliteImports.importMetrics(c, runId, points);
            return null;
        });
    }

    @Override
    public RunSnapshot snapshotRun(String runId) {
        InputRules.notNull("run id", runId);
        return db.read(c -> SqliteImports.snapshotRun(c, runId));
    }

    @Override
    public Optional<Run> getRun(String runId) {
        return db.read(c -> RunLoader.load(c, List.of(runId)).stream().findFirst());
    }

    @Override
    public boolean runExists(String runId) {
        InputRules.notNull("run id", runId);
        return db.read(c -> exists(c, "SELECT 1 FROM runs WHERE run_id = ?", runId));
    }

    @Override
    public List<Run> searchRuns(RunSearch search) {
        Optional<RunSearch> numbersFirst = search.numbersFirst();
        return db.scan(c -> {
            if (numbersFirst.isPresent()) {
                // A full page of runs holding the metric is the answer; a short one is not (runs
                // lacking it, or NaN, may follow), and the whole search is read instead.
                List<Run> runs = searchRuns(c, SqlSearch.runs(numbersFirst.get()));
                if (runs.size() == search.limit()) {
                    return runs;
                }
            }
            return searchRuns(c, SqlSearch.runs(search));
        });
    }

    private static List<Run> searchRuns(Connection c, SqlSearch.Query query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query.sql())) {
            bind(ps, query.params().toArray());
            return RunLoader.fromRows(c, ps, 2);
        }
    }

    @Override
    public List<Experiment> searchExperiments(ExperimentSearch search) {
        SqlSearch.Query query = SqlSearch.experiments(search);
        return db.scan(c -> {
            List<String> ids = ids(c, query);
            Map<String, Experiment> byId = new HashMap<>();
            for (Experiment e : experiments(c, "")) {
                byId.put(e.id(), e);
            }
            List<Experiment> result = new ArrayList<>();
            for (String id : ids) {
                result.add(byId.get(id));
            }
            return result;
        });
    }

    /** Runs a search query; its single column is the id. */
    private static List<String> ids(Connection c, SqlSearch.Query query) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query.sql())) {
            bind(ps, query.params().toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> SqliteExperimentUpdates.tag(c, id, experimentId, key, value));
    }

    @Override
    public void deleteExperimentTag(String experimentId, String key) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> SqliteExperimentUpdates.tag(c, id, experimentId, key, null));
    }

    @Override
    public void endRun(String runId, RunStatus status, Instant endTime) {
        db.write(c -> {
            requireWritableRun(c, runId);
            update(c, "UPDATE runs SET status = ?, end_time = MAX(?, start_time) WHERE run_id = ?", status.name(), endTime.toEpochMilli(), runId);
            update(c, "DELETE FROM run_owners WHERE run_id = ?", runId);
            return null;
        });
    }

    /**
     * Ends as KILLED the RUNNING runs whose owner (recorded by {@link #createRun}) ran on this
     * machine, same host name and pid namespace, and is gone: its pid is not alive, or is alive with
     * another start time. Runs of other machines are never touched, since their pids mean nothing
     * here; nor are runs created before the owner table existed, which have no owner. Read first,
     * since most opens find nothing to do; the write never waits for another process's write
     * transaction (this runs as a store opens): runs it cannot end then are left for the next call.
     */
    @Override
    public List<String> killRunsOfDeadProcesses(Instant endTime) {
        return SqliteMaintenance.killRunsOfDeadOwners(db, endTime);
    }

    @Override
    public void deleteRun(String runId) {
        markDeleted(runId, null);
    }

    @Override
    public void deleteRun(String runId, Instant time) {
        markDeleted(runId, InputRules.notNull("time", time));
    }

    private void markDeleted(String runId, Instant time) {
        db.write(c -> {
            if (update(c, "UPDATE runs SET lifecycle_stage = ?, deleted_with_experiment = 0, deleted_time = ? WHERE run_id = ?",
                    LifecycleStage.DELETED.name(), time == null ? null : time.toEpochMilli(), runId) == 0) {
                throw new NotFoundException("No run with id " + runId);
            }
            return null;
        });
    }

    @Override
    public void restoreRun(String runId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT e.lifecycle_stage, e.name FROM runs r"
                    + " JOIN experiments e ON e.experiment_id = r.experiment_id WHERE r.run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("No run with id " + runId);
                    }
                    if (!rs.getString(1).equals(LifecycleStage.ACTIVE.name())) {
                        throw new ConflictException("Run " + runId + " is in deleted experiment '" + rs.getString(2)
                                + "'; restore the experiment instead");
                    }
                }
            }
            update(c, "UPDATE runs SET lifecycle_stage = ?, deleted_with_experiment = 0, deleted_time = NULL WHERE run_id = ?",
                    LifecycleStage.ACTIVE.name(), runId);
            return null;
        });
    }

    @Override
    public Purge purgeDeleted(Instant deletedBefore, Set<String> keep, boolean dryRun) {
        return SqliteMaintenance.purgeDeleted(db, deletedBefore, keep, dryRun);
    }

    @Override
    public List<String> pendingArtifactDeletions() {
        return SqliteMaintenance.pendingArtifactDeletions(db);
    }

    @Override
    public void artifactsDeleted(String runId) {
        SqliteMaintenance.artifactsDeleted(db, runId);
    }

    @Override
    public StoreCheck checkStore() {
        return SqliteMaintenance.check(db);
    }

    // ---- the write path -----------------------------------------------------------------------

    @Override
    public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        db.write(c -> {
            requireWritableRun(c, runId);
            if (!params.isEmpty()) {
                insertParams(c, runId, params);
            }
            upsertTags(c, runId, tags);
            Map<String, Metric> latest = metrics.isEmpty() ? Map.of() : MetricChunks.append(c, runId, metrics);
            updateRunData(c, runId, params, tags, latest);
            return null;
        });
    }

    @Override
    public void setTag(String runId, String key, String value) {
        db.write(c -> {
            requireUndeletedRun(c, runId);
            upsertTags(c, runId, Map.of(key, value));
            updateRunData(c, runId, Map.of(), Map.of(key, value), Map.of());
            return null;
        });
    }

    @Override
    public void deleteTag(String runId, String key) {
        db.write(c -> {
            requireUndeletedRun(c, runId);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tags WHERE run_id = ? AND key = ?")) {
                ps.setString(1, runId);
                ps.setString(2, key);
                if (ps.executeUpdate() == 0) {
                    throw new NotFoundException("Run " + runId + " has no tag '" + key + "'");
                }
            }
            RunDataCodec.Data data = readRunData(c, runId);
            data.tags().remove(key);
            update(c, "UPDATE run_data SET data = ? WHERE run_id = ?", RunDataCodec.encode(data), runId);
            return null;
        });
    }

    private static void insertParams(Connection c, String runId, Map<String, String> params) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT value FROM params WHERE run_id = ? AND key = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> param : params.entrySet()) {
                select.setString(1, runId);
                select.setString(2, param.getKey());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        String stored = rs.getString(1);
                        if (!stored.equals(param.getValue())) {
                            throw new ParamConflictException(runId, param.getKey(), stored, param.getValue());
                        }
                        continue;
                    }
                }
                insert.setString(1, runId);
                insert.setString(2, param.getKey());
                insert.setString(3, param.getValue());
                insert.executeUpdate();
            }
        }
    }

    static void upsertTags(Connection c, String runId, Map<String, String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                ps.setString(1, runId);
                ps.setString(2, tag.getKey());
                ps.setString(3, tag.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Folds a batch into the run's data record; params arrive checked, so adding them is safe. */
    static void updateRunData(Connection c, String runId, Map<String, String> params, Map<String, String> tags,
                                      Map<String, Metric> latest) throws SQLException {
        RunDataCodec.Data data = readRunData(c, runId);
        data.params().putAll(params);
        data.tags().putAll(tags);
        data.latest().putAll(latest);
        update(c, "UPDATE run_data SET data = ? WHERE run_id = ?", RunDataCodec.encode(data), runId);
    }

    private static RunDataCodec.Data readRunData(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM run_data WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return RunDataCodec.decode(rs.getBytes(1), runId);
            }
        }
    }

    // ---- artifacts and datasets: their SQL lives in RunFileRecords ------------------------------

    @Override
    public void logArtifacts(String runId, List<ArtifactEntry> files) {
        db.write(c -> {
            requireWritableRun(c, runId);
            RunFileRecords.recordArtifacts(c, runId, files);
            return null;
        });
    }

    @Override
    public List<ArtifactEntry> recordedArtifacts(String runId) {
        return db.read(c -> {
            requireRun(c, runId);
            return RunFileRecords.recordedArtifacts(c, runId);
        });
    }

    @Override
    public Optional<ArtifactEntry> recordedArtifact(String runId, String path) {
        return db.read(c -> {
            requireRun(c, runId);
            return RunFileRecords.recordedArtifacts(c, runId, path).stream().findFirst();
        });
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        db.write(c -> {
            requireWritableRun(c, runId);
            RunFileRecords.recordInputs(c, runId, inputs);
            return null;
        });
    }

    @Override
    public List<String> runsUsing(String datasetDigest) {
        return db.read(c -> RunFileRecords.runsUsing(c, datasetDigest));
    }

    // ---- the read path ------------------------------------------------------------------------

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        MetricSeries series = metricSeries(runId, key);
        Metric[] points = new Metric[series.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = series.get(i);
        }
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(points));
    }

    @Override
    public MetricSeries metricSeries(String runId, String key) {
        return db.read(c -> {
            requireRun(c, runId);
            return MetricChunks.read(c, runId, key);
        });
    }

    @Override
    public Map<String, Map<String, Metric>> latestMetrics(Collection<String> runIds) {
        List<String> ids = List.copyOf(runIds);
        return db.scan(c -> RunLoader.latestMetrics(c, ids));
    }

    @Override
    public void close() {
        db.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void requireRun(Connection c, String runId) throws SQLException {
        if (!exists(c, "SELECT 1 FROM runs WHERE run_id = ?", runId)) {
            throw new NotFoundException("No run with id " + runId);
        }
    }

    /** Not found if there is no such run, not active if it is deleted; an ended run passes. */
    static void requireUndeletedRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lifecycle_stage FROM runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("No run with id " + runId);
                }
                if (!rs.getString(1).equals(LifecycleStage.ACTIVE.name())) {
                    throw new RunNotActiveException(runId, "it is deleted");
                }
            }
        }
    }

    private static void requireWritableRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status, lifecycle_stage FROM runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("No run with id " + runId);
                }
                if (!rs.getString(2).equals(LifecycleStage.ACTIVE.name())) {
                    throw new RunNotActiveException(runId, "it is deleted");
                }
                RunStatus status = StoredValues.constant(RunStatus.class, rs.getString(1), "a run status");
                if (!status.isActive()) {
                    throw new RunNotActiveException(runId, "it has ended with status " + status);
                }
            }
        }
    }

    /** Experiment ids are SQLite integers; anything else names no experiment. */
    private static Long experimentKey(String experimentId) {
        try {
            return Long.valueOf(experimentId);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long existingExperimentKey(String experimentId) {
        Long id = experimentKey(experimentId);
        if (id == null) {
            throw new NotFoundException("No experiment with id " + experimentId);
        }
        return id;
    }

    /** Returns the experiment's lifecycle stage. */
    static String requireExperiment(Connection c, long id, String experimentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("No experiment with id " + experimentId);
                }
                return rs.getString(1);
            }
        }
    }

    private static Optional<Experiment> experimentByName(Connection c, String name) throws SQLException {
        return experiments(c, "WHERE name = ?", name).stream().findFirst();
    }

    private static List<Experiment> experiments(Connection c, String where, Object... args) throws SQLException {
        List<Experiment> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT experiment_id, name, lifecycle_stage, creation_time,"
                + " last_update_time FROM experiments " + where + " ORDER BY experiment_id")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new Experiment(Long.toString(rs.getLong(1)), rs.getString(2),
                            StoredValues.constant(LifecycleStage.class, rs.getString(3), "an experiment lifecycle stage"), Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5)), Map.of()));
                }
            }
        }
        if (result.isEmpty()) {
            return result;
        }
        Map<String, Map<String, String>> tags = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT experiment_id, key, value FROM experiment_tags");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tags.computeIfAbsent(Long.toString(rs.getLong(1)), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        List<Experiment> tagged = new ArrayList<>(result.size());
        for (Experiment e : result) {
            tagged.add(new Experiment(e.id(), e.name(), e.lifecycleStage(), e.creationTime(), e.lastUpdateTime(),
                    tags.getOrDefault(e.id(), Map.of())));
        }
        return tagged;
    }

    private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Instant millis(Instant t) {
        return Instant.ofEpochMilli(t.toEpochMilli());
    }
}
