package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.spi.TrackingStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule: what already happened is stored as it is, ids, times, statuses and lifecycle kept, or refused whole. */
public interface ImportContract {

    /** Imports are optional: a store that keeps the SPI's defaults (which refuse) skips this group. */
    @org.junit.jupiter.api.BeforeEach
    default void onlyForStoresThatImport(Tracker tracker) {
        KitAssertions.assumeImplemented(TrackerStores.of(tracker).tracking(), TrackingStore.class, "importExperiment",
                Experiment.class);
    }
    String RUN_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    String RUN_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    Instant T = KitData.START;

    private static Experiment experiment(String id, String name, LifecycleStage stage) {
        return new Experiment(id, name, stage, T.minusSeconds(100), T.minusSeconds(50), Map.of("team", "vision"));
    }

    private static RunSnapshot run(String id, String experimentId, RunStatus status, LifecycleStage stage,
                                   boolean withExperiment, Optional<Instant> deleted) {
        Optional<Instant> end = status.isActive() ? Optional.empty() : Optional.of(T.plusSeconds(30));
        return new RunSnapshot(new RunInfo(id, experimentId, "run-" + id.charAt(0), status, T, end, stage, "memory:/" + id),
                Map.of("lr", "0.1"), Map.of("mlflow.parentRunId", RUN_B, "note", "x"),
                List.of(new DatasetInput(KitData.dataset("iris", "v1"), "training")),
                List.of(ArtifactEntry.file("model/weights.bin", 3, KitData.sha256(new byte[] {1, 2, 3}))),
                withExperiment, deleted);
    }

    private static TrackingStore store(Tracker tracker) {
        return TrackerStores.of(tracker).tracking();
    }

    @Test
    @DisplayName("an imported experiment and its runs keep ids, names, times, tags, statuses and how they were deleted; points exactly")
    default void keepsIdentity(Tracker tracker) {
        TrackingStore store = store(tracker);
        Experiment given = experiment("42", "imported", LifecycleStage.DELETED);
        store.importExperiment(given);
        assertEquals(given, tracker.getExperiment("42"));
        RunSnapshot a = run(RUN_A, "42", RunStatus.FINISHED, LifecycleStage.DELETED, true, Optional.empty());
        RunSnapshot b = run(RUN_B, "42", RunStatus.RUNNING, LifecycleStage.DELETED, false, Optional.of(T.plusSeconds(60)));
        store.importRun(a);
        store.importRun(b);
        List<Metric> points = List.of(new Metric("loss", Double.NaN, 2, 5), new Metric("loss", -0.0, 1, 4),
                new Metric("loss", Double.POSITIVE_INFINITY, 1, 3));
        store.importMetrics(RUN_A, points.subList(0, 2));
        store.importMetrics(RUN_A, points.subList(2, 3));
        assertEquals(a, store.snapshotRun(RUN_A));
        assertEquals(b, store.snapshotRun(RUN_B));
        assertEquals(a.info(), tracker.getRun(RUN_A).info());
        assertEquals(List.of(points.get(2), points.get(1), points.get(0)), tracker.metricHistory(RUN_A, "loss"));
        assertEquals(points.get(0), tracker.getRun(RUN_A).data().latestMetrics().get("loss"));
        assertEquals(List.of(), tracker.killOrphanedRuns(), "an imported RUNNING run belongs to no process here");
        tracker.restoreExperiment("42"); // restores the run deleted with it, not the one deleted on its own
        assertEquals(LifecycleStage.ACTIVE, tracker.getRun(RUN_A).info().lifecycleStage());
        assertEquals(LifecycleStage.DELETED, tracker.getRun(RUN_B).info().lifecycleStage());
        assertEquals(List.of(RUN_A), store.runsUsing(KitData.dataset("iris", "v1").digest()).stream()
                .filter(RUN_A::equals).toList());
        Experiment next = tracker.createExperiment("after-import");
        assertEquals(true, Long.parseLong(next.id()) > 42, "a new experiment takes no imported id: " + next.id());
    }

    @Test
    @DisplayName("a taken experiment id or name, or a taken run id, is ConflictException naming it, and the store is unchanged")
    default void conflicts(Tracker tracker) {
        TrackingStore store = store(tracker);
        store.importExperiment(experiment("7", "first", LifecycleStage.ACTIVE));
        RunSnapshot a = run(RUN_A, "7", RunStatus.FINISHED, LifecycleStage.ACTIVE, false, Optional.empty());
        store.importRun(a);
        assertThrowsWith(ConflictException.class, () -> store.importExperiment(experiment("7", "other", LifecycleStage.ACTIVE)), "7");
        assertThrowsWith(ConflictException.class, () -> store.importExperiment(experiment("8", "first", LifecycleStage.ACTIVE)), "first");
        RunSnapshot clash = run(RUN_A, "7", RunStatus.FAILED, LifecycleStage.ACTIVE, false, Optional.empty());
        assertThrowsWith(ConflictException.class, () -> store.importRun(clash), RUN_A);
        assertEquals(a, store.snapshotRun(RUN_A));
        assertEquals(List.of("first"), tracker.listExperiments().stream().map(Experiment::name).toList());
    }

    @Test
    @DisplayName("malformed ids, inconsistent runs, a missing experiment or run are refused with the exception that names them")
    default void hostileInput(Tracker tracker) {
        TrackingStore store = store(tracker);
        for (String bad : List.of("abc", "-1", "007", "", "1e3")) {
            assertThrowsWith(InvalidInputException.class,
                    () -> store.importExperiment(experiment(bad, "e" + bad, LifecycleStage.ACTIVE)), "experiment id");
        }
        assertThrowsWith(InvalidInputException.class, () -> run("ABC", "1", RunStatus.FINISHED, LifecycleStage.ACTIVE,
                false, Optional.empty()), "run id");
        assertThrowsWith(InvalidInputException.class, () -> new RunSnapshot(new RunInfo(RUN_A, "1", "r",
                RunStatus.RUNNING, T, Optional.of(T), LifecycleStage.ACTIVE, "u"), Map.of(), Map.of(), List.of(), List.of(),
                false, Optional.empty()), "end time");
        assertThrowsWith(InvalidInputException.class, () -> run(RUN_A, "1", RunStatus.FINISHED, LifecycleStage.ACTIVE,
                true, Optional.empty()), "ACTIVE");
        assertThrows(NotFoundException.class, () -> store.importRun(run(RUN_A, "99", RunStatus.FINISHED,
                LifecycleStage.ACTIVE, false, Optional.empty())));
        store.importExperiment(experiment("3", "gone", LifecycleStage.DELETED));
        assertThrowsWith(InvalidInputException.class, () -> store.importRun(run(RUN_A, "3", RunStatus.FINISHED,
                LifecycleStage.ACTIVE, false, Optional.empty())), RUN_A, "deleted experiment");
        assertThrows(NotFoundException.class, () -> store.importMetrics(RUN_A, List.of(new Metric("m", 1, 0, 0))));
        assertEquals(List.of(), tracker.searchRuns().experiments("gone").viewType(dev.runlog.tracking.ViewType.ALL).list());
    }
}
