package dev.runlog.tracking.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The points of one metric of one run, held in parallel primitive arrays: a million points cost
 * 24 MB instead of the ~56 MB a list of {@link Metric} objects would. Not thread-safe; the owning
 * store guards it.
 */
final class SeriesBuffer {
    private final String key;
    private long[] steps = new long[8];
    private long[] timestamps = new long[8];
    private double[] values = new double[8];
    private int size;
    private int latest = -1;
    // Training loops log in step order, so history usually needs no sort; remember whether it does.
    private boolean inOrder = true;

    SeriesBuffer(String key) {
        this.key = key;
    }

    void add(Metric point) {
        if (size == steps.length) {
            int capacity = size * 2;
            steps = Arrays.copyOf(steps, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        if (size > 0 && inOrder && Metric.HISTORY_ORDER.compare(point, pointAt(size - 1)) < 0) {
            inOrder = false;
        }
        steps[size] = point.step();
        timestamps[size] = point.timestamp();
        values[size] = point.value();
        if (latest < 0 || point.isLaterThan(pointAt(latest))) {
            latest = size;
        }
        size++;
    }

    Metric latest() {
        return pointAt(latest);
    }

    List<Metric> history() {
        List<Metric> points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            points.add(pointAt(i));
        }
        if (!inOrder) {
            points.sort(Metric.HISTORY_ORDER);
        }
        return Collections.unmodifiableList(points);
    }

    MetricSeries series() {
        if (inOrder) {
            return new MetricSeries(key, Arrays.copyOf(steps, size), Arrays.copyOf(timestamps, size),
                    Arrays.copyOf(values, size));
        }
        return MetricSeries.of(key, history());
    }

    private Metric pointAt(int i) {
        return new Metric(key, values[i], steps[i], timestamps[i]);
    }
}
