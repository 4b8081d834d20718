package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.StepCdf;
import dev.runlog.monitoring.internal.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Judges one window of a {@link ModelMonitor} and lists the alerts its report raises. */
final class WindowEvaluation {
    private WindowEvaluation() {
    }

    /**
     * The window's report; {@code currents} receives each numeric feature's distribution in the
     * window, sorted once here for the statistics and for the report's histograms, and
     * {@code categories} each categorical feature's values.
     */
    static WindowReport evaluate(Window window, String model, int version, long index, long endMillis, long dropped,
                                 Reference reference, String notComparable, MonitorOptions options,
                                 Map<String, StepCdf> currents, Map<String, List<String>> categories) {
        Optional<DatasetDrift> drift = Optional.empty();
        Optional<FeatureDrift> predictionDrift = Optional.empty();
        List<String> features = window.layout().names();
        String nothingCompared = null;
        if (reference != null && window.rows() > 0) {
            if (features.isEmpty()) {
                // Accuracy and latency are still judged; that the inputs are not is said, not left blank.
                nothingCompared = "the reference has no feature column to compare the inputs with";
            } else {
                for (int i = 0; i < features.size(); i++) {
                    if (window.layout().isCategorical(i)) {
                        categories.put(features.get(i), window.categories(i));
                    } else {
                        currents.put(features.get(i), StepCdf.ofSorted(window.presentSorted(i)));
                    }
                }
                DatasetDrift compared = reference.compareDistributions(currents, categories, options.drift());
                // A window where no feature had a value to compare (a broken feature pipeline sending
                // only NaN) has no dataset verdict: "no drift" there would vouch for it in noDrift.
                if (compared.features().isEmpty()) {
                    nothingCompared = "no feature had a value both in this window and in the reference";
                } else {
                    drift = Optional.of(compared);
                }
            }
            if (options.target().isPresent() && !window.outputs().isEmpty()) {
                predictionDrift = outputDrift(reference, options.target().get(), window.outputs(), options);
            }
        }
        double[] latency = window.latencyPercentilesMillis(50, 95, 99);
        double score = window.meanScore();
        return new WindowReport(model, version, index, ModelMonitor.instant(window.startMillis()),
                ModelMonitor.instant(endMillis), window.rows(), dropped, drift, predictionDrift, window.labelled(),
                Double.isNaN(score) ? OptionalDouble.empty() : OptionalDouble.of(score),
                new WindowReport.Latency(window.latencyCount(), latency[0], latency[1], latency[2]),
                reference == null ? Optional.of(notComparable != null ? notComparable : "no reference")
                        : Optional.ofNullable(nothingCompared));
    }

    /** The outputs against the target column: as numbers if it is numeric, as text if categorical. */
    private static Optional<FeatureDrift> outputDrift(Reference reference, String target, List<Object> outputs,
                                                     MonitorOptions options) {
        DatasetDrift drift;
        if (reference.isNumeric(target)) {
            double[] values = outputs.stream()
                    .mapToDouble(o -> o instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
            drift = reference.compare(Map.of(target, values), Map.of(), options.drift());
        } else {
            List<String> values = outputs.stream().map(WindowEvaluation::category).toList();
            drift = reference.compare(Map.of(), Map.of(target, values), options.drift());
        }
        return drift.features().stream().findFirst();
    }

    /** A category as text: whole numbers without a fraction, so an output 1.0 matches a label "1". */
    private static String category(Object output) {
        if (output instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 1e15) {
            return Long.toString((long) n.doubleValue());
        }
        return Window.storable(output.toString());
    }

    static List<MonitorAlert> alerts(WindowReport report, MonitorOptions options) {
        List<MonitorAlert> alerts = new ArrayList<>();
        String where = report.model() + " v" + report.version() + " window " + report.window() + ": ";
        report.drift().ifPresent(drift -> {
            if (options.alertOnAnyFeature() ? drift.driftedCount() > 0 : drift.drifted()) {
                alerts.add(new MonitorAlert(MonitorAlert.Kind.DRIFT, where + drift.driftedCount() + " of "
                        + drift.features().size() + " features drifted (dataset drift: " + drift.drifted() + "): "
                        + names(drift), report));
            }
        });
        report.predictionDrift().filter(FeatureDrift::drifted).ifPresent(p -> alerts.add(new MonitorAlert(
                MonitorAlert.Kind.PREDICTION_DRIFT, where + "the outputs drifted from '" + p.feature() + "' ("
                + p.method() + " " + format(p.statistic()) + (p.method().isTest() ? ", p = " + format(p.pValue()) : "")
                + ")", report)));
        boolean enoughLabels = report.labelled() >= options.metricAlertLabels();
        if (options.metricFloor().isPresent() && report.metric().isPresent() && enoughLabels
                && report.metric().getAsDouble() < options.metricFloor().getAsDouble()) {
            alerts.add(new MonitorAlert(MonitorAlert.Kind.METRIC_BELOW_FLOOR, where + options.metricName() + " "
                    + format(report.metric().getAsDouble()) + " over " + report.labelled() + " labels, under the floor "
                    + options.metricFloor().getAsDouble(), report));
        }
        if (options.metricCeiling().isPresent() && report.metric().isPresent() && enoughLabels
                && report.metric().getAsDouble() > options.metricCeiling().getAsDouble()) {
            alerts.add(new MonitorAlert(MonitorAlert.Kind.METRIC_ABOVE_CEILING, where + options.metricName() + " "
                    + format(report.metric().getAsDouble()) + " over " + report.labelled() + " labels, above the ceiling "
                    + options.metricCeiling().getAsDouble(), report));
        }
        if (options.latencyCeiling().isPresent() && report.latency().count() > 0
                && report.latency().p95() > options.latencyCeiling().get().toNanos() / 1e6) {
            alerts.add(new MonitorAlert(MonitorAlert.Kind.LATENCY_ABOVE_CEILING, where + "p95 latency "
                    + format(report.latency().p95()) + " ms, above the ceiling of "
                    + options.latencyCeiling().get().toNanos() / 1e6 + " ms", report));
        }
        return alerts;
    }

    /** The drifted features' names, the first five, so that an alert stays one readable line. */
    private static String names(DatasetDrift drift) {
        List<String> drifted = drift.features().stream().filter(FeatureDrift::drifted).map(FeatureDrift::feature).toList();
        return String.join(", ", drifted.subList(0, Math.min(5, drifted.size())))
                + (drifted.size() > 5 ? " and " + (drifted.size() - 5) + " more" : "");
    }

    static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.4g", value);
    }
}
