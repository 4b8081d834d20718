package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store's metric write path: the bytes a point takes do not depend on how points arrive,
 * and WAL checkpoints run without a writer's commit paying for them.
 */
class MetricWritePathTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int RUNS = 8;
    private static final int KEYS = 10;
    private static final int ROUNDS = 20;
    private static final int STEPS_PER_ROUND = 200;

    /**
     * The interleaved shape of issue 15 as the writer hands it to the store: every run's keys a
     * couple of hundred points at a time. Written as rows of 200 points these took 22 bytes a point;
     * sealed at sizes that fill their pages they take what one big batch takes.
     */
    @Test
    void interleavedSmallBatchesTakeNoMoreRoomThanOneBigBatch(@TempDir Path dir) {
        long points = (long) RUNS * KEYS * ROUNDS * STEPS_PER_ROUND;
        double interleaved = bytesPerPoint(dir.resolve("interleaved.db"), ROUNDS);
        double oneBatch = bytesPerPoint(dir.resolve("one-batch.db"), 1);

        assertTrue(interleaved <= 12.0, points + " points logged " + STEPS_PER_ROUND + " at a time per series took "
                + interleaved + " bytes a point");
        assertTrue(oneBatch <= 12.0, "logged in one batch per run they took " + oneBatch + " bytes a point");
    }

    /** Logs RUNS × KEYS series of ROUNDS × STEPS_PER_ROUND points, in {@code batches} batches per run. */
    private static double bytesPerPoint(Path db, int batches) {
        StoreProvider.Stores stores = open("sqlite:" + db);
        TrackingStore store = stores.tracking();
        List<String> runIds = new ArrayList<>();
        try {
            String experimentId = store.createExperiment("shapes", START).id();
            for (int r = 0; r < RUNS; r++) {
                String runId = "run" + r;
                store.createRun(new RunSpec(runId, experimentId, runId, RunStatus.RUNNING, START, "file:/a/" + runId, Map.of()));
                runIds.add(runId);
            }
            int stepsPerBatch = ROUNDS * STEPS_PER_ROUND / batches;
            for (int b = 0; b < batches; b++) {
                for (String runId : runIds) {
                    List<Metric> batch = new ArrayList<>();
                    for (int k = 0; k < KEYS; k++) {
                        for (int i = 0; i < stepsPerBatch; i++) {
                            long step = (long) b * stepsPerBatch + i;
                            batch.add(new Metric("m" + k, Math.exp(-step * 1e-5) + k, step, START.toEpochMilli() + step));
                        }
                    }
                    store.logBatch(runId, batch, Map.of(), Map.of());
                }
            }
            for (String runId : runIds) {
                MetricSeries series = store.metricSeries(runId, "m3");
                assertEquals(ROUNDS * STEPS_PER_ROUND, series.size());
                assertEquals(ROUNDS * STEPS_PER_ROUND - 1, series.steps()[series.size() - 1]);
            }
        } finally {
            store.close();
            stores.artifacts().close();
        }
        long points = (long) RUNS * KEYS * ROUNDS * STEPS_PER_ROUND;
        return (double) (size(db) + size(Path.of(db + "-wal"))) / points;
    }

    /**
     * The automatic checkpoint ran inside the commit that crossed 1,000 WAL pages, on the caller's
     * flush. Now a background thread folds the WAL into the database file while the tracker is
     * open, long before 1,000 pages: the file grows without any commit checkpointing.
     */
    @Test
    void theWalIsCheckpointedInTheBackgroundWhileTheTrackerIsOpen(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runlog.db");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("checkpoint")) {
            // About 1 MB of points: a quarter of what made the automatic checkpoint run.
            for (int step = 0; step < 100_000; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
            run.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (size(db) < 900_000 && System.nanoTime() < deadline) {
                // Polls the file the other thread writes; nothing to wait on instead.
                LockSupport.parkNanos(2_000_000);
            }
            assertTrue(size(db) >= 900_000, "the database file holds " + size(db) + " bytes while the tracker is open");
        }
    }

    private static StoreProvider.Stores open(String uri) {
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
            if (provider.scheme().equals("sqlite")) {
                return provider.open(uri);
            }
        }
        throw new IllegalStateException("no sqlite StoreProvider on the class path");
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
