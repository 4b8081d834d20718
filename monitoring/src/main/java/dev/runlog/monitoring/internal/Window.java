package dev.runlog.monitoring.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The predictions of one window, column by column: one growing array per feature, the outputs, the
 * latencies, and the label scores that arrived. Used by one thread at a time (the evaluation lock).
 */
public final class Window {
    private final int featureCount;
    private double[][] columns;
    private final List<Object> outputs = new ArrayList<>();
    private long[] latencies = new long[16];
    private int latencyCount;
    private int rows;
    private long labelled;
    private double scoreSum;
    private final long startMillis;

    public Window(int featureCount, int expectedRows, long startMillis) {
        this.featureCount = featureCount;
        this.columns = new double[featureCount][Math.max(16, Math.min(expectedRows, 1 << 16))];
        this.startMillis = startMillis;
    }

    /** Adds a prediction: features (as many as the monitor's features, or ignored when it has none), output, latency (negative for none). */
    public void add(double[] features, Object output, long latencyNanos) {
        if (featureCount > 0) {
            if (rows == columns[0].length) {
                for (int i = 0; i < featureCount; i++) {
                    columns[i] = Arrays.copyOf(columns[i], rows * 2);
                }
            }
            for (int i = 0; i < featureCount; i++) {
                columns[i][rows] = features[i];
            }
        }
        if (output != null) {
            outputs.add(output);
        }
        if (latencyNanos >= 0) {
            latency(latencyNanos);
        }
        rows++;
    }

    /** Adds a latency measured without a prediction's features. */
    public void latency(long nanos) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
        }
        latencies[latencyCount++] = nanos;
    }

    /** Adds a labelled prediction's score. */
    public void score(double score) {
        labelled++;
        scoreSum += score;
    }

    public int rows() {
        return rows;
    }

    /** Whether nothing at all arrived in the window. */
    public boolean isEmpty() {
        return rows == 0 && latencyCount == 0 && labelled == 0;
    }

    public long startMillis() {
        return startMillis;
    }

    /** The values of feature {@code i}, one per prediction. */
    public double[] column(int i) {
        return Arrays.copyOf(columns[i], rows);
    }

    public List<Object> outputs() {
        return outputs;
    }

    public long labelled() {
        return labelled;
    }

    /** The mean score of the labels; NaN when none arrived. */
    public double meanScore() {
        return labelled == 0 ? Double.NaN : scoreSum / labelled;
    }

    public int latencyCount() {
        return latencyCount;
    }

    /** Nearest-rank percentiles of the latencies, in milliseconds; NaN when there are none. */
    public double[] latencyPercentilesMillis(double... percentiles) {
        double[] result = new double[percentiles.length];
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        for (int i = 0; i < percentiles.length; i++) {
            if (latencyCount == 0) {
                result[i] = Double.NaN;
            } else {
                int rank = (int) Math.ceil(percentiles[i] / 100 * latencyCount);
                result[i] = sorted[Math.max(0, rank - 1)] / 1e6;
            }
        }
        return result;
    }
}
