package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.util.List;

/**
 * A metric's whole history as three parallel primitive arrays, in history order (step, then
 * timestamp, then value): the columnar form for plots and analysis, with no object per point.
 * A million points take 24 MB here, against about 56 MB as a {@code List<Metric>}.
 *
 * <pre>{@code
 * MetricSeries loss = tracker.metricSeries(runId, "loss");
 * for (int i = 0; i < loss.size(); i++) {
 *     plot(loss.steps()[i], loss.values()[i]);
 * }
 * }</pre>
 *
 * <p>Each call to {@link Tracker#metricSeries} returns a new instance with arrays of its own; the
 * accessors return those arrays without copying, so writing into them changes only this instance.
 */
public final class MetricSeries {
    private final String key;
    private final long[] steps;
    private final long[] timestamps;
    private final double[] values;

    /**
     * Wraps the arrays, which must have the same length and be in history order; the instance takes
     * ownership of them.
     */
    public MetricSeries(String key, long[] steps, long[] timestamps, double[] values) {
        this.key = InputRules.notNull("key", key);
        InputRules.notNull("steps", steps);
        InputRules.notNull("timestamps", timestamps);
        InputRules.notNull("values", values);
        if (steps.length != timestamps.length || steps.length != values.length) {
            throw new InvalidInputException("steps, timestamps and values differ in length: "
                    + steps.length + ", " + timestamps.length + ", " + values.length);
        }
        this.steps = steps;
        this.timestamps = timestamps;
        this.values = values;
    }

    /** A series of the given points, which must all have {@code key}, in the order given. */
    public static MetricSeries of(String key, List<Metric> points) {
        int n = InputRules.notNull("points", points).size();
        long[] steps = new long[n];
        long[] timestamps = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            Metric point = points.get(i);
            if (!point.key().equals(key)) {
                throw new InvalidInputException("point " + i + " has key '" + point.key() + "', not '" + key + "'");
            }
            steps[i] = point.step();
            timestamps[i] = point.timestamp();
            values[i] = point.value();
        }
        return new MetricSeries(key, steps, timestamps, values);
    }

    /**
     * A series of points read in any order: the arrays (of the same length) are sorted in place
     * into history order ({@link Metric#HISTORY_ORDER}), stably, so points equal in that order keep
     * the order they were given in, and then wrapped as by the constructor. For stores that read a
     * series logged out of order: it sorts indices rather than points, so a million points need
     * about 12 MB besides their arrays, where sorting {@link Metric} objects needs some 80 MB.
     *
     * <pre>{@code
     * MetricSeries series = MetricSeries.inHistoryOrder("loss", steps, timestamps, values);
     * }</pre>
     *
     * @throws InvalidInputException if an argument is null or the arrays differ in length
     */
    public static MetricSeries inHistoryOrder(String key, long[] steps, long[] timestamps, double[] values) {
        MetricSeries series = new MetricSeries(key, steps, timestamps, values);
        int n = steps.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] scratch = new int[n];
        // Bottom-up merge sort of the indices: stable, and no boxing.
        for (int width = 1; width < n; width *= 2) {
            for (int from = 0; from < n; from += 2 * width) {
                int middle = Math.min(from + width, n);
                int to = Math.min(from + 2 * width, n);
                int left = from;
                int right = middle;
                for (int k = from; k < to; k++) {
                    boolean takeLeft = right >= to
                            || (left < middle && compare(steps, timestamps, values, order[left], order[right]) <= 0);
                    scratch[k] = takeLeft ? order[left++] : order[right++];
                }
            }
            int[] swap = order;
            order = scratch;
            scratch = swap;
        }
        // Moved into place cycle by cycle, in the given arrays: a second set of arrays would be
        // another 24 bytes a point at the peak.
        boolean[] placed = new boolean[n];
        for (int start = 0; start < n; start++) {
            if (placed[start] || order[start] == start) {
                continue;
            }
            long step = steps[start];
            long timestamp = timestamps[start];
            double value = values[start];
            int at = start;
            while (order[at] != start) {
                int from = order[at];
                steps[at] = steps[from];
                timestamps[at] = timestamps[from];
                values[at] = values[from];
                placed[at] = true;
                at = from;
            }
            steps[at] = step;
            timestamps[at] = timestamp;
            values[at] = value;
            placed[at] = true;
        }
        return series;
    }

    /** {@link Metric#HISTORY_ORDER} of points {@code a} and {@code b}, read from the arrays. */
    private static int compare(long[] steps, long[] timestamps, double[] values, int a, int b) {
        int order = Long.compare(steps[a], steps[b]);
        if (order == 0) {
            order = Long.compare(timestamps[a], timestamps[b]);
        }
        return order != 0 ? order : Double.compare(values[a], values[b]);
    }

    public String key() {
        return key;
    }

    /** The number of points. */
    public int size() {
        return steps.length;
    }

    public long[] steps() {
        return steps;
    }

    /** Milliseconds since the epoch. */
    public long[] timestamps() {
        return timestamps;
    }

    public double[] values() {
        return values;
    }

    /** The point at {@code index}, as an object. */
    public Metric get(int index) {
        return new Metric(key, values[index], steps[index], timestamps[index]);
    }

    @Override
    public String toString() {
        return "MetricSeries[" + key + ", " + steps.length + " points]";
    }
}
