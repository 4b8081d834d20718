package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Tracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Windows by time (the injected clock), sampling, and a model the registry does not know. */
class MonitorWindowsTest {
    private static Tracker tracker;
    private static Reference reference;

    @BeforeAll
    static void open() {
        tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
        reference = Reference.of(Map.of("x", new Random(1).doubles(1_000).toArray()), Map.of());
    }

    @AfterAll
    static void close() {
        tracker.close();
    }

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        volatile long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void aClockSetBackNeverEndsAWindowBeforeItStarted() {
        ManualClock clock = new ManualClock();
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "clock-back", reference, MonitorOptions.defaults()
                .window(Duration.ofHours(1)).clock(clock).pollInterval(Duration.ofHours(1)))) {
            monitor.record(new double[] {0.1}, 1.0);
            clock.millis -= 3_600_000; // NTP, or a test clock, set back an hour
            WindowReport report = monitor.closeWindow().orElseThrow();
            assertTrue(!report.end().isBefore(report.start()), report.start() + " to " + report.end());
        }
    }

    @Test
    void aTimedWindowClosesAtTheFirstEventOrFlushAfterItsSpan() {
        ManualClock clock = new ManualClock();
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "timed", reference, MonitorOptions.defaults()
                .window(Duration.ofSeconds(1)).clock(clock).pollInterval(Duration.ofHours(1)))) {
            monitor.record(new double[] {0.1}, 1.0);
            clock.millis += 500;
            monitor.record(new double[] {0.2}, 1.0);
            assertEquals(List.of(), monitor.flush(), "the span has not ended");
            clock.millis += 600;
            monitor.record(new double[] {0.3}, 1.0);
            List<WindowReport> reports = monitor.flush();
            assertEquals(1, reports.size());
            assertEquals(2, reports.get(0).predictions());
            assertEquals(Instant.ofEpochMilli(1_000_000), reports.get(0).start());
            assertEquals(Instant.ofEpochMilli(1_001_000), reports.get(0).end());
            clock.millis += 5_000;   // no event: the poll (here, flush) closes the window holding 0.3
            List<WindowReport> next = monitor.flush();
            assertEquals(1, next.size());
            assertEquals(1, next.get(0).predictions());
            assertEquals(Instant.ofEpochMilli(1_001_000), next.get(0).start());
            assertEquals(0, next.get(0).version(), "a model the registry does not know");
        }
    }

    @Test
    void theSamplingRateRecordsThatFractionOfPredictions() {
        try (ModelMonitor monitor = ModelMonitor.forReference(tracker, "sampled", reference,
                MonitorOptions.defaults().samplingRate(0.25).window(1_000_000).pollInterval(Duration.ofHours(1)))) {
            for (int i = 0; i < 20_000; i++) {
                monitor.record(new double[] {0.5}, 1.0);
            }
            long recorded = monitor.closeWindow().orElseThrow().predictions();
            // Binomial(20000, 0.25): mean 5000, sd 61; 6 sd either side.
            assertTrue(recorded > 4_630 && recorded < 5_370, "recorded " + recorded);
        }
    }
}
