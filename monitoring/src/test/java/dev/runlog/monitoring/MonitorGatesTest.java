package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.GateResult;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.Stage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A challenger served on shadow traffic is promoted only if its monitoring shows no dataset drift
 * and enough accuracy: the gates read the monitoring runs of the candidate version.
 */
class MonitorGatesTest {
    @TempDir
    static Path dir;
    private static MonitorFixture store;

    @BeforeAll
    static void open() throws IOException {
        store = new MonitorFixture("memory:", dir);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** Monitors a version on 200 rows in random order, all features shifted by {@code sds}, 3 labels in 4 right. */
    private static void shadow(int version, double sds) {
        List<List<String>> rows = new java.util.ArrayList<>(store.data.rows);
        java.util.Collections.shuffle(rows, new java.util.Random(11));
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/" + version,
                MonitorOptions.defaults().window(100).target("diagnosis"))) {
            for (int i = 0; i < 200; i++) {
                List<String> row = rows.get(i);
                long id = monitor.record(store.features(row, 30, sds), row.get(30));
                monitor.label(id, i % 4 == 0 ? "wrong" : row.get(30));
            }
        }
    }

    @Test
    void aChallengerWhoseShadowTrafficDidNotDriftIsPromotedAndOneThatDriftedIsNot() {
        int steady = store.register(store.dataset);
        int drifting = store.register(store.dataset);
        shadow(steady, 0);
        shadow(drifting, 1);

        store.registry.promote(MonitorFixture.MODEL, steady, Stage.PRODUCTION, MonitorGates.noDrift(store.tracker),
                MonitorGates.monitoredAccuracyAtLeast(store.tracker, 0.75));
        PromotionRejectedException rejected = assertThrows(PromotionRejectedException.class,
                () -> store.registry.promote(MonitorFixture.MODEL, drifting, Stage.PRODUCTION,
                        MonitorGates.noDrift(store.tracker), MonitorGates.monitoredAccuracyAtLeast(store.tracker, 0.8)));
        List<GateResult> failures = rejected.failures();
        assertEquals(2, failures.size(), failures.toString());
        assertEquals("monitoring: no dataset drift", failures.get(0).gate());
        assertTrue(failures.get(0).actual().startsWith("window 0 of monitoring run"), failures.get(0).actual());
        assertEquals("0.7500 over 200 labels", failures.get(1).actual());
    }

    @Test
    void aModelCreatedAgainUnderADeletedNameIsNotVouchedForByTheOldVersionsMonitoring() throws Exception {
        // Version numbers start again at 1 under a re-created name (as in MLflow); the old version 1's
        // monitoring passed the new version 1's gates.
        String name = "recreated";
        java.util.function.Supplier<Integer> register = () -> {
            try (dev.runlog.tracking.ActiveRun run = store.tracker.startRun("recreated-training")) {
                run.logInput(store.dataset, "training");
                return store.registry.register(name, run.logModel("model", java.util.Map.of("w", 1.0)).uri()).version();
            }
        };
        assertEquals(1, register.get());
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/" + name + "/1",
                MonitorOptions.defaults().window(100).target("diagnosis"))) {
            List<List<String>> rows = new java.util.ArrayList<>(store.data.rows);
            java.util.Collections.shuffle(rows, new java.util.Random(11));
            for (int i = 0; i < 200; i++) {
                List<String> row = rows.get(i);
                monitor.label(monitor.record(store.features(row, 30, 0), row.get(30)), row.get(30));
            }
        }
        store.registry.promote(name, 1, Stage.STAGING, MonitorGates.noDrift(store.tracker),
                MonitorGates.monitoredAccuracyAtLeast(store.tracker, 0.9));

        store.registry.deleteModel(name);
        Thread.sleep(5);
        assertEquals(1, register.get());
        PromotionRejectedException rejected = assertThrows(PromotionRejectedException.class,
                () -> store.registry.promote(name, 1, Stage.PRODUCTION, MonitorGates.noDrift(store.tracker),
                        MonitorGates.monitoredAccuracyAtLeast(store.tracker, 0.9)));
        assertEquals(List.of("no monitored window with drift measured", "no labelled prediction monitored"),
                rejected.failures().stream().map(GateResult::actual).toList());
    }

    @Test
    void aVersionNeverMonitoredFailsBothGates() {
        int unmonitored = store.register(store.dataset);
        PromotionRejectedException rejected = assertThrows(PromotionRejectedException.class,
                () -> store.registry.promote(MonitorFixture.MODEL, unmonitored, Stage.STAGING,
                        MonitorGates.noDrift(store.tracker), MonitorGates.monitoredAccuracyAtLeast(store.tracker, 0)));
        assertEquals(List.of("no monitored window with drift measured", "no labelled prediction monitored"),
                rejected.failures().stream().map(GateResult::actual).toList());
        assertFalse(store.registry.getVersion(MonitorFixture.MODEL, unmonitored).stage() == Stage.STAGING);
    }
}
