package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.userTags;
import static dev.runlog.tracking.tck.KitData.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rule 8: ended and deleted runs take no writes. */
public interface InactiveRunsContract {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Write.class)
    @DisplayName("after end, every write fails with RunNotActiveException naming the run")
    default void writeAfterEnd(Write write, Tracker tracker, StoreHarness kit) {
        Path file = kit.newFile("model.bin", bytes(10, 1));
        ActiveRun run = tracker.startRun("iris");
        run.end(RunStatus.FINISHED);
        RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> write.apply(run, file));
        assertEquals(run.id(), e.runId());
        assertMessageContains(e, run.id());
        Run stored = tracker.getRun(run.id());
        assertEquals(RunStatus.FINISHED, stored.info().status());
        assertEquals(Map.of(), stored.data().params());
        assertEquals(Map.of(), stored.data().latestMetrics());
        assertEquals(Map.of(), userTags(stored));
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
    }

    @Test
    @DisplayName("after deleteRun of a running run, logParam, logParams and setTag fail with RunNotActiveException")
    default void paramsAndTagsAfterDelete(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        tracker.deleteRun(run.id());
        RunNotActiveException param = assertThrows(RunNotActiveException.class, () -> run.logParam("lr", 0.1));
        assertMessageContains(param, run.id());
        RunNotActiveException params = assertThrows(RunNotActiveException.class, () -> run.logParams(Map.of("lr", 0.1)));
        assertMessageContains(params, run.id());
        RunNotActiveException tag = assertThrows(RunNotActiveException.class, () -> run.setTag("team", "vision"));
        assertMessageContains(tag, run.id());

        tracker.restoreRun(run.id());
        Run stored = tracker.getRun(run.id());
        assertEquals(Map.of(), stored.data().params());
        assertEquals(Map.of(), userTags(stored));
        run.logParam("lr", 0.2);
        assertEquals(Map.of("lr", "0.2"), tracker.getRun(run.id()).data().params(), "a restored running run takes writes again");
    }

    @Test
    @DisplayName("logMetric to a deleted run fails at the latest at flush(), naming the run")
    default void metricAfterDelete(Tracker tracker) {
        assertMetricRefusedAfterDelete(tracker);
    }

    @Test
    @DisplayName("logMetric to a deleted run fails at the latest at flush() with Durability.SYNC too")
    default void metricAfterDeleteSync(StoreHarness kit) {
        assertMetricRefusedAfterDelete(kit.newTracker(builder -> builder.durability(Durability.SYNC)));
    }

    /** A point logged into a run deleted meanwhile fails by flush() naming the run, and is not there once it is restored. */
    private static void assertMetricRefusedAfterDelete(Tracker on) {
        ActiveRun run = on.startRun("iris");
        on.deleteRun(run.id());
        ConflictException e = assertThrows(ConflictException.class, () -> {
            run.logMetric("loss", 0.5, 1);
            run.flush();
        });
        assertMessageContains(e, run.id());
        on.restoreRun(run.id());
        assertEquals(List.of(), on.metricHistory(run.id(), "loss"));
    }

    @Test
    @DisplayName("logArtifact to a deleted run fails with RunNotActiveException and stores nothing")
    default void artifactAfterDelete(Tracker tracker, StoreHarness kit) {
        Path file = kit.newFile("model.bin", bytes(10, 1));
        ActiveRun run = tracker.startRun("iris");
        tracker.deleteRun(run.id());
        RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> run.logArtifact(file));
        assertMessageContains(e, run.id());
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        tracker.restoreRun(run.id());
    }

    @Test
    @DisplayName("a running run deleted with its experiment takes no writes")
    default void writeAfterExperimentDelete(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        tracker.deleteExperiment(run.experimentId());
        RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> run.setTag("team", "vision"));
        assertMessageContains(e, run.id());
        tracker.restoreExperiment(run.experimentId());
        run.setTag("team", "vision");
        assertEquals("vision", tracker.getRun(run.id()).data().tags().get("team"));
    }

    /** The writes an {@link ActiveRun} offers, for the tests of writes to inactive runs. */
    enum Write {
        LOG_PARAM, LOG_PARAMS, LOG_METRIC, LOG_METRICS, SET_TAG, LOG_ARTIFACT;

        void apply(ActiveRun run, Path file) {
            switch (this) {
                case LOG_PARAM -> run.logParam("lr", 0.1);
                case LOG_PARAMS -> run.logParams(Map.of("lr", 0.1));
                case LOG_METRIC -> run.logMetric("loss", 0.5, 1);
                case LOG_METRICS -> run.logMetrics(Map.of("loss", 0.5), 1);
                case SET_TAG -> run.setTag("team", "vision");
                case LOG_ARTIFACT -> run.logArtifact(file);
            }
        }
    }
}
