package dev.runlog.examples;

import dev.runlog.examples.ml.EpochListener;
import dev.runlog.examples.ml.Hyperparameters;
import dev.runlog.examples.ml.LabeledData;
import dev.runlog.examples.ml.LogisticClassifier;
import dev.runlog.examples.ml.LogisticRegression;
import dev.runlog.examples.ml.Splits;
import dev.runlog.monitoring.ModelMonitor;
import dev.runlog.monitoring.MonitorAlert;
import dev.runlog.monitoring.MonitorGates;
import dev.runlog.monitoring.MonitorOptions;
import dev.runlog.monitoring.WindowReport;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A served model watched by a {@link ModelMonitor}, caught drifting, and replaced: the breast
 * cancer classifier is trained at clinic A and served; each day's predictions are a window. Then
 * clinic B's requests arrive, measured by a device that reads every feature 25% larger: the monitor
 * flags feature drift, prediction drift and falling accuracy. A model retrained on clinic B's
 * labelled data runs in shadow for two days and is promoted only through the monitoring gates; the
 * Production monitor follows the promotion and judges the next day against the new version's data.
 *
 * <pre>
 * mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.runlog.examples.MonitoredServing
 * </pre>
 *
 * <p>Days are simulated with a clock the example moves, so windows close at each day's end.
 */
public final class MonitoredServing {
    public static final String MODEL_NAME = "breast-cancer-monitored";
    public static final double CLINIC_B_SCALE = 1.25;
    public static final double ACCURACY_FLOOR = 0.9;
    private static final Hyperparameters HYPERPARAMETERS = new Hyperparameters(0.1, 0.01, 200);
    private static final int PER_DAY = 100;
    private static final Instant FIRST_DAY = Instant.parse("2026-03-02T00:00:00Z");

    private MonitoredServing() {
    }

    /**
     * What happened.
     *
     * @param days       each day's report of the model in Production, in order (the last one after
     *                   the promotion, when version 2 passed the gates)
     * @param alerts     the alerts raised, in order
     * @param promotedV2 whether the retrained version passed the monitoring gates
     */
    public record Result(List<WindowReport> days, List<MonitorAlert> alerts, boolean promotedV2) {
    }

    /** A clock the simulation moves a day at a time. */
    private static final class Days extends Clock {
        private volatile Instant now = FIRST_DAY;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void nextDay() {
            now = now.plus(Duration.ofDays(1));
        }
    }

    /** Runs the story on the default store, or on the store whose URI is the first argument. */
    public static void main(String[] args) {
        try (Tracker tracker = args.length > 0 ? Tracker.open(args[0]) : Tracker.open()) {
            run(tracker, System.out);
        }
    }

    public static Result run(Tracker tracker, PrintStream out) {
        LabeledData data = LabeledData.readCsv(ExampleData.breastCancer(), "diagnosis");
        Splits.Split split = Splits.stratified(data, 0.47, 42);
        LabeledData clinicATraining = data.rows(split.train());
        List<Integer> stream = new ArrayList<>(Arrays.stream(split.validation()).boxed().toList());
        Collections.shuffle(stream, new Random(7));   // requests arrive in no particular order
        ModelRegistry registry = ModelRegistry.of(tracker);
        Days clock = new Days();
        MonitorOptions options = MonitorOptions.defaults().window(Duration.ofDays(1)).clock(clock)
                .target("diagnosis").metricFloor(ACCURACY_FLOOR);

        int v1 = train(tracker, registry, clinicATraining, "clinic_a", out);
        registry.transition(MODEL_NAME, v1, Stage.PRODUCTION);
        List<WindowReport> days = new ArrayList<>();
        List<MonitorAlert> alerts = new ArrayList<>();
        boolean promoted;
        try (DeployedModel<LogisticClassifier> served = registry.deploy(MODEL_NAME, Stage.PRODUCTION, LogisticClassifier.class);
             ModelMonitor monitor = ModelMonitor.forDeployment(tracker, served, options)) {
            monitor.addListener(alerts::add);
            out.printf("serving version %d, monitored per day against its training data (%d features)%n",
                    served.version().version(), monitor.features().size());
            for (int day = 0; day < 2; day++) {
                days.add(serve(List.of(monitor), List.of(served.get()), data, stream.subList(day * PER_DAY, (day + 1) * PER_DAY),
                        1, clock, "clinic A", out).get(0));
            }
            int before = alerts.size();
            days.add(serve(List.of(monitor), List.of(served.get()), data, stream.subList(0, PER_DAY), CLINIC_B_SCALE,
                    clock, "clinic B", out).get(0));
            alerts.subList(before, alerts.size()).forEach(alert -> out.println("  ALERT " + alert.kind() + ": " + alert.message()));

            int v2 = train(tracker, registry, scaled(clinicATraining, CLINIC_B_SCALE), "clinic_b", out);
            LogisticClassifier challenger = registry.load("models:/" + MODEL_NAME + "/" + v2, LogisticClassifier.class);
            try (ModelMonitor shadow = ModelMonitor.forModel(tracker, "models:/" + MODEL_NAME + "/" + v2, options)) {
                out.printf("version %d in shadow beside version %d on clinic B's traffic:%n", v2, v1);
                for (int day = 1; day < 3; day++) {
                    List<WindowReport> reports = serve(List.of(monitor, shadow), List.of(served.get(), challenger), data,
                            stream.subList(day * PER_DAY, Math.min((day + 1) * PER_DAY, stream.size())),
                            CLINIC_B_SCALE, clock, "clinic B", out);
                    days.add(reports.get(0));
                }
            }
            try {
                registry.promote(MODEL_NAME, v2, Stage.PRODUCTION, MonitorGates.noDrift(tracker),
                        MonitorGates.monitoredAccuracyAtLeast(tracker, ACCURACY_FLOOR));
                promoted = true;
                out.printf("version %d promoted to Production: no drift in its shadow windows, accuracy >= %.2f%n",
                        v2, ACCURACY_FLOOR);
            } catch (PromotionRejectedException e) {
                promoted = false;
                out.println("version " + v2 + " rejected: " + e.failures());
            }
            served.refresh();  // swaps now, else at the deployment's next poll
            out.printf("now serving version %d; the same monitor, of the deployment, judges it against its own"
                    + " training data from its first prediction:%n", served.version().version());
            days.add(serve(List.of(monitor), List.of(served.get()), data, stream.subList(0, PER_DAY), CLINIC_B_SCALE,
                    clock, "clinic B", out).get(0));
            out.printf("monitoring runs in experiment monitoring/%s%n", MODEL_NAME);
        }
        return new Result(days, alerts, promoted);
    }

    /** Trains on the rows, logs them as the run's training dataset (profiled with drift sketches), registers the model. */
    private static int train(Tracker tracker, ModelRegistry registry, LabeledData rows, String name, PrintStream out) {
        try (ActiveRun run = tracker.startRun("breast-cancer-monitored")) {
            run.logInput(Dataset.fromCsv(writeCsv(rows, name)), "training");
            LogisticClassifier model = LogisticRegression.fit(rows, HYPERPARAMETERS, EpochListener.NONE);
            run.logMetric("train_accuracy", model.accuracy(rows));
            int version = registry.register(MODEL_NAME, run.logModel("model", model).uri()).version();
            out.printf("version %d trained on %d rows from %s (train accuracy %.3f)%n", version, rows.size(),
                    name.replace("clinic_", "clinic ").toUpperCase(java.util.Locale.ROOT).replace("CLINIC", "clinic"),
                    model.accuracy(rows));
            return version;
        }
    }

    /**
     * One day: each model serves the day's requests, recorded by its monitor; the true diagnoses
     * arrive later in the day; at midnight each monitor's window closes. Returns each monitor's report.
     */
    private static List<WindowReport> serve(List<ModelMonitor> monitors, List<LogisticClassifier> models, LabeledData data,
                                            List<Integer> requests, double scale, Days clock, String source, PrintStream out) {
        int day = (int) Duration.between(FIRST_DAY, clock.instant()).toDays() + 1;
        for (int m = 0; m < monitors.size(); m++) {
            ModelMonitor monitor = monitors.get(m);
            LogisticClassifier model = models.get(m);
            List<Long> ids = new ArrayList<>();
            for (int row : requests) {
                double[] features = Arrays.stream(data.features()[row]).map(v -> v * scale).toArray();
                long start = System.nanoTime();
                String diagnosis = model.classNames().get(model.predictClass(features));
                ids.add(monitor.record(features, diagnosis, System.nanoTime() - start));
            }
            for (int i = 0; i < requests.size(); i++) {
                monitor.label(ids.get(i), data.className(requests.get(i)));
            }
        }
        clock.nextDay();
        List<WindowReport> reports = new ArrayList<>();
        for (ModelMonitor monitor : monitors) {
            monitor.flush();   // the day's window closes now, if the monitor's own thread did not close it first
            WindowReport report = monitor.lastReport().orElseThrow();
            reports.add(report);
            out.printf("  day %d, %s, v%d: %d predictions, %d of %d features drifted (dataset drift: %s), "
                            + "prediction drift: %s, accuracy %.3f%n",
                    day, source, report.version(), report.predictions(),
                    report.drift().orElseThrow().driftedCount(), report.drift().orElseThrow().features().size(),
                    report.datasetDrifted() ? "yes" : "no",
                    report.predictionDrift().orElseThrow().drifted() ? "yes" : "no", report.metric().orElse(Double.NaN));
        }
        return reports;
    }

    private static LabeledData scaled(LabeledData rows, double scale) {
        double[][] features = Arrays.stream(rows.features())
                .map(row -> Arrays.stream(row).map(v -> v * scale).toArray()).toArray(double[][]::new);
        return new LabeledData(rows.featureNames(), rows.classNames(), features, rows.labels());
    }

    /** The rows as a CSV file with the diagnosis last, as the training data a run logs. */
    private static Path writeCsv(LabeledData rows, String name) {
        try {
            Path dir = Files.createTempDirectory("runlog-monitored");
            // Deleted at exit in the reverse order of these calls: the file, then its directory.
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(name + ".csv");
            file.toFile().deleteOnExit();
            List<String> lines = new ArrayList<>();
            lines.add(String.join(",", rows.featureNames()) + ",diagnosis");
            for (int i = 0; i < rows.size(); i++) {
                lines.add(Arrays.stream(rows.features()[i]).mapToObj(Double::toString).collect(Collectors.joining(","))
                        + "," + rows.className(i));
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training rows", e);
        }
    }
}
