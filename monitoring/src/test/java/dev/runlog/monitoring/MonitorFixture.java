package dev.runlog.monitoring;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One store (memory or SQLite) with the breast-cancer model registered: version 1, in Production,
 * whose run logged breast_cancer.csv as its training input (so its profile holds a drift reference).
 */
final class MonitorFixture {
    static final String MODEL = "breast-cancer";
    final Tracker tracker;
    final ModelRegistry registry;
    final BreastCancer data;
    final Dataset dataset;

    MonitorFixture(String uri, Path dir) throws IOException {
        this.tracker = Tracker.builder().uri(uri).shutdownHook(false).build();
        this.registry = ModelRegistry.of(tracker);
        this.data = BreastCancer.load(dir);
        this.dataset = Dataset.fromCsv(dir.resolve("breast_cancer.csv"));
        register(dataset);
    }

    /** Registers a model trained on {@code training}; returns its version, moved to Production. */
    int register(Dataset training) {
        try (ActiveRun run = tracker.startRun("breast-cancer-training")) {
            run.logInput(training, "training");
            int version = registry.register(MODEL, run.logModel("model", Map.of("w", 1.0)).uri()).version();
            registry.transition(MODEL, version, Stage.PRODUCTION);
            return version;
        }
    }

    /** The 30 numeric features of a row, the first {@code shifted} moved by {@code sds} standard deviations. */
    double[] features(List<String> row, int shifted, double sds) {
        double[] features = new double[30];
        for (int i = 0; i < 30; i++) {
            features[i] = Double.parseDouble(row.get(i))
                    + (i < shifted ? sds * dataset.profile().columns().get(data.header.get(i)).std() : 0);
        }
        return features;
    }

    /** Not AutoCloseable: JUnit would close a parameterized test's argument after each test. */
    void close() {
        tracker.close();
    }
}
