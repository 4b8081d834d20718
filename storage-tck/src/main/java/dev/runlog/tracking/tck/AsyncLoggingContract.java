package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 11: asynchronous metric logging loses nothing and is visible after flush. */
public interface AsyncLoggingContract {

    private void assertSeries(Tracker on, String runId, String key, int count) {
        List<Metric> history = on.metricHistory(runId, key);
        assertEquals(count, history.size(), "points stored");
        for (int i = 0; i < count; i++) {
            Metric point = history.get(i);
            if (point.step() != i || point.value() != i * 0.5) {
                fail("point " + i + " of '" + key + "' is " + point + ", expected step " + i + " value " + (i * 0.5));
            }
        }
    }

    @Test
    @DisplayName("flush() returns once every point logged before is readable (10,000 points)")
    default void flushMakesReadable(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        for (int i = 0; i < 10_000; i++) {
            run.logMetric("loss", i * 0.5, i);
        }
        run.flush();
        assertSeries(tracker, run.id(), "loss", 10_000);
        assertEquals(9_999 * 0.5, tracker.getRun(run.id()).data().metrics().get("loss"));
    }

    @Test
    @DisplayName("close() flushes before the run ends")
    default void closeFlushes(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        for (int i = 0; i < 2_000; i++) {
            run.logMetric("loss", i * 0.5, i);
        }
        run.close();
        assertSeries(tracker, run.id(), "loss", 2_000);
        assertEquals(RunStatus.FINISHED, tracker.getRun(run.id()).info().status());
    }

    @Test
    @DisplayName("end(status) flushes before the run ends")
    default void endFlushes(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        for (int i = 0; i < 2_000; i++) {
            run.logMetric("loss", i * 0.5, i);
        }
        run.end(RunStatus.KILLED);
        assertSeries(tracker, run.id(), "loss", 2_000);
    }

    @Test
    @DisplayName("with a 16-point buffer, all of 5,000 points are stored (back-pressure, nothing dropped)")
    default void backPressure(StoreHarness kit) {
        Tracker small = kit.newTracker(builder -> builder.bufferCapacity(16));
        ActiveRun run = small.startRun("iris");
        for (int i = 0; i < 5_000; i++) {
            run.logMetric("loss", i * 0.5, i);
        }
        run.flush();
        assertSeries(small, run.id(), "loss", 5_000);
    }

    @Test
    @DisplayName("with Durability.SYNC each point is readable as soon as logMetric returns")
    default void syncDurability(StoreHarness kit) {
        Tracker sync = kit.newTracker(builder -> builder.durability(Durability.SYNC));
        ActiveRun run = sync.startRun("iris");
        for (int i = 0; i < 200; i++) {
            run.logMetric("loss", i * 0.5, i);
            assertEquals(i + 1, sync.metricHistory(run.id(), "loss").size(), "points readable without flush");
            assertEquals(i * 0.5, sync.getRun(run.id()).data().metrics().get("loss"));
        }
        run.logMetrics(Map.of("acc", 0.9, "f1", 0.8), 3);
        assertEquals(Map.of("loss", 199 * 0.5, "acc", 0.9, "f1", 0.8), sync.getRun(run.id()).data().metrics());
        assertSeries(sync, run.id(), "loss", 200);
    }

    @Test
    @DisplayName("points of several runs are each stored in their own run")
    default void severalRuns(Tracker tracker) {
        ActiveRun a = tracker.startRun("iris");
        ActiveRun b = tracker.startRun("iris");
        for (int i = 0; i < 1_000; i++) {
            a.logMetric("loss", i * 0.5, i);
            b.logMetric("loss", i * 0.5, i);
            b.logMetric("acc", i * 0.5, i);
        }
        a.flush();
        b.flush();
        assertSeries(tracker, a.id(), "loss", 1_000);
        assertSeries(tracker, b.id(), "loss", 1_000);
        assertSeries(tracker, b.id(), "acc", 1_000);
        assertEquals(List.of(), tracker.metricHistory(a.id(), "acc"));
    }
}
