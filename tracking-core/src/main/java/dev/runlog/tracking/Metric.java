package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.io.Serializable;
import java.util.Comparator;

/**
 * One point of a metric series: a value at a step, with the wall-clock time it was logged.
 *
 * <p>Values are any {@code double}: NaN, +Infinity and −Infinity are stored and read back exactly.
 * Within a key, the <em>latest</em> point is the one with the largest step, then the largest
 * timestamp, then the largest value (MLflow's rule, so a tie is decided the same way in every
 * store).
 *
 * @param key       the metric name, such as {@code "loss"} or {@code "val/accuracy"}
 * @param value     the value
 * @param step      the training step or epoch the value belongs to; 0 when not given
 * @param timestamp when it was logged, in milliseconds since the epoch
 */
public record Metric(String key, double value, long step, long timestamp) {
    /**
     * The order of a metric's history: by step, then timestamp, then value ({@link Double#compare},
     * so NaN comes last). The latest point of a key is the greatest in this order.
     */
    public static final Comparator<Metric> HISTORY_ORDER = (Comparator<Metric> & Serializable) Metric::compareInHistory;

    public Metric {
        InputRules.notNull("key", key);
    }

    // Written out, not chained from Comparator's combinators: these run for every point written, and
    // the chain's lambdas cost a new JVM some 10 ms to link on a store's first read.
    private static int compareInHistory(Metric a, Metric b) {
        int order = Long.compare(a.step, b.step);
        if (order == 0) {
            order = Long.compare(a.timestamp, b.timestamp);
        }
        return order != 0 ? order : Double.compare(a.value, b.value);
    }

    /** Whether this point comes after {@code other} in the latest-value order described above. */
    public boolean isLaterThan(Metric other) {
        return HISTORY_ORDER.compare(this, other) > 0;
    }
}
