package dev.runlog.tracking.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.internal.search.InMemorySearch;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.TrackingStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The {@code memory:} store: everything in the heap of this JVM, gone on close. One read-write
 * lock guards it all; writes arrive in batches from the async writer, so contention stays low.
 */
final class InMemoryTrackingStore implements TrackingStore {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, ExperimentState> experiments = new LinkedHashMap<>();
    private final Map<String, ExperimentState> experimentsByName = new HashMap<>();
    private final Map<String, RunState> runs = new LinkedHashMap<>();
    /**
     * Each dataset once per content (name, digest, source, schema and profile), shared by the inputs
     * of every run that logged it so: another profile of the same data is a record of its own.
     */
    private final Map<Dataset, Dataset> datasets = new HashMap<>();
    /** Purged runs whose artifact files the caller has not yet said are deleted, in purge order. */
    private final Set<String> pendingArtifactDeletions = new LinkedHashSet<>();
    private long nextExperimentId = 1;
    private volatile boolean closed;

    private static final class ExperimentState {
        final String id;
        String name;
        final Instant creationTime;
        Instant lastUpdateTime;
        LifecycleStage stage = LifecycleStage.ACTIVE;
        final Map<String, String> tags = new LinkedHashMap<>();

        ExperimentState(String id, String name, Instant creationTime) {
            this.id = id;
            this.name = name;
            this.creationTime = creationTime;
            this.lastUpdateTime = creationTime;
        }

        Experiment toExperiment() {
            return new Experiment(id, name, stage, creationTime, lastUpdateTime, tags);
        }
    }

    private static final class RunState {
        final RunSpec spec;
        /** The spec's name until the run is renamed. */
        String name;
        RunStatus status;
        Instant endTime;
        LifecycleStage stage = LifecycleStage.ACTIVE;
        boolean deletedWithExperiment;
        /** When the run itself was deleted; null if active, deleted with its experiment, or deleted with no time. */
        Instant deletedTime;
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, SeriesBuffer> metrics = new LinkedHashMap<>();
        final java.util.NavigableMap<String, ArtifactEntry> artifacts = new java.util.TreeMap<>();
        final List<DatasetInput> inputs = new ArrayList<>();

        RunState(RunSpec spec) {
            this.spec = spec;
            this.name = spec.name();
            this.status = spec.status();
            this.tags.putAll(spec.tags());
        }

        Map<String, Metric> latestMetrics() {
            Map<String, Metric> latest = new LinkedHashMap<>();
            metrics.forEach((key, series) -> latest.put(key, series.latest()));
            return latest;
        }

        Run toRun() {
            Map<String, Metric> latest = latestMetrics();
            RunInfo info = new RunInfo(spec.runId(), spec.experimentId(), name, status, spec.startTime(),
                    Optional.ofNullable(endTime), stage, spec.artifactUri());
            return new Run(info, new RunData(params, latest, tags), inputs);
        }

        void checkNotDeleted() {
            if (stage == LifecycleStage.DELETED) {
                throw new RunNotActiveException(spec.runId(), "it is deleted");
            }
        }

        void checkWritable() {
            checkNotDeleted();
            if (!status.isActive()) {
                throw new RunNotActiveException(spec.runId(), "it has ended with status " + status);
            }
        }
    }

    @Override
    public Experiment createExperiment(String name, Instant creationTime) {
        return write(() -> {
            ExperimentState existing = experimentsByName.get(name);
            if (existing != null) {
                throw new ConflictException("An experiment named '" + name + "' already exists (id "
                        + existing.id + (existing.stage == LifecycleStage.DELETED ? ", deleted; restore it or pick another name" : "") + ")");
            }
            ExperimentState state = new ExperimentState(Long.toString(nextExperimentId++), name, creationTime);
            experiments.put(state.id, state);
            experimentsByName.put(name, state);
            return state.toExperiment();
        });
    }

    @Override
    public Optional<Experiment> getExperiment(String experimentId) {
        return read(() -> Optional.ofNullable(experiments.get(experimentId)).map(ExperimentState::toExperiment));
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        return read(() -> Optional.ofNullable(experimentsByName.get(name)).map(ExperimentState::toExperiment));
    }

    @Override
    public List<Experiment> listExperiments(ViewType viewType) {
        return read(() -> experiments.values().stream()
                .filter(e -> viewType.includes(e.stage))
                .map(ExperimentState::toExperiment)
                .toList());
    }

    @Override
    public List<ExperimentSummary> experimentSummaries(ViewType viewType) {
        return read(() -> {
            Map<String, List<RunState>> byExperiment = new HashMap<>();
            runs.values().forEach(run -> byExperiment.computeIfAbsent(run.spec.experimentId(), k -> new ArrayList<>())
                    .add(run));
            return experiments.values().stream()
                    .filter(e -> viewType.includes(e.stage))
                    .map(e -> summary(e, byExperiment.getOrDefault(e.id, List.of())))
                    .toList();
        });
    }

    private static ExperimentSummary summary(ExperimentState experiment, List<RunState> runs) {
        long deleted = runs.stream().filter(run -> run.stage == LifecycleStage.DELETED).count();
        Instant last = experiment.lastUpdateTime;
        for (RunState run : runs) {
            for (Instant time : new Instant[] {run.spec.startTime(), run.endTime}) {
                last = time != null && time.isAfter(last) ? time : last;
            }
        }
        return new ExperimentSummary(experiment.toExperiment(), runs.size() - deleted, deleted, last);
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        write(() -> experiment(experimentId).tags.put(key, value));
    }

    @Override
    public void deleteExperimentTag(String experimentId, String key) {
        write(() -> experiment(experimentId).tags.remove(key));
    }

    @Override
    public List<Run> searchRuns(RunSearch search) {
        return read(() -> InMemorySearch.runs(runs.values().stream().map(RunState::toRun).toList(), search));
    }

    @Override
    public List<Experiment> searchExperiments(ExperimentSearch search) {
        return read(() -> InMemorySearch.experiments(
                experiments.values().stream().map(ExperimentState::toExperiment).toList(), search));
    }

    @Override
    public void deleteExperiment(String experimentId, Instant time) {
        write(() -> {
            ExperimentState experiment = experiment(experimentId);
            experiment.stage = LifecycleStage.DELETED;
            experiment.lastUpdateTime = time;
            for (RunState run : runs.values()) {
                if (run.spec.experimentId().equals(experimentId) && run.stage == LifecycleStage.ACTIVE) {
                    run.stage = LifecycleStage.DELETED;
                    run.deletedWithExperiment = true;
                }
            }
            return null;
        });
    }

    @Override
    public void restoreExperiment(String experimentId, Instant time) {
        write(() -> {
            ExperimentState experiment = experiment(experimentId);
            experiment.stage = LifecycleStage.ACTIVE;
            experiment.lastUpdateTime = time;
            for (RunState run : runs.values()) {
                if (run.spec.experimentId().equals(experimentId) && run.deletedWithExperiment) {
                    run.stage = LifecycleStage.ACTIVE;
                    run.deletedWithExperiment = false;
                }
            }
            return null;
        });
    }

    @Override
    public void renameExperiment(String experimentId, String newName, Instant time) {
        write(() -> {
            ExperimentState experiment = experiment(experimentId);
            if (experiment.stage == LifecycleStage.DELETED) {
                throw new ConflictException("Experiment '" + experiment.name + "' (id " + experiment.id
                        + ") is deleted; restore it before renaming it");
            }
            ExperimentState holder = experimentsByName.get(newName);
            if (holder != null && holder != experiment) {
                throw new ConflictException("An experiment named '" + newName + "' already exists (id " + holder.id
                        + (holder.stage == LifecycleStage.DELETED ? ", deleted" : "") + ")");
            }
            experimentsByName.remove(experiment.name);
            experiment.name = newName;
            experimentsByName.put(newName, experiment);
            experiment.lastUpdateTime = time;
            return null;
        });
    }

    @Override
    public void renameRun(String runId, String newName) {
        write(() -> {
            RunState run = run(runId);
            run.checkNotDeleted();
            run.name = newName;
            run.tags.replace(RUN_NAME_TAG, newName);
            return null;
        });
    }

    @Override
    public void createRun(RunSpec spec) {
        write(() -> {
            checkCanCreate(spec);
            runs.put(spec.runId(), new RunState(spec));
            return null;
        });
    }

    private void checkCanCreate(RunSpec spec) {
        ExperimentState experiment = experiment(spec.experimentId());
        if (experiment.stage == LifecycleStage.DELETED) {
            throw new ConflictException("Experiment '" + experiment.name + "' (id " + experiment.id
                    + ") is deleted; restore it before starting runs in it");
        }
        if (runs.containsKey(spec.runId())) {
            throw new ConflictException("A run with id " + spec.runId() + " already exists");
        }
    }

    @Override
    public Optional<Run> getRun(String runId) {
        return read(() -> Optional.ofNullable(runs.get(runId)).map(RunState::toRun));
    }

    /** All or none: everything that could refuse a run is checked before the first is stored, under one lock. */
    @Override
    public void recordRuns(List<RecordedRun> runs) {
        InputRules.notNull("runs", runs);
        write(() -> {
            Set<String> ids = new HashSet<>();
            for (RecordedRun run : runs) {
                checkCanCreate(run.spec());
                if (!ids.add(run.spec().runId())) {
                    throw new ConflictException("A run with id " + run.spec().runId() + " is given twice");
                }
            }
            for (RecordedRun run : runs) {
                createRun(run.spec());
                logBatch(run.spec().runId(), run.metrics(), run.params(), Map.of());
                endRun(run.spec().runId(), run.endStatus(), run.endTime());
            }
            return null;
        });
    }

    @Override
    public void importExperiment(Experiment experiment) {
        InputRules.notNull("experiment", experiment);
        RunSnapshot.experimentId(experiment.id());
        write(() -> {
            if (experiments.containsKey(experiment.id())) {
                throw new ConflictException("An experiment with id " + experiment.id() + " already exists");
            }
            if (experimentsByName.containsKey(experiment.name())) {
                throw new ConflictException("An experiment named '" + experiment.name() + "' already exists (id "
                        + experimentsByName.get(experiment.name()).id + ")");
            }
            ExperimentState state = new ExperimentState(experiment.id(), experiment.name(), experiment.creationTime());
            state.lastUpdateTime = experiment.lastUpdateTime();
            state.stage = experiment.lifecycleStage();
            state.tags.putAll(experiment.tags());
            experiments.put(state.id, state);
            experimentsByName.put(state.name, state);
            // New experiments must not take an imported id.
            nextExperimentId = Math.max(nextExperimentId, Long.parseLong(state.id) + 1);
            return null;
        });
    }

    @Override
    public void importRun(RunSnapshot snapshot) {
        InputRules.notNull("run", snapshot);
        RunInfo info = snapshot.info();
        write(() -> {
            ExperimentState experiment = experiment(info.experimentId());
            if (runs.containsKey(info.id())) {
                throw new ConflictException("A run with id " + info.id() + " already exists");
            }
            if (experiment.stage == LifecycleStage.DELETED && info.lifecycleStage() == LifecycleStage.ACTIVE) {
                throw new InvalidInputException("run " + info.id() + " is ACTIVE in deleted experiment " + experiment.id);
            }
            RunState run = new RunState(new RunSpec(info.id(), info.experimentId(), info.name(), info.status(),
                    info.startTime(), info.artifactUri(), snapshot.tags()));
            run.status = info.status();
            run.endTime = info.endTime().orElse(null);
            run.stage = info.lifecycleStage();
            run.deletedWithExperiment = snapshot.deletedWithExperiment();
            run.deletedTime = snapshot.deletedTime().orElse(null);
            run.params.putAll(snapshot.params());
            snapshot.artifacts().forEach(file -> run.artifacts.put(file.path(), file));
            runs.put(info.id(), run);
            addInputs(run, snapshot.inputs());
            return null;
        });
    }

    @Override
    public void importMetrics(String runId, List<Metric> points) {
        InputRules.notNull("run id", runId);
        InputRules.notNull("points", points);
        write(() -> {
            RunState run = run(runId);
            for (Metric point : points) {
                run.metrics.computeIfAbsent(point.key(), SeriesBuffer::new).add(point);
            }
            return null;
        });
    }

    @Override
    public RunSnapshot snapshotRun(String runId) {
        InputRules.notNull("run id", runId);
        return read(() -> {
            RunState run = run(runId);
            Run whole = run.toRun();
            return new RunSnapshot(whole.info(), run.params, run.tags, run.inputs, List.copyOf(run.artifacts.values()),
                    run.deletedWithExperiment, Optional.ofNullable(run.deletedTime));
        });
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        write(() -> {
            RunState run = run(runId);
            run.checkWritable();
            // Check every param before changing anything: the batch is all or nothing.
            params.forEach((key, value) -> {
                String stored = run.params.get(key);
                if (stored != null && !stored.equals(value)) {
                    throw new ParamConflictException(runId, key, stored, value);
                }
            });
            run.params.putAll(params);
            run.tags.putAll(tags);
            for (Metric point : metrics) {
                run.metrics.computeIfAbsent(point.key(), SeriesBuffer::new).add(point);
            }
            return null;
        });
    }

    @Override
    public void setTag(String runId, String key, String value) {
        write(() -> {
            RunState run = run(runId);
            run.checkNotDeleted();
            run.tags.put(key, value);
            return null;
        });
    }

    @Override
    public void deleteTag(String runId, String key) {
        write(() -> {
            RunState run = run(runId);
            run.checkNotDeleted();
            if (run.tags.remove(key) == null) {
                throw new NotFoundException("Run " + runId + " has no tag '" + key + "'");
            }
            return null;
        });
    }

    @Override
    public void logArtifacts(String runId, List<ArtifactEntry> files) {
        write(() -> {
            RunState run = run(runId);
            run.checkWritable();
            files.forEach(file -> run.artifacts.put(file.path(), file));
            return null;
        });
    }

    @Override
    public List<ArtifactEntry> recordedArtifacts(String runId) {
        return read(() -> List.copyOf(run(runId).artifacts.values()));
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        write(() -> {
            RunState run = run(runId);
            run.checkWritable();
            addInputs(run, inputs);
            return null;
        });
    }

    private void addInputs(RunState run, List<DatasetInput> inputs) {
        for (DatasetInput input : inputs) {
            Dataset given = input.dataset();
            Dataset stored = datasets.computeIfAbsent(given, k -> given);
            DatasetInput shared = new DatasetInput(stored, input.context());
            if (!run.inputs.contains(shared)) {
                run.inputs.add(shared);
            }
        }
    }

    @Override
    public List<String> runsUsing(String datasetDigest) {
        return read(() -> runs.values().stream()
                .filter(run -> run.inputs.stream().anyMatch(input -> input.dataset().digest().equals(datasetDigest)))
                .sorted(java.util.Comparator.comparing((RunState run) -> run.spec.startTime()))
                .map(run -> run.spec.runId())
                .toList());
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        return read(() -> {
            SeriesBuffer series = run(runId).metrics.get(key);
            return series == null ? List.<Metric>of() : series.history();
        });
    }

    @Override
    public MetricSeries metricSeries(String runId, String key) {
        return read(() -> {
            SeriesBuffer series = run(runId).metrics.get(key);
            return series == null ? new MetricSeries(key, new long[0], new long[0], new double[0]) : series.series();
        });
    }

    @Override
    public Map<String, Map<String, Metric>> latestMetrics(Collection<String> runIds) {
        return read(() -> {
            Map<String, Map<String, Metric>> result = new LinkedHashMap<>();
            for (String runId : runIds) {
                RunState run = runs.get(runId);
                if (run != null) {
                    result.put(runId, run.latestMetrics());
                }
            }
            return result;
        });
    }

    @Override
    public void endRun(String runId, RunStatus status, Instant endTime) {
        write(() -> {
            RunState run = run(runId);
            run.checkWritable();
            run.status = status;
            run.endTime = endTime.isBefore(run.spec.startTime()) ? run.spec.startTime() : endTime;
            return null;
        });
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
        write(() -> {
            RunState run = run(runId);
            run.stage = LifecycleStage.DELETED;
            run.deletedWithExperiment = false;
            run.deletedTime = time;
            return null;
        });
    }

    @Override
    public Purge purgeDeleted(Instant deletedBefore, Set<String> keep, boolean dryRun) {
        InputRules.notNull("deletedBefore", deletedBefore);
        InputRules.notNull("keep", keep);
        return write(() -> {
            List<String> purgedRuns = new ArrayList<>();
            for (RunState run : runs.values()) {
                if (run.stage == LifecycleStage.DELETED && !keep.contains(run.spec.runId())
                        && !deletedAt(run).isAfter(deletedBefore)) {
                    purgedRuns.add(run.spec.runId());
                }
            }
            List<String> purgedExperiments = new ArrayList<>();
            for (ExperimentState experiment : experiments.values()) {
                if (experiment.stage == LifecycleStage.DELETED && !experiment.lastUpdateTime.isAfter(deletedBefore)
                        && runs.values().stream().allMatch(run -> !run.spec.experimentId().equals(experiment.id)
                                || purgedRuns.contains(run.spec.runId()))) {
                    purgedExperiments.add(experiment.id);
                }
            }
            if (!dryRun) {
                purgedRuns.forEach(runs::remove);
                pendingArtifactDeletions.addAll(purgedRuns);
                for (String id : purgedExperiments) {
                    experimentsByName.remove(experiments.remove(id).name);
                }
            }
            return new Purge(purgedRuns, purgedExperiments, 0);
        });
    }

    @Override
    public List<String> pendingArtifactDeletions() {
        return read(() -> pendingArtifactDeletions.stream().filter(id -> !runs.containsKey(id)).toList());
    }

    @Override
    public void artifactsDeleted(String runId) {
        InputRules.notNull("run id", runId);
        write(() -> pendingArtifactDeletions.remove(runId));
    }

    /** When a deleted run counts as deleted: its own time, its experiment's, else when it ended or started. */
    private Instant deletedAt(RunState run) {
        if (run.deletedWithExperiment) {
            return experiments.get(run.spec.experimentId()).lastUpdateTime;
        }
        return run.deletedTime != null ? run.deletedTime : run.endTime != null ? run.endTime : run.spec.startTime();
    }

    @Override
    public void restoreRun(String runId) {
        write(() -> {
            RunState run = run(runId);
            ExperimentState experiment = experiment(run.spec.experimentId());
            if (experiment.stage == LifecycleStage.DELETED) {
                throw new ConflictException("Run " + runId + " is in deleted experiment '" + experiment.name
                        + "'; restore the experiment instead");
            }
            run.stage = LifecycleStage.ACTIVE;
            run.deletedTime = null;
            return null;
        });
    }

    @Override
    public boolean keepsDataInMemory() {
        return true;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            experiments.clear();
            experimentsByName.clear();
            runs.clear();
            datasets.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ExperimentState experiment(String experimentId) {
        ExperimentState experiment = experiments.get(experimentId);
        if (experiment == null) {
            throw new NotFoundException("No experiment with id " + experimentId);
        }
        return experiment;
    }

    private RunState run(String runId) {
        RunState run = runs.get(runId);
        if (run == null) {
            throw new NotFoundException("No run with id " + runId);
        }
        return run;
    }

    private <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            checkOpen();
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            checkOpen();
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("The in-memory store is closed");
        }
    }
}
