package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunRecord;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule: a big {@code recordRuns} call (stores may write it in parts) stores every run whole, as a small one does. */
public interface BulkRecordContract {

    private static RunRecord record(int i) {
        Instant start = KitData.START.plusSeconds(i);
        return new RunRecord("bulk-" + i, RunStatus.FINISHED, start, start.plusMillis(10), Map.of("i", Integer.toString(i)),
                Map.of(), List.of(new Metric("m", i, 0, start.toEpochMilli()), new Metric("m", -i, 1, start.toEpochMilli())));
    }

    @Test
    @DisplayName("two calls of 250 runs each store all 500 with their params and points, ids distinct")
    default void everyRunOfBigCallsIsStored(Tracker tracker) {
        List<String> ids = new ArrayList<>();
        for (int call = 0; call < 2; call++) {
            List<RunRecord> records = new ArrayList<>();
            for (int i = call * 250; i < (call + 1) * 250; i++) {
                records.add(record(i));
            }
            ids.addAll(tracker.recordRuns("bulk", records));
        }
        assertEquals(500, new HashSet<>(ids).size());
        for (int i = 0; i < ids.size(); i++) {
            Run run = tracker.getRun(ids.get(i));
            assertEquals(Map.of("i", Integer.toString(i)), run.data().params(), "run " + i);
            assertEquals(List.of((double) i, (double) -i), KitAssertions.values(tracker.metricHistory(ids.get(i), "m")), "run " + i);
        }
        assertEquals(500, tracker.searchRuns().experiments("bulk").filter("metrics.m <= 0").list().size());
    }
}
