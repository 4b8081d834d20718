package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitData.START;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Experiments and runs are renamed: by id, names checked as at creation, experiment names unique. */
public interface RenamesContract {

    @Test
    @DisplayName("renameExperiment: found by the new name with its runs, the old name free, the update time moved")
    default void renameExperiment(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        Experiment before = tracker.getExperimentByName("iris").orElseThrow();
        kit.clock().advance(Duration.ofSeconds(5));
        Instant renamedAt = kit.clock().peek();
        Experiment renamed = tracker.renameExperiment(before.id(), "flowers");
        assertEquals(new Experiment(before.id(), "flowers", LifecycleStage.ACTIVE, START, renamedAt, before.tags()), renamed);
        assertEquals(renamed, tracker.getExperiment(before.id()));
        assertEquals(Optional.of(renamed), tracker.getExperimentByName("flowers"));
        assertEquals(Optional.empty(), tracker.getExperimentByName("iris"));
        assertEquals(List.of(run.id()), ids(tracker.searchRuns().experiments("flowers").page().runs()));
        assertEquals(List.of(before.id()), tracker.searchExperiments().filter("name = 'flowers'").page().experiments()
                .stream().map(Experiment::id).toList());
        assertEquals(before.id(), tracker.startRun("flowers").experimentId(), "startRun finds it by the new name");
        assertNotEquals(before.id(), tracker.createExperiment("iris").id(), "the old name is free for a new experiment");
        assertEquals(renamed.name(), tracker.renameExperiment(before.id(), "flowers").name(), "its own name is no clash");
    }

    @Test
    @DisplayName("renameExperiment to a taken name, a deleted experiment's too, fails with ConflictException naming it")
    default void renameExperimentClash(Tracker tracker) {
        Experiment a = tracker.createExperiment("a");
        tracker.createExperiment("b");
        tracker.deleteExperiment(tracker.createExperiment("gone").id());
        assertThrowsWith(ConflictException.class, () -> tracker.renameExperiment(a.id(), "b"), "'b'");
        assertThrowsWith(ConflictException.class, () -> tracker.renameExperiment(a.id(), "gone"), "'gone'");
        assertEquals(a, tracker.getExperiment(a.id()));
    }

    @Test
    @DisplayName("a deleted experiment is not renamed (restore it first, as in MLflow); a restored one is")
    default void renameDeletedExperiment(Tracker tracker) {
        Experiment e = tracker.createExperiment("old");
        tracker.deleteExperiment(e.id());
        assertThrowsWith(ConflictException.class, () -> tracker.renameExperiment(e.id(), "new"), "deleted");
        assertEquals("old", tracker.getExperiment(e.id()).name());
        assertEquals(Optional.empty(), tracker.getExperimentByName("new"));
        tracker.restoreExperiment(e.id());
        assertEquals("new", tracker.renameExperiment(e.id(), "new").name());
    }

    @Test
    @DisplayName("bad names are refused as at creation, unknown ids with NotFoundException; nothing changes")
    default void badNames(Tracker tracker) {
        Experiment e = tracker.createExperiment("iris");
        ActiveRun run = tracker.startRun("iris");
        String tooLong = "x".repeat(InputRules.MAX_NAME_LENGTH + 1);
        for (String bad : new String[] {"", "  ", tooLong, null}) {
            assertThrows(InvalidInputException.class, () -> tracker.renameExperiment(e.id(), bad));
            assertThrows(InvalidInputException.class, () -> tracker.renameRun(run.id(), bad));
        }
        assertThrows(NotFoundException.class, () -> tracker.renameExperiment("987654", "other"));
        assertThrows(NotFoundException.class, () -> tracker.renameRun(UNKNOWN_RUN_ID, "other"));
        assertEquals("iris", tracker.getExperiment(e.id()).name());
        assertEquals(run.name(), tracker.getRun(run.id()).info().name());
    }

    @Test
    @DisplayName("renameRun: running and ended runs, searched by the new name; the mlflow.runName tag follows if set")
    default void renameRun(Tracker tracker) {
        ActiveRun plain = tracker.newRun("iris").name("first").start();
        ActiveRun tagged = tracker.newRun("iris").name("second").tag("mlflow.runName", "second").start();
        Run renamed = tracker.renameRun(plain.id(), "baseline");
        assertEquals("baseline", renamed.info().name());
        assertEquals(null, renamed.data().tags().get("mlflow.runName"), "a run without the tag does not get it");
        tagged.end(RunStatus.FINISHED);
        tracker.renameRun(tagged.id(), "tuned");
        Run read = tracker.getRun(tagged.id());
        assertEquals("tuned", read.info().name());
        assertEquals("tuned", read.data().tags().get("mlflow.runName"));
        assertEquals(RunStatus.FINISHED, read.info().status());
        assertEquals(List.of(tagged.id()), ids(tracker.searchRuns().experiments("iris")
                .filter("attributes.run_name = 'tuned'").page().runs()));
        assertEquals(List.of(), tracker.searchRuns().experiments("iris").filter("attributes.run_name = 'second'").page().runs());
    }

    @Test
    @DisplayName("a deleted run is not renamed: RunNotActiveException, the name kept")
    default void renameDeletedRun(Tracker tracker) {
        ActiveRun run = tracker.newRun("iris").name("kept").start();
        tracker.deleteRun(run.id());
        assertThrows(RunNotActiveException.class, () -> tracker.renameRun(run.id(), "other"));
        assertEquals("kept", tracker.getRun(run.id()).info().name());
    }
}
