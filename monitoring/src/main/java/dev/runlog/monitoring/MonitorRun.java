package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.StepCdf;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitoring run a {@link ModelMonitor} logs its windows to: metrics at step = window index,
 * and per window the drift report {@code drift/window-<n>.json}.
 */
final class MonitorRun {
    /** The tag naming the monitored model. */
    static final String MODEL_TAG = "runlog.monitor.model";
    /** The tag naming the monitored version (0 when the registry does not know the model). */
    static final String VERSION_TAG = "runlog.monitor.version";

    private final ActiveRun run;

    private MonitorRun(ActiveRun run) {
        this.run = run;
    }

    static String experiment(String model) {
        return "monitoring/" + model;
    }

    static MonitorRun start(Tracker tracker, String model, int version, MonitorOptions options) {
        ActiveRun run = tracker.newRun(experiment(model)).name(model + "-v" + version + "-monitor")
                .tag(MODEL_TAG, model).tag(VERSION_TAG, Integer.toString(version)).start();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("window", options.windowSpan().map(Object::toString).orElse(Integer.toString(options.windowSize())));
        params.put("sampling_rate", options.samplingRate());
        params.put("drift_share", options.drift().driftShare());
        params.put("alert_on_any_feature", options.alertOnAnyFeature());
        options.target().ifPresent(target -> params.put("target", target));
        run.logParams(params);
        return new MonitorRun(run);
    }

    String id() {
        return run.id();
    }

    /** Logs a window: its metrics, then its report with the histograms of the window's values. */
    void log(WindowReport report, Map<String, StepCdf> currents, Reference reference, MonitorOptions options) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("predictions", (double) report.predictions());
        metrics.put("dropped", (double) report.dropped());
        report.drift().ifPresent(drift -> {
            metrics.put("drift.dataset", drift.drifted() ? 1.0 : 0.0);
            metrics.put("drift.count", (double) drift.driftedCount());
            metrics.put("drift.share", drift.driftedShare());
            drift.features().forEach(f -> feature("drift." + key(f.feature()), f, metrics));
        });
        report.predictionDrift().ifPresent(p -> feature("prediction_drift", p, metrics));
        if (report.metric().isPresent()) {
            metrics.put(options.metricName(), report.metric().getAsDouble());
        }
        metrics.put("labelled", (double) report.labelled());
        if (report.latency().count() > 0) {
            metrics.put("latency.p50_ms", report.latency().p50());
            metrics.put("latency.p95_ms", report.latency().p95());
            metrics.put("latency.p99_ms", report.latency().p99());
        }
        metrics.values().removeIf(v -> v.isInfinite());   // a chi-squared statistic of an unseen category
        run.logMetrics(metrics, report.window());
        run.logJson(json(report, currents, reference, options),
                String.format("drift/window-%06d.json", report.window()));
        run.flush();
    }

    private static void feature(String prefix, FeatureDrift f, Map<String, Double> metrics) {
        metrics.put(prefix, f.statistic());
        if (f.method().isTest()) {
            metrics.put(prefix + ".p_value", f.pValue());
        }
        metrics.put(prefix + ".drifted", f.drifted() ? 1.0 : 0.0);
    }

    /** A metric key segment from a column name: characters outside letters, digits and {@code _ - .} become {@code _}. */
    static String key(String name) {
        String key = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return key.isEmpty() ? "_" : key;
    }

    private static Map<String, Object> json(WindowReport report, Map<String, StepCdf> currents, Reference reference,
                                            MonitorOptions options) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", report.model());
        json.put("version", report.version());
        json.put("window", report.window());
        json.put("start", report.start().toString());
        json.put("end", report.end().toString());
        json.put("predictions", report.predictions());
        json.put("dropped", report.dropped());
        report.notComparable().ifPresent(reason -> json.put("not_comparable", reason));
        report.drift().ifPresent(drift -> {
            json.put("dataset_drift", drift.drifted());
            json.put("drifted_share", drift.driftedShare());
            List<Map<String, Object>> entries = new ArrayList<>();
            for (FeatureDrift f : drift.features()) {
                Map<String, Object> entry = entry(f);
                double[][] histogram = reference.histogram(f.feature(), currents.get(f.feature()), options.drift().bins());
                entry.put("bin_edges", histogram[0]);
                entry.put("reference_fractions", histogram[1]);
                entry.put("current_fractions", histogram[2]);
                entries.add(entry);
            }
            json.put("features", entries);
        });
        report.predictionDrift().ifPresent(p -> json.put("prediction_drift", entry(p)));
        json.put("labelled", report.labelled());
        report.metric().ifPresent(m -> json.put(options.metricName(), m));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", report.latency().count());
        latency.put("p50", finite(report.latency().p50()));
        latency.put("p95", finite(report.latency().p95()));
        latency.put("p99", finite(report.latency().p99()));
        json.put("latency_ms", latency);
        return json;
    }

    private static Map<String, Object> entry(FeatureDrift f) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("feature", f.feature());
        entry.put("method", f.method().name());
        entry.put("statistic", finite(f.statistic()));
        if (f.method().isTest()) {
            entry.put("p_value", f.pValue());
        }
        entry.put("threshold", f.threshold());
        entry.put("drifted", f.drifted());
        return entry;
    }

    /** Standard JSON: a value that is not a finite number (no latency, an infinite statistic) is null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    void end() {
        run.close();
    }
}
