package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker closed while other threads log: every point whose logMetric returned is stored, and
 * the calls after it are refused. Before close() waited for the points being handed over, the
 * last point of a thread was now and then lost, seen only as a logged warning.
 */
class CloseWhileLoggingTest {
    private static final int THREADS = 2;

    @Test
    void everyPointALogMetricAcceptedIsStoredWhenTheTrackerClosesMeanwhile(@TempDir Path dir) throws Exception {
        String uri = "sqlite:" + dir.resolve("close.db");
        for (int trial = 0; trial < 40; trial++) {
            AtomicLong[] accepted = new AtomicLong[THREADS];
            List<AtomicReference<Throwable>> stoppedBy = new ArrayList<>();
            List<Thread> loggers = new ArrayList<>();
            String runId;
            Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build();
            ActiveRun run = tracker.startRun("closing");
            runId = run.id();
            CountDownLatch started = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                AtomicLong count = accepted[t] = new AtomicLong();
                AtomicReference<Throwable> stop = new AtomicReference<>();
                stoppedBy.add(stop);
                String key = "loss" + t;
                Thread logger = new Thread(() -> {
                    try {
                        for (long step = 0; ; step++) {
                            run.logMetric(key, step, step);
                            count.incrementAndGet();
                            if (step == 1_000) {
                                started.countDown();
                            }
                        }
                    } catch (Throwable e) {
                        stop.set(e);
                        started.countDown();
                    }
                });
                loggers.add(logger);
                logger.start();
            }
            started.await();
            tracker.close();
            for (Thread logger : loggers) {
                logger.join();
            }
            try (Tracker reopened = Tracker.builder().uri(uri).shutdownHook(false).build()) {
                assertEquals(RunStatus.KILLED, reopened.getRun(runId).info().status());
                for (int t = 0; t < THREADS; t++) {
                    Throwable stop = stoppedBy.get(t).get();
                    // Refused, either by the run (ending, ended) or by the tracker (closed): never silently.
                    assertTrue(stop instanceof RunNotActiveException
                            || stop instanceof RunlogException && stop.getMessage().contains("tracker is closed"),
                            String.valueOf(stop));
                    assertEquals(accepted[t].get(), reopened.metricHistory(runId, "loss" + t).size(),
                            "trial " + trial + ", thread " + t + ": points whose logMetric returned are missing");
                }
            }
        }
    }
}
