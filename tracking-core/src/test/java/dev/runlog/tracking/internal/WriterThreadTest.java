package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import org.junit.jupiter.api.Test;

/**
 * The metric writer's thread is made with the first buffered point: a tracker that only reads (a
 * command, the UI) starts none, and closing it has no writer to stop.
 */
class WriterThreadTest {
    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("runlog-metric-writer") && thread.isAlive())
                .count();
    }

    @Test
    void aTrackerThatOnlyReadsStartsNoWriterThread() {
        long before = writerThreads();
        String runId;
        try (Tracker writerOfData = Tracker.inMemory()) {
            try (ActiveRun run = writerOfData.startRun("exp")) {
                run.logParam("lr", "0.1"); // written directly, not through the writer
                runId = run.id();
            }
            assertEquals(before, writerThreads(), "a run without metric points needs no writer");
            assertEquals("0.1", writerOfData.getRun(runId).data().params().get("lr"));
            assertEquals(0, writerOfData.metricHistory(runId, "loss").size());
        }
        assertEquals(before, writerThreads());
    }

    @Test
    void theFirstPointStartsTheWriterAndCloseStopsIt() {
        long before = writerThreads();
        Tracker tracker = Tracker.inMemory();
        ActiveRun run = tracker.startRun("exp");
        run.logMetric("loss", 0.5, 0);
        assertEquals(before + 1, writerThreads());
        run.logMetric("loss", 0.25, 1);
        run.flush();
        assertEquals(2, tracker.metricHistory(run.id(), "loss").size());
        assertEquals(before + 1, writerThreads(), "one writer per tracker, however many points");
        tracker.close();
        assertEquals(before, writerThreads());
        RunlogException refused = assertThrows(RunlogException.class, () -> run.logMetric("loss", 0.1, 2));
        assertEquals(RunNotActiveException.class, refused.getClass(), refused.getMessage());
        assertEquals(before, writerThreads(), "a point refused after close starts no writer");
    }
}
