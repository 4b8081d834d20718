package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.userTags;
import static dev.runlog.tracking.tck.KitData.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tags set and removed by run id: runs are annotated after they end, as MLflow's set_tag and delete_tag allow. */
public interface TagsByRunIdContract {

    @Test
    @DisplayName("Tracker.setTag annotates a finished run and overwrites; the rest of the run is untouched")
    default void setTagOnAFinishedRun(Tracker tracker) {
        ActiveRun active = tracker.startRun("iris").logParam("lr", "0.1").logMetric("acc", 0.9).setTag("team", "vision");
        active.close();
        Run before = tracker.getRun(active.id());
        tracker.setTag(active.id(), "validated", "true");
        tracker.setTag(active.id(), "team", "nlp");
        Run after = tracker.getRun(active.id());
        assertEquals(Map.of("team", "nlp", "validated", "true"), userTags(after));
        assertEquals(RunStatus.FINISHED, after.info().status());
        assertEquals(before.info(), after.info());
        assertEquals(before.data().params(), after.data().params());
        assertEquals(before.data().latestMetrics(), after.data().latestMetrics());
        assertEquals(1, tracker.searchRuns().experiments("iris").filter("tags.validated = 'true'").list().size());
    }

    @Test
    @DisplayName("Tracker.deleteTag removes a tag of a running or finished run; search no longer finds it by that tag")
    default void deleteTagRemoves(Tracker tracker) {
        ActiveRun running = tracker.startRun("iris").setTag("team", "vision").setTag("keep", "1");
        tracker.deleteTag(running.id(), "team");
        assertEquals(Map.of("keep", "1"), userTags(tracker.getRun(running.id())));
        running.close();
        tracker.deleteTag(running.id(), "keep");
        assertEquals(Map.of(), userTags(tracker.getRun(running.id())));
        assertEquals(0, tracker.searchRuns().experiments("iris").filter("tags.keep = '1'").list().size());
    }

    @Test
    @DisplayName("an unknown run or tag is NotFoundException; a deleted run is RunNotActiveException; bad keys and values are refused")
    default void refusals(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris").setTag("team", "vision");
        NotFoundException noTag = assertThrows(NotFoundException.class, () -> tracker.deleteTag(run.id(), "absent"));
        assertMessageContains(noTag, "absent");
        assertThrows(NotFoundException.class, () -> tracker.setTag("0123456789abcdef0123456789abcdef", "t", "v"));
        assertThrows(NotFoundException.class, () -> tracker.deleteTag("0123456789abcdef0123456789abcdef", "t"));
        assertMessageContains(assertThrows(InvalidInputException.class, () -> tracker.setTag(run.id(), "t", text(8001, "y"))), "t");
        assertThrows(InvalidInputException.class, () -> tracker.setTag(run.id(), "", "v"));
        run.close();
        tracker.deleteRun(run.id());
        assertThrows(RunNotActiveException.class, () -> tracker.setTag(run.id(), "t", "v"));
        assertThrows(RunNotActiveException.class, () -> tracker.deleteTag(run.id(), "team"));
        tracker.restoreRun(run.id());
        assertEquals(Map.of("team", "vision"), userTags(tracker.getRun(run.id())));
    }
}
