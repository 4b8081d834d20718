package dev.runlog.tracking.spi;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.ViewType;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.Set;

/**
 * Where experiments, runs, params, metrics and tags are kept.
 *
 * <p>The tracker validates keys, values and limits before calling a store, generates run ids and
 * takes every timestamp from its clock; a store keeps what it is given. What only a store can
 * check atomically, because several trackers or processes may share it, it must check itself:
 * unique experiment names, immutable params, and that a written run is still active.
 *
 * <p>Implementations are thread-safe. Every write is atomic: it happens whole or not at all, so the
 * tracker can retry a failed {@link #logBatch} without duplicating points. Failures of the store
 * itself are thrown as {@link StoreException}; the contract violations below use the exceptions
 * named.
 */
public interface TrackingStore extends AutoCloseable {

    /**
     * Creates an active experiment and assigns its id: a decimal number ({@code "0"}, {@code "17"}),
     * as MLflow's ids are, never given to another experiment of this store. Imports and copies keep
     * ids ({@link #importExperiment} takes only such ids), and a tracker tells an id from a name by
     * this form.
     *
     * @throws ConflictException if the name is taken, by a deleted experiment too
     */
    Experiment createExperiment(String name, Instant creationTime);

    /** The experiment with this id, active or deleted; empty when there is none. */
    Optional<Experiment> getExperiment(String experimentId);

    /** By unique name, deleted experiments included. */
    Optional<Experiment> getExperimentByName(String name);

    /** The experiments in the view, in creation order. */
    List<Experiment> listExperiments(ViewType viewType);

    /**
     * The experiments in the view, in creation order, each with the counts of its runs that are not
     * deleted and that are, and its last activity: the latest of its last update time and of the
     * start and end times of all its runs, deleted ones included (see {@link ExperimentSummary}). The
     * view chooses experiments only; every run of a chosen experiment counts.
     *
     * <p>The default pages through {@link #searchRuns} over every run of those experiments, so it
     * works for any store but reads every run; a store should answer with one aggregate query.
     */
    default List<ExperimentSummary> experimentSummaries(ViewType viewType) {
        List<Experiment> experiments = listExperiments(viewType);
        if (experiments.isEmpty()) {
            return List.of(); // a search naming no experiment would search them all
        }
        Map<String, long[]> counts = new HashMap<>(); // per experiment id: runs not deleted, deleted
        Map<String, Instant> last = new HashMap<>();
        for (Experiment e : experiments) {
            counts.put(e.id(), new long[2]);
            last.put(e.id(), e.lastUpdateTime());
        }
        BinaryOperator<Instant> latest = (a, b) -> a.isAfter(b) ? a : b;
        // Ordered by run id, a key every store can page on: runs started meanwhile are neither skipped nor repeated.
        List<SearchOrder> byId = List.of(new SearchOrder(new SearchField(SearchField.Kind.ATTRIBUTE, "run_id"), true));
        int pageSize = 1000;
        Optional<SearchCursor> after = Optional.empty();
        List<Run> page;
        do {
            page = searchRuns(new RunSearch(List.copyOf(counts.keySet()), new SearchFilter.All(), byId, pageSize, after,
                    ViewType.ALL));
            for (Run run : page) {
                RunInfo info = run.info();
                counts.get(info.experimentId())[info.lifecycleStage() == LifecycleStage.DELETED ? 1 : 0]++;
                last.merge(info.experimentId(), info.startTime(), latest);
                info.endTime().ifPresent(end -> last.merge(info.experimentId(), end, latest));
            }
            if (!page.isEmpty()) {
                String lastId = page.get(page.size() - 1).info().id();
                after = Optional.of(new SearchCursor(List.of(lastId), lastId));
            }
        } while (page.size() == pageSize);
        return experiments.stream()
                .map(e -> new ExperimentSummary(e, counts.get(e.id())[0], counts.get(e.id())[1], last.get(e.id())))
                .toList();
    }

    /**
     * Sets a tag of an experiment, replacing its value if set.
     *
     * @throws NotFoundException if there is no such experiment
     */
    void setExperimentTag(String experimentId, String key, String value);

    /**
     * Removes a tag of an experiment; a tag it does not have is fine. What a store copy uses to take
     * back its own marker once it finished. The default, for a store that cannot, throws.
     *
     * @throws NotFoundException     if there is no such experiment
     * @throws InvalidInputException if this store cannot delete experiment tags (the default)
     */
    default void deleteExperimentTag(String experimentId, String key) {
        throw new InvalidInputException(getClass().getName() + " cannot delete experiment tags");
    }

    /**
     * Renames an active experiment and sets its last update time to {@code time}. The name arrives
     * checked as a new experiment's is; renaming to the experiment's own name changes only the
     * time. Its runs keep their experiment (they refer to it by id), and the old name is free
     * afterwards. A deleted experiment is not renamed, as in MLflow: restore it first.
     *
     * @throws NotFoundException if there is no such experiment
     * @throws ConflictException naming the name if another experiment, a deleted one too, has it, or
     *                           if the experiment is deleted
     */
    void renameExperiment(String experimentId, String newName, Instant time);

    /**
     * Renames a run that is not deleted, whatever its status (a finished run is renamed too, as
     * MLflow's {@code runs/update} allows). The name arrives checked as a new run's is. A run that
     * carries the tag {@value #RUN_NAME_TAG} (runs logged by MLflow's clients and imported from
     * MLflow do) has that tag set to the new name in the same transaction, so the two never
     * disagree; a run without it does not get it.
     *
     * @throws NotFoundException     if the run does not exist
     * @throws RunNotActiveException if the run is deleted
     */
    void renameRun(String runId, String newName);

    /** The tag MLflow keeps a run's name in besides the run's name itself; {@link #renameRun} keeps it equal to the name. */
    String RUN_NAME_TAG = "mlflow.runName";

    /**
     * The runs matching {@code search}, in its order, after its cursor, at most its limit (never
     * more: a tracker reads a page shorter than it asked for as the last). Every store returns the
     * same runs in the same order for the same search; the contract kit checks. How each field
     * compares is in {@link SearchFilter} and {@link SearchOrder}.
     */
    List<Run> searchRuns(RunSearch search);

    /**
     * The experiments matching {@code search}, in its order, after its cursor, at most its limit,
     * as {@link #searchRuns}. The tracker's default order is newest first
     * ({@code creation_time DESC}); as for runs, the id breaks ties.
     */
    List<Experiment> searchExperiments(ExperimentSearch search);

    /**
     * Soft-deletes the experiment and every active run in it, remembering which runs this deletion
     * deleted so that {@link #restoreExperiment} restores exactly those. Deleting a deleted
     * experiment is no error: it only sets the last update time.
     *
     * @throws NotFoundException if there is no such experiment
     */
    void deleteExperiment(String experimentId, Instant time);

    /**
     * Restores the experiment and the runs its deletion deleted. Restoring an active experiment is
     * no error: it only sets the last update time.
     *
     * @throws NotFoundException if there is no such experiment
     */
    void restoreExperiment(String experimentId, Instant time);

    /**
     * Creates a run.
     *
     * @throws NotFoundException        if the experiment does not exist
     * @throws ConflictException        if the run id is taken or the experiment is deleted
     */
    void createRun(RunSpec spec);

    /**
     * Creates a run that a process elsewhere runs, such as an MLflow client logging through Runlog's
     * server: as {@link #createRun}, but with no owner of this machine, so that no open of the store
     * ends it as orphaned when this process (the server) stops or restarts. Its client ends it, as
     * with MLflow's own server; one whose client died stays RUNNING until someone ends it. The
     * default, for a store that records no owners, is {@link #createRun}.
     *
     * @throws NotFoundException        if the experiment does not exist
     * @throws ConflictException        if the run id is taken or the experiment is deleted
     */
    default void createUnownedRun(RunSpec spec) {
        createRun(spec);
    }

    /**
     * Stores runs that already happened, each created, given its params and points, and ended, as
     * {@link #createRun}, {@link #logBatch} and {@link #endRun} would one by one: for imports and
     * big sweeps, whose cost is the number of commits. A store should override this to write them
     * all in one transaction, all or none, as the SQLite and in-memory stores do; this default
     * first checks every run's experiment and id (so a taken id or a missing or deleted experiment
     * stores none), then writes run by run, so a failure while writing (a store error, another
     * writer taking an id meanwhile) leaves the runs before it stored.
     *
     * @throws NotFoundException if the experiment of a run does not exist
     * @throws ConflictException if it is deleted or a run id is taken, or given twice
     */
    default void recordRuns(List<RecordedRun> runs) {
        InputRules.notNull("runs", runs);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (RecordedRun run : runs) {
            String id = InputRules.notNull("recorded run", run).spec().runId();
            String experimentId = run.spec().experimentId();
            Experiment experiment = getExperiment(experimentId)
                    .orElseThrow(() -> new NotFoundException("No experiment with id " + experimentId));
            if (experiment.lifecycleStage() == LifecycleStage.DELETED) {
                throw new ConflictException("Experiment " + experimentId + " is deleted; restore it to record runs in it");
            }
            if (!ids.add(id) || getRun(id).isPresent()) {
                throw new ConflictException("Run id " + id + " is taken; no run of this call was stored");
            }
        }
        for (RecordedRun run : runs) {
            createRun(run.spec());
            logBatch(run.spec().runId(), run.metrics(), run.params(), Map.of());
            endRun(run.spec().runId(), run.endStatus(), run.endTime());
        }
    }

    /**
     * Stores an experiment that exists elsewhere as it is: its id, name, lifecycle stage, times and
     * tags, for copies and imports. Its runs follow with {@link #importRun}, into it even when it is
     * deleted. One transaction.
     *
     * @throws InvalidInputException if the id is not a decimal number from 0
     *                               ({@link RunSnapshot#experimentId}), or the store cannot import
     *                               (the default)
     * @throws ConflictException     naming the id or name when either is taken in this store
     */
    default void importExperiment(Experiment experiment) {
        InputRules.notNull("experiment", experiment);
        throw new InvalidInputException(getClass().getName() + " cannot import experiments");
    }

    /**
     * Stores a run that exists elsewhere as it is ({@link RunSnapshot}), with no metric points yet:
     * its id, experiment, status, times, lifecycle stage (and how it was deleted), params, tags,
     * inputs and artifact records, in one transaction. The artifact files themselves go to the
     * {@link ArtifactStore}, before, by the caller. An ACTIVE run in a deleted experiment cannot be,
     * so it is refused.
     *
     * @throws NotFoundException     if the experiment does not exist
     * @throws ConflictException     naming the run id when it is taken
     * @throws InvalidInputException for an ACTIVE run in a deleted experiment, or if the store
     *                               cannot import (the default)
     */
    default void importRun(RunSnapshot run) {
        InputRules.notNull("run", run);
        throw new InvalidInputException(getClass().getName() + " cannot import runs");
    }

    /**
     * Appends metric points to an imported run, whatever its status and lifecycle stage: how a run's
     * history follows {@link #importRun}, a key (or part of one) per call, so no history need be
     * held whole. Values are kept exactly (NaN, infinities, -0.0). One transaction per call.
     *
     * @throws NotFoundException     if the run does not exist
     * @throws InvalidInputException if the store cannot import (the default)
     */
    default void importMetrics(String runId, List<Metric> points) {
        InputRules.notNull("run id", runId);
        InputRules.notNull("points", points);
        throw new InvalidInputException(getClass().getName() + " cannot import metrics");
    }

    /**
     * Reads a run whole but for its metric points, as {@link #importRun} takes it, in one consistent
     * read. The default reads {@link #getRun} and {@link #recordedArtifacts} and, knowing nothing of
     * how a deleted run was deleted, says it was deleted on its own at no recorded time; a store that
     * records more (the SQLite and in-memory stores) says it.
     *
     * @throws NotFoundException if the run does not exist
     */
    default RunSnapshot snapshotRun(String runId) {
        InputRules.notNull("run id", runId);
        Run run = getRun(runId).orElseThrow(() -> new NotFoundException("No run with id " + runId));
        return new RunSnapshot(run.info(), run.data().params(), run.data().tags(), run.inputs(),
                recordedArtifacts(runId), false, Optional.empty());
    }

    /**
     * The run with this id, whatever its status and lifecycle stage (a deleted run too), with its
     * params, tags, inputs and the latest point of each metric ({@link #latestMetrics}); empty when
     * there is none.
     */
    Optional<Run> getRun(String runId);

    /**
     * Whether a run with this id exists, deleted or not: what {@code getRun(runId).isPresent()}
     * says, which the default asks. A store whose {@link #getRun} reads a run's params, tags and
     * metrics overrides this with a look-up of the id alone (registering and loading a model ask
     * it).
     */
    default boolean runExists(String runId) {
        InputRules.notNull("run id", runId);
        return getRun(runId).isPresent();
    }

    /**
     * Writes metric points, params and tags of one run, all or nothing. Metric points are
     * appended; tags are upserted; params are inserted, and a param already stored is accepted
     * only with the same value. A call with nothing to write still checks the run: it fails as
     * below on a run that ended, is deleted or does not exist.
     *
     * @throws NotFoundException      if the run does not exist
     * @throws RunNotActiveException  if the run has ended or is deleted
     * @throws ParamConflictException if a param is stored with a different value
     */
    void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags);

    /**
     * Appends the metric points of several runs as one unit of work, all or nothing, or declines.
     * The tracker's metric writer offers each drain of its buffer that holds points of more than
     * one run here first: a store whose every commit waits for a disk flush (a database server)
     * then pays one commit for the drain instead of one per run. On {@code false} nothing was
     * stored and the writer calls {@link #logBatch} run by run; so does it when this throws a
     * refusal ({@link NotFoundException}, {@link RunNotActiveException}), to store the other runs'
     * points and report the refused run's alone. A {@link dev.runlog.tracking.StoreException}
     * means nothing was stored, and the whole drain is retried.
     *
     * <p>The default declines. An override stores every run's points as {@link #logBatch} would,
     * in one transaction, taking the runs' locks in one order (sorted ids) so that two writers
     * never wait on each other.
     *
     * @param pointsByRun each run's points, in the order logged
     * @return true if every point was stored; false if this store declines, having stored nothing
     * @throws NotFoundException     if a run does not exist; nothing was stored
     * @throws RunNotActiveException if a run has ended or is deleted; nothing was stored
     */
    default boolean logMetricsOfRuns(Map<String, List<Metric>> pointsByRun) {
        InputRules.notNull("points by run", pointsByRun);
        return false;
    }

    /**
     * Sets (or overwrites) one tag of a run that is not deleted, whatever its status: a run is
     * annotated after it ended (a review note, a validation verdict), as MLflow's {@code set_tag}
     * allows. Key and value arrive checked.
     *
     * @throws NotFoundException     if the run does not exist
     * @throws RunNotActiveException if the run is deleted
     */
    void setTag(String runId, String key, String value);

    /**
     * Removes one tag of a run that is not deleted, whatever its status.
     *
     * @throws NotFoundException     if the run does not exist, or has no tag {@code key}
     * @throws RunNotActiveException if the run is deleted
     */
    void deleteTag(String runId, String key);

    /**
     * Records files stored for a run in its {@link ArtifactStore}, with their size and SHA-256,
     * replacing the records of the same paths.
     *
     * @throws NotFoundException     if the run does not exist
     * @throws RunNotActiveException if the run has ended or is deleted
     */
    void logArtifacts(String runId, List<ArtifactEntry> files);

    /**
     * The file records of a run, sorted by path.
     *
     * @throws NotFoundException if the run does not exist
     */
    List<ArtifactEntry> recordedArtifacts(String runId);

    /**
     * The record of one file of a run, as {@link #recordedArtifacts} lists it; empty when it has
     * none. The tracker asks this at every read of a file, to check it. The default filters
     * {@link #recordedArtifacts}; a store with many files per run answers with one look-up.
     */
    default Optional<ArtifactEntry> recordedArtifact(String runId, String path) {
        InputRules.notNull("path", path);
        return recordedArtifacts(runId).stream().filter(entry -> entry.path().equals(path)).findFirst();
    }

    /**
     * Records datasets a run used. A dataset is stored once per content (name, digest, source,
     * schema and profile) however many runs use it, so another profile of the same data is a record
     * of its own and never changes another run's inputs; logging the same dataset with the same
     * context again for a run changes nothing.
     *
     * @throws NotFoundException     if the run does not exist
     * @throws RunNotActiveException if the run has ended or is deleted
     */
    void logInputs(String runId, List<DatasetInput> inputs);

    /**
     * The ids of runs, deleted ones included, that used a dataset with this digest, oldest start
     * first; empty for a digest no run used.
     */
    List<String> runsUsing(String datasetDigest);

    /**
     * Every point of a metric of a run, ordered by step, then timestamp, then value
     * ({@link Metric#HISTORY_ORDER}; points equal in that order in the order logged); empty for a
     * key the run never logged.
     *
     * @throws NotFoundException if the run does not exist
     */
    List<Metric> metricHistory(String runId, String key);

    /**
     * The history of a metric as arrays, in {@link #metricHistory} order. The default converts
     * {@code metricHistory}; a store that keeps points in columns should answer without creating
     * an object per point.
     *
     * @throws NotFoundException if the run does not exist
     */
    default MetricSeries metricSeries(String runId, String key) {
        return MetricSeries.of(key, metricHistory(runId, key));
    }

    /**
     * The latest point of every metric of each existing run among {@code runIds}: per key the point
     * greatest in {@link Metric#HISTORY_ORDER} (largest step, then timestamp, then value, NaN above
     * every number), whatever order the points were logged in; the value a metric condition of a
     * search compares. Ids of no run are left out. The default reads run by run; a store should
     * answer in one query.
     */
    default Map<String, Map<String, Metric>> latestMetrics(Collection<String> runIds) {
        Map<String, Map<String, Metric>> result = new LinkedHashMap<>();
        for (String runId : runIds) {
            getRun(runId).ifPresent(run -> result.put(runId, run.data().latestMetrics()));
        }
        return result;
    }

    /**
     * Ends an active run. An {@code endTime} before the run's start is recorded as its start: a
     * clock that stepped back (an NTP correction, another host's clock) must not leave a run that
     * ends before it starts, which copies and archives refuse.
     *
     * @throws NotFoundException     if the run does not exist
     * @throws RunNotActiveException if it has already ended or is deleted
     */
    void endRun(String runId, RunStatus status, Instant endTime);

    /**
     * Ends as KILLED every RUNNING run whose owning process is known to be gone, and tags each with
     * {@code Tracker.KILLED_REASON_TAG} saying why. Its end time is its last sign of life the store
     * holds, such as the time of its latest metric point (its start without one), never after
     * {@code endTime}, the moment it was found: found days later, it did not run for days. A store that records
     * which process owns a run (the SQLite store: host, pid and process start time) must end only
     * runs owned by a process of this machine that it can tell is dead, never a run of another
     * machine or of a live process. The tracker calls this when it opens and from
     * {@code Tracker.killOrphanedRuns()}. The default, for stores whose runs cannot outlive their
     * process (the in-memory store), does nothing.
     *
     * @return the ids of the runs ended
     */
    default List<String> killRunsOfDeadProcesses(Instant endTime) {
        return List.of();
    }

    /**
     * Soft-deletes a run, whatever its status; deleting a deleted run is no error.
     *
     * @throws NotFoundException if the run does not exist
     */
    void deleteRun(String runId);

    /**
     * Restores a soft-deleted run; restoring a run that is not deleted is no error.
     *
     * @throws NotFoundException if the run does not exist
     * @throws ConflictException if its experiment is deleted (restore the experiment instead)
     */
    void restoreRun(String runId);

    /**
     * Soft-deletes a run as {@link #deleteRun(String)} does, recording {@code time} as the moment
     * it was deleted, from which {@link #purgeDeleted} measures its age. The tracker calls this one.
     * The default forgets the time: such a store's runs count as deleted when they ended.
     *
     * @throws NotFoundException if the run does not exist
     */
    default void deleteRun(String runId, Instant time) {
        InputRules.notNull("run id", runId);
        InputRules.notNull("time", time);
        deleteRun(runId);
    }

    /**
     * Deletes for good, in one transaction, the runs deleted at or before {@code deletedBefore}
     * (a run deleted with its experiment, when the experiment was; one deleted with no recorded
     * time, when it ended, else when it started), except those in {@code keep}, with their params,
     * tags, metric points, inputs and artifact records; then the experiments deleted at or before
     * {@code deletedBefore} that have no run left, which frees their names. A run restored
     * meanwhile is not purged. The runs' artifact files are left to the caller
     * ({@link ArtifactStore#deleteRunArtifacts}). A store on disk may then compact itself and say
     * how many bytes that gave back. With {@code dryRun} nothing changes and the result says what
     * would be purged.
     *
     * @param keep run ids never to purge, such as those of registered model versions
     * @throws InvalidInputException if this store cannot purge (the default)
     */
    default Purge purgeDeleted(Instant deletedBefore, Set<String> keep, boolean dryRun) {
        InputRules.notNull("deletedBefore", deletedBefore);
        InputRules.notNull("keep", keep);
        throw new InvalidInputException(getClass().getName() + " cannot purge deleted runs");
    }

    /**
     * The runs {@link #purgeDeleted} purged whose artifact files nobody has yet said are deleted
     * ({@link #artifactsDeleted}): what a {@code gc} stopped between purging
     * rows and deleting files (killed, or refused by the artifact store) left behind, so that the
     * next one deletes it. A store that purges records each purged run here in the purge's own
     * transaction, and leaves out an id that names a run again (one imported since). The default,
     * for a store that cannot purge, is none.
     */
    default List<String> pendingArtifactDeletions() {
        return List.of();
    }

    /**
     * Says that the artifact files of {@code runId}, a purged run, are deleted
     * ({@link ArtifactStore#deleteRunArtifacts} returned), so it leaves
     * {@link #pendingArtifactDeletions()}. An id not pending is ignored.
     */
    default void artifactsDeleted(String runId) {
        InputRules.notNull("run id", runId);
    }

    /**
     * The store's own read-only check of itself: what it is (kind, schema version, location) and
     * every problem found, such as a corrupt file. The default, for a store with nothing to check
     * beyond what its calls already check, names the store's class and finds nothing.
     */
    default StoreCheck checkStore() {
        return new StoreCheck(getClass().getSimpleName(), List.of());
    }

    /**
     * Whether this store keeps its data in this JVM's memory only, for as long as the store object
     * is reachable. An extension that keeps data beside the tracking data (the model registry) then
     * keeps its own in memory too, tied to this store object, with no provider of its own. The
     * default, for stores whose data outlives them (files, databases), is false.
     */
    default boolean keepsDataInMemory() {
        return false;
    }

    /** Releases the store's resources. Idempotent. */
    @Override
    void close();
}
