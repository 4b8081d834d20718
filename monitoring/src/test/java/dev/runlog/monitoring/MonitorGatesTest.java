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

    @Test
    void windowsWhereNoFeatureHadAValueDoNotVouchForNoDrift() {
        // A feature pipeline that broke and sends only missing values: nothing can be compared, so
        // there is no dataset verdict, rather than a "no drift" the gate would count.
        int blind = store.register(store.dataset);
        double[] missing = new double[30];
        java.util.Arrays.fill(missing, Double.NaN);
        List<WindowReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/" + blind,
                MonitorOptions.defaults().window(100).target("diagnosis"))) {
            monitor.addListener(new MonitorListener() {
                @Override
                public void onAlert(MonitorAlert alert) {
                }

                @Override
                public void onWindow(WindowReport report) {
                    reports.add(report);
                }
            });
            for (int i = 0; i < 100; i++) {
                monitor.label(monitor.record(missing, "B"), "B");
            }
        }
        assertTrue(reports.get(0).drift().isEmpty(), reports.get(0).toString());
        assertEquals("no feature had a value both in this window and in the reference",
                reports.get(0).notComparable().orElseThrow());

        PromotionRejectedException rejected = assertThrows(PromotionRejectedException.class,
                () -> store.registry.promote(MonitorFixture.MODEL, blind, Stage.STAGING, MonitorGates.noDrift(store.tracker)));
        assertEquals("no monitored window with drift measured", rejected.failures().get(0).actual());
    }

    @Test
    void twoModelsSwappingNamesDoNotLendEachOtherTheirMonitoring() throws Exception {
        int drifted = registerUnder("swap-first");
        int clean = registerUnder("swap-second");
        monitorUnder("swap-first", drifted, 1);
        monitorUnder("swap-second", clean, 0);
        Thread.sleep(5);
        store.registry.renameModel("swap-second", "swap-parked");
        store.registry.renameModel("swap-first", "swap-second");

        // The drifted version now carries the name the clean one's monitoring runs are tagged with.
        PromotionRejectedException rejected = assertThrows(PromotionRejectedException.class,
                () -> store.registry.promote("swap-second", drifted, Stage.PRODUCTION, MonitorGates.noDrift(store.tracker),
                        MonitorGates.monitoredAccuracyAtLeast(store.tracker, 0.5)));
        assertEquals(List.of("no monitored window with drift measured", "no labelled prediction monitored"),
                rejected.failures().stream().map(GateResult::actual).toList());
    }

    @Test
    void anErrorMetricIsGatedByItsCeiling() {
        int version = store.register(store.dataset);
        List<List<String>> rows = new java.util.ArrayList<>(store.data.rows);
        java.util.Collections.shuffle(rows, new java.util.Random(11));
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/" + version,
                MonitorOptions.defaults().window(100).target("diagnosis")
                        .metric("error_rate", (predicted, truth) -> predicted.equals(truth) ? 0 : 1))) {
            for (int i = 0; i < 200; i++) {
                List<String> row = rows.get(i);
                monitor.label(monitor.record(store.features(row, 30, 0), row.get(30)), i % 4 == 0 ? "wrong" : row.get(30));
            }
        }
        PromotionRejectedException rejected = assertThrows(PromotionRejectedException.class,
                () -> store.registry.promote(MonitorFixture.MODEL, version, Stage.STAGING,
                        MonitorGates.monitoredMetricAtMost(store.tracker, "error_rate", 0.2)));
        assertEquals("monitoring: error_rate <= 0.2", rejected.failures().get(0).gate());
        assertEquals("0.2500 over 200 labels", rejected.failures().get(0).actual());
        store.registry.promote(MonitorFixture.MODEL, version, Stage.STAGING,
                MonitorGates.monitoredMetricAtMost(store.tracker, "error_rate", 0.25));
    }

    private static int registerUnder(String name) {
        try (dev.runlog.tracking.ActiveRun run = store.tracker.startRun(name + "-training")) {
            run.logInput(store.dataset, "training");
            return store.registry.register(name, run.logModel("model", java.util.Map.of("w", 1.0)).uri()).version();
        }
    }

    private static void monitorUnder(String name, int version, double sds) {
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/" + name + "/" + version,
                MonitorOptions.defaults().window(100).target("diagnosis"))) {
            for (int i = 0; i < 100; i++) {
                List<String> row = store.data.rows.get(i);
                monitor.label(monitor.record(store.features(row, 30, sds), row.get(30)), row.get(30));
            }
        }
    }
}
