package dev.runlog.monitoring;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a {@link ModelMonitor} found in one window of predictions; also logged as metrics of the
 * monitoring run at step {@link #window()}, and as the JSON artifact
 * {@code drift/window-000000.json} (the window index, zero-padded).
 *
 * @param model           the registered model's name
 * @param version         the monitored version; 0 for a model monitored without the registry
 * @param window          the window's index, from 0
 * @param start           when the window opened
 * @param end             when it was evaluated
 * @param predictions     the predictions recorded in it (after sampling)
 * @param dropped         events dropped so far because the buffer was full, since the monitor started
 * @param drift           the features' drift against the reference; empty when there is no reference
 *                        to compare with (see {@link #notComparable()}) or the window had no features
 * @param predictionDrift the outputs' drift against the reference's target column; empty without a
 *                        target
 * @param labelled        labels that arrived in the window and matched a recorded prediction
 * @param metric          the mean label metric of those; empty when none arrived
 * @param latency         latency percentiles of the window's predictions
 * @param notComparable   why drift was not measured, such as a training dataset profiled before
 *                        sketches were stored; empty when it was
 */
public record WindowReport(String model, int version, long window, Instant start, Instant end, long predictions,
                           long dropped, Optional<DatasetDrift> drift, Optional<FeatureDrift> predictionDrift,
                           long labelled, OptionalDouble metric, Latency latency, Optional<String> notComparable) {
    public WindowReport {
        InputRules.notNull("model", model);
        InputRules.notNull("start", start);
        InputRules.notNull("end", end);
        InputRules.notNull("drift", drift);
        InputRules.notNull("predictionDrift", predictionDrift);
        InputRules.notNull("metric", metric);
        InputRules.notNull("latency", latency);
        InputRules.notNull("notComparable", notComparable);
    }

    /** Whether any feature drifted. */
    public boolean anyFeatureDrifted() {
        return drift.map(d -> d.driftedCount() > 0).orElse(false);
    }

    /** Whether the dataset drifted (the share of drifted features reached the options' share). */
    public boolean datasetDrifted() {
        return drift.map(DatasetDrift::drifted).orElse(false);
    }

    /**
     * Latency percentiles of a window's predictions, in milliseconds (nearest rank); NaN when no
     * prediction of the window had a latency.
     *
     * @param count predictions with a latency
     * @param p50   the median
     * @param p95   the 95th percentile
     * @param p99   the 99th percentile
     */
    public record Latency(long count, double p50, double p95, double p99) {
    }
}
