package dev.runlog.storage.postgres.internal;

import static dev.runlog.storage.postgres.internal.PgDatabase.exists;
import static dev.runlog.storage.postgres.internal.PgDatabase.update;

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
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.ProcessOwner;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.StoredValues;
import dev.runlog.tracking.spi.TrackingStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tracking store on PostgreSQL. Every write is one transaction that first locks the row it
 * depends on: the run's ({@code FOR UPDATE}) for writes to a run, so a batch and an {@code end()}
 * from two hosts never interleave and a metric series is appended by one writer at a time; the
 * experiment's for run creation and deletion. Unique names and ids are the database's constraints,
 * so two hosts creating the same experiment at once get one experiment and one conflict.
 */
final class PgTrackingStore implements TrackingStore {
    private static final System.Logger LOG = System.getLogger(PgTrackingStore.class.getName());
    private static final String ACTIVE = LifecycleStage.ACTIVE.name();
    private static final String DELETED = LifecycleStage.DELETED.name();

    private final PgDatabase db;
    /** Metric appends, stored at most once though their commit be lost. Housekeeping time: the system clock. */
    private final PgOnceWrites once;

    PgTrackingStore(PgDatabase db) {
        this.db = db;
        this.once = new PgOnceWrites(db, java.time.Clock.systemUTC());
        db.write(c -> {
            once.forgetOld(c);
            return null;
        });
    }

    // ---- experiments: ids from an identity column, names unique by constraint -----------------

    @Override
    public Optional<Experiment> getExperiment(String experimentId) {
        Optional<Long> id = experimentKey(experimentId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return db.readOne(c -> PgExperiments.list(c, new SqlText().sql(" WHERE experiment_id = ").value(id.get())).stream().findFirst());
    }

    @Override
    public Experiment createExperiment(String name, Instant creationTime) {
        return db.write(c -> {
            Optional<Experiment> taken = PgExperiments.list(c, new SqlText().sql(" WHERE name = ").value(name)).stream().findFirst();
            if (taken.isPresent()) {
                throw nameTaken(taken.get());
            }
            Instant millis = Instant.ofEpochMilli(creationTime.toEpochMilli());
            try {
                long id = PgDatabase.first(c, rs -> rs.getLong(1), "INSERT INTO runlog_experiments (name, lifecycle_stage,"
                        + " creation_time, last_update_time) VALUES (?, 'ACTIVE', ?, ?) RETURNING experiment_id", name,
                        millis.toEpochMilli(), millis.toEpochMilli()).orElseThrow();
                return new Experiment(Long.toString(id), name, LifecycleStage.ACTIVE, millis, millis, Map.of());
            } catch (SQLException e) {
                if (PgErrors.isUniqueViolation(e)) {
                    // Another host created it between our check and our insert.
                    throw new ConflictException("An experiment named '" + name + "' already exists");
                }
                throw e;
            }
        });
    }

    private static ConflictException nameTaken(Experiment e) {
        return new ConflictException("An experiment named '" + e.name() + "' already exists (id " + e.id()
                + (e.lifecycleStage() == LifecycleStage.DELETED ? ", deleted; restore it or pick another name" : "") + ")");
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        return db.readOne(c -> PgExperiments.list(c, new SqlText().sql(" WHERE name = ").value(name)).stream().findFirst());
    }

    @Override
    public List<Experiment> listExperiments(ViewType viewType) {
        return db.readOne(c -> PgExperiments.list(c, PgExperiments.view(viewType)));
    }

    /** One aggregate over the runs of the listed experiments, in the same snapshot as the list. */
    @Override
    public List<ExperimentSummary> experimentSummaries(ViewType viewType) {
        return db.read(c -> {
            List<Experiment> experiments = PgExperiments.list(c, PgExperiments.view(viewType));
            Map<Long, long[]> tallies = new HashMap<>(); // runs not deleted, deleted, last activity
            for (long[] row : PgDatabase.list(c, rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)},
                    "SELECT experiment_id, count(*) FILTER (WHERE lifecycle_stage <> 'DELETED'),"
                            + " count(*) FILTER (WHERE lifecycle_stage = 'DELETED'), max(greatest(start_time, end_time))"
                            + " FROM runlog_runs WHERE experiment_id = ANY (?) GROUP BY experiment_id",
                    (Object) experiments.stream().map(e -> Long.valueOf(e.id())).toArray(Long[]::new))) {
                tallies.put(row[0], new long[] {row[1], row[2], row[3]});
            }
            List<ExperimentSummary> summaries = new ArrayList<>(experiments.size());
            for (Experiment e : experiments) {
                long[] t = tallies.getOrDefault(Long.valueOf(e.id()), new long[3]);
                Instant last = Instant.ofEpochMilli(Math.max(t[2], e.lastUpdateTime().toEpochMilli()));
                summaries.add(new ExperimentSummary(e, t[0], t[1], last));
            }
            return summaries;
        });
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> lockExperiment(c, id, experimentId) != null && update(c, "INSERT INTO runlog_experiment_tags"
                + " (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key)"
                + " DO UPDATE SET value = EXCLUDED.value", id, key, value) == 1);
    }

    @Override
    public void deleteExperimentTag(String experimentId, String key) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> lockExperiment(c, id, experimentId) != null
                && update(c, "DELETE FROM runlog_experiment_tags WHERE experiment_id = ? AND key = ?", id, key) >= 0);
    }

    /** The row lock (FOR UPDATE) holds off a concurrent delete; the unique constraint, a concurrent rename or create. */
    @Override
    public void renameExperiment(String experimentId, String newName, Instant time) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> {
            String stage = PgDatabase.first(c, rs -> rs.getString(1), "SELECT lifecycle_stage FROM runlog_experiments"
                    + " WHERE experiment_id = ? FOR UPDATE", id).orElseThrow(() -> new NotFoundException("No experiment with id " + experimentId));
            if (!stage.equals(ACTIVE)) {
                throw new ConflictException("Experiment " + experimentId + " is deleted; restore it before renaming it");
            }
            Optional<Experiment> taken = PgExperiments.list(c, new SqlText().sql(" WHERE name = ").value(newName)
                    .sql(" AND experiment_id <> ").value(id)).stream().findFirst();
            if (taken.isPresent()) {
                throw nameTaken(taken.get());
            }
            try {
                return update(c, "UPDATE runlog_experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                        newName, time.toEpochMilli(), id);
            } catch (SQLException e) {
                if (PgErrors.isUniqueViolation(e)) {
                    throw new ConflictException("An experiment named '" + newName + "' already exists");
                }
                throw e;
            }
        });
    }

    /** The name tag, when the run has one, follows the name in the same transaction. */
    @Override
    public void renameRun(String runId, String newName) {
        db.write(c -> {
            lockUndeletedRun(c, runId);
            if (update(c, "UPDATE runlog_tags SET value = ? WHERE run_id = ? AND key = ?", newName, runId, RUN_NAME_TAG) > 0) {
                PgRunData.refresh(c, runId); // the run's one-row record holds its tags too
            }
            return update(c, "UPDATE runlog_runs SET name = ? WHERE run_id = ?", newName, runId);
        });
    }

    @Override
    public List<Run> searchRuns(RunSearch search) {
        return db.read(c -> PgSearch.runs(c, search));
    }

    @Override
    public List<Experiment> searchExperiments(ExperimentSearch search) {
        SqlText query = PgSearch.experiments(search);
        return db.read(c -> {
            Map<String, Experiment> all = new HashMap<>();
            for (Experiment e : PgExperiments.list(c, new SqlText())) {
                all.put(e.id(), e);
            }
            return ids(c, query).stream().map(all::get).toList();
        });
    }

    /** The ids a search query selects, in its order. */
    private static List<String> ids(Connection c, SqlText query) throws SQLException {
        return query.list(c, rs -> rs.getString(1));
    }

    @Override
    public void deleteExperiment(String experimentId, Instant time) {
        moveExperiment(experimentId, time, true);
    }

    @Override
    public void restoreExperiment(String experimentId, Instant time) {
        moveExperiment(experimentId, time, false);
    }

    /**
     * Deletes or restores an experiment with its runs: deleting marks the active runs as deleted
     * with it, and restoring brings back exactly those.
     */
    private void moveExperiment(String experimentId, Instant time, boolean delete) {
        long id = existingExperimentKey(experimentId);
        db.write(c -> {
            lockExperiment(c, id, experimentId);
            update(c, "UPDATE runlog_experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?",
                    delete ? DELETED : ACTIVE, time.toEpochMilli(), id);
            return update(c, delete
                    ? "UPDATE runlog_runs SET lifecycle_stage = 'DELETED', deleted_with_experiment = true"
                            + " WHERE experiment_id = ? AND lifecycle_stage = 'ACTIVE'"
                    : "UPDATE runlog_runs SET lifecycle_stage = 'ACTIVE', deleted_with_experiment = false"
                            + " WHERE experiment_id = ? AND deleted_with_experiment", id);
        });
    }

    // ---- runs ---------------------------------------------------------------------------------

    /**
     * One statement, committed as it runs: it locks the experiment in share mode (it cannot be
     * deleted while the run goes in) and, if the experiment is active, inserts the run, with this
     * process as its owner while it is active, its tags and its data record, built here since
     * a new run's record holds only its tags. One round trip: a run's start waits for little
     * more than its commit.
     */
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
        ProcessOwner owner = owned && spec.status().isActive() ? ProcessOwner.current() : null;
        byte[] record = PgRunData.encode(new PgRunData.Data(Map.of(), spec.tags(), Map.of()));
        String stage = db.writeOne(c -> {
            try {
                return PgDatabase.first(c, rs -> rs.getString(1), "WITH e AS (SELECT lifecycle_stage FROM runlog_experiments"
                        + " WHERE experiment_id = ? FOR SHARE), r AS (INSERT INTO runlog_runs (run_id, experiment_id, name,"
                        + " status, start_time, lifecycle_stage, artifact_uri, owner_host, owner_pid_namespace, owner_pid,"
                        + " owner_start, data) SELECT ?::text, ?::bigint, ?::text, ?::text, ?::bigint, 'ACTIVE', ?::text,"
                        + " ?::text, ?::text, ?::bigint, ?::bigint, ?::bytea FROM e WHERE e.lifecycle_stage = 'ACTIVE'"
                        + " RETURNING run_id),"
                        + " t AS (INSERT INTO runlog_tags (run_id, key, value) SELECT r.run_id, p.k, p.v FROM r,"
                        + " unnest(?::text[], ?::text[]) AS p (k, v))"
                        + " SELECT e.lifecycle_stage FROM e LEFT JOIN r ON true",
                        experimentId, spec.runId(), experimentId, spec.name(), spec.status().name(), spec.startTime().toEpochMilli(),
                        spec.artifactUri(), owner == null ? null : owner.host(),
                        owner == null ? null : owner.pidNamespace().orElse(null), owner == null ? null : owner.pid(),
                        owner == null || owner.startMillis().isEmpty() ? null : owner.startMillis().getAsLong(), record,
                        spec.tags().keySet().toArray(new String[0]), spec.tags().values().toArray(new String[0]))
                        .orElseThrow(() -> new NotFoundException("No experiment with id " + spec.experimentId()));
            } catch (SQLException e) {
                if (PgErrors.isUniqueViolation(e)) {
                    throw new ConflictException("A run with id " + spec.runId() + " already exists");
                }
                throw e;
            }
        });
        if (!stage.equals(ACTIVE)) {
            throw new ConflictException("Experiment " + spec.experimentId() + " is deleted; restore it before starting runs in it");
        }
    }

    /**
     * All the runs in one transaction: all or none. A fixed number of statements whatever the
     * number of runs (each experiment locked once, then runs, tags, params and metric points each
     * written with one array-bound statement), so importing a sweep costs a few round trips per
     * thousand runs, not several per run.
     */
    @Override
    public void recordRuns(List<RecordedRun> runs) {
        Map<String, Long> experimentIds = new LinkedHashMap<>();
        for (RecordedRun run : runs) {
            experimentIds.computeIfAbsent(run.spec().experimentId(), PgTrackingStore::existingExperimentKey);
        }
        Set<String> seen = new HashSet<>();
        for (RecordedRun run : runs) {
            if (!seen.add(run.spec().runId())) {
                throw new ConflictException("A run with id " + run.spec().runId() + " already exists");
            }
        }
        if (runs.isEmpty()) {
            return;
        }
        db.write(c -> {
            for (Map.Entry<String, Long> experiment : experimentIds.entrySet()) {
                if (!lockExperiment(c, experiment.getValue(), experiment.getKey()).equals(ACTIVE)) {
                    throw new ConflictException("Experiment " + experiment.getKey()
                            + " is deleted; restore it before starting runs in it");
                }
            }
            PgImports.insertRecordedRuns(c, runs, experimentIds);
            return null;
        });
    }

    @Override
    public void importExperiment(Experiment experiment) {
        InputRules.notNull("experiment", experiment);
        write(c -> PgImports.importExperiment(c, experiment));
    }

    @Override
    public void importRun(RunSnapshot run) {
        InputRules.notNull("run", run);
        write(c -> PgImports.importRun(c, run));
    }

    @Override
    public void importMetrics(String runId, List<Metric> points) {
        InputRules.notNull("run id", runId);
        List<Metric> copy = List.copyOf(InputRules.notNull("points", points));
        write(c -> PgImports.importMetrics(c, runId, copy));
    }

    @Override
    public RunSnapshot snapshotRun(String runId) {
        InputRules.notNull("run id", runId);
        return db.read(c -> PgImports.snapshotRun(c, runId));
    }

    @Override
    public Optional<Run> getRun(String runId) {
        return db.read(c -> PgRunReader.load(c, List.of(runId)).stream().findFirst());
    }

    @Override
    public boolean runExists(String runId) {
        InputRules.notNull("run id", runId);
        return db.readOne(c -> PgDatabase.first(c, rs -> true, "SELECT 1 FROM runlog_runs WHERE run_id = ?", runId)
                .isPresent());
    }

    /** One UPDATE, committed as it runs, of an active run; when it finds none, a read says why. */
    @Override
    public void endRun(String runId, RunStatus status, Instant endTime) {
        db.writeOne(c -> {
            if (update(c, "UPDATE runlog_runs SET status = ?, end_time = GREATEST(?, start_time), owner_host = NULL, owner_pid_namespace = NULL,"
                    + " owner_pid = NULL, owner_start = NULL WHERE run_id = ? AND lifecycle_stage = 'ACTIVE'"
                    + " AND status IN ('RUNNING', 'SCHEDULED')", status.name(), endTime.toEpochMilli(), runId) == 0) {
                String[] row = PgDatabase.first(c, rs -> new String[] {rs.getString(1), rs.getString(2)},
                        "SELECT lifecycle_stage, status FROM runlog_runs WHERE run_id = ?", runId)
                        .orElseThrow(() -> new NotFoundException("No run with id " + runId));
                PgRunWrites.requireActive(runId, row[0].equals(ACTIVE) ? StoredValues.constant(RunStatus.class, row[1], "a run status") : null);
            }
            return null;
        });
    }

    /**
     * Ends as KILLED the RUNNING runs owned by a process of this machine (same host name and pid
     * namespace) that is gone. Runs of other hosts, which share this database, are never touched:
     * their pids mean nothing here.
     */
    @Override
    public List<String> killRunsOfDeadProcesses(Instant endTime) {
        ProcessOwner self = ProcessOwner.current();
        Map<String, ProcessOwner> dead = new LinkedHashMap<>();
        db.read(c -> PgDatabase.list(c, rs -> {
            long start = rs.getLong(3);
            // Asked right after the start time's own read: a NULL start is unknown, not 1970.
            OptionalLong started = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(start);
            ProcessOwner owner = new ProcessOwner(self.host(), self.pidNamespace(), rs.getLong(2), started);
            return Map.entry(rs.getString(1), owner);
        }, "SELECT run_id, owner_pid, owner_start FROM runlog_runs WHERE owner_host = ?"
                + " AND owner_pid_namespace IS NOT DISTINCT FROM ? AND status = 'RUNNING'",
                self.host(), self.pidNamespace().orElse(null))).forEach(entry -> {
                    if (entry.getValue().isGone()) {
                        dead.put(entry.getKey(), entry.getValue());
                    }
                });
        if (dead.isEmpty()) {
            return List.of();
        }
        List<String> ended = db.write(c -> {
            List<String> killed = new ArrayList<>();
            for (Map.Entry<String, ProcessOwner> entry : dead.entrySet()) {
                // Again under the row lock: the run may have ended since the read.
                // Ended at its last sign of life, its latest stored point (its start without one), not when
                // a later process happened to notice: that could be days after, and every duration would say so.
                if (update(c, "UPDATE runlog_runs SET status = ?, end_time = GREATEST(start_time, LEAST(?, COALESCE((SELECT"
                        + " MAX(GREATEST(last_timestamp, latest_timestamp)) FROM runlog_metric_series WHERE run_id = ?),"
                        + " start_time))), owner_host = NULL WHERE run_id = ? AND status = ?",
                        RunStatus.KILLED.name(), endTime.toEpochMilli(), entry.getKey(), entry.getKey(),
                        RunStatus.RUNNING.name()) == 0) {
                    continue;
                }
                String reason = "its process (" + entry.getValue() + ") is gone and did not end it: killed or crashed;"
                        + " marked KILLED by pid " + self.pid() + " when it opened the store at " + endTime
                        + ", ended at its last stored metric point (or its start)";
                PgRunWrites.upsertTags(c, entry.getKey(), Map.of(Tracker.KILLED_REASON_TAG, reason));
                PgRunData.refresh(c, entry.getKey()); // the run's one-row record, which getRun reads, holds its tags too
                killed.add(entry.getKey());
            }
            return killed;
        });
        // Said once committed: a failed transaction rolls back, and the runs stay RUNNING.
        for (String runId : ended) {
            LOG.log(System.Logger.Level.INFO, "Run {0} marked KILLED: its process ({1}) is gone and did not end it",
                    runId, dead.get(runId));
        }
        return ended;
    }

    /** What the tracker calls: the time is kept, and gc measures the run's age from it. */
    @Override
    public void deleteRun(String runId, Instant time) {
        markDeleted(runId, InputRules.notNull("time", time).toEpochMilli());
    }

    /** Without a time, as older callers delete: such a run counts as deleted when it ended. */
    @Override
    public void deleteRun(String runId) {
        markDeleted(runId, null);
    }

    private void markDeleted(String runId, Long time) {
        int marked = db.write(c -> update(c, "UPDATE runlog_runs SET lifecycle_stage = ?, deleted_with_experiment = false,"
                + " deleted_time = ? WHERE run_id = ?", DELETED, time, runId));
        if (marked == 0) {
            throw new NotFoundException("No run with id " + runId);
        }
    }

    @Override
    public void restoreRun(String runId) {
        db.write(c -> {
            // The experiment's name when it is deleted, "" when it is active; no row, no run.
            String deletedExperiment = PgDatabase.first(c, rs -> rs.getString(1).equals(ACTIVE) ? "" : rs.getString(2),
                    "SELECT e.lifecycle_stage, e.name FROM runlog_runs r JOIN runlog_experiments e"
                            + " ON e.experiment_id = r.experiment_id WHERE r.run_id = ? FOR UPDATE", runId)
                    .orElseThrow(() -> new NotFoundException("No run with id " + runId));
            if (!deletedExperiment.isEmpty()) {
                throw new ConflictException("Run " + runId + " is in deleted experiment '" + deletedExperiment
                        + "'; restore the experiment instead");
            }
            return update(c, "UPDATE runlog_runs SET lifecycle_stage = ?, deleted_with_experiment = false,"
                    + " deleted_time = NULL WHERE run_id = ?", ACTIVE, runId);
        });
    }

    @Override
    public Purge purgeDeleted(Instant deletedBefore, Set<String> keep, boolean dryRun) {
        return PgPurge.purge(db, deletedBefore, keep, dryRun);
    }

    @Override
    public List<String> pendingArtifactDeletions() {
        return PgPurge.pending(db);
    }

    @Override
    public void artifactsDeleted(String runId) {
        PgPurge.artifactsDeleted(db, runId);
    }

    @Override
    public StoreCheck checkStore() {
        return PgCheck.check(db);
    }

    // ---- the write path -----------------------------------------------------------------------

    /**
     * One transaction under the run's row lock (see {@link PgRunWrites#append}).
     */
    @Override
    public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        once.write(c -> {
            PgRunWrites.append(c, runId, metrics, params, tags);
            return null;
        });
    }

    /**
     * One transaction, one commit, for all the runs: on a server whose every commit waits for its
     * disk, the metric writer's drain of 8 runs paid 8 commits. Runs are locked in id order, so
     * two writers never wait on each other in a cycle.
     */
    @Override
    public boolean logMetricsOfRuns(Map<String, List<Metric>> pointsByRun) {
        InputRules.notNull("points by run", pointsByRun);
        once.write(c -> {
            for (Map.Entry<String, List<Metric>> run : new TreeMap<>(pointsByRun).entrySet()) {
                PgRunWrites.append(c, run.getKey(), run.getValue(), Map.of(), Map.of());
            }
            return null;
        });
        return true;
    }

    /** Tags may change after a run ended, as MLflow's {@code set_tag} allows; not once it is deleted. */
    @Override
    public void setTag(String runId, String key, String value) {
        db.write(c -> {
            lockUndeletedRun(c, runId);
            PgRunWrites.upsertTags(c, runId, Map.of(key, value));
            PgRunData.refresh(c, runId);
            return runId;
        });
    }

    @Override
    public void deleteTag(String runId, String key) {
        int deleted = db.write(c -> {
            lockUndeletedRun(c, runId);
            int rows = update(c, "DELETE FROM runlog_tags WHERE run_id = ? AND key = ?", runId, key);
            PgRunData.refresh(c, runId);
            return rows;
        });
        if (deleted == 0) {
            throw new NotFoundException("Run " + runId + " has no tag '" + key + "'");
        }
    }

    // ---- artifacts and datasets ---------------------------------------------------------------

    @Override
    public void logArtifacts(String runId, List<ArtifactEntry> files) {
        writeActiveRun(runId, c -> PgRunFiles.recordArtifacts(c, runId, files));
    }

    @Override
    public List<ArtifactEntry> recordedArtifacts(String runId) {
        return readRun(runId, c -> PgRunFiles.recordedArtifacts(c, runId));
    }

    @Override
    public Optional<ArtifactEntry> recordedArtifact(String runId, String path) {
        return readRun(runId, c -> PgRunFiles.recordedArtifact(c, runId, path).stream().findFirst());
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        writeActiveRun(runId, c -> PgRunFiles.recordInputs(c, runId, inputs));
    }

    // ---- the read path ------------------------------------------------------------------------

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        MetricSeries series = metricSeries(runId, key);
        return java.util.stream.IntStream.range(0, series.size()).mapToObj(series::get).toList();
    }

    @Override
    public MetricSeries metricSeries(String runId, String key) {
        return readRun(runId, c -> PgChunks.read(c, runId, key));
    }

    @Override
    public List<String> runsUsing(String datasetDigest) {
        return db.read(c -> PgRunFiles.runsUsing(c, datasetDigest));
    }

    @Override
    public Map<String, Map<String, Metric>> latestMetrics(Collection<String> runIds) {
        List<String> ids = List.copyOf(runIds);
        return db.read(c -> PgRunReader.latestMetrics(c, ids));
    }

    /** The database, which the registry and the in-database artifact store share. */
    PgDatabase database() {
        return db;
    }

    @Override
    public void close() {
        try {
            once.forgetConfirmed();
        } finally {
            db.close();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Work on a run inside a transaction. */
    @FunctionalInterface
    private interface RunWork {
        void apply(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one write transaction. */
    private void write(RunWork work) {
        db.write(c -> {
            work.apply(c);
            return null;
        });
    }

    /**
     * Runs {@code work} in a write transaction holding the run's row lock, once the run is known to
     * exist, not to be deleted and not to have ended.
     */
    private void writeActiveRun(String runId, RunWork work) {
        db.write(c -> {
            RunStatus status = lockUndeletedRun(c, runId);
            PgRunWrites.requireActive(runId, status);
            work.apply(c);
            return status;
        });
    }

    /** Reads in one snapshot, once the run is known to exist. */
    private <T> T readRun(String runId, PgDatabase.Work<T> work) {
        return db.read(c -> {
            if (!exists(c, "SELECT 1 FROM runlog_runs WHERE run_id = ?", runId)) {
                throw new NotFoundException("No run with id " + runId);
            }
            return work.apply(c);
        });
    }

    /** Locks the run's row for this transaction; returns its status, refusing a deleted run. */
    static RunStatus lockUndeletedRun(Connection c, String runId) throws SQLException {
        return PgRunWrites.lockUndeleted(c, runId, false).status();
    }

    /** Experiment ids are this database's integers; any other text names no experiment. */
    static Optional<Long> experimentKey(String experimentId) {
        try {
            return Optional.of(Long.valueOf(experimentId));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long existingExperimentKey(String experimentId) {
        return experimentKey(experimentId).orElseThrow(() -> new NotFoundException("No experiment with id " + experimentId));
    }

    /**
     * Locks the experiment's row (in share mode: runs may be created in it concurrently, but it
     * cannot be deleted meanwhile) and returns its lifecycle stage.
     */
    static String lockExperiment(Connection c, long id, String experimentId) throws SQLException {
        return PgDatabase.first(c, rs -> rs.getString(1),
                "SELECT lifecycle_stage FROM runlog_experiments WHERE experiment_id = ? FOR SHARE", id)
                .orElseThrow(() -> new NotFoundException("No experiment with id " + experimentId));
    }
}
