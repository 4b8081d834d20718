package dev.runlog.monitoring;

import dev.runlog.registry.Gate;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.PromotionCandidate;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Promotion gates that read what a {@link ModelMonitor} logged for the candidate version: every
 * window of every monitoring run tagged with the candidate's model and version, in experiment
 * {@code monitoring/<model>}. For a challenger served on shadow traffic before it replaces the
 * champion:
 *
 * <pre>{@code
 * registry.promote("breast-cancer", 4, Stage.PRODUCTION,
 *         MonitorGates.noDrift(tracker),
 *         MonitorGates.monitoredAccuracyAtLeast(tracker, 0.95));
 * }</pre>
 *
 * A candidate never monitored fails each of these gates ("no monitored window"). Only monitoring runs
 * started after the version was registered, and after its model last got its name, count: so a
 * version 1 of a model created again under a deleted (or renamed) model's name is not vouched for by
 * the old version 1's monitoring, and a renamed model's versions are monitored again, under the new
 * name, before these gates count them (also when two models swap names).
 * The gates read the tracker's store; they live here, not in {@code Gates}, so that the registry
 * needs no monitoring.
 */
public final class MonitorGates {
    private MonitorGates() {
    }

    /**
     * Passes when the candidate was monitored for at least one window with drift measured, and no
     * window's dataset drifted (by {@link DriftOptions#driftShare()}; metric {@code drift.dataset}).
     * The dataset verdict, rather than any single feature, since with many features some drift by
     * chance in most windows at a test's 5% level.
     */
    public static Gate noDrift(Tracker tracker) {
        InputRules.notNull("tracker", tracker);
        String name = "monitoring: no dataset drift";
        return candidate -> {
            int windows = 0;
            for (Run run : monitoringRuns(tracker, candidate)) {
                for (Metric window : tracker.metricHistory(run.info().id(), "drift.dataset")) {
                    windows++;
                    if (window.value() != 0) {
                        return GateResult.fail(name, "window " + window.step() + " of monitoring run "
                                + run.info().id() + " drifted", "no drifted window");
                    }
                }
            }
            return windows == 0 ? GateResult.fail(name, "no monitored window with drift measured", "no drifted window")
                    : new GateResult(name, true, windows + " windows without drift", "no drifted window");
        };
    }

    /** {@link #monitoredMetricAtLeast(Tracker, String, double)} of {@code accuracy}. */
    public static Gate monitoredAccuracyAtLeast(Tracker tracker, double min) {
        return monitoredMetricAtLeast(tracker, "accuracy", min);
    }

    /**
     * Passes when the candidate's label metric over every monitored window (each window weighted by
     * its labels) is at least {@code min}; fails when no label arrived.
     *
     * @throws InvalidInputException if min is NaN
     */
    public static Gate monitoredMetricAtLeast(Tracker tracker, String metric, double min) {
        return monitoredMetric(tracker, metric, min, true);
    }

    /**
     * Passes when the candidate's label metric over every monitored window (each window weighted by
     * its labels) is at most {@code max}: for a metric where lower is better, such as an error
     * logged with {@code MonitorOptions.defaults().metric("mae", ...)}; fails when no label arrived.
     *
     * @throws InvalidInputException if max is NaN
     */
    public static Gate monitoredMetricAtMost(Tracker tracker, String metric, double max) {
        return monitoredMetric(tracker, metric, max, false);
    }

    private static Gate monitoredMetric(Tracker tracker, String metric, double bound, boolean atLeast) {
        InputRules.notNull("tracker", tracker);
        InputRules.notNull("metric", metric);
        if (Double.isNaN(bound)) {
            throw new InvalidInputException("the " + (atLeast ? "minimum" : "maximum") + " of monitored " + metric
                    + " is a number; got NaN");
        }
        String required = (atLeast ? ">= " : "<= ") + bound;
        String name = "monitoring: " + metric + " " + required;
        return candidate -> {
            double sum = 0;
            long labels = 0;
            for (Run run : monitoringRuns(tracker, candidate)) {
                Map<Long, Double> labelled = new HashMap<>();
                tracker.metricHistory(run.info().id(), "labelled").forEach(m -> labelled.put(m.step(), m.value()));
                for (Metric window : tracker.metricHistory(run.info().id(), metric)) {
                    double weight = labelled.getOrDefault(window.step(), 0.0);
                    sum += window.value() * weight;
                    labels += (long) weight;
                }
            }
            if (labels == 0) {
                return GateResult.fail(name, "no labelled prediction monitored", required);
            }
            double mean = sum / labels;
            String actual = String.format(Locale.ROOT, "%.4f over %d labels", mean, labels);
            boolean passed = atLeast ? mean >= bound : mean <= bound;
            return passed ? new GateResult(name, true, actual, required) : GateResult.fail(name, actual, required);
        };
    }

    private static List<Run> monitoringRuns(Tracker tracker, PromotionCandidate candidate) {
        String experiment = MonitorRun.experiment(candidate.version().name());
        if (tracker.getExperimentByName(experiment).isEmpty()) {
            return List.of();
        }
        // Only runs started once this version existed under this name: a model deleted, or renamed
        // away, and created again under its name numbers its versions from 1 again, and the old
        // version 1's monitoring must not vouch for the new one; nor, when two models swap names, may
        // the other model's monitoring vouch for a version renamed into its name.
        long registered = candidate.version().creationTime().toEpochMilli();
        for (ModelEvent event : ModelRegistry.of(tracker).history(candidate.version().name())) {
            if (event.action() == ModelEvent.Action.MODEL_RENAMED) {
                registered = Math.max(registered, event.time().toEpochMilli());
            }
        }
        return tracker.searchRuns().experiments(experiment)
                .filter("tags.`" + MonitorRun.MODEL_TAG + "` = '" + candidate.version().name().replace("'", "''")
                        + "' AND tags.`" + MonitorRun.VERSION_TAG + "` = '" + candidate.version().version()
                        + "' AND attributes.start_time >= " + registered)
                .list();
    }
}
