package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The monitor end to end, on the memory store and (where storage matters) on a SQLite file: the reference found through the
 * registry (version, run, training input, its profile's sketches), windows judged and logged as
 * metrics and a JSON report, alerts, labels, latency, sampling and a full buffer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelMonitorTest {
    @TempDir
    static Path dir;
    private final List<MonitorFixture> stores = new ArrayList<>();

    @BeforeAll
    void open() throws IOException {
        Files.createDirectories(dir.resolve("memory"));
        Files.createDirectories(dir.resolve("sqlite"));
        stores.add(new MonitorFixture("memory:", dir.resolve("memory")));
        stores.add(new MonitorFixture("sqlite:" + dir.resolve("sqlite").resolve("runlog.db"), dir.resolve("sqlite")));
    }

    @AfterAll
    void close() {
        stores.forEach(MonitorFixture::close);
    }

    /** Where the store matters: what is stored and read back. */
    Stream<MonitorFixture> stores() {
        return stores.stream();
    }

    /** Where it does not: the monitor's own behaviour, on the memory store alone to keep the build short. */
    Stream<MonitorFixture> memory() {
        return stores.stream().limit(1);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theTrainingDatasetsProfileHoldsTheReferenceAndItIsStoredWithTheRun(MonitorFixture store) {
        Run training = store.tracker.getRun(store.registry.resolve("models:/breast-cancer/1").runId());
        Dataset stored = training.inputs().get(0).dataset();
        Reference reference = Reference.fromProfile(stored.profile()).orElseThrow();
        assertEquals(569, reference.count("mean_radius"));
        assertEquals(Map.of("malignant", 212L, "benign", 357L), reference.frequencies("diagnosis"));
        assertTrue(Reference.fromProfile(new Dataset.Profile(3, Map.of())).isEmpty(), "an older profile has none");
    }

    /**
     * A window of rows of the training data does not drift; a window of the same rows with five
     * features shifted by half a standard deviation flags those five, raises the drift alert, and
     * is logged as metrics at its step and as a JSON report with histograms.
     */
    @ParameterizedTest
    @MethodSource("stores")
    void aShiftedWindowIsFlaggedLoggedAndAlertedAndAnUnshiftedOneIsNot(MonitorFixture store) throws IOException {
        List<List<String>> rows = new ArrayList<>(store.data.rows);
        Collections.shuffle(rows, new Random(7));
        List<List<String>> current = rows.subList(0, 284);
        List<MonitorAlert> alerts = Collections.synchronizedList(new ArrayList<>());
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/Production",
                MonitorOptions.defaults().window(284).target("diagnosis").alertOnAnyFeature(false)
                        .pollInterval(java.time.Duration.ofHours(1)))) {
            monitor.addListener(alerts::add);
            assertEquals(30, monitor.features().size(), "the numeric columns, the target left out");
            current.forEach(row -> monitor.record(store.features(row, 0, 0), row.get(30)));
            current.forEach(row -> monitor.record(store.features(row, 5, 0.5), row.get(30)));
            List<WindowReport> reports = monitor.flush();

            assertEquals(2, reports.size());
            WindowReport unshifted = reports.get(0);
            WindowReport shifted = reports.get(1);
            assertFalse(unshifted.datasetDrifted());
            assertTrue(unshifted.drift().orElseThrow().driftedCount() <= 2, unshifted.drift().toString());
            assertFalse(unshifted.predictionDrift().orElseThrow().drifted());
            List<FeatureDrift> features = shifted.drift().orElseThrow().features();
            assertTrue(features.subList(0, 5).stream().allMatch(FeatureDrift::drifted), features.toString());
            assertFalse(shifted.datasetDrifted(), "5 of 30 is under the default share of one half");
            assertEquals(DriftMethod.CHI_SQUARED, shifted.predictionDrift().orElseThrow().method());
            assertEquals(List.of(), alerts, "the alert follows the dataset verdict when told to");

            String runId = monitor.runId();
            Run run = store.tracker.getRun(runId);
            assertEquals("monitoring/breast-cancer", store.tracker.getExperiment(run.info().experimentId()).name());
            assertEquals("1", run.data().tags().get("runlog.monitor.version"));
            List<Metric> mean = store.tracker.metricHistory(runId, "drift.mean_radius.drifted");
            assertEquals(List.of(0L, 1L), mean.stream().map(Metric::step).toList());
            assertEquals(1.0, mean.get(1).value());
            assertEquals(284.0, store.tracker.metricHistory(runId, "predictions").get(0).value());
            try (InputStream in = store.tracker.openArtifact(runId, "drift/window-000001.json")) {
                JsonNode report = new ObjectMapper().readTree(in);
                JsonNode radius = report.get("features").get(0);
                assertEquals("mean_radius", radius.get("feature").asText());
                assertEquals("KOLMOGOROV_SMIRNOV", radius.get("method").asText());
                assertTrue(radius.get("drifted").asBoolean());
                assertEquals(0.05, radius.get("threshold").asDouble());
                assertEquals(11, radius.get("bin_edges").size());
                assertEquals(10, radius.get("current_fractions").size());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("memory")
    void anyDriftedFeatureRaisesTheDriftAlertByDefault(MonitorFixture store) {
        List<MonitorAlert> alerts = new ArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/1",
                MonitorOptions.defaults().window(300).target("diagnosis"))) {
            monitor.addListener(alerts::add);
            store.data.rows.subList(0, 300).forEach(row -> monitor.record(store.features(row, 5, 1.0), 1));
            monitor.flush();
        }
        assertEquals(MonitorAlert.Kind.DRIFT, alerts.get(0).kind());
        assertTrue(alerts.get(0).message().contains("mean_radius"), alerts.get(0).message());
    }

    /** Labels arriving late are matched by id; accuracy under the floor and slow predictions alert. */
    @ParameterizedTest
    @MethodSource("memory")
    void lateLabelsGiveTheMetricAndSlowPredictionsTheLatencyAlert(MonitorFixture store) {
        List<MonitorAlert.Kind> alerts = new ArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/Production",
                MonitorOptions.defaults().window(100).target("diagnosis").pollInterval(java.time.Duration.ofHours(1))
                        .metricFloor(0.9).latencyCeiling(java.time.Duration.ofMillis(50)))) {
            monitor.addListener(alert -> alerts.add(alert.kind()));
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                // Latencies 1, 2, ..., 100 ms: p50 = 50, p95 = 95, p99 = 99 by nearest rank.
                ids.add(monitor.record(store.features(store.data.rows.get(i), 0, 0), "benign", (i + 1) * 1_000_000L));
            }
            monitor.flush();
            for (int i = 0; i < 100; i++) {
                monitor.label(ids.get(i), i < 80 ? "benign" : "malignant");   // 80% right
            }
            monitor.label(999_999, "benign");
            WindowReport report = monitor.closeWindow().orElseThrow();
            assertEquals(100, report.labelled());
            assertEquals(0.8, report.metric().getAsDouble(), 1e-12);
            assertEquals(1, monitor.unmatchedLabels());
            assertEquals(95.0, store.tracker.metricHistory(monitor.runId(), "latency.p95_ms").get(0).value());
            assertEquals(50.0, store.tracker.metricHistory(monitor.runId(), "latency.p50_ms").get(0).value());
            assertEquals(99.0, store.tracker.metricHistory(monitor.runId(), "latency.p99_ms").get(0).value());
            assertEquals(0.8, store.tracker.metricHistory(monitor.runId(), "accuracy").get(0).value(), 1e-12);
        }
        assertTrue(alerts.contains(MonitorAlert.Kind.LATENCY_ABOVE_CEILING), alerts.toString());
        assertTrue(alerts.contains(MonitorAlert.Kind.METRIC_BELOW_FLOOR), alerts.toString());
    }

    /** A metric that cannot judge one label (NaN) made the whole window's metric NaN: no floor alert, no gate. */
    @ParameterizedTest
    @MethodSource("memory")
    void aLabelTheMetricScoresNanIsLeftOutNotTheWindow(MonitorFixture store) {
        List<MonitorAlert.Kind> alerts = new ArrayList<>();
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/Production",
                MonitorOptions.defaults().window(100).target("diagnosis").pollInterval(java.time.Duration.ofHours(1))
                        .metric("score", (p, t) -> p.equals("?") ? Double.NaN : p.equals(t) ? 1 : 0).metricFloor(0.9))) {
            monitor.addListener(alert -> alerts.add(alert.kind()));
            for (int i = 0; i < 10; i++) {
                long id = monitor.record(store.features(store.data.rows.get(i), 0, 0), i == 0 ? "?" : "benign");
                monitor.label(id, "malignant");
            }
            WindowReport report = monitor.closeWindow().orElseThrow();
            assertEquals(9, report.labelled());
            assertEquals(0.0, report.metric().getAsDouble());
            assertEquals(0.0, store.tracker.metricHistory(monitor.runId(), "score").get(0).value());
        }
        assertTrue(alerts.contains(MonitorAlert.Kind.METRIC_BELOW_FLOOR), alerts.toString());
    }

    @ParameterizedTest
    @MethodSource("memory")
    void aFullBufferDropsAndCountsInsteadOfBlocking(MonitorFixture store) {
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/1",
                MonitorOptions.defaults().target("diagnosis").bufferCapacity(4).pollInterval(java.time.Duration.ofHours(1)))) {
            double[] features = store.features(store.data.rows.get(0), 0, 0);
            for (int i = 0; i < 10; i++) {
                monitor.record(features, "benign");
            }
            assertEquals(6, monitor.dropped());
            WindowReport report = monitor.closeWindow().orElseThrow();
            assertEquals(4, report.predictions());
            assertEquals(6, report.dropped());
            assertEquals(6.0, store.tracker.metricHistory(monitor.runId(), "dropped").get(0).value());
        }
    }

    /** An old profile has no sketches: drift is reported not comparable, labels and latency still work. */
    @ParameterizedTest
    @MethodSource("stores")
    void aTrainingDatasetProfiledWithoutSketchesIsNotComparable(MonitorFixture store) {
        Dataset old = new Dataset("old", "0".repeat(64), "file:/old.csv", store.dataset.schema(),
                new Dataset.Profile(569, store.dataset.profile().columns()));
        int version = store.register(old);
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/" + version,
                MonitorOptions.defaults())) {
            long id = monitor.record(new double[] {1, 2, 3}, "benign", 1_000_000);
            monitor.label(id, "benign");
            WindowReport report = monitor.closeWindow().orElseThrow();
            assertTrue(report.notComparable().orElseThrow().contains("holds no drift reference"), report.toString());
            assertTrue(report.drift().isEmpty());
            assertEquals(1.0, report.metric().getAsDouble());
            assertEquals(1.0, report.latency().p99());
        }
    }

    @ParameterizedTest
    @MethodSource("memory")
    void theMonitorsThreadEvaluatesFullWindowsByItself(MonitorFixture store) throws InterruptedException {
        CountDownLatch evaluated = new CountDownLatch(1);
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/1",
                MonitorOptions.defaults().window(10).target("diagnosis").pollInterval(java.time.Duration.ofMillis(5)))) {
            monitor.addListener(new MonitorListener() {
                @Override
                public void onAlert(MonitorAlert alert) {
                }

                @Override
                public void onWindow(WindowReport report) {
                    evaluated.countDown();
                }
            });
            store.data.rows.subList(0, 10).forEach(row -> monitor.record(store.features(row, 0, 0), "benign"));
            assertTrue(evaluated.await(30, TimeUnit.SECONDS), "no window evaluated by the monitor's thread");
        }
    }

    @ParameterizedTest
    @MethodSource("memory")
    void badFeaturesAndTargetsAreNamed(MonitorFixture store) {
        InvalidInputException target = assertThrows(InvalidInputException.class, () -> ModelMonitor.forModel(
                store.tracker, "models:/breast-cancer/1", MonitorOptions.defaults().target("label")));
        assertTrue(target.getMessage().contains("'label'"), target.getMessage());
        try (ModelMonitor monitor = ModelMonitor.forModel(store.tracker, "models:/breast-cancer/1",
                MonitorOptions.defaults().target("diagnosis"))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> monitor.record(new double[3], "benign"));
            assertTrue(e.getMessage().contains("3 features where the monitor has 30"), e.getMessage());
        }
    }
}
