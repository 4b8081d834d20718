package dev.runlog.tracking.internal;

import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentQuery;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.internal.search.DefaultExperimentQuery;
import dev.runlog.tracking.internal.search.DefaultRunQuery;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunBody;
import dev.runlog.tracking.RunBuilder;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.RunRecord;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.TrackerAccess;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.internal.search.FilterParser;
import dev.runlog.tracking.internal.search.Matcher;
import dev.runlog.tracking.spi.TrackingStore;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/** The {@link Tracker} behind every factory method: validation, run lifecycle, the async writer. */
public final class DefaultTracker implements Tracker, TrackerAccess {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(DefaultTracker.class.getName());
    }
    private final TrackingStore store;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final Durability durability;
    private final int bufferCapacity;
    // Made with the first buffered point: a tracker that only reads (a command, the UI) never starts its thread nor allocates its buffer.
    private volatile MetricWriter writer;
    private final Object writerLock = new Object();
    private final Set<DefaultActiveRun> activeRuns = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean shutdownHook;
    private final long archiveSizeLimit;
    private final ModelCopies modelCopies;
    private final RunArtifacts runArtifacts;
    private final PinnedModels pinnedModels = new PinnedModels();
    private final RunStartLogging startLogging;
    // Identity, not equals: each extension store registered is closed once, whatever its equals says.
    private final Set<AutoCloseable> extensionResources = Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** @param loadedModelDirectory where loaded model copies are kept; null for {@code java.io.tmpdir} */
    public DefaultTracker(TrackingStore store, ArtifactStore artifacts, Clock clock, Durability durability,
                          int bufferCapacity, boolean shutdownHook, long archiveSizeLimit, Path loadedModelDirectory,
                          RunStartLogging startLogging) {
        this.store = store;
        this.artifacts = artifacts;
        // Whole milliseconds, as every store keeps times: the in-memory store's equal SQLite's.
        this.clock = Clock.tick(clock, java.time.Duration.ofMillis(1));
        this.durability = durability;
        this.bufferCapacity = bufferCapacity;
        this.shutdownHook = shutdownHook;
        this.archiveSizeLimit = archiveSizeLimit;
        this.startLogging = startLogging;
        this.modelCopies = new ModelCopies(loadedModelDirectory);
        this.runArtifacts = new RunArtifacts(store, artifacts);
        if (shutdownHook) {
            ShutdownHooks.register(this);
        }
        try {
            cleanUpAfterDeadProcesses();
        } catch (RunlogException e) {
            // One line: every open of a store whose clean-up keeps failing (an unreachable bucket) would print the trace.
            log().log(System.Logger.Level.WARNING, "Could not clean up after processes that died; the next open tries again: "
                    + e.getMessage());
        }
    }

    // ---- runs -------------------------------------------------------------------------------

    @Override
    public ActiveRun startRun(String experimentName) {
        return newRun(experimentName).start();
    }

    @Override
    public RunBuilder newRun(String experimentName) {
        checkOpen();
        return new DefaultRunBuilder(this, InputRules.name("experiment", experimentName), null);
    }

    RunBuilder newRunInExperiment(String experimentId) {
        checkOpen();
        return new DefaultRunBuilder(this, null, experimentId);
    }

    ActiveRun startRun(String experimentName, String experimentId, String name, String parentRunId,
                       Map<String, String> userTags) {
        checkOpen();
        String expId = experimentId != null ? experimentId : experimentForRun(experimentName).id();
        Map<String, String> tags = new LinkedHashMap<>(SystemTags.forThisProcess());
        if (parentRunId != null) {
            Run parent = getRun(parentRunId);
            if (!parent.info().experimentId().equals(expId)) {
                throw new InvalidInputException("Parent run " + parentRunId + " is in experiment "
                        + parent.info().experimentId() + ", not in experiment " + expId + " of the new run");
            }
            tags.put(SystemTags.PARENT_RUN_ID, parentRunId);
        }
        tags.putAll(userTags);
        String runId = RunIds.random();
        String runName = name != null ? name : RunNames.generate(ThreadLocalRandom.current());
        store.createRun(new RunSpec(runId, expId, runName, RunStatus.RUNNING, clock.instant(),
                artifacts.artifactUri(runId), tags));
        DefaultActiveRun run = new DefaultActiveRun(this, runId, expId, runName, startLogging);
        activeRuns.add(run);
        return run;
    }

    /** Creates a run exactly as described, for imports: no process tags added, times as given. */
    String createImportedRun(String experimentName, String runName, RunStatus status, Instant startTime,
                             Map<String, String> tags) {
        checkOpen();
        String expId = experimentForRun(experimentName).id();
        String runId = RunIds.random();
        store.createRun(new RunSpec(runId, expId, InputRules.name("run", runName), status, startTime,
                artifacts.artifactUri(runId), tags));
        return runId;
    }

    @Override
    public List<String> recordRuns(String experimentName, List<RunRecord> runs) {
        checkOpen();
        InputRules.name("experiment", experimentName);
        InputRules.notNull("runs", runs);
        runs.forEach(run -> InputRules.notNull("run record", run)); // the records checked themselves when built
        if (runs.isEmpty()) {
            return List.of();
        }
        String expId = experimentForRun(experimentName).id();
        List<String> ids = RunIds.consecutive(runs.size());
        List<RecordedRun> recorded = new ArrayList<>(runs.size());
        for (int i = 0; i < ids.size(); i++) {
            RunRecord run = runs.get(i);
            recorded.add(new RecordedRun(new RunSpec(ids.get(i), expId, run.name(), RunStatus.RUNNING, run.startTime(),
                    artifacts.artifactUri(ids.get(i)), run.tags()), run.params(), run.metrics(), run.status(), run.endTime()));
        }
        store.recordRuns(recorded);
        return ids;
    }

    Map<String, String> processTags() {
        return SystemTags.forThisProcess();
    }

    long archiveSizeLimit() {
        return archiveSizeLimit;
    }

    private Experiment experimentForRun(String name) {
        Optional<Experiment> existing = store.getExperimentByName(name);
        Experiment experiment;
        if (existing.isPresent()) {
            experiment = existing.get();
        } else {
            try {
                experiment = store.createExperiment(name, clock.instant());
            } catch (ConflictException raced) {
                // Another thread or process created it between our read and our create.
                experiment = store.getExperimentByName(name).orElseThrow(() -> raced);
            }
        }
        if (experiment.lifecycleStage() == LifecycleStage.DELETED) {
            throw new ConflictException("Experiment '" + name + "' (id " + experiment.id()
                    + ") is deleted; restore it or use another name");
        }
        return experiment;
    }

    @Override
    public <E extends Exception> Run run(String experimentName, RunBody<E> body) throws E {
        return newRun(experimentName).run(body);
    }

    @Override
    public void endRun(String runId, RunStatus status) {
        checkOpen();
        InputRules.notNull("run id", runId);
        InputRules.notNull("status", status);
        if (status.isActive()) {
            throw new InvalidInputException("A run ends with FINISHED, FAILED or KILLED, not " + status);
        }
        for (DefaultActiveRun run : activeRuns) {
            if (run.id().equals(runId)) {
                // Through the handle: it flushes the run's points first, and the handle then knows it ended.
                run.end(status);
                return;
            }
        }
        getRun(runId);
        store.endRun(runId, status, clock.instant());
    }

    @Override
    public List<String> killOrphanedRuns() {
        checkOpen();
        return cleanUpAfterDeadProcesses();
    }

    /**
     * Ends the runs of dead processes and removes their temporary files. On open it must not make
     * the tracker unusable: housekeeping that fails is logged and tried again at the next open.
     */
    private List<String> cleanUpAfterDeadProcesses() {
        List<String> killed = store.killRunsOfDeadProcesses(clock.instant());
        for (String runId : killed == null ? List.<String>of() : killed) { // null: a store written outside that answers nothing
            // An import cut short (kill -9): a partial run is not kept as if it were one.
            if (store.getRun(runId).map(r -> r.data().tags().containsKey(Archives.IMPORTING)).orElse(false)) {
                store.deleteRun(runId, clock.instant());
                log().log(System.Logger.Level.WARNING, "Deleted run {0}: its import was cut short when its process died", runId);
            }
        }
        int removed = artifacts.removeTemporaryFilesOfDeadProcesses();
        if (removed > 0) {
            log().log(System.Logger.Level.INFO, "Removed {0} temporary artifact files left by processes that died", removed);
        }
        return killed;
    }

    // ---- metric path, called by DefaultActiveRun -----------------------------------------------

    void logMetric(String runId, Metric point) {
        if (durability == Durability.SYNC) {
            MetricWriter.storeNow(store, runId, point);
        } else {
            writer().submit(runId, point);
        }
    }

    void flush() {
        MetricWriter current = writer;
        if (current != null) {
            current.flush(null);
        }
    }

    private MetricWriter writer() {
        MetricWriter current = writer;
        if (current == null) {
            synchronized (writerLock) {
                // Under the lock closeWithin takes once closed is set: no writer is made after it looked.
                checkOpen();
                current = writer != null ? writer : (writer = new MetricWriter(store, bufferCapacity));
            }
        }
        return current;
    }

    Clock clock() {
        return clock;
    }

    TrackingStore store() {
        return store;
    }

    @Override
    public TrackerStores stores() {
        return new TrackerStores(store, artifacts, clock);
    }

    // ---- what extensions (the model registry) build on: TrackerAccess ---------------------------

    @Override
    public PinnedModel pin(String runsUri) {
        checkOpen();
        return ModelSupport.pin(this, pinnedModels, ModelSupport.ModelUri.parse(runsUri));
    }

    @Override
    public void checkDescriptor(String runsUri, String descriptorSha256) {
        checkOpen();
        ModelSupport.checkedDescriptor(this, ModelSupport.ModelUri.parse(runsUri),
                InputRules.notNull("digest", descriptorSha256));
    }

    @Override
    public <T> T load(String runsUri, Class<T> type, Optional<ModelFlavor> flavor, Optional<String> descriptorSha256) {
        checkOpen();
        InputRules.notNull("flavor", flavor);
        InputRules.notNull("descriptorSha256", descriptorSha256);
        return ModelSupport.load(this, runsUri, type, flavor.orElse(null), descriptorSha256.orElse(null));
    }

    @Override
    public SearchFilter parseRegisteredModelFilter(String filter) {
        return FilterParser.parseFilter(filter, FilterParser.Target.MODELS);
    }

    @Override
    public SearchFilter parseModelVersionFilter(String filter) {
        return FilterParser.parseFilter(filter, FilterParser.Target.VERSIONS);
    }

    @Override
    public boolean matches(SearchFilter filter, java.util.function.Function<SearchField, Object> fieldValue) {
        InputRules.notNull("filter", filter);
        InputRules.notNull("fieldValue", fieldValue);
        return Matcher.matchesFields(filter, fieldValue);
    }

    @Override
    public ArtifactEntry uploadArtifact(String runId, String path, InputStream content) {
        checkOpen();
        InputRules.notNull("content", content);
        ModelGuard.checkNotADescriptor(path);
        return runArtifacts.upload(InputRules.runId(runId), path, content);
    }

    @Override
    public void closeWithTracker(AutoCloseable resource) {
        InputRules.notNull("resource", resource);
        checkOpen();
        synchronized (extensionResources) {
            extensionResources.add(resource);
        }
    }

    ArtifactStore artifacts() {
        return artifacts;
    }

    void ended(DefaultActiveRun run) {
        activeRuns.remove(run);
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public Run getRun(String runId) {
        checkOpen();
        InputRules.notNull("run id", runId);
        return store.getRun(runId).orElseThrow(() -> new NotFoundException("No run with id " + runId));
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        checkOpen();
        InputRules.notNull("run id", runId);
        InputRules.key("metric", key);
        return store.metricHistory(runId, key);
    }

    @Override
    public MetricSeries metricSeries(String runId, String key) {
        checkOpen();
        InputRules.notNull("run id", runId);
        InputRules.key("metric", key);
        return store.metricSeries(runId, key);
    }

    @Override
    public Map<String, Map<String, Metric>> latestMetrics(Collection<String> runIds) {
        checkOpen();
        InputRules.notNull("run ids", runIds).forEach(id -> InputRules.notNull("run id", id));
        Map<String, Map<String, Metric>> result = new LinkedHashMap<>();
        store.latestMetrics(runIds).forEach((id, latest) -> result.put(id, Map.copyOf(latest)));
        return Collections.unmodifiableMap(result);
    }

    @Override
    public Experiment getExperiment(String experimentId) {
        checkOpen();
        // "01" names no experiment in any store (one keeping ids as integers would read it as 1).
        boolean canonical = RunSnapshot.isExperimentId(InputRules.notNull("experiment id", experimentId));
        return (canonical ? store.getExperiment(experimentId) : Optional.<Experiment>empty())
                .orElseThrow(() -> new NotFoundException("No experiment with id " + experimentId));
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        checkOpen();
        return store.getExperimentByName(InputRules.notNull("experiment name", name));
    }

    @Override
    public List<Experiment> listExperiments() {
        return listExperiments(ViewType.ACTIVE_ONLY);
    }

    @Override
    public List<Experiment> listExperiments(ViewType viewType) {
        checkOpen();
        return store.listExperiments(InputRules.notNull("view type", viewType));
    }

    @Override
    public List<ExperimentSummary> experimentSummaries(ViewType viewType) {
        checkOpen();
        return store.experimentSummaries(InputRules.notNull("view type", viewType));
    }

    @Override
    public Experiment createExperiment(String name) {
        checkOpen();
        return store.createExperiment(InputRules.name("experiment", name), clock.instant());
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        checkOpen();
        InputRules.notNull("experiment id", experimentId);
        InputRules.key("tag", key);
        store.setExperimentTag(experimentId, key, InputRules.tagValue(key, value));
    }

    @Override
    public Experiment renameExperiment(String experimentId, String newName) {
        checkOpen();
        InputRules.notNull("experiment id", experimentId);
        store.renameExperiment(experimentId, InputRules.name("experiment", newName), clock.instant());
        return getExperiment(experimentId);
    }

    @Override
    public Run renameRun(String runId, String newName) {
        checkOpen();
        InputRules.notNull("run id", runId);
        store.renameRun(runId, InputRules.name("run", newName));
        return getRun(runId);
    }

    @Override
    public RunQuery searchRuns() {
        checkOpen();
        return new DefaultRunQuery(store::searchRuns, this::experimentIdOf);
    }

    @Override
    public ExperimentQuery searchExperiments() {
        checkOpen();
        return new DefaultExperimentQuery(store::searchExperiments);
    }

    /** An experiment by id or name, as searches take them: an id first, so no name ("1") hides another experiment. */
    private String experimentIdOf(String nameOrId) {
        InputRules.notNull("experiment name or id", nameOrId);
        return store.getExperiment(nameOrId).map(Experiment::id)
                .or(() -> store.getExperimentByName(nameOrId).map(Experiment::id))
                .orElseThrow(() -> new NotFoundException("No experiment named or with id '" + nameOrId + "'"));
    }

    @Override
    public void setTag(String runId, String key, String value) {
        checkOpen();
        InputRules.notNull("run id", runId);
        InputRules.key("tag", key);
        InputRules.tagValue(key, value);
        store.setTag(runId, key, value);
    }

    @Override
    public void deleteTag(String runId, String key) {
        checkOpen();
        InputRules.notNull("run id", runId);
        InputRules.notNull("tag key", key);
        store.deleteTag(runId, key);
    }

    @Override
    public void deleteRun(String runId) {
        checkOpen();
        store.deleteRun(InputRules.notNull("run id", runId), clock.instant());
    }

    @Override
    public void restoreRun(String runId) {
        checkOpen();
        store.restoreRun(InputRules.notNull("run id", runId));
    }

    @Override
    public void deleteExperiment(String experimentId) {
        checkOpen();
        store.deleteExperiment(InputRules.notNull("experiment id", experimentId), clock.instant());
    }

    @Override
    public void restoreExperiment(String experimentId) {
        checkOpen();
        store.restoreExperiment(InputRules.notNull("experiment id", experimentId), clock.instant());
    }

    @Override
    public List<ArtifactEntry> listArtifacts(String runId, String path) {
        checkOpen();
        String dir = ArtifactPaths.normalize(path); // a bad argument is reported before a missing run
        getRun(runId);
        Map<String, ArtifactEntry> recorded = new java.util.HashMap<>();
        store.recordedArtifacts(runId).forEach(entry -> recorded.put(entry.path(), entry));
        return artifacts.list(runId, dir).stream()
                .map(entry -> entry.isDirectory() ? entry : recorded.getOrDefault(entry.path(), entry))
                .toList();
    }

    /** Uploads that record digests, checked reads and downloads of the runs' files. */
    RunArtifacts runArtifacts() {
        return runArtifacts;
    }

    @Override
    public Path downloadArtifacts(String runId, String path, Path targetDirectory) {
        checkOpen();
        InputRules.notNull("target directory", targetDirectory);
        String normalized = ArtifactPaths.normalize(path);
        getRun(runId);
        return runArtifacts.download(runId, normalized, targetDirectory);
    }

    @Override
    public List<Run> runsUsing(String datasetDigest) {
        checkOpen();
        InputRules.notNull("dataset digest", datasetDigest);
        return store.runsUsing(datasetDigest).stream().map(this::getRun).toList();
    }

    @Override
    public LoggedModel getLoggedModel(String modelUri) {
        checkOpen();
        ModelSupport.ModelUri uri = ModelSupport.ModelUri.parse(modelUri);
        getRun(uri.runId());
        return ModelSupport.descriptor(this, uri).model;
    }

    @Override
    public <T> T loadModel(String modelUri, Class<T> type) {
        checkOpen();
        return ModelSupport.load(this, modelUri, type, null);
    }

    @Override
    public <T> T loadModel(String modelUri, Class<T> type, ModelFlavor flavor) {
        checkOpen();
        return ModelSupport.load(this, modelUri, type, InputRules.notNull("flavor", flavor));
    }

    ModelCopies modelCopies() {
        return modelCopies;
    }

    /**
     * Deletes now the copy a {@link #loadModel} handed out as {@code model} (a files-flavor
     * {@link Path}), instead of when the tracker closes: for owners that know it is no longer used,
     * such as a deployment that swapped it out. Anything else is left alone.
     *
     * @return whether a copy was deleted
     */
    @Override
    public boolean releaseLoadedModel(Object model) {
        return model instanceof Path copy && modelCopies.release(copy);
    }

    @Override
    public void exportModel(String modelUri, Path tarGz) {
        checkOpen();
        Archives.exportModel(this, modelUri, InputRules.notNull("archive path", tarGz));
    }

    @Override
    public LoggedModel importModel(Path tarGz) {
        checkOpen();
        return Archives.importModel(this, InputRules.notNull("archive path", tarGz));
    }

    @Override
    public void exportRun(String runId, Path tarGz) {
        checkOpen();
        flush(); // a run of this tracker still logging: the archive holds every point logged before the call
        Archives.exportRun(this, InputRules.notNull("run id", runId), InputRules.notNull("archive path", tarGz));
    }

    @Override
    public Run importRun(Path tarGz) {
        checkOpen();
        return Archives.importRun(this, InputRules.notNull("archive path", tarGz));
    }

    @Override
    public InputStream openArtifact(String runId, String path) {
        checkOpen();
        String file = ArtifactPaths.normalize(path);
        getRun(runId);
        return runArtifacts.open(runId, file);
    }

    @Override
    public void close() {
        closeWithin(null);
    }

    void closeOnShutdown(Duration flushTimeout) {
        closeWithin(flushTimeout);
    }

    private void closeWithin(Duration flushTimeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook) {
            ShutdownHooks.unregister(this);
        }
        CloseFailures failures = new CloseFailures();
        // As end(): a point handed over after the flush would reach a KILLED run and be lost.
        for (DefaultActiveRun run : List.copyOf(activeRuns)) {
            run.stopTakingPoints();
        }
        MetricWriter current;
        synchronized (writerLock) {
            current = writer;
        }
        RunlogException flushFailed = null;
        if (current != null) {
            try {
                current.flush(flushTimeout);
            } catch (StoreException e) {
                flushFailed = e; // an outage or a timeout: reported below only if points are lost, as the writer keeps trying
            } catch (RunlogException e) {
                failures.add(e); // points the store refused: lost whatever happens next
            }
        }
        // The writer stops before the runs end: a batch it is still writing (another process held the store
        // past the flush's wait) lands before KILLED does. Points lost are the first failure a caller hears of.
        long unstored = current == null ? 0 : current.stop(true);
        if (unstored > 0) {
            failures.add(new StoreException("The tracker closed with " + unstored + " metric points the store did not"
                    + " take; they are lost" + (flushFailed == null ? "" : " (" + CloseFailures.rootMessage(flushFailed) + ")"), flushFailed));
        }
        for (DefaultActiveRun run : List.copyOf(activeRuns)) {
            try {
                run.endWithoutFlush(RunStatus.KILLED, flushTimeout == null ? "its tracker was closed before the run ended"
                        : "the JVM shut down before the run ended (main returned, System.exit, a signal, Ctrl-C)");
            } catch (RunNotActiveException gone) {
                // Deleted or ended through another handle meanwhile: there is no status left to set.
            } catch (RunlogException e) {
                failures.add(e);
            }
        }
        List<AutoCloseable> extensions;
        synchronized (extensionResources) {
            extensions = List.copyOf(extensionResources);
        }
        for (AutoCloseable extension : extensions) {
            failures.attempt("Closing " + extension.getClass().getName(), extension::close);
        }
        failures.attempt("Closing the tracking store", store::close);
        failures.attempt("Closing the artifact store", artifacts::close);
        // Loaded model copies belong to the tracker: none outlives it.
        modelCopies.close(flushTimeout);
        failures.throwIfAny();
    }

    void checkOpen() {
        if (closed.get()) {
            throw new RunlogException("This tracker is closed");
        }
    }
}
