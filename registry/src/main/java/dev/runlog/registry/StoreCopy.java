package dev.runlog.registry;

import dev.runlog.registry.spi.ModelSnapshot;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchOrder;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Copies a whole store into another, exactly: every experiment and run (deleted ones too) with its
 * id, times, status, lifecycle, params, tags, inputs and every metric point; every artifact file,
 * byte for byte, checked against the SHA-256 recorded for it; and the model registry with its
 * version numbers, stages, aliases and whole audit trail. It lives in the registry module because
 * only here are both the tracking and the registry stores reachable.
 *
 * <pre>{@code
 * try (Tracker from = Tracker.open("sqlite:runlog.db"); Tracker to = Tracker.open("sqlite:/mnt/team/runlog.db")) {
 *     CopyReport report = StoreCopy.copy(from, to);
 * }
 * }</pre>
 *
 * <p>Before writing anything it checks that no experiment id or name, run id or model name of the
 * source is taken in the target, and throws {@link ConflictException} naming the first that is, with
 * the target untouched; otherwise the target may hold other data. Then it streams: runs a page at a
 * time, one metric key's history at a time, artifact files as streams, so a store of any size copies
 * in bounded memory. Each experiment, run (without its points), key's points and model is one
 * transaction of the target; a failure part way (the target's disk full) leaves what was copied
 * before it (but no files of the run it failed in), so copy into a store made for the purpose: every
 * copied experiment carries {@link #STATE_TAG} until the copy's last write, so a target a copy was
 * stopped in, even killed, says so. Runs keep their ids but take the target's
 * artifact location in {@link RunInfo#artifactUri()}. Audit trail events keep their sequence numbers
 * unless the target already used them (then they are numbered after its highest, in order).
 * Events of models deleted and not created again cannot be read through the registry and are not
 * copied. Buffered points of runs still being written in the source are not copied: copy a store
 * no job writes to.
 */
public final class StoreCopy {
    /**
     * The tag each copied experiment carries in the target from its creation until the copy's last
     * write, with the value {@value #UNFINISHED}, then removed (the copy is exact): a target a copy
     * was stopped in (killed, out of disk) says so, and {@code runlog doctor} reports it.
     */
    public static final String STATE_TAG = "runlog.copy";
    /** {@link #STATE_TAG}'s value while the copy is under way. */
    public static final String UNFINISHED = "unfinished";
    private static final int RUN_PAGE = 500;
    private static final int POINT_BATCH = 50_000;

    private StoreCopy() {
    }

    /** As {@link #copy(Tracker, Tracker, Consumer)} with no progress callback. */
    public static CopyReport copy(Tracker from, Tracker to) {
        return copy(from, to, report -> { });
    }

    /**
     * Copies everything in {@code from}'s store into {@code to}'s.
     *
     * @param progress called with the counts so far after each run and each model
     * @return the counts of what was copied
     * @throws ConflictException     naming an experiment id or name, run id or model name of the source
     *                               taken in the target; nothing was written then
     * @throws IntegrityException    if an artifact file's content no longer has its recorded SHA-256
     * @throws dev.runlog.tracking.InvalidInputException if a store cannot import (a custom store
     *                               without the import methods), or an argument is null
     */
    public static CopyReport copy(Tracker from, Tracker to, Consumer<CopyReport> progress) {
        InputRules.notNull("from", from);
        InputRules.notNull("to", to);
        InputRules.notNull("progress", progress);
        return new Copier(TrackerStores.of(from), TrackerStores.of(to), RegistryStore.of(from), RegistryStore.of(to),
                progress).copy();
    }

    private static final class Copier {
        private final TrackerStores source;
        private final TrackerStores target;
        private final RegistryStore sourceRegistry;
        private final RegistryStore targetRegistry;
        private final Consumer<CopyReport> progress;
        private long experiments;
        private long runs;
        private long points;
        private long files;
        private long bytes;
        private long models;
        private long versions;
        private long events;

        Copier(TrackerStores source, TrackerStores target, RegistryStore sourceRegistry, RegistryStore targetRegistry,
               Consumer<CopyReport> progress) {
            this.source = source;
            this.target = target;
            this.sourceRegistry = sourceRegistry;
            this.targetRegistry = targetRegistry;
            this.progress = progress;
        }

        CopyReport copy() {
            List<Experiment> all = source.tracking().listExperiments(ViewType.ALL);
            checkNoClash(all);
            for (Experiment experiment : all) {
                target.tracking().importExperiment(experiment);
                target.tracking().setExperimentTag(experiment.id(), STATE_TAG, UNFINISHED);
                experiments++;
            }
            forEachRun(all, run -> {
                copyRun(run);
                runs++;
                progress.accept(report());
            });
            for (RegisteredModel model : sourceRegistry.listModels()) {
                ModelSnapshot snapshot = new ModelSnapshot(model,
                        sourceRegistry.listVersions(Optional.of(model.name())), sourceRegistry.history(model.name()));
                targetRegistry.importModel(snapshot);
                models++;
                versions += snapshot.versions().size();
                events += snapshot.events().size();
                progress.accept(report());
            }
            // The last writes: the marker is taken back, or set back to what the source itself had.
            for (Experiment experiment : all) {
                String own = experiment.tags().get(STATE_TAG);
                if (own == null) {
                    target.tracking().deleteExperimentTag(experiment.id(), STATE_TAG);
                } else {
                    target.tracking().setExperimentTag(experiment.id(), STATE_TAG, own);
                }
            }
            return report();
        }

        private CopyReport report() {
            return new CopyReport(experiments, runs, points, files, bytes, models, versions, events);
        }

        /** Reads the whole source for clashes before the first write, so a refused copy leaves the target as it was. */
        private void checkNoClash(List<Experiment> all) {
            for (Experiment e : all) {
                if (target.tracking().getExperiment(e.id()).isPresent()) {
                    throw new ConflictException("The target already has an experiment with id " + e.id() + "; nothing was copied");
                }
                if (target.tracking().getExperimentByName(e.name()).isPresent()) {
                    throw new ConflictException("The target already has an experiment named '" + e.name()
                            + "'; nothing was copied");
                }
            }
            forEachRun(all, run -> {
                if (target.tracking().getRun(run.info().id()).isPresent()) {
                    throw new ConflictException("The target already has a run with id " + run.info().id()
                            + "; nothing was copied");
                }
            });
            for (RegisteredModel model : sourceRegistry.listModels()) {
                if (targetRegistry.getModel(model.name()).isPresent()) {
                    throw new ConflictException("The target already has a registered model named '" + model.name()
                            + "'; nothing was copied");
                }
            }
        }

        /** Pages through every run by id, a key every store can page on: memory holds one page at a time. */
        private void forEachRun(List<Experiment> all, Consumer<Run> action) {
            if (all.isEmpty()) {
                return; // a search naming no experiment would search them all
            }
            List<String> ids = all.stream().map(Experiment::id).toList();
            List<SearchOrder> byId = List.of(new SearchOrder(new SearchField(SearchField.Kind.ATTRIBUTE, "run_id"), true));
            Optional<SearchCursor> after = Optional.empty();
            List<Run> page;
            do {
                page = source.tracking().searchRuns(new RunSearch(ids, new SearchFilter.All(), byId, RUN_PAGE, after,
                        ViewType.ALL));
                page.forEach(action);
                if (!page.isEmpty()) {
                    String last = page.get(page.size() - 1).info().id();
                    after = Optional.of(new SearchCursor(List.of(last), last));
                }
            } while (page.size() == RUN_PAGE);
        }

        private void copyRun(Run run) {
            String runId = run.info().id();
            RunSnapshot snapshot = source.tracking().snapshotRun(runId);
            RunInfo info = snapshot.info();
            try {
                // Files first: a reader of the target never sees a run whose recorded files are missing.
                copyArtifacts(runId, snapshot.artifacts().stream()
                        .collect(Collectors.toMap(ArtifactEntry::path, file -> file.sha256().orElseThrow())));
                target.tracking().importRun(new RunSnapshot(new RunInfo(info.id(), info.experimentId(), info.name(),
                        info.status(), info.startTime(), info.endTime(), info.lifecycleStage(),
                        target.artifacts().artifactUri(runId)), snapshot.params(), snapshot.tags(), snapshot.inputs(),
                        snapshot.artifacts(), snapshot.deletedWithExperiment(), snapshot.deletedTime()));
            } catch (RuntimeException e) {
                // The run is not in the target: its files copied so far would be files of no run, which
                // neither doctor nor gc ever looks at.
                try {
                    target.artifacts().deleteRunArtifacts(runId);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            for (String key : run.data().latestMetrics().keySet()) {
                List<Metric> history = source.tracking().metricHistory(runId, key);
                for (int i = 0; i < history.size(); i += POINT_BATCH) {
                    target.tracking().importMetrics(runId, history.subList(i, Math.min(history.size(), i + POINT_BATCH)));
                }
                points += history.size();
            }
        }

        private void copyArtifacts(String runId, Map<String, String> recorded) {
            Deque<String> directories = new ArrayDeque<>(List.of(""));
            while (!directories.isEmpty()) {
                for (ArtifactEntry entry : source.artifacts().list(runId, directories.pop())) {
                    if (entry.isDirectory()) {
                        directories.push(entry.path());
                        continue;
                    }
                    if (!recorded.containsKey(entry.path())) {
                        // Nothing vouches for it (a logArtifacts cut short left it, or other means put it
                        // there), and the copy would record it as the run's own: left out, with a warning.
                        System.getLogger(StoreCopy.class.getName()).log(System.Logger.Level.WARNING, "Artifact "
                                + entry.path() + " of run " + runId + " has no record in the source store and is not"
                                + " copied (runlog doctor lists such files)");
                        continue;
                    }
                    ArtifactEntry copied;
                    try (InputStream in = source.artifacts().open(runId, entry.path())) {
                        copied = target.artifacts().put(runId, entry.path(), in);
                    } catch (IOException e) {
                        throw new StoreException("Cannot read artifact " + entry.path() + " of run " + runId, e);
                    }
                    String expected = recorded.get(entry.path());
                    if (!expected.equals(copied.sha256().orElse(""))) {
                        throw new IntegrityException("Artifact " + entry.path() + " of run " + runId + " has SHA-256 "
                                + copied.sha256().orElse("?") + " but " + expected + " was recorded when it was stored");
                    }
                    files++;
                    bytes += copied.size();
                }
            }
        }
    }
}
