package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 9: soft delete and restore of runs and experiments. */
public interface LifecycleContract {

    private String finishedRun(StoreHarness kit, String experiment) {
        try (ActiveRun run = kit.tracker().startRun(experiment)) {
            run.logParam("lr", 0.1).logMetric("loss", 0.5, 1).setTag("team", "vision");
            return run.id();
        }
    }

    @Test
    @DisplayName("closing a tracker whose running run was deleted succeeds")
    default void closeWithADeletedRunningRun(StoreHarness kit) {
        Tracker other = kit.newTracker(builder -> { });
        ActiveRun run = other.startRun("iris");
        run.logMetric("loss", 0.5, 1).flush();
        other.deleteRun(run.id());
        assertThrows(RunNotActiveException.class, run::close, "a deleted run cannot be ended through its handle");
        assertDoesNotThrow(other::close);
    }

    @Test
    @DisplayName("deleteRun makes the run DELETED but keeps its data; restoreRun makes it ACTIVE again")
    default void deleteAndRestoreRun(Tracker tracker, StoreHarness kit) {
        String id = finishedRun(kit, "iris");
        tracker.deleteRun(id);
        Run deleted = tracker.getRun(id);
        assertEquals(LifecycleStage.DELETED, deleted.info().lifecycleStage());
        assertEquals(RunStatus.FINISHED, deleted.info().status());
        assertEquals(Map.of("lr", "0.1"), deleted.data().params());
        assertEquals(Map.of("loss", 0.5), deleted.data().metrics());
        assertEquals("vision", deleted.data().tags().get("team"));
        assertEquals(1, tracker.metricHistory(id, "loss").size());

        tracker.restoreRun(id);
        Run restored = tracker.getRun(id);
        assertEquals(LifecycleStage.ACTIVE, restored.info().lifecycleStage());
        assertEquals(RunStatus.FINISHED, restored.info().status());
        assertEquals(deleted.data(), restored.data());
    }

    @Test
    @DisplayName("deleteExperiment soft-deletes the experiment and its active runs, not runs of other experiments")
    default void deleteExperimentDeletesRuns(Tracker tracker, StoreHarness kit) {
        String a = finishedRun(kit, "iris");
        String b = finishedRun(kit, "iris");
        String other = finishedRun(kit, "churn");
        String experimentId = tracker.getRun(a).info().experimentId();
        tracker.deleteExperiment(experimentId);
        assertEquals(LifecycleStage.DELETED, tracker.getExperiment(experimentId).lifecycleStage());
        assertRunStages(tracker, LifecycleStage.DELETED, a, b);
        assertRunStages(tracker, LifecycleStage.ACTIVE, other);
        assertEquals(LifecycleStage.ACTIVE, tracker.getExperimentByName("churn").orElseThrow().lifecycleStage());
    }

    @Test
    @DisplayName("restoreExperiment restores the runs its deletion deleted, not a run deleted on its own before")
    default void restoreExperimentRestoresItsRuns(Tracker tracker, StoreHarness kit) {
        String deletedAlone = finishedRun(kit, "iris");
        tracker.deleteRun(deletedAlone);
        String a = finishedRun(kit, "iris");
        String b = finishedRun(kit, "iris");
        String experimentId = tracker.getRun(a).info().experimentId();
        tracker.deleteExperiment(experimentId);
        tracker.restoreExperiment(experimentId);
        assertEquals(LifecycleStage.ACTIVE, tracker.getExperiment(experimentId).lifecycleStage());
        assertRunStages(tracker, LifecycleStage.ACTIVE, a, b);
        assertRunStages(tracker, LifecycleStage.DELETED, deletedAlone);
        assertEquals(experimentId, tracker.startRun("iris").experimentId(), "a restored experiment takes runs again");
    }

    @Test
    @DisplayName("restoreRun of a run in a deleted experiment fails with ConflictException")
    default void restoreRunInDeletedExperiment(Tracker tracker, StoreHarness kit) {
        String withExperiment = finishedRun(kit, "iris");
        String deletedAlone = finishedRun(kit, "iris");
        tracker.deleteRun(deletedAlone);
        tracker.deleteExperiment(tracker.getRun(withExperiment).info().experimentId());
        assertThrows(ConflictException.class, () -> tracker.restoreRun(deletedAlone));
        assertThrows(ConflictException.class, () -> tracker.restoreRun(withExperiment));
        assertRunStages(tracker, LifecycleStage.DELETED, deletedAlone, withExperiment);
    }

    @Test
    @DisplayName("deleting or restoring an unknown run or experiment fails with NotFoundException")
    default void unknownIds(Tracker tracker, StoreHarness kit) {
        finishedRun(kit, "iris");
        assertThrows(NotFoundException.class, () -> tracker.deleteRun(UNKNOWN_RUN_ID));
        assertThrows(NotFoundException.class, () -> tracker.restoreRun(UNKNOWN_RUN_ID));
        assertThrows(NotFoundException.class, () -> tracker.deleteExperiment("999999999"));
        assertThrows(NotFoundException.class, () -> tracker.restoreExperiment("999999999"));
    }

    /** Checks that each of {@code runIds} is in lifecycle stage {@code stage}. */
    private static void assertRunStages(Tracker tracker, LifecycleStage stage, String... runIds) {
        for (String id : runIds) {
            assertEquals(stage, tracker.getRun(id).info().lifecycleStage(), id);
        }
    }
}
