package dev.runlog.tracking;

import dev.runlog.tracking.internal.DefaultTracker;
import dev.runlog.tracking.internal.RunStartLogging;
import dev.runlog.tracking.internal.StoreLookup;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.TrackingStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entry point: a connection to one store of experiments, runs, params, metrics, tags and
 * artifacts. Open one per process and share it; it is thread-safe.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.open("sqlite:runs.db")) {
 *     tracker.run("iris", run -> run.logParam("lr", 0.1).logMetric("accuracy", 0.97));
 * }
 * }</pre>
 *
 * <p><b>Stores</b> are chosen by the URI scheme: {@code memory:} (a fresh in-memory store, for
 * tests: nothing is left on disk) is built in, {@code sqlite:PATH} comes with the
 * {@code dev.runlog:storage-sqlite} module. Store modules are found through
 * {@link java.util.ServiceLoader}, so adding the dependency is all it takes.
 *
 * <p><b>Closing</b> flushes buffered metric points, ends runs still active as KILLED and closes the
 * store. A JVM shutdown hook does the same for trackers still open when the JVM exits, so a
 * training job stopped with Ctrl-C leaves KILLED runs, not RUNNING ones.
 */
public interface Tracker extends AutoCloseable {

    /** The system property read by {@link #open()}; it wins over the environment variable. */
    String URI_PROPERTY = "runlog.tracking.uri";
    /** The environment variable read by {@link #open()}. */
    String URI_ENV = "RUNLOG_TRACKING_URI";
    /** The URI {@link #open()} uses when neither the property nor the variable is set. */
    String DEFAULT_URI = "sqlite:runlog.db";

    /**
     * Opens the store named by the system property {@value #URI_PROPERTY}, else the environment
     * variable {@value #URI_ENV}, else {@value #DEFAULT_URI} in the working directory.
     */
    static Tracker open() {
        return builder().uri(defaultUri()).build();
    }

    /**
     * The URI {@link #open()} opens: the system property {@value #URI_PROPERTY}, else the
     * environment variable {@value #URI_ENV}, else {@value #DEFAULT_URI}.
     */
    static String defaultUri() {
        return StoreLookup.defaultUri();
    }

    /**
     * Opens the store at {@code uri}, chosen by its scheme.
     *
     * @throws InvalidInputException if no store module on the classpath handles the scheme; the
     *                               message names the scheme and the module to add
     */
    static Tracker open(String uri) {
        return builder().uri(uri).build();
    }

    /** A tracker on a fresh, private in-memory store: for tests and notebooks. */
    static Tracker inMemory() {
        return open("memory:");
    }

    /** A builder for a tracker with options: a clock, durability, buffer size, a store instance. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Sets (or overwrites) a tag of any run that is not deleted, also of one that has ended or that
     * another process runs: tags annotate runs after the fact (a review note in
     * {@code mlflow.note.content}, a validation verdict), as MLflow's {@code set_tag} does. The
     * same key and value rules as {@link ActiveRun#setTag} apply.
     *
     * <pre>{@code
     * tracker.setTag(runId, "validated", "true");
     * }</pre>
     *
     * @throws InvalidInputException if the key or value breaks the tag rules, or an argument is null
     * @throws NotFoundException     if there is no run with this id
     * @throws RunNotActiveException if the run is deleted
     */
    void setTag(String runId, String key, String value);

    /**
     * Removes a tag of any run that is not deleted, as MLflow's {@code delete_tag} does.
     *
     * @throws InvalidInputException if an argument is null
     * @throws NotFoundException     if there is no run with this id, or it has no tag {@code key}
     * @throws RunNotActiveException if the run is deleted
     */
    void deleteTag(String runId, String key);

    /** Starts a run in {@code experimentName}, creating the experiment on first use. */
    ActiveRun startRun(String experimentName);

    /** Prepares a run in {@code experimentName} with options; {@link RunBuilder#start()} starts it. */
    RunBuilder newRun(String experimentName);

    /**
     * Runs {@code body} inside a new run of {@code experimentName}: the recommended way to run
     * training code. When the body returns, the run is flushed and ends FINISHED (unless the body
     * ended it); when it throws (an exception or an error), the run ends FAILED with the tags
     * {@value ActiveRun#FAILURE_EXCEPTION_TAG} and {@value ActiveRun#FAILURE_MESSAGE_TAG}, as
     * {@link ActiveRun#fail(Throwable)} sets them, and the very exception the body threw is
     * rethrown. A JVM stopped meanwhile (Ctrl-C, {@code System.exit}) still leaves the run KILLED.
     * {@link RunBuilder#run(RunBody)} does the same for a run with options.
     *
     * @return the run as stored after it ended
     */
    <E extends Exception> Run run(String experimentName, RunBody<E> body) throws E;

    /**
     * Ends a run by id with {@code status}: FINISHED, FAILED or KILLED. If the run is one this
     * tracker started and has not ended, its buffered metric points are flushed first and its
     * {@link ActiveRun} handle is ended too (it takes no writes afterwards, and its
     * {@code close()} does nothing). Any other active run in the store, such as one left RUNNING by
     * another process, is ended in the store; if another tracker is still logging to it, the points
     * it has not written yet are refused by the store and its next call says so
     * ({@link ConflictException}).
     *
     * @throws InvalidInputException if {@code status} is RUNNING or SCHEDULED, or an argument is null
     * @throws NotFoundException     if there is no run with this id
     * @throws RunNotActiveException if the run has already ended or is deleted
     */
    void endRun(String runId, RunStatus status);

    /**
     * The tag set on a run that Runlog ended as KILLED because the process running it died without
     * ending it (see {@link #killOrphanedRuns()}); its value says which process and why.
     */
    String KILLED_REASON_TAG = "runlog.killedReason";

    /**
     * Cleans up after processes that died without closing their tracker (kill -9, a crash of the
     * JVM, a power cut): ends as KILLED every RUNNING run whose owning process on this machine is
     * gone, tagging it {@value #KILLED_REASON_TAG}, and removes the temporary files such processes
     * left in the artifact store. Opening a tracker does this once already; call it again in a
     * long-lived process that shares its store with jobs that may die.
     *
     * <p>What a store can do depends on what it records. The SQLite store records the host, pid
     * and start time of the process that started each run, and ends a run only when that process
     * ran on this machine and is gone (its pid is not alive, or is alive with another start time):
     * runs of other machines, and runs started before the store recorded owners, are never
     * touched; it does not wait for another process's write transaction to end them (opening a
     * store must not wait for a bulk import), so runs it could not end then are left for the
     * next open or call. The in-memory store holds only this process's runs and has nothing to do.
     *
     * @return the ids of the runs it ended
     */
    List<String> killOrphanedRuns();

    /**
     * Reads a run: info, params, latest metrics and tags.
     *
     * @throws NotFoundException if there is no run with this id
     */
    Run getRun(String runId);

    /**
     * Every point logged for a metric of a run, ordered by step, then timestamp. Points still in
     * the async buffer are not included: {@link ActiveRun#flush()} first to see them.
     *
     * @return an unmodifiable list, empty if the run never logged the key
     * @throws NotFoundException if there is no run with this id
     */
    List<Metric> metricHistory(String runId, String key);

    /**
     * The same points as {@link #metricHistory}, in the same order, as primitive arrays: for plots
     * and analysis of long series.
     *
     * @throws NotFoundException if there is no run with this id
     */
    MetricSeries metricSeries(String runId, String key);

    /**
     * The latest point of every metric of each run, read at once: what a table of runs shows. Ids
     * of runs that do not exist are left out of the result.
     *
     * @return run id to (metric key to latest point); unmodifiable
     */
    Map<String, Map<String, Metric>> latestMetrics(Collection<String> runIds);

    /**
     * Reads an experiment by id.
     *
     * @throws NotFoundException if there is none
     */
    Experiment getExperiment(String experimentId);

    /** Finds an experiment by its unique name, deleted ones included. */
    Optional<Experiment> getExperimentByName(String name);

    /** The active experiments, oldest first. */
    List<Experiment> listExperiments();

    /** The experiments in {@code viewType}, oldest first. */
    List<Experiment> listExperiments(ViewType viewType);

    /**
     * The experiments in {@code viewType}, oldest first, each with how many of its runs are
     * deleted and not, and when it last saw activity: what a list of experiments shows, read in one
     * pass of the store rather than run by run. The counts include every run of the experiment
     * whatever {@code viewType} is (it chooses experiments, not runs); the summaries of one call are
     * a consistent snapshot on stores that read in transactions (SQLite).
     *
     * <pre>{@code
     * tracker.experimentSummaries(ViewType.ACTIVE_ONLY).forEach(s ->
     *         System.out.println(s.experiment().name() + ": " + s.activeRuns() + " runs"));
     * }</pre>
     *
     * @see ExperimentSummary
     */
    List<ExperimentSummary> experimentSummaries(ViewType viewType);

    /**
     * Creates an experiment. {@link #startRun} does this on first use; call it to fail early on a
     * taken name.
     *
     * @throws ConflictException if an experiment with this name exists, even a deleted one
     */
    Experiment createExperiment(String name);

    /** Sets a tag of an experiment, such as its team or purpose; experiment searches filter on tags. */
    void setExperimentTag(String experimentId, String key, String value);

    /**
     * Renames an active experiment: its runs stay in it, searches and {@link #startRun} find it by
     * the new name, and the old name is free for a new experiment. The new name is checked as
     * {@link #createExperiment} checks one; renaming to the current name changes nothing but the
     * last update time.
     *
     * @return the experiment as renamed
     * @throws NotFoundException     if there is no experiment with this id
     * @throws ConflictException     naming the name if another experiment has it, a deleted one
     *                               too, or if the experiment is deleted (restore it first, as
     *                               MLflow requires)
     * @throws InvalidInputException if the name is blank or too long
     */
    Experiment renameExperiment(String experimentId, String newName);

    /**
     * Renames a run that is not deleted, running or ended. The new name is checked as a run's name
     * is at start. A run logged by MLflow's clients also carries its name in the tag
     * {@code mlflow.runName}; that tag follows the rename. An {@link ActiveRun} of this run
     * already open keeps answering its old {@link ActiveRun#name()}.
     *
     * @return the run as renamed
     * @throws NotFoundException      if there is no such run
     * @throws RunNotActiveException  if the run is deleted
     * @throws InvalidInputException  if the name is blank or too long
     */
    Run renameRun(String runId, String newName);

    /**
     * Starts a search for runs, in MLflow's filter language plus OR, NOT and parentheses.
     *
     * <pre>{@code
     * List<Run> best = tracker.searchRuns()
     *         .experiments("iris")
     *         .filter("metrics.accuracy > 0.9 and params.penalty = 'l2'")
     *         .orderBy("metrics.accuracy DESC")
     *         .maxResults(10)
     *         .page().runs();
     * }</pre>
     */
    RunQuery searchRuns();

    /** Starts a search for experiments, by name, tags and times. */
    ExperimentQuery searchExperiments();

    /** Soft-deletes a run: it stays readable with lifecycle stage DELETED and takes no writes. */
    void deleteRun(String runId);

    /** Restores a soft-deleted run. */
    void restoreRun(String runId);

    /**
     * Soft-deletes an experiment and, as MLflow does, every active run in it. Its name stays
     * taken.
     */
    void deleteExperiment(String experimentId);

    /** Restores an experiment and the runs its deletion deleted (runs deleted on their own stay deleted). */
    void restoreExperiment(String experimentId);

    /**
     * Lists the direct children of a directory of a run's artifacts ({@code ""} for the root),
     * sorted by path.
     */
    List<ArtifactEntry> listArtifacts(String runId, String path);

    /**
     * Opens an artifact file of a run for reading; the caller closes the stream.
     *
     * @throws NotFoundException if the run has no such file
     */
    InputStream openArtifact(String runId, String path);

    /**
     * Copies the artifact file or directory {@code path} of a run ({@code ""} for all of them) into
     * the local directory {@code targetDirectory}, created if needed. Files there of the same
     * names are replaced; a symbolic link to a directory below {@code targetDirectory} is never
     * written through.
     *
     * @return the local copy: {@code targetDirectory/<last segment of path>}, or
     *         {@code targetDirectory} itself for the root
     * @throws NotFoundException if the run has nothing at {@code path}
     * @throws ConflictException if the copy would go through a symbolic link below {@code targetDirectory}
     */
    Path downloadArtifacts(String runId, String path, Path targetDirectory);

    /** The runs, deleted ones included, that logged a dataset with this digest as an input, oldest first. */
    List<Run> runsUsing(String datasetDigest);

    /**
     * Reads the descriptor of a logged model.
     *
     * @param modelUri {@code runs:/<runId>/<artifactPath>}
     * @throws NotFoundException if there is no model there
     */
    LoggedModel getLoggedModel(String modelUri);

    /**
     * Loads a logged model through its flavor, after checking that every payload file still has
     * the SHA-256 recorded when it was logged. A json model may be loaded as an interface or
     * abstract class of yours that its recorded class implements (see {@link ModelFlavor#json()}).
     *
     * <p><b>Files-flavor models</b> load as a {@link Path} to a copy that the tracker owns: it lies
     * in the tracker's {@linkplain Builder#loadedModelDirectory loaded-model directory}, each load
     * gets a copy of its own, and the copy stays valid until the tracker closes, which deletes it.
     * You may delete it earlier; nothing else does, except a {@code DeployedModel} of the registry
     * that loaded it (see there). Copy what must outlive the tracker. Other models are read into
     * memory and leave no file behind.
     *
     * @param modelUri {@code runs:/<runId>/<artifactPath>}
     * @throws IntegrityException       if a payload file changed (the message names it)
     * @throws ClassNotAllowedException if a java-serialized model needs classes its filter refuses;
     *                                  it lists them all
     * @throws InvalidInputException    if the model cannot be loaded as {@code type}
     */
    <T> T loadModel(String modelUri, Class<T> type);

    /**
     * Loads a model with the given flavor instance, such as a java-serialized one allowing more
     * packages; otherwise as {@link #loadModel(String, Class)}.
     */
    <T> T loadModel(String modelUri, Class<T> type, ModelFlavor flavor);

    /**
     * Writes a logged model, descriptor and payload, to a {@code .tar.gz} archive, as
     * {@link #exportRun} writes its file.
     */
    void exportModel(String modelUri, Path tarGz);

    /**
     * Imports a model archive written by {@link #exportModel} into a new finished run of the
     * experiment it came from (created if needed).
     *
     * @return the imported model, with its new {@code runs:/} URI
     * @throws IntegrityException if the archive holds an unsafe entry (a path leaving the target, a
     *                            link, a device file), exceeds the size limit, or its payload does
     *                            not match its descriptor; nothing is stored then
     */
    LoggedModel importModel(Path tarGz);

    /**
     * Writes a whole run, its params, metrics, tags, inputs and artifacts, to a {@code .tar.gz}
     * archive. The archive is written beside {@code tarGz} and moved into place once whole, so a
     * failed export leaves no partial archive. A file already at {@code tarGz} is replaced, but
     * only if it is still the one found when the export began: one that appeared or changed
     * meanwhile (another export to the same path) is left as it is, and this throws.
     *
     * @throws ConflictException     if a file appeared or changed at {@code tarGz} while the
     *                               archive was written; no archive is kept
     * @throws InvalidInputException if {@code tarGz} is a directory, a device, a pipe, an SQLite
     *                               database or a file among the store's own artifacts, or lies
     *                               under a file
     */
    void exportRun(String runId, Path tarGz);

    /**
     * Imports a run archive written by {@link #exportRun} as a new run (with a new id) of the
     * experiment it came from, created if needed.
     *
     * @return the imported run
     * @throws IntegrityException as {@link #importModel}
     */
    Run importRun(Path tarGz);

    /**
     * Stores runs that already happened in {@code experimentName} (created on first use), with
     * their params, tags and metric points: the fast way to import a history or record a sweep
     * computed elsewhere. Every run is checked before anything is written, and the stores Runlog
     * ships write them all in one transaction, so when this returns every run is stored (as durable
     * as a returned {@code logParam}) and when it throws none is. Tags are stored as given, with no
     * system tags added; the artifact location is the store's usual one for a new run. A few
     * thousand runs per call keep each transaction short.
     *
     * <pre>{@code
     * List<String> ids = tracker.recordRuns("sweep", List.of(
     *         new RunRecord("lr=0.1", RunStatus.FINISHED, start, end, Map.of("lr", "0.1"), Map.of(),
     *                 List.of(new Metric("loss", 0.25, 10, end.toEpochMilli())))));
     * }</pre>
     *
     * @return the new runs' ids, in the order of {@code runs}
     * @throws InvalidInputException if an argument is null or the list holds a null
     * @throws ConflictException     if the experiment is deleted
     */
    List<String> recordRuns(String experimentName, List<RunRecord> runs);

    /**
     * Flushes every run's buffered metric points, ends runs still active as KILLED, closes the
     * store, and deletes the copies of loaded models (waiting for loads in progress to end).
     */
    @Override
    void close();

    /**
     * Options for a {@link Tracker}. Each setter checks its argument at once; {@link #build()}
     * seals them, so a tracker's options never change while it runs.
     *
     * <pre>{@code
     * Tracker tracker = Tracker.builder()
     *         .uri("sqlite:runs.db")
     *         .durability(Durability.SYNC)
     *         .build();
     * }</pre>
     */
    final class Builder {
        private String uri;
        private TrackingStore trackingStore;
        private ArtifactStore artifactStore;
        private Clock clock = Clock.systemUTC();
        private Durability durability = Durability.ASYNC;
        private int bufferCapacity = 1 << 16;
        private boolean shutdownHook = true;
        private long archiveSizeLimit = 16L << 30;
        private Path loadedModelDirectory;
        private Duration systemMetricsInterval;
        private boolean recordClasspath;
        private boolean createIfMissing = true;

        private Builder() {
        }

        /**
         * The store to open, chosen by scheme; see {@link Tracker}.
         *
         * @throws InvalidInputException if {@code uri} is null, or {@link #store} was already set
         */
        public Builder uri(String uri) {
            InputRules.notNull("uri", uri);
            if (trackingStore != null) {
                throw new InvalidInputException("store(...) was already set; give a URI or a store, not both");
            }
            this.uri = uri;
            return this;
        }

        /**
         * A store instance instead of a URI: for a store built by hand, or wrapped for testing. The
         * tracker closes both stores when it closes.
         */
        public Builder store(TrackingStore trackingStore, ArtifactStore artifactStore) {
            InputRules.notNull("trackingStore", trackingStore);
            InputRules.notNull("artifactStore", artifactStore);
            if (uri != null) {
                throw new InvalidInputException("uri(" + uri + ") was already set; give a URI or a store, not both");
            }
            this.trackingStore = trackingStore;
            this.artifactStore = artifactStore;
            return this;
        }

        /** The clock for run times and metric timestamps; {@link Clock#systemUTC()} by default. */
        public Builder clock(Clock clock) {
            this.clock = InputRules.notNull("clock", clock);
            return this;
        }

        /** When {@code logMetric} counts as done; {@link Durability#ASYNC} by default. */
        public Builder durability(Durability durability) {
            this.durability = InputRules.notNull("durability", durability);
            return this;
        }

        /**
         * How many metric points the async buffer holds before {@code logMetric} waits for the
         * writer (back-pressure); 65,536 by default. The batch the writer has taken out and is
         * writing is held besides, so up to about twice this many points are in memory. A
         * {@code logMetric} waiting while the store fails receives the failure rather than
         * waiting for ever (see {@link ActiveRun}).
         *
         * @throws InvalidInputException if {@code points} is below 1
         */
        public Builder bufferCapacity(int points) {
            if (points < 1) {
                throw new InvalidInputException("bufferCapacity must be at least 1 point, got " + points);
            }
            this.bufferCapacity = points;
            return this;
        }

        /**
         * Whether a JVM shutdown hook flushes this tracker and marks its active runs KILLED when
         * the JVM exits with the tracker still open; on by default.
         */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * The most bytes an imported archive may unpack to; 16 GiB by default. An archive that
         * unpacks to more (a compression bomb) is refused and nothing of it is kept.
         */
        public Builder archiveSizeLimit(long bytes) {
            if (bytes < 1) {
                throw new InvalidInputException("archiveSizeLimit must be at least 1 byte, got " + bytes);
            }
            this.archiveSizeLimit = bytes;
            return this;
        }

        /**
         * Where the tracker keeps the models it loads: a directory {@code runlog-loads-*} made
         * inside {@code parent} (created if missing) on the first load, and deleted with everything
         * in it when the tracker closes. By default it is made in {@code java.io.tmpdir}. Files-flavor
         * models load as paths into it; see {@link Tracker#loadModel(String, Class)}.
         *
         * @throws InvalidInputException if {@code parent} is null
         */
        public Builder loadedModelDirectory(Path parent) {
            if (parent == null) {
                throw new InvalidInputException("loadedModelDirectory must not be null");
            }
            this.loadedModelDirectory = parent;
            return this;
        }

        /**
         * Samples the machine into every run of this tracker, every {@code interval}, from the
         * run's start to its end; off by default. One daemon thread per run (named
         * {@code runlog-system-metrics-<runId>}) takes a sample at the start, one per interval, and
         * a last one as the run ends, and is gone when {@code end}, {@code fail} or {@code close}
         * returns. Each sample logs, with the sample's index (0, 1, ...) as step:
         * {@code system/cpu_utilization_percentage} (the machine) and
         * {@code system/process_cpu_utilization_percentage} (this JVM), when the JVM reports them;
         * {@code system/system_memory_usage_megabytes}; {@code system/heap_used_megabytes} and
         * {@code system/non_heap_used_megabytes}; {@code system/gc_count} and
         * {@code system/gc_time_milliseconds} (totals since the JVM started);
         * {@code system/threads}; and, when {@code nvidia-smi} is on the {@code PATH}, per GPU
         * {@code system/gpu_<i>_utilization_percentage}, {@code system/gpu_<i>_memory_usage_megabytes}
         * and {@code system/gpu_<i>_memory_total_megabytes}. The sampler logs like training code,
         * through the asynchronous writer, so the training thread does not wait for it; a sample
         * that fails is dropped and sampling stops, never failing the run.
         *
         * @throws InvalidInputException if {@code interval} is null, zero, negative or longer than a day
         */
        public Builder systemMetrics(Duration interval) {
            InputRules.notNull("interval", interval);
            // A day bounds it far above any use, and far below what the sampler's nanosecond clock holds.
            if (interval.isZero() || interval.isNegative() || interval.compareTo(Duration.ofDays(1)) > 0) {
                throw new InvalidInputException("systemMetrics interval must be positive and at most a day, got " + interval);
            }
            this.systemMetricsInterval = interval;
            return this;
        }

        /**
         * Whether every run of this tracker gets, as it starts, the artifact
         * {@code runlog/classpath.json}: the JVM's version and each entry of its class path and
         * module path (a directory by its path, a jar by its file name) with the Maven
         * {@code groupId}, {@code artifactId} and {@code version} the jar declares (several for a
         * shaded jar; else its manifest's, else those its file name suggests). Off by default; the
         * class path is read once per tracker.
         */
        public Builder recordClasspath(boolean enabled) {
            this.recordClasspath = enabled;
            return this;
        }

        /**
         * Whether {@link #uri} may name a store that is not there yet, which opening then makes
         * (the default), or must name one that exists: for a reader, such as a dashboard, that
         * should fail on a mistyped location instead of reading a new, empty store. Runlog's
         * SQLite store checks for its file and its PostgreSQL store for its tables; a store that
         * cannot tell opens as usual (see {@link dev.runlog.tracking.spi.StoreProvider#openExisting}).
         *
         * <pre>{@code
         * Tracker.builder().uri("sqlite:runs.db").createIfMissing(false).build();   // NotFoundException if runs.db is not there
         * }</pre>
         */
        public Builder createIfMissing(boolean create) {
            this.createIfMissing = create;
            return this;
        }

        /**
         * Opens the store and returns the tracker.
         *
         * @throws InvalidInputException if neither a URI nor a store was given, or no store module
         *                               handles the URI's scheme
         * @throws NotFoundException     with {@link #createIfMissing createIfMissing(false)}, if
         *                               there is no store at the URI
         */
        public Tracker build() {
            TrackingStore tracking = trackingStore;
            ArtifactStore artifacts = artifactStore;
            if (tracking == null) {
                if (uri == null) {
                    throw new InvalidInputException("Tracker.builder() needs uri(...) or store(...)");
                }
                var stores = StoreLookup.open(uri, createIfMissing);
                tracking = stores.tracking();
                artifacts = stores.artifacts();
            }
            return new DefaultTracker(tracking, artifacts, clock, durability, bufferCapacity, shutdownHook,
                    archiveSizeLimit, loadedModelDirectory, new RunStartLogging(systemMetricsInterval, recordClasspath));
        }
    }
}
