package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tracker.builder().systemMetrics(...): samples in system/*, on a thread that ends with the run. */
class SystemMetricsTest {
    // Long enough that only the start and end samples are taken, so the counts are exact.
    private static final Duration RARELY = Duration.ofHours(1);

    private static Tracker sampling() {
        return Tracker.builder().uri("memory:").shutdownHook(false).systemMetrics(RARELY).build();
    }

    private static boolean samplerAlive(String runId) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("runlog-system-metrics-" + runId) && thread.isAlive());
    }

    private static List<Long> steps(Tracker tracker, String runId, String key) {
        return tracker.metricHistory(runId, key).stream().map(Metric::step).toList();
    }

    @Test
    void aRunGetsASampleAtItsStartAndOneAtItsEndAndItsSamplerThreadIsGoneWhenEndReturns() {
        try (Tracker tracker = sampling()) {
            ActiveRun run = tracker.startRun("sys");
            assertTrue(samplerAlive(run.id()));
            run.logMetric("loss", 0.5, 0);
            run.end(RunStatus.FINISHED);
            assertFalse(samplerAlive(run.id()), "the sampler thread outlived its run");
            for (String key : List.of("system/heap_used_megabytes", "system/non_heap_used_megabytes",
                    "system/gc_count", "system/gc_time_milliseconds", "system/threads",
                    "system/system_memory_usage_megabytes")) {
                assertEquals(List.of(0L, 1L), steps(tracker, run.id(), key), key);
            }
            assertTrue(tracker.metricHistory(run.id(), "system/heap_used_megabytes").get(0).value() > 0);
            assertTrue(tracker.metricHistory(run.id(), "system/threads").get(1).value() >= 1);
        }
    }

    @Test
    void failAndTrackerCloseStopTheSamplerToo() {
        String failed;
        String killed;
        Tracker tracker = sampling();
        try {
            ActiveRun run = tracker.startRun("sys");
            failed = run.id();
            run.fail(new IllegalStateException("diverged"));
            assertFalse(samplerAlive(failed));
            killed = tracker.startRun("sys").id();
            assertTrue(samplerAlive(killed));
        } finally {
            tracker.close();
        }
        assertFalse(samplerAlive(killed), "closing the tracker leaves no sampler behind");
    }

    @Test
    void offByDefault() {
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            ActiveRun run = tracker.startRun("sys");
            assertFalse(samplerAlive(run.id()));
            run.end(RunStatus.FINISHED);
            assertTrue(tracker.getRun(run.id()).data().metrics().keySet().stream().noneMatch(k -> k.startsWith("system/")));
        }
    }

    @Test
    void theIntervalMustBePositive() {
        var zero = assertThrows(InvalidInputException.class, () -> Tracker.builder().systemMetrics(Duration.ZERO));
        assertTrue(zero.getMessage().contains("systemMetrics"), zero.getMessage());
        assertThrows(InvalidInputException.class, () -> Tracker.builder().systemMetrics(Duration.ofSeconds(-1)));
        assertThrows(InvalidInputException.class, () -> Tracker.builder().systemMetrics(Duration.ofDays(365_000)));
        Tracker.builder().systemMetrics(Duration.ofDays(1));
        assertThrows(InvalidInputException.class, () -> Tracker.builder().systemMetrics(null));
    }
}
