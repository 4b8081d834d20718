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
    /**
     * {@code args}: the points to log, then how the store behaves: {@code slow} (each batch takes
     * 20 ms, so points are still buffered at exit), {@code held} (the first batch waits past the
     * hook's flush timeout, as behind another process's lock, then is taken) or {@code failing}
     * (every batch fails).
     */
    public static void main(String[] args) {
        int points = Integer.parseInt(args[0]);
        String mode = args.length > 1 ? args[1] : "slow";
        java.util.concurrent.atomic.AtomicBoolean firstBatch = new java.util.concurrent.atomic.AtomicBoolean(true);
        FlakyStore store = new FlakyStore() {
            @Override
            public void logBatch(String runId, List<dev.runlog.tracking.Metric> metrics,
                                 Map<String, String> params, Map<String, String> tags) {
                switch (mode) {
                    case "failing" -> throw new dev.runlog.tracking.StoreException("the disk is full (a test store)");
                    case "held" -> {
                        if (!metrics.isEmpty() && firstBatch.getAndSet(false)) {
                            sleepQuietly(ShutdownHooks.FLUSH_TIMEOUT.toMillis() + 1_500);
                        }
                    }
                    default -> sleepQuietly(20);
                }
                super.logBatch(runId, metrics, params, tags);
            }

            @Override
            public void endRun(String runId, RunStatus status, Instant endTime) {
                super.endRun(runId, status, endTime);
                int stored = metricHistory(runId, "loss").size();
                System.out.println("ENDED " + runId + " " + status + " " + stored);
                System.out.println("REASON " + runId + " " + getRun(runId).orElseThrow().data().tags()
                        .get(dev.runlog.tracking.Tracker.KILLED_REASON_TAG));
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
