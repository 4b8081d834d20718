package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunRecord;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule: {@code recordRuns} stores runs that already happened, each whole, all of them or none. */
public interface RecordedRunsContract {

    private static RunRecord record(int i) {
        Instant start = KitData.START.plusSeconds(i);
        return new RunRecord("r" + i, i == 1 ? RunStatus.FAILED : RunStatus.FINISHED, start, start.plusMillis(1500),
                Map.of("lr", "0." + i, "depth", "3"), Map.of("team", "t" + i),
                List.of(new Metric("loss", 1.0 / (i + 1), 1, start.toEpochMilli() + 1),
                        new Metric("loss", 2.0, 0, start.toEpochMilli()), new Metric("acc", 0.5 + i / 10.0, 1, start.toEpochMilli())));
    }

    @Test
    @DisplayName("recordRuns stores each run as given (status, times, params, tags without system tags, every point), ids in order, searchable")
    default void storesEachRunWhole(Tracker tracker) {
        List<String> ids = tracker.recordRuns("imported", List.of(record(0), record(1), record(2)));
        assertEquals(3, ids.stream().distinct().filter(id -> KitData.RUN_ID.matcher(id).matches()).count(), ids::toString);
        for (int i = 0; i < 3; i++) {
            Run run = tracker.getRun(ids.get(i));
            RunRecord given = record(i);
            assertEquals(given.name(), run.info().name());
            assertEquals(given.status(), run.info().status());
            assertEquals(given.startTime().toEpochMilli(), run.info().startTime().toEpochMilli());
            assertEquals(given.endTime().toEpochMilli(), run.info().endTime().orElseThrow().toEpochMilli());
            assertEquals(given.params(), run.data().params());
            assertEquals(given.tags(), run.data().tags());
            assertEquals(Map.of("loss", 1.0 / (i + 1), "acc", 0.5 + i / 10.0), run.data().metrics());
            assertEquals(List.of(2.0, 1.0 / (i + 1)), KitAssertions.values(tracker.metricHistory(ids.get(i), "loss")));
        }
        List<String> found = tracker.searchRuns().experiments("imported")
                .filter("params.lr = '0.2' and metrics.loss < 0.4 and tags.team = 't2'").list().stream()
                .map(r -> r.info().id()).toList();
        assertEquals(List.of(ids.get(2)), found);
    }

    @Test
    @DisplayName("a null record, a RUNNING status, a bad key or a time beyond epoch milliseconds is InvalidInputException naming it, and nothing is stored, not even the experiment")
    default void badInputStoresNothing(Tracker tracker) {
        List<RunRecord> withNull = new ArrayList<>(Arrays.asList(record(0), null));
        assertMessageContains(assertThrows(InvalidInputException.class, () -> tracker.recordRuns("imported", withNull)),
                "run record");
        Instant t = KitData.START;
        assertMessageContains(assertThrows(InvalidInputException.class, () -> new RunRecord("r", RunStatus.RUNNING, t, t,
                Map.of(), Map.of(), List.of())), "RUNNING");
        // A running run has no end: its record is refused for its status, not for the missing time.
        assertMessageContains(assertThrows(InvalidInputException.class, () -> new RunRecord("r", RunStatus.RUNNING, t, null,
                Map.of(), Map.of(), List.of())), "RUNNING");
        // Each message names the record: in a list of thousands, which one to fix.
        assertMessageContains(assertThrows(InvalidInputException.class, () -> new RunRecord("r7", RunStatus.FINISHED, t, t,
                Map.of("bad key!", "1"), Map.of(), List.of())), "Run 'r7': param key 'bad key!'");
        assertMessageContains(assertThrows(InvalidInputException.class, () -> new RunRecord("r8", RunStatus.FINISHED, t, null,
                Map.of(), Map.of(), List.of())), "Run 'r8': endTime");
        assertMessageContains(assertThrows(InvalidInputException.class, () -> new RunRecord("r", RunStatus.FINISHED,
                t.plusSeconds(1), t, Map.of(), Map.of(), List.of())), "before it starts");
        assertMessageContains(assertThrows(InvalidInputException.class, () -> new RunRecord("r", RunStatus.FINISHED,
                t, Instant.MAX, Map.of(), Map.of(), List.of())), "beyond what epoch milliseconds hold");
        assertMessageContains(assertThrows(InvalidInputException.class, () -> new RunRecord("r", RunStatus.FINISHED,
                Instant.MIN, t, Map.of(), Map.of(), List.of())), "its start time");
        assertEquals(t, new RunRecord("r", RunStatus.FINISHED, t.plusNanos(999), t.plusNanos(999), Map.of(), Map.of(),
                List.of()).startTime(), "kept to the millisecond, as every store keeps it");
        assertTrue(tracker.getExperimentByName("imported").isEmpty());
    }

    @Test
    @DisplayName("recording into a deleted experiment is ConflictException and stores no run")
    default void deletedExperiment(Tracker tracker) {
        tracker.recordRuns("imported", List.of(record(0)));
        String experimentId = tracker.getExperimentByName("imported").orElseThrow().id();
        tracker.deleteExperiment(experimentId);
        assertThrows(ConflictException.class, () -> tracker.recordRuns("imported", List.of(record(1), record(2))));
        tracker.restoreExperiment(experimentId);
        assertEquals(1, tracker.searchRuns().experiments("imported").list().size());
    }
}
