package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.StepCdf;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitoring run of one monitored version, to which a {@link ModelMonitor} logs its windows:
 * metrics at step = window index, and per window the drift report
 * {@code drift/window-000000.json} (the window index, zero-padded).
 * The run is started at the first call that needs it, so that a store failing when a monitor moves
 * to a new version is retried with the window's logging. Used under the monitor's lock.
 */
final class MonitorRun {
    /** The tag naming the monitored model. */
    static final String MODEL_TAG = "runlog.monitor.model";
    /** The tag naming the monitored version (0 when the registry does not know the model). */
    static final String VERSION_TAG = "runlog.monitor.version";
    /** The metrics every window may log, whatever its features: none of them may be another's key. */
    private static final List<String> BUILT_IN = List.of("predictions", "dropped", "dropped_windows", "drift.dataset",
            "drift.count", "drift.share", "labelled", "latency.p50_ms", "latency.p95_ms", "latency.p99_ms");
    /** The keys of one compared feature or of the outputs, after its prefix; {@link #feature} logs them. */
    private static final List<String> FEATURE_SUFFIXES = List.of("", ".p_value", ".drifted");
    /** The prefix of the outputs' drift against the target. */
    private static final String PREDICTION_DRIFT = "prediction_drift";

    private final Tracker tracker;
    private final String model;
    private final int version;
    private final MonitorOptions options;
    private ActiveRun run;
    private boolean ended;

    private MonitorRun(Tracker tracker, String model, int version, MonitorOptions options) {
        this.tracker = tracker;
        this.model = model;
        this.version = version;
        this.options = options;
    }

    static String experiment(String model) {
        return "monitoring/" + model;
    }

    /** The run of a version, not started yet. */
    static MonitorRun of(Tracker tracker, String model, int version, MonitorOptions options) {
        return new MonitorRun(tracker, model, version, options);
    }

    /**
     * The run, started now if it is not yet.
     *
     * @throws dev.runlog.tracking.StoreException if the store fails; a later call tries again
     */
    ActiveRun started() {
        if (run == null) {
            ActiveRun started = tracker.newRun(experiment(model)).name(model + "-v" + version + "-monitor")
                    .tag(MODEL_TAG, model).tag(VERSION_TAG, Integer.toString(version)).start();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("window", options.windowSpan().map(Object::toString).orElse(Integer.toString(options.windowSize())));
            params.put("sampling_rate", options.samplingRate());
            params.put("drift_share", options.drift().driftShare());
            params.put("alert_on_any_feature", options.alertOnAnyFeature());
            options.target().ifPresent(target -> params.put("target", target));
            started.logParams(params);
            run = started;
        }
        return run;
    }

    String id() {
        return started().id();
    }

    int version() {
        return version;
    }

    /**
     * A window's logging, made ready now (its metrics, and its report with the histograms of the
     * window's values) and written by {@link #write}, which a store failure leaves to be called again.
     */
    static final class Entry {
        final MonitorRun run;
        final WindowReport report;
        final Map<String, Double> metrics;
        final Map<String, Object> json;
        /** What {@link #write} has done: the metric points handed to the tracker, in order, and the report. */
        int pointsDone;
        boolean reportDone;

        private Entry(MonitorRun run, WindowReport report, Map<String, Double> metrics, Map<String, Object> json) {
            this.run = run;
            this.report = report;
            this.metrics = metrics;
            this.json = json;
        }
    }

    Entry prepare(WindowReport report, Map<String, StepCdf> currents, Map<String, List<String>> categories,
                  Reference reference, long droppedWindows) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("predictions", (double) report.predictions());
        metrics.put("dropped", (double) report.dropped());
        metrics.put("dropped_windows", (double) droppedWindows);
        report.drift().ifPresent(drift -> {
            metrics.put("drift.dataset", drift.drifted() ? 1.0 : 0.0);
            metrics.put("drift.count", (double) drift.driftedCount());
            metrics.put("drift.share", drift.driftedShare());
            drift.features().forEach(f -> feature(featurePrefix(f.feature()), f, metrics));
        });
        report.predictionDrift().ifPresent(p -> feature(PREDICTION_DRIFT, p, metrics));
        if (report.metric().isPresent()) {
            metrics.put(options.metricName(), report.metric().getAsDouble());
        }
        metrics.put("labelled", (double) report.labelled());
        if (report.latency().count() > 0) {
            metrics.put("latency.p50_ms", report.latency().p50());
            metrics.put("latency.p95_ms", report.latency().p95());
            metrics.put("latency.p99_ms", report.latency().p99());
        }
        // An infinite statistic (chi-squared of a category the reference never saw) is logged as it is:
        // the store keeps ±Infinity exactly, and a metric left out would look like a feature not compared.
        return new Entry(this, report, metrics, json(report, currents, categories, reference, options));
    }

    /**
     * Writes what of the entry is not written yet, each metric point and the report once, so that a
     * retry after a store failure repeats no point (the tracker's writer keeps the points it took,
     * and stores them once the store works again).
     *
     * @throws dev.runlog.tracking.StoreException if the store fails; the entry can be written again
     */
    static void write(Entry entry) {
        try {
            writeTo(entry.run.started(), entry);
        } catch (NotFoundException | ConflictException ended) {
            // The monitoring run was ended or deleted from outside (a clean-up, the UI, runlog): the
            // windows to come go to a new run of the same version, from this one on, rather than all
            // being given up until the process restarts.
            String old = entry.run.run.id();
            if (!(ended instanceof RunNotActiveException) && !(ended instanceof NotFoundException)
                    && !String.valueOf(ended.getMessage()).contains(old)) {
                writeTo(entry.run.run, entry); // another run's refused points, reported here once: not this run's
                return;
            }
            try {
                // The old run's points still buffered are refused now, not at the new run's flush,
                // where the refusal read as the new window's and gave up a window that was logged.
                entry.run.run.flush();
            } catch (ConflictException refused) {
                if (!String.valueOf(refused.getMessage()).contains(old)) {
                    throw refused;
                }
            }
            entry.run.run = null;
            entry.pointsDone = 0;
            entry.reportDone = false;
            writeTo(entry.run.started(), entry);
            System.getLogger(MonitorRun.class.getName()).log(System.Logger.Level.WARNING, "The monitoring run " + old
                    + " of " + entry.run.model + " v" + entry.run.version + " was ended or deleted elsewhere ("
                    + ended.getMessage() + "); window " + entry.report.window() + " and the next go to run "
                    + entry.run.run.id());
        }
    }

    private static void writeTo(ActiveRun run, Entry entry) {
        // Point by point: the tracker takes a batch's points one at a time, and one that reports a
        // failure of its writer is not taken, while those before it are.
        List<Map.Entry<String, Double>> points = List.copyOf(entry.metrics.entrySet());
        while (entry.pointsDone < points.size()) {
            Map.Entry<String, Double> point = points.get(entry.pointsDone);
            again(() -> run.logMetric(point.getKey(), point.getValue(), entry.report.window()));
            entry.pointsDone++;
        }
        if (!entry.reportDone) {
            again(() -> run.logJson(entry.json, String.format("drift/window-%06d.json", entry.report.window())));
            entry.reportDone = true;
        }
        again(run::flush);
    }

    /**
     * Calls a second time when the first call fails: the tracker reports a failure of its background
     * writer once, at the next call, even when the store works again by then, and that call is not
     * done; the second is, unless the store still fails.
     */
    private static void again(Runnable call) {
        try {
            call.run();
        } catch (dev.runlog.tracking.StoreException e) {
            call.run();
        }
    }

    private static void feature(String prefix, FeatureDrift f, Map<String, Double> metrics) {
        metrics.put(prefix, f.statistic());
        if (f.method().isTest()) {
            metrics.put(prefix + ".p_value", f.pValue());
        }
        metrics.put(prefix + ".drifted", f.drifted() ? 1.0 : 0.0);
    }

    /**
     * A metric key segment from a column name: characters outside letters, digits and {@code _ - .}
     * become {@code _}; letters and digits of any script stay, as metric keys take them.
     */
    static String key(String name) {
        String key = name.replaceAll("[^\\p{L}\\p{Nd}_.-]", "_");
        return key.isEmpty() ? "_" : key;
    }

    private static String featurePrefix(String feature) {
        return "drift." + key(feature);
    }

    /**
     * Checks, when a monitor is built, every metric key its windows may log: the built-in ones, each
     * feature's ({@code drift.<feature>} and its {@code .p_value} and {@code .drifted}, whichever
     * method a window's size picks), the outputs' when there is a target, and the label metric's.
     * Each must be a valid key (a long column name can make one longer than the limit), and no two
     * may be the same: the tracker keeps one value per key and step, so one would silently replace
     * the other (a column named {@code dataset} the dataset verdict; {@code a b} and {@code a_b},
     * both {@code drift.a_b}, each other). Checked here rather than when a window is logged, where
     * it could only drop the window.
     *
     * @throws InvalidInputException naming both sources of a key, or the source of an invalid one
     */
    static void checkKeys(List<String> features, MonitorOptions options) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String key : BUILT_IN) {
            claim(sources, key, "the built-in metric '" + key + "'");
        }
        options.target().ifPresent(target -> {
            for (String suffix : FEATURE_SUFFIXES) {
                claim(sources, PREDICTION_DRIFT + suffix, "the outputs' drift against target '" + target + "'");
            }
        });
        claim(sources, options.metricName(), "the label metric '" + options.metricName() + "'");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String feature : features) {
            if (!seen.add(feature)) {
                throw new InvalidInputException("feature '" + abbreviated(feature) + "' is monitored twice (the"
                        + " reference has a numeric and a categorical column of that name?); name the features"
                        + " with MonitorOptions.features(...)");
            }
            for (String suffix : FEATURE_SUFFIXES) {
                claim(sources, featurePrefix(feature) + suffix, "feature '" + abbreviated(feature) + "'");
            }
        }
    }

    private static void claim(Map<String, String> sources, String key, String source) {
        try {
            InputRules.key("metric", key);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(source + " cannot be logged: " + e.getMessage()
                    + "; rename it, or leave it out with MonitorOptions.features(...)");
        }
        String earlier = sources.putIfAbsent(key, source);
        if (earlier != null) {
            throw new InvalidInputException(earlier + " and " + source + " would both be logged as metric '" + key
                    + "' (characters other than letters, digits, '_', '-' and '.' become '_'), and one would"
                    + " replace the other; rename one, or leave a feature out with MonitorOptions.features(...)");
        }
    }

    /** A name short enough for a message: a column name may be hundreds of characters long. */
    private static String abbreviated(String name) {
        return name.length() <= 60 ? name : name.substring(0, 40) + "... (" + name.length() + " characters)";
    }

    private static Map<String, Object> json(WindowReport report, Map<String, StepCdf> currents,
                                            Map<String, List<String>> categories, Reference reference,
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
                if (categories.containsKey(f.feature())) {
                    categoryCounts(reference.frequencies(f.feature()), categories.get(f.feature()), entry);
                } else {
                    double[][] histogram = reference.histogram(f.feature(), currents.get(f.feature()), options.drift().bins());
                    entry.put("bin_edges", histogram[0]);
                    entry.put("reference_fractions", histogram[1]);
                    entry.put("current_fractions", histogram[2]);
                }
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

    /**
     * A categorical feature's histogram: the reference's categories in their order, then those only
     * the window has (each its own bucket), with each side's count.
     */
    private static void categoryCounts(Map<String, Long> reference, List<String> current, Map<String, Object> entry) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        reference.forEach((category, count) -> counts.put(category, new long[] {count, 0}));
        for (String category : current) {
            if (category != null) {
                counts.computeIfAbsent(Reference.category(category), c -> new long[2])[1]++;
            }
        }
        entry.put("categories", List.copyOf(counts.keySet()));
        entry.put("reference_counts", counts.values().stream().mapToLong(c -> c[0]).toArray());
        entry.put("current_counts", counts.values().stream().mapToLong(c -> c[1]).toArray());
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

    /**
     * Ends the run if it was started and is not ended yet.
     *
     * @throws dev.runlog.tracking.StoreException if the store fails; a later call tries again
     */
    void end() {
        if (run != null && !ended) {
            try {
                run.close();
            } catch (dev.runlog.tracking.RunNotActiveException e) {
                // Ended by a call that failed after ending it: nothing is left to do.
            }
            ended = true;
        }
    }
}
