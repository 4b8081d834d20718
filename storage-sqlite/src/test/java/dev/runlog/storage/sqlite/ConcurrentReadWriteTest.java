package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads while a run is being written, through the writing tracker and through a second tracker on
 * the same file: readers never fail, always see a growing, gap-free prefix of what was logged
 * (at least everything flushed before the read), and the writer is never held up for good.
 */
class ConcurrentReadWriteTest {
    private static final int POINTS = 200_000;
    private static final int FLUSH_EVERY = 2_000;
    private static final int MIDWAY = POINTS / 2;

    @TempDir
    Path dir;

    static double value(long step) {
        return Math.scalb(1.0, -20) * step + step % 13;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readersSeeAGrowingPrefixWhileTheWriterLogs() throws Exception {
        String uri = "sqlite:" + dir.resolve("rw.db");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        String runId;
        List<Reader> readers = new ArrayList<>();
        try (Tracker tracker = Tracker.open(uri); Tracker second = Tracker.open(uri)) {
            ActiveRun run = tracker.startRun("read-write");
            run.logParam("points", POINTS);
            runId = run.id();

            AtomicLong flushed = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            // The writer stops halfway until every reader has seen the first half: so every reader
            // provably reads while the run is being written, whatever the scheduling.
            CountDownLatch halfSeen = new CountDownLatch(2);
            readers.add(new Reader("same tracker", tracker, runId, flushed, done, halfSeen, failures));
            readers.add(new Reader("second tracker", second, runId, flushed, done, halfSeen, failures));

            Thread writer = new Thread(() -> {
                try {
                    for (long step = 0; step < POINTS; step++) {
                        run.logMetric("loss", value(step), step);
                        if ((step + 1) % FLUSH_EVERY == 0) {
                            run.flush();
                            flushed.set(step + 1);
                            if (step + 1 == MIDWAY && !halfSeen.await(60, TimeUnit.SECONDS)) {
                                throw new AssertionError("readers did not see the first " + MIDWAY + " points within 60 s");
                            }
                        }
                    }
                    run.close();
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.set(true);
                }
            }, "writer");
            for (Reader reader : readers) {
                reader.start();
            }
            writer.start();
            writer.join(TimeUnit.SECONDS.toMillis(90));
            assertFalse(writer.isAlive(), "the writer did not finish");
            for (Reader reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(reader.isAlive(), reader.getName() + " did not finish");
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " thread(s) failed; first: " + failures.peek());
                failures.forEach(error::addSuppressed);
                throw error;
            }
            for (Reader reader : readers) {
                assertTrue(reader.readsWhileRunning > 0, reader.getName() + " never read while the run was active");
                assertEquals(POINTS, reader.lastSize, reader.getName());
            }
            assertEquals(RunStatus.FINISHED, second.getRun(runId).info().status());
        }
        try (Tracker tracker = Tracker.open(uri)) {
            List<Metric> history = tracker.metricHistory(runId, "loss");
            assertEquals(POINTS, history.size());
            checkPrefix("reopened", history);
        }
    }

    /** Checks that {@code history} is steps 0..n-1 with exactly the values logged. */
    static void checkPrefix(String who, List<Metric> history) {
        for (int step = 0; step < history.size(); step++) {
            Metric point = history.get(step);
            if (point.step() != step || Double.compare(point.value(), value(step)) != 0 || !point.key().equals("loss")) {
                throw new AssertionError(who + ": point " + step + " of " + history.size() + " is " + point
                        + ", expected step " + step + " value " + value(step));
            }
        }
    }

    private static final class Reader extends Thread {
        private final Tracker tracker;
        private final String runId;
        private final AtomicLong flushed;
        private final AtomicBoolean done;
        private final CountDownLatch halfSeen;
        private final ConcurrentLinkedQueue<Throwable> failures;
        volatile int readsWhileRunning;
        volatile int lastSize = -1;

        Reader(String name, Tracker tracker, String runId, AtomicLong flushed, AtomicBoolean done,
               CountDownLatch halfSeen, ConcurrentLinkedQueue<Throwable> failures) {
            super("reader (" + name + ")");
            this.tracker = tracker;
            this.runId = runId;
            this.flushed = flushed;
            this.done = done;
            this.halfSeen = halfSeen;
            this.failures = failures;
        }

        @Override
        public void run() {
            boolean countedHalf = false;
            try {
                int previousSize = 0;
                long previousLatestStep = -1;
                while (true) {
                    // Read both before the reads: a read that starts after `done` sees the end state,
                    // and one that starts after a flush returned sees at least what it stored.
                    boolean last = done.get();
                    long mustSee = flushed.get();
                    List<Metric> history = tracker.metricHistory(runId, "loss");
                    Run run = tracker.getRun(runId);
                    int size = history.size();
                    String where = getName() + " at read " + readsWhileRunning + " (size " + size + ")";
                    if (size < mustSee) {
                        throw new AssertionError(where + ": " + mustSee + " points were flushed before the read");
                    }
                    if (size < previousSize) {
                        throw new AssertionError(where + ": the history shrank from " + previousSize);
                    }
                    if (size > POINTS) {
                        throw new AssertionError(where + ": more points than were logged");
                    }
                    checkPrefix(where, history);
                    assertEquals(Map.of("points", Integer.toString(POINTS)), run.data().params(), where);
                    Metric latest = run.data().latestMetrics().get("loss");
                    if (size > 0) {
                        // getRun read a later snapshot than metricHistory: its latest point is no older.
                        assertTrue(latest != null && latest.step() >= size - 1, where + ": latest " + latest);
                    }
                    if (latest != null) {
                        assertTrue(latest.step() >= previousLatestStep, where + ": latest step went back from "
                                + previousLatestStep + " to " + latest);
                        assertEquals(value(latest.step()), latest.value(), where + ": latest " + latest);
                        previousLatestStep = latest.step();
                    }
                    previousSize = size;
                    lastSize = size;
                    if (last) {
                        assertEquals(POINTS, size, where + ": the final read");
                        return;
                    }
                    if (run.info().status() == RunStatus.RUNNING) {
                        readsWhileRunning++;
                    }
                    if (!countedHalf && size >= MIDWAY && run.info().status() == RunStatus.RUNNING) {
                        countedHalf = true;
                        halfSeen.countDown();
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            } finally {
                if (!countedHalf) {
                    halfSeen.countDown(); // a failed reader must not hold the writer up
                }
            }
        }
    }
}
