package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.ParamConflictException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rule 12: many threads logging into one run and one store. */
public interface ConcurrencyContract {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("4 threads log 250,000 points each into one run: every point is stored exactly once, in order")
    default void millionPointsIntoOneRun(Tracker tracker) throws InterruptedException {
        final int threadCount = 4;
        final int pointsPerThread = 250_000;
        ActiveRun run = tracker.startRun("concurrency");
        String runId = run.id();
        AtomicInteger reads = new AtomicInteger();
        Race race = new Race().workers("kit-writer", threadCount, thread -> {
            String key = "t" + thread;
            for (int step = 0; step < pointsPerThread; step++) {
                run.logMetric(key, thread * 1_000_000.0 + step, step);
            }
        });
        // While the writers run, a reader checks what is visible of "t0": it only grows, and is
        // always steps 0..n-1 in order (one thread logs it in step order).
        race.watcher("kit-reader", ignored -> {
            int lastSize = 0;
            while (race.working()) {
                List<Metric> history = tracker.metricHistory(runId, "t0");
                if (history.size() < lastSize) {
                    throw new AssertionError("history of t0 shrank from " + lastSize + " to " + history.size());
                }
                for (int i = 0; i < history.size(); i++) {
                    Metric point = history.get(i);
                    if (point.step() != i || point.value() != i) {
                        throw new AssertionError("history of t0 (size " + history.size() + ") holds " + point
                                + " at index " + i);
                    }
                }
                lastSize = history.size();
                reads.incrementAndGet();
                Thread.sleep(20);
            }
        }).run(Duration.ofSeconds(110));
        run.flush();
        assertTrue(reads.get() > 0, "the reader never read");

        for (int t = 0; t < threadCount; t++) {
            String key = "t" + t;
            List<Metric> history = tracker.metricHistory(runId, key);
            assertEquals(pointsPerThread, history.size(), () -> "points stored for " + key);
            for (int step = 0; step < pointsPerThread; step++) {
                Metric point = history.get(step);
                if (point.step() != step || point.value() != t * 1_000_000.0 + step || !point.key().equals(key)) {
                    fail("point " + step + " of " + key + " is " + point);
                }
            }
        }
        Map<String, Metric> latest = tracker.getRun(runId).data().latestMetrics();
        assertEquals(Set.of("t0", "t1", "t2", "t3"), latest.keySet());
        for (int t = 0; t < threadCount; t++) {
            assertEquals(pointsPerThread - 1L, latest.get("t" + t).step());
        }
        run.close();
        assertEquals(RunStatus.FINISHED, tracker.getRun(runId).info().status());
    }

    @Test
    @DisplayName("threads starting runs in a new experiment at once share one experiment")
    default void concurrentStartRunCreatesOneExperiment(Tracker tracker) throws InterruptedException {
        int threadCount = 8;
        List<String> experimentIds = new CopyOnWriteArrayList<>();
        new Race().workers("kit-worker", threadCount, thread -> {
            try (ActiveRun run = tracker.startRun("race")) {
                experimentIds.add(run.experimentId());
            }
        }).run(Duration.ofSeconds(120));
        assertEquals(threadCount, experimentIds.size());
        List<Experiment> all = tracker.listExperiments(ViewType.ALL);
        assertEquals(1, all.size(), () -> "experiments: " + all);
        assertEquals(Set.of(all.get(0).id()), new HashSet<>(experimentIds));
    }

    @Test
    @DisplayName("threads creating the same experiment at once: exactly one succeeds, the rest get ConflictException")
    default void concurrentCreateExperiment(Tracker tracker) throws InterruptedException {
        int threadCount = 8;
        Race.Creations race = Race.creating("kit-worker", threadCount, Duration.ofSeconds(120),
                () -> tracker.createExperiment("race"));
        assertEquals(1, race.created(), "successful creates");
        assertEquals(threadCount - 1, race.conflicts(), "conflicts");
        assertEquals(1, tracker.listExperiments(ViewType.ALL).size());
    }

    @Test
    @DisplayName("threads logging one param with different values at once: exactly one value wins")
    default void concurrentParamConflict(Tracker tracker) throws InterruptedException {
        int threadCount = 8;
        ActiveRun run = tracker.startRun("race");
        List<String> winners = new CopyOnWriteArrayList<>();
        List<ParamConflictException> conflicts = new CopyOnWriteArrayList<>();
        new Race().workers("kit-worker", threadCount, thread -> {
            String value = "v" + thread;
            try {
                run.logParam("seed", value);
                winners.add(value);
            } catch (ParamConflictException e) {
                conflicts.add(e);
            }
        }).run(Duration.ofSeconds(120));
        assertEquals(1, winners.size(), () -> "values accepted: " + winners);
        assertEquals(threadCount - 1, conflicts.size());
        String winner = winners.get(0);
        assertEquals(winner, tracker.getRun(run.id()).data().params().get("seed"));
        for (ParamConflictException conflict : conflicts) {
            assertEquals(winner, conflict.storedValue());
        }
    }

    @Test
    @DisplayName("threads logging into their own runs at once: each run gets exactly its points")
    default void concurrentRuns(Tracker tracker) throws InterruptedException {
        int threadCount = 4;
        int points = 20_000;
        List<ActiveRun> runs = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            runs.add(tracker.startRun("many-runs"));
        }
        new Race().workers("kit-worker", threadCount, thread -> {
            ActiveRun run = runs.get(thread);
            for (int step = 0; step < points; step++) {
                run.logMetric("loss", thread + step * 10.0, step);
            }
            run.logParam("thread", thread);
            run.close();
        }).run(Duration.ofSeconds(120));
        for (int t = 0; t < threadCount; t++) {
            String id = runs.get(t).id();
            List<Metric> history = tracker.metricHistory(id, "loss");
            assertEquals(points, history.size());
            assertEquals(t + (points - 1) * 10.0, history.get(points - 1).value());
            assertEquals(t + 0.0, history.get(0).value());
            assertEquals(String.valueOf(t), tracker.getRun(id).data().params().get("thread"));
            assertEquals(RunStatus.FINISHED, tracker.getRun(id).info().status());
        }
    }
}
