package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 10: the {@code runlog.*} tags every run gets. */
public interface SystemTagsContract {

    @Test
    @DisplayName("runlog.user is the user.name system property")
    default void user(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertEquals(System.getProperty("user.name"), tracker.getRun(run.id()).data().tags().get("runlog.user"));
    }

    @Test
    @DisplayName("runlog.source.name is present and not blank")
    default void sourceName(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        String source = tracker.getRun(run.id()).data().tags().get("runlog.source.name");
        assertNotNull(source, "runlog.source.name missing");
        assertFalse(source.isBlank(), "runlog.source.name is blank");
    }

    @Test
    @DisplayName("a run without a parent has no runlog.parentRunId")
    default void noParent(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertFalse(tracker.getRun(run.id()).data().tags().containsKey("runlog.parentRunId"));
    }

    @Test
    @DisplayName("startChildRun makes a named run in the same experiment tagged with the parent's id")
    default void startChildRun(Tracker tracker) {
        ActiveRun parent = tracker.startRun("sweep");
        ActiveRun child = parent.startChildRun("lr=0.1");
        assertEquals("lr=0.1", child.name());
        assertEquals(parent.experimentId(), child.experimentId());
        Run stored = tracker.getRun(child.id());
        assertEquals(parent.id(), stored.data().tags().get("runlog.parentRunId"));
        assertEquals(parent.experimentId(), stored.info().experimentId());
        assertEquals("lr=0.1", stored.info().name());
        assertEquals(RunStatus.RUNNING, stored.info().status());
        assertNotEquals(parent.id(), child.id());
    }

    @Test
    @DisplayName("the builder's parent(run) and parent(id) tag the run with the parent's id")
    default void builderParent(Tracker tracker) {
        ActiveRun parent = tracker.startRun("sweep");
        ActiveRun byRun = tracker.newRun("sweep").name("a").parent(parent).start();
        ActiveRun byId = tracker.newRun("sweep").name("b").parent(parent.id()).start();
        for (ActiveRun child : List.of(byRun, byId)) {
            Run stored = tracker.getRun(child.id());
            assertEquals(parent.id(), stored.data().tags().get("runlog.parentRunId"));
            assertEquals(parent.experimentId(), stored.info().experimentId());
        }
        assertEquals("a", tracker.getRun(byRun.id()).info().name());
        assertEquals("b", tracker.getRun(byId.id()).info().name());
    }

    @Test
    @DisplayName("a parent in another experiment fails with InvalidInputException")
    default void parentInOtherExperiment(Tracker tracker) {
        ActiveRun parent = tracker.startRun("sweep");
        assertThrows(InvalidInputException.class, () -> tracker.newRun("other").parent(parent).start());
        assertThrows(InvalidInputException.class, () -> tracker.newRun("other").parent(parent.id()).start());
    }
}
