package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A store that fails and recovers: failures surface to the caller, buffered points survive. */
class StoreFailureTest {
    private final FlakyStore store = new FlakyStore();
    private final Tracker tracker = Tracker.builder()
            .store(store, ArtifactStore.inMemory())
            .shutdownHook(false)
            .build();

    @AfterEach
    void close() {
        store.failing = false;
        tracker.close();
    }

    @Test
    void failureSurfacesAtFlushAndEveryPointIsStoredOnceAfterRecovery() {
        ActiveRun run = tracker.startRun("flaky");
        for (int step = 0; step < 1_000; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        run.flush();
        // Hold the writer inside a batch so all 4,000 points are buffered before the store fails.
        CountDownLatch gate = new CountDownLatch(1);
        store.gate = gate;
        for (int step = 1_000; step < 5_000; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        store.failing = true;
        gate.countDown();
        store.gate = null;

        StoreException failure = assertThrows(StoreException.class, run::flush);
        assertTrue(failure.getMessage().contains("disk full"), failure.getMessage());
        assertTrue(store.refusedBatches.get() >= 1);
        assertEquals(1_000, tracker.metricHistory(run.id(), "loss").size(), "nothing of the failed batch is visible");

        store.failing = false;
        run.flush();

        List<Metric> history = tracker.metricHistory(run.id(), "loss");
        assertEquals(5_000, history.size());
        assertEquals(LongStream.range(0, 5_000).boxed().toList(), history.stream().map(Metric::step).toList());
        assertEquals(5_000, store.storedPoints.get(), "a retried batch must not store points twice");
    }

    @Test
    void failureSurfacesAtTheNextLogMetricAndThePointsStayBuffered() throws InterruptedException {
        ActiveRun run = tracker.startRun("flaky");
        store.failing = true;
        run.logMetric("acc", 0.5, 0);
        // Wait for the writer to meet the failure, then expect it at the next call.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.refusedBatches.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThrows(StoreException.class, () -> run.logMetric("acc", 0.6, 1));

        store.failing = false;
        run.logMetric("acc", 0.7, 2);
        run.flush();
        assertEquals(List.of(0L, 2L), tracker.metricHistory(run.id(), "acc").stream().map(Metric::step).toList(),
                "the point buffered before the failure is kept; the rejected call's point was never taken");
    }

    @Test
    void closeReportsFailureAndEndsRunsItCanStillReach() {
        ActiveRun run = tracker.startRun("flaky");
        run.logMetric("acc", 0.5, 0);
        run.flush();
        store.failing = true;
        run.logMetric("acc", 0.6, 1);
        StoreException failure = assertThrows(StoreException.class, tracker::close);
        assertTrue(failure.getMessage().contains("disk full"), failure.getMessage());
        // The run itself could still be ended: only batch writes fail in this store.
        assertEquals(RunStatus.KILLED, store.endedRuns.get(run.id()));
    }

    @Test
    void aStoreFailureDuringEndLeavesTheRunActiveSoEndCanBeRetried() {
        ActiveRun run = tracker.startRun("flaky");
        store.failing = true;
        run.logMetric("acc", 0.5, 0);
        assertThrows(StoreException.class, run::close);
        store.failing = false;
        run.close();
        assertEquals(RunStatus.FINISHED, tracker.getRun(run.id()).info().status());
        assertEquals(1, tracker.metricHistory(run.id(), "acc").size());
    }
}
