package dev.runlog.monitoring;

import dev.runlog.tracking.spi.InputRules;

/**
 * A window that crossed a line the {@link MonitorOptions} drew.
 *
 * @param kind    which line
 * @param message what crossed it, such as {@code "3 of 30 features drifted: mean_radius, ..."}
 * @param report  the window
 */
public record MonitorAlert(Kind kind, String message, WindowReport report) {
    public MonitorAlert {
        InputRules.notNull("kind", kind);
        InputRules.notNull("message", message);
        InputRules.notNull("report", report);
    }

    /** The lines a window can cross. */
    public enum Kind {
        /** Features drifted: any of them, or the dataset, as {@link MonitorOptions#alertOnAnyFeature()} says. */
        DRIFT,
        /** The model's outputs drifted from the reference's target column. */
        PREDICTION_DRIFT,
        /** The label metric fell under {@link MonitorOptions#metricFloor()}. */
        METRIC_BELOW_FLOOR,
        /** The label metric rose above {@link MonitorOptions#metricCeiling()} (a metric where lower is better). */
        METRIC_ABOVE_CEILING,
        /** The 95th latency percentile rose above {@link MonitorOptions#latencyCeiling()}. */
        LATENCY_ABOVE_CEILING,
        /**
         * The window could not be logged (the store kept failing while more windows than
         * {@link MonitorOptions#pendingWindows()} waited, or the monitor closed) and is given up;
         * the report is the window's, the message says why.
         */
        WINDOW_DROPPED
    }
}
