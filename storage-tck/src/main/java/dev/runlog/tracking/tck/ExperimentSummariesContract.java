package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Experiment summaries: per experiment of a view, its runs not deleted and deleted, and its last
 * activity (latest of its last update and its runs' starts and ends), right after every change.
 */
public interface ExperimentSummariesContract {

    /** "name active/deleted @+ms", the activity as milliseconds after {@link KitData#START}. */
    private static List<String> summaries(Tracker tracker, ViewType view) {
        return tracker.experimentSummaries(view).stream().map(ExperimentSummariesContract::describe).toList();
    }

    private static String describe(ExperimentSummary s) {
        return s.experiment().name() + " " + s.activeRuns() + "/" + s.deletedRuns() + " @+"
                + Duration.between(KitData.START, s.lastActivity()).toMillis();
    }

    @Test
    @DisplayName("counts and last activity follow runs starting, ending, deleted and restored, per experiment and view")
    default void countsAndLastActivity(Tracker tracker, MutableClock clock) {
        clock.set(KitData.START);
        tracker.createExperiment("empty");                                  // +0
        clock.advanceMillis(1001);
        ActiveRun a1 = tracker.startRun("a");                               // +1001
        clock.advanceMillis(1001);
        ActiveRun a2 = tracker.startRun("a");                               // +2002
        assertEquals(List.of("empty 0/0 @+0", "a 2/0 @+2002"), summaries(tracker, ViewType.ACTIVE_ONLY));
        clock.advanceMillis(1001);
        a1.close();                                                         // ends at +3003
        clock.advanceMillis(1001);
        String b1;
        try (ActiveRun run = tracker.startRun("b")) {                       // +4004
            b1 = run.id();
            clock.advanceMillis(1001);
        }                                                                   // ends at +5005
        clock.advanceMillis(1001);
        tracker.deleteRun(b1);
        assertEquals(List.of("empty 0/0 @+0", "a 2/0 @+3003", "b 0/1 @+5005"), summaries(tracker, ViewType.ACTIVE_ONLY));
        tracker.restoreRun(b1);
        assertEquals(List.of("empty 0/0 @+0", "a 2/0 @+3003", "b 1/0 @+5005"), summaries(tracker, ViewType.ALL));

        clock.advanceMillis(1001);
        tracker.deleteExperiment(tracker.getExperimentByName("b").orElseThrow().id());   // +7007
        assertEquals(List.of("empty 0/0 @+0", "a 2/0 @+3003"), summaries(tracker, ViewType.ACTIVE_ONLY));
        assertEquals(List.of("b 0/1 @+7007"), summaries(tracker, ViewType.DELETED_ONLY));
        assertEquals(List.of("empty 0/0 @+0", "a 2/0 @+3003", "b 0/1 @+7007"), summaries(tracker, ViewType.ALL));

        clock.advanceMillis(1001);
        tracker.endRun(a2.id(), RunStatus.KILLED);                          // +8008
        tracker.deleteRun(a2.id());
        clock.advanceMillis(1001);
        tracker.restoreExperiment(tracker.getExperimentByName("b").orElseThrow().id());  // +9009
        assertEquals(List.of("empty 0/0 @+0", "a 1/1 @+8008", "b 1/0 @+9009"), summaries(tracker, ViewType.ACTIVE_ONLY));
        assertEquals(List.of(), summaries(tracker, ViewType.DELETED_ONLY));
    }

    @Test
    @DisplayName("a summary holds the experiment as read, tags included; a store with no experiment has no summary")
    default void summaryHoldsTheExperiment(Tracker tracker) {
        assertEquals(List.of(), tracker.experimentSummaries(ViewType.ALL));
        String id = tracker.createExperiment("tagged").id();
        tracker.setExperimentTag(id, "team", "vision");
        assertEquals(List.of(tracker.getExperiment(id)),
                tracker.experimentSummaries(ViewType.ALL).stream().map(ExperimentSummary::experiment).toList());
        assertThrows(InvalidInputException.class, () -> tracker.experimentSummaries(null));
    }
}
