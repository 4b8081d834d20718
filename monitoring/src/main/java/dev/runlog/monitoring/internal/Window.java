package dev.runlog.monitoring.internal;

import dev.runlog.tracking.spi.InputRules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The predictions of one window, column by column: one growing array per feature (numbers for a
 * numeric feature, text for a categorical one), the outputs, the latencies, and the label scores that
 * arrived. Used by one thread at a time (the evaluation lock).
 */
public final class Window {
    private final FeatureLayout layout;
    private final int featureCount;
    private double[][] columns;
    private String[][] categories;
    private final List<Object> outputs = new ArrayList<>();
    private long[] latencies = new long[16];
    private int latencyCount;
    private int rows;
    private long labelled;
    private double scoreSum;
    private final long startMillis;

    public Window(FeatureLayout layout, int expectedRows, long startMillis) {
        this.layout = layout;
        this.featureCount = layout.size();
        int capacity = Math.max(16, Math.min(expectedRows, 1 << 16));
        this.columns = new double[featureCount][];
        this.categories = new String[featureCount][];
        for (int i = 0; i < featureCount; i++) {
            if (layout.isCategorical(i)) {
                categories[i] = new String[capacity];
            } else {
                columns[i] = new double[capacity];
            }
        }
        this.startMillis = startMillis;
    }

    /**
     * Adds a prediction: its features (a {@code double[]} or an {@code Object[]} as the layout
     * checked them; one of another length, recorded for a layout the monitor has since left, counts
     * as all missing), output, latency (negative for none).
     */
    public void add(Object features, Object output, long latencyNanos) {
        if (featureCount > 0) {
            if (rows == capacity()) {
                grow();
            }
            if (features instanceof double[] numbers && numbers.length == featureCount) {
                for (int i = 0; i < featureCount; i++) {
                    set(i, numbers[i]);
                }
            } else if (features instanceof Object[] values && values.length == featureCount) {
                for (int i = 0; i < featureCount; i++) {
                    set(i, values[i]);
                }
            } else {
                for (int i = 0; i < featureCount; i++) {
                    set(i, null);
                }
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

    private int capacity() {
        return layout.isCategorical(0) ? categories[0].length : columns[0].length;
    }

    private void grow() {
        for (int i = 0; i < featureCount; i++) {
            if (layout.isCategorical(i)) {
                categories[i] = Arrays.copyOf(categories[i], rows * 2);
            } else {
                columns[i] = Arrays.copyOf(columns[i], rows * 2);
            }
        }
    }

    private void set(int i, double value) {
        if (layout.isCategorical(i)) {
            categories[i][rows] = Double.isNaN(value) ? null : Double.toString(value);
        } else {
            columns[i][rows] = value;
        }
    }

    /** A category is taken by its text here, off the caller's thread; a number by its double value. */
    private void set(int i, Object value) {
        if (layout.isCategorical(i)) {
            categories[i][rows] = value == null ? null : storable(value.toString());
        } else {
            columns[i][rows] = value instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    /**
     * {@code text} with each unpaired UTF-16 surrogate as U+FFFD: the text of a non-String category
     * or output is taken only after its {@code record} returned, and one no store can keep would
     * cost the whole window's report. (A String holding one is refused when recorded.)
     */
    public static String storable(String text) {
        int bad = InputRules.unpairedSurrogate(text);
        if (bad < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text);
        for (; bad >= 0; bad = InputRules.unpairedSurrogate(sb.toString())) {
            sb.setCharAt(bad, '\uFFFD');
        }
        return sb.toString();
    }

    /** Adds a latency measured without a prediction's features. */
    public void latency(long nanos) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
        }
        latencies[latencyCount++] = nanos;
    }

    /**
     * Adds a labelled prediction's score. A NaN score (a metric that cannot judge this label) is left
     * out, of the mean and of the count: added, it made the whole window's metric NaN, which hid the
     * window from the floor alert and the gates.
     */
    public void score(double score) {
        if (Double.isNaN(score)) {
            return;
        }
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

    /**
     * The values of numeric feature {@code i} that are present (not NaN), in ascending order, for a
     * window that is done: sorted in the window's own array, which is handed over as is when it
     * holds exactly those values (a full window with none missing), so that evaluating a window
     * copies nothing. Afterwards the window's column {@code i} is no longer in prediction order.
     */
    public double[] presentSorted(int i) {
        double[] column = columns[i];
        int present = 0;
        for (int r = 0; r < rows; r++) {
            double value = column[r];
            if (!Double.isNaN(value)) {
                column[present++] = value;
            }
        }
        Arrays.sort(column, 0, present);
        return present == column.length ? column : Arrays.copyOf(column, present);
    }

    /** The categories of categorical feature {@code i}, one per prediction (null for missing). */
    public List<String> categories(int i) {
        return Arrays.asList(Arrays.copyOf(categories[i], rows));
    }

    public FeatureLayout layout() {
        return layout;
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
