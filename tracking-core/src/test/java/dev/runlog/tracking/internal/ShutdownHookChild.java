package dev.runlog.tracking.internal;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link ShutdownHookTest}: logs into a slow store, then exits without
 * closing anything. What the store received is printed, so the parent can see what the hook did.
 */
public final class ShutdownHookChild {
    public static void main(String[] args) {
        int points = Integer.parseInt(args[0]);
        FlakyStore store = new FlakyStore() {
            @Override
            public void logBatch(String runId, List<dev.runlog.tracking.Metric> metrics,
                                 Map<String, String> params, Map<String, String> tags) {
                sleepQuietly(20); // slow enough that points are still buffered at exit
                super.logBatch(runId, metrics, params, tags);
            }

            @Override
            public void endRun(String runId, RunStatus status, Instant endTime) {
                super.endRun(runId, status, endTime);
                int stored = metricHistory(runId, "loss").size();
                System.out.println("ENDED " + runId + " " + status + " " + stored);
                System.out.flush();
            }
        };
        Tracker tracker = Tracker.builder().store(store, ArtifactStore.inMemory()).build();
        ActiveRun run = tracker.startRun("hook");
        for (int step = 0; step < points; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        System.out.println("LOGGED " + run.id());
        System.out.flush();
        System.exit(0);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
