package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /** Each rejection of a batch was once a suppressed exception of the first: the message counted that batch alone. */
    @Test
    @Timeout(30)
    void rejectionsBeforeTheCallerHearsOfThemAreReportedAsOneCountingEveryDroppedPoint() throws InterruptedException {
        ActiveRun a = tracker.startRun("a");
        ActiveRun b = tracker.startRun("b");
        ActiveRun c = tracker.startRun("c");
        // Ended by another process while their points wait in this one's buffer.
        store.delegate.endRun(a.id(), RunStatus.KILLED, java.time.Instant.now());
        store.delegate.endRun(b.id(), RunStatus.KILLED, java.time.Instant.now());
        CountDownLatch cHeld = writeUpTo(c, () -> {
            for (int step = 0; step < 5; step++) {
                a.logMetric("loss", 1.0, step);
            }
            for (int step = 0; step < 3; step++) {
                b.logMetric("loss", 1.0, step);
            }
        });
        try {
            dev.runlog.tracking.ConflictException dropped = assertThrows(dev.runlog.tracking.ConflictException.class, c::flush);
            assertTrue(dropped.getMessage().startsWith("The store rejected 8 metric points (5 of run " + a.id() + ", 3 of run "
                    + b.id() + "), which were dropped: "), dropped.getMessage());
        } finally {
            cHeld.countDown();
        }
        c.flush();
        assertEquals(1, store.storedPoints.get(), "c's point");
    }

    /** A caller that took the rejection for news of another run, and went on, lost its own point without a word. */
    @Test
    @Timeout(30)
    void aLogMetricThatReportsAnotherRunsDroppedPointsSaysItsOwnPointWasNotBuffered() throws InterruptedException {
        ActiveRun ended = tracker.startRun("ended");
        ActiveRun healthy = tracker.startRun("healthy");
        store.delegate.endRun(ended.id(), RunStatus.KILLED, java.time.Instant.now());
        CountDownLatch held = writeUpTo(healthy, () -> {
            for (int step = 0; step < 3; step++) {
                ended.logMetric("loss", 1.0, step);
            }
        });
        try {
            dev.runlog.tracking.ConflictException e = assertThrows(dev.runlog.tracking.ConflictException.class,
                    () -> healthy.logMetric("loss", 2.0, 1));
            assertTrue(e.getMessage().startsWith("This metric point was not buffered (log it again); The store rejected 3"
                    + " metric points of run " + ended.id()), e.getMessage());
        } finally {
            held.countDown();
        }
        healthy.logMetric("loss", 2.0, 1).flush();
        assertEquals(List.of(0L, 1L), tracker.metricHistory(healthy.id(), "loss").stream().map(Metric::step).toList(),
                "logged again, once");
    }

    /**
     * Buffers what {@code logging} logs, then a point of {@code last}, with the writer held; lets
     * the writer go and holds it again at {@code last}'s batch, which came after the others: once it
     * is held there, every rejection of those is recorded. Returns the latch that lets it go on.
     */
    private CountDownLatch writeUpTo(ActiveRun last, Runnable logging) throws InterruptedException {
        CountDownLatch hold = new CountDownLatch(1);
        store.gate = hold;
        logging.run();
        last.logMetric("loss", 1.0, 0);
        CountDownLatch held = new CountDownLatch(1);
        store.runGate = held;
        store.gatedRun = last.id();
        store.gate = null;
        hold.countDown();
        if (!store.gatedRunEntered.await(20, TimeUnit.SECONDS)) {
            held.countDown();
            throw new AssertionError("the writer never reached run " + last.id());
        }
        return held;
    }

    @Test
    void aSyncPointTheStoreFailsSaysItWasNotStoredAndAClosedTrackerSaysHowManyPointsItLost() {
        FlakyStore syncStore = new FlakyStore();
        try (Tracker sync = Tracker.builder().store(syncStore, ArtifactStore.inMemory())
                .durability(dev.runlog.tracking.Durability.SYNC).shutdownHook(false).build()) {
            ActiveRun run = sync.startRun("flaky");
            syncStore.failing = true;
            StoreException failure = assertThrows(StoreException.class, () -> run.logMetric("loss", 1.0, 0));
            assertTrue(failure.getMessage().startsWith("This metric point was not stored (log it again); "), failure.getMessage());
            syncStore.failing = false;
        }
        // Closed on a store that still fails: the points lost come first, before the run it could not end.
        ActiveRun run = tracker.startRun("flaky");
        CountDownLatch gate = new CountDownLatch(1);
        store.gate = gate;
        for (int step = 0; step < 100; step++) {
            run.logMetric("loss", 1.0, step);
        }
        store.failing = true;
        gate.countDown();
        store.gate = null;
        StoreException lost = assertThrows(StoreException.class, tracker::close);
        assertTrue(lost.getMessage().startsWith("The tracker closed with ") && lost.getMessage().contains("metric points the"
                + " store did not take; they are lost"), lost.getMessage());
        assertFalse(lost.getMessage().contains("stay buffered"), "a close that gives up does not say they stay: " + lost.getMessage());
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
        CountDownLatch twoRefusals = new CountDownLatch(2);
        store.refusals = twoRefusals;
        store.failing = true;
        run.logMetric("acc", 0.5, 0);
        // A second refusal means the writer has recorded the first: the store refuses before the
        // writer catches, so one refusal alone does not say the writer knows yet.
        assertTrue(twoRefusals.await(10, TimeUnit.SECONDS), "the writer never retried");
        StoreException thrown = assertThrows(StoreException.class, () -> run.logMetric("acc", 0.6, 1));
        assertTrue(thrown.getMessage().startsWith("This metric point was not buffered (log it again); Storing buffered"
                + " metric points failed (1 points buffered; they stay buffered and are retried)"), thrown.getMessage());

        // More failed retries of the same outage are not thrown again at logMetric ...
        store.failing = false;
        run.logMetric("acc", 0.7, 2);
        // ... and flush retries at once, so it does not throw a failure from before the repair.
        run.flush();
        assertEquals(List.of(0L, 2L), tracker.metricHistory(run.id(), "acc").stream().map(Metric::step).toList(),
                "the point buffered before the failure is kept; the rejected call's point was never taken");
    }

    @Test
    @Timeout(60) // guards against the old defect, a caller blocked forever; not a timing assertion
    void aCallerBlockedOnAFullBufferReceivesTheFailureAndItsPointIsNotBuffered() {
        try (Tracker small = Tracker.builder().store(store, ArtifactStore.inMemory())
                .bufferCapacity(8).shutdownHook(false).build()) {
            ActiveRun run = small.startRun("full");
            store.failing = true;
            run.logMetric("acc", 0, 0);
            // The first failure goes to the first caller; consume it so the loop below can only
            // end by blocking on the full buffer.
            assertThrows(StoreException.class, run::flush);
            int step = 1;
            StoreException blocked = null;
            while (blocked == null) {
                try {
                    run.logMetric("acc", step, step);
                    step++;
                } catch (StoreException e) {
                    blocked = e;
                }
            }
            assertTrue(blocked.getMessage().contains("was not buffered"), blocked.getMessage());
            assertTrue(blocked.getMessage().contains("disk full"), blocked.getMessage());

            store.failing = false;
            run.flush();
            assertEquals(LongStream.range(0, step).boxed().toList(),
                    small.metricHistory(run.id(), "acc").stream().map(Metric::step).toList(),
                    "every point before the blocked one is stored, the blocked one is not");
        }
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
