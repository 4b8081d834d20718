package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.spi.TrackingStore;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A window the store fails to log is kept and logged again at the next flush (once: no metric point
 * twice), at most {@code pendingWindows} of them, the rest given up with an alert and counted; the
 * caller of flush and close hears the failure. The stores are the memory ones, wrapped to throw
 * {@link StoreException} while {@link #failing} is set, as a database does while its disk is full.
 */
class MonitorLoggingFailureTest {
    private static final Reference REFERENCE = Reference.of(Map.of("x", new Random(1).doubles(1_000).toArray()), Map.of());
    private volatile boolean failing;
    private Tracker memory;
    private Tracker tracker;

    @BeforeEach
    void open() {
        memory = Tracker.builder().uri("memory:").shutdownHook(false).build();
        TrackerStores stores = TrackerStores.of(memory);
        tracker = Tracker.builder().store(failWhileFailing(TrackingStore.class, stores.tracking()),
                failWhileFailing(ArtifactStore.class, stores.artifacts())).shutdownHook(false).build();
    }

    @AfterEach
    void close() {
        failing = false;
        try {
            tracker.close();
        } catch (StoreException e) {
            // The writer's failure of the failing phase, reported once; the tracker is closed.
        } finally {
            memory.close();
        }
    }

    private <T> T failWhileFailing(Class<T> type, T delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (failing && !method.getName().equals("close")) {
                throw new StoreException("disk full (simulated)");
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static ModelMonitor monitor(Tracker tracker, int pending, List<MonitorAlert> alerts) {
        ModelMonitor monitor = ModelMonitor.forReference(tracker, "failing", REFERENCE, MonitorOptions.defaults()
                .window(10).pendingWindows(pending).pollInterval(Duration.ofHours(1)));
        monitor.addListener(alerts::add);
        return monitor;
    }

    private static void window(ModelMonitor monitor) {
        for (int i = 0; i < 10; i++) {
            monitor.record(new double[] {i / 10.0}, 1.0);
        }
    }

    @Test
    void aWindowTheStoreFailedToLogIsKeptAndLoggedOnceAtTheNextFlush() throws Exception {
        List<MonitorAlert> alerts = new ArrayList<>();
        try (ModelMonitor monitor = monitor(tracker, 10, alerts)) {
            failing = true;
            window(monitor);
            StoreException e = assertThrows(StoreException.class, monitor::flush);
            assertTrue(e.getMessage().contains("could not log 1 window(s)"), e.getMessage());
            assertEquals(List.of(0L), monitor.unloggedWindows().stream().map(WindowReport::window).toList());
            assertEquals(0L, monitor.lastReport().orElseThrow().window(), "the report is not lost to the caller");

            failing = false;
            window(monitor);
            assertEquals(1, monitor.flush().size());
            assertEquals(List.of(), monitor.unloggedWindows());
            assertEquals(List.of(0L, 1L), tracker.metricHistory(monitor.runId(), "predictions").stream()
                    .map(Metric::step).toList(), "each window's points once");
            try (InputStream in = tracker.openArtifact(monitor.runId(), "drift/window-000000.json")) {
                assertTrue(in.readAllBytes().length > 0);
            }
            assertEquals(0, monitor.droppedWindows());
            assertEquals(List.of(), alerts);
        }
    }

    @Test
    void beyondThePendingLimitTheOldestWindowIsGivenUpCountedAndAlerted() {
        List<MonitorAlert> alerts = new ArrayList<>();
        try (ModelMonitor monitor = monitor(tracker, 2, alerts)) {
            failing = true;
            for (int w = 0; w < 3; w++) {
                window(monitor);
                assertThrows(StoreException.class, monitor::flush);
            }
            assertEquals(1, monitor.droppedWindows());
            assertEquals(List.of(1L, 2L), monitor.unloggedWindows().stream().map(WindowReport::window).toList());
            assertEquals(MonitorAlert.Kind.WINDOW_DROPPED, alerts.get(0).kind());
            assertEquals(0, alerts.get(0).report().window());
            assertTrue(alerts.get(0).message().contains("disk full"), alerts.get(0).message());

            failing = false;
            window(monitor);
            monitor.flush();
            List<Metric> dropped = tracker.metricHistory(monitor.runId(), "dropped_windows");
            assertEquals(1.0, dropped.get(dropped.size() - 1).value());
            // Window 0's metric points were taken by the tracker's writer before it was given up; its report was not.
            assertEquals(List.of("drift/window-000001.json", "drift/window-000002.json", "drift/window-000003.json"),
                    tracker.listArtifacts(monitor.runId(), "drift").stream().map(a -> a.path()).toList());
        }
    }

    @Test
    void closingWhileTheStoreFailsThrowsAndGivesTheWindowsUp() {
        List<MonitorAlert> alerts = new ArrayList<>();
        ModelMonitor monitor = monitor(tracker, 10, alerts);
        window(monitor);
        monitor.record(new double[] {0.5}, 1.0);
        failing = true;
        StoreException e = assertThrows(StoreException.class, monitor::close);
        assertTrue(e.getMessage().contains("closed without logging 2 window(s)"), e.getMessage());
        assertEquals(List.of(0L, 1L), alerts.stream().map(a -> a.report().window()).toList());
        assertEquals(2, monitor.droppedWindows());
    }
}
