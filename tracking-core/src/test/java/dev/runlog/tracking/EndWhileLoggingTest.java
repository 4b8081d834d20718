package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A run ended while another thread logs to it: every point whose logMetric returned is stored, and
 * every later call is refused with RunNotActiveException. Before end() waited for the points being
 * handed over, tens of thousands of accepted points were dropped and reported on another run.
 */
class EndWhileLoggingTest {
    @Test
    void everyPointALogMetricAcceptedIsStoredWhenTheRunEndsMeanwhile() throws Exception {
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            for (int trial = 0; trial < 10; trial++) {
                ActiveRun run = tracker.startRun("ending");
                AtomicLong accepted = new AtomicLong();
                AtomicReference<Throwable> stoppedBy = new AtomicReference<>();
                CountDownLatch logging = new CountDownLatch(1);
                Thread logger = new Thread(() -> {
                    try {
                        for (long step = 0; ; step++) {
                            run.logMetric("loss", step, step);
                            accepted.incrementAndGet();
                            if (step == 1_000) {
                                logging.countDown();
                            }
                        }
                    } catch (Throwable e) {
                        stoppedBy.set(e);
                        logging.countDown();
                    }
                });
                logger.start();
                logging.await();
                run.end(RunStatus.FINISHED);
                logger.join();
                assertTrue(stoppedBy.get() instanceof RunNotActiveException, String.valueOf(stoppedBy.get()));
                assertEquals(accepted.get(), tracker.metricHistory(run.id(), "loss").size(), "trial " + trial);
                // Nothing of this run is left to fail another run's call.
                tracker.run("other", r -> r.logMetric("x", 1)).info();
            }
        }
    }
}
