package dev.runlog.monitoring;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * How a {@link ModelMonitor} records and judges predictions. The defaults: windows of 1,000
 * predictions, every prediction recorded (sampling rate 1), a buffer of 65,536 events between the
 * serving threads and the evaluating one, Evidently's drift defaults ({@link DriftOptions}), a drift
 * alert as soon as any feature drifts, accuracy as the metric of labelled predictions, no metric
 * floor and no latency ceiling, the system clock, up to 100 windows kept to be logged again when the
 * store fails.
 *
 * <p>Immutable: each setter returns a changed copy; accessors take no {@code get} prefix.
 *
 * <pre>{@code
 * MonitorOptions options = MonitorOptions.defaults()
 *         .window(Duration.ofMinutes(10))      // or .window(5_000) predictions
 *         .samplingRate(0.1)
 *         .target("diagnosis")                 // the training column the outputs compare with
 *         .metricFloor(0.9)
 *         .latencyCeiling(Duration.ofMillis(20));
 * }</pre>
 */
public final class MonitorOptions {
    private static final MonitorOptions DEFAULTS = new MonitorOptions(new Values());
    /** The longest window span: ten years, far beyond any monitoring window, and far from overflowing a clock. */
    static final int MAX_SPAN_DAYS = 3_650;
    /** The largest event buffer: 16 M slots, 64-128 MB of references allocated when the monitor starts. */
    public static final int MAX_BUFFER_CAPACITY = 1 << 24;

    private final Values v;

    private MonitorOptions(Values values) {
        this.v = values;
    }

    /** Every field of the options; each setter changes a clone, so no instance ever changes. */
    private static final class Values implements Cloneable {
        int windowSize = 1_000;
        Duration windowSpan;
        double samplingRate = 1;
        int bufferCapacity = 65_536;
        DriftOptions drift = DriftOptions.defaults();
        String target;
        List<String> features;
        Reference reference;
        boolean alertOnAnyFeature = true;
        double metricFloor = Double.NaN;
        double metricCeiling = Double.NaN;
        int metricAlertLabels = 1;
        Duration latencyCeiling;
        String metricName = "accuracy";
        LabelMetric metric = LabelMetric.accuracy();
        Clock clock = Clock.systemUTC();
        Duration pollInterval = Duration.ofMillis(100);
        int labelRetention = 100_000;
        int pendingWindows = 100;

        Values copy() {
            try {
                return (Values) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private interface Change {
        void apply(Values values);
    }

    private MonitorOptions with(Change change) {
        Values copy = v.copy();
        change.apply(copy);
        return new MonitorOptions(copy);
    }

    /** The defaults the class comment lists. */
    public static MonitorOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy closing a window after this many recorded predictions (sampled ones only).
     *
     * @throws InvalidInputException if predictions is below 1
     */
    public MonitorOptions window(int predictions) {
        if (predictions < 1) {
            throw new InvalidInputException("a window holds at least 1 prediction; got " + predictions);
        }
        return with(c -> {
            c.windowSize = predictions;
            c.windowSpan = null;
        });
    }

    /**
     * A copy closing a window every span of time (by the options' clock) instead of after a count.
     *
     * @throws InvalidInputException if the span is shorter than 1 millisecond or longer than
     *                               3,650 days (ten years)
     */
    public MonitorOptions window(Duration span) {
        InputRules.notNull("span", span);
        if (span.compareTo(Duration.ofDays(MAX_SPAN_DAYS)) > 0) {
            throw new InvalidInputException("a window spans at most " + MAX_SPAN_DAYS + " days; got " + span);
        }
        if (span.toMillis() < 1) {
            throw new InvalidInputException("a window spans at least 1 ms; got " + span);
        }
        return with(c -> c.windowSpan = span);
    }

    /**
     * A copy recording this fraction of predictions, chosen at random; the others cost one random
     * draw. Labels of predictions left out are ignored.
     *
     * @throws InvalidInputException if the rate is not in (0, 1]
     */
    public MonitorOptions samplingRate(double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new InvalidInputException("the sampling rate is in (0, 1]; got " + rate);
        }
        return with(c -> c.samplingRate = rate);
    }

    /**
     * A copy whose buffer between the recording threads and the evaluating thread holds this many
     * events (predictions, labels, latencies); when it is full, events are dropped and counted.
     *
     * @throws InvalidInputException if capacity is below 2 or above {@value #MAX_BUFFER_CAPACITY}
     */
    public MonitorOptions bufferCapacity(int capacity) {
        // The ring is allocated whole when the monitor starts: Integer.MAX_VALUE was an OutOfMemoryError there.
        if (capacity < 2 || capacity > MAX_BUFFER_CAPACITY) {
            throw new InvalidInputException("the buffer holds 2 to " + MAX_BUFFER_CAPACITY + " events; got " + capacity);
        }
        return with(c -> c.bufferCapacity = capacity);
    }

    /** A copy judging drift with these options. */
    public MonitorOptions drift(DriftOptions options) {
        InputRules.notNull("options", options);
        return with(c -> c.drift = options);
    }

    /**
     * A copy comparing the model's outputs with this column of the reference (prediction drift).
     *
     * @throws InvalidInputException if {@code column} is null or blank
     */
    public MonitorOptions target(String column) {
        InputRules.notNull("column", column);
        if (column.isBlank()) {
            throw new InvalidInputException("target column must not be blank");
        }
        return with(c -> c.target = column);
    }

    /**
     * A copy naming the features, numeric or categorical, in the order {@code record} receives
     * them; by default every column of the reference but the target: its numeric columns, then its
     * categorical ones, each in schema order.
     *
     * @throws InvalidInputException if a name is null or named twice (a row has one value per name, and
     *                               two features of one name would be logged under one metric key)
     */
    public MonitorOptions features(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : InputRules.notNull("names", names)) {
            if (name == null) {
                throw new InvalidInputException("the feature names " + names + " hold null");
            }
            if (!seen.add(name)) {
                throw new InvalidInputException("feature '" + name + "' is named twice in " + names);
            }
        }
        List<String> copy = List.copyOf(names);
        return with(c -> c.features = copy);
    }

    /** A copy comparing with this reference instead of the training dataset of the monitored version. */
    public MonitorOptions reference(Reference reference) {
        InputRules.notNull("reference", reference);
        return with(c -> c.reference = reference);
    }

    /**
     * A copy raising the drift alert when any feature drifts ({@code true}, the default) or only when
     * the dataset drifts by {@link DriftOptions#driftShare()} ({@code false}).
     */
    public MonitorOptions alertOnAnyFeature(boolean any) {
        return with(c -> c.alertOnAnyFeature = any);
    }

    /**
     * A copy raising an alert when a window's metric of labelled predictions is under this floor.
     *
     * @throws InvalidInputException if the floor is NaN or infinite
     */
    public MonitorOptions metricFloor(double floor) {
        if (!Double.isFinite(floor)) {
            throw new InvalidInputException("the metric floor is a finite number; got " + floor);
        }
        return with(c -> c.metricFloor = floor);
    }

    /**
     * A copy raising an alert when a window's metric of labelled predictions is above this ceiling:
     * for a metric where lower is better, an error such as {@code .metric("mae", ...)}.
     *
     * @throws InvalidInputException if the ceiling is NaN or infinite
     */
    public MonitorOptions metricCeiling(double ceiling) {
        if (!Double.isFinite(ceiling)) {
            throw new InvalidInputException("the metric ceiling is a finite number; got " + ceiling);
        }
        return with(c -> c.metricCeiling = ceiling);
    }

    /**
     * A copy in which the floor and ceiling of the label metric alert only on a window with at
     * least this many labels (1 by default): a window that closes with a handful, such as the last
     * one at {@code close()} holding labels of predictions from the window before, judges little.
     *
     * @throws InvalidInputException if {@code labels} is under 1
     */
    public MonitorOptions metricAlertLabels(int labels) {
        if (labels < 1) {
            throw new InvalidInputException("a metric alert needs at least 1 label; got " + labels);
        }
        return with(c -> c.metricAlertLabels = labels);
    }

    /**
     * A copy raising an alert when a window's 95th percentile of latency is above this ceiling.
     *
     * @throws InvalidInputException if the ceiling is not positive
     */
    public MonitorOptions latencyCeiling(Duration ceiling) {
        if (InputRules.notNull("ceiling", ceiling).isNegative() || ceiling.isZero()) {
            throw new InvalidInputException("the latency ceiling is positive; got " + ceiling);
        }
        return with(c -> c.latencyCeiling = ceiling);
    }

    /**
     * A copy scoring labelled predictions with this metric, logged under this name: the window's
     * value is the mean of the scores of the labels that arrived in it.
     *
     * @throws InvalidInputException if the name is not a valid metric key segment (letters, digits,
     *                               {@code _ - .})
     */
    public MonitorOptions metric(String name, LabelMetric metric) {
        InputRules.notNull("name", name);
        InputRules.notNull("metric", metric);
        if (!name.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new InvalidInputException("metric name '" + name + "' is not 1 to 100 letters, digits, '_', '-' or '.'");
        }
        return with(c -> {
            c.metricName = name;
            c.metric = metric;
        });
    }

    /** A copy timing windows and stamping predictions with this clock. */
    public MonitorOptions clock(Clock clock) {
        InputRules.notNull("clock", clock);
        return with(c -> c.clock = clock);
    }

    /**
     * A copy whose evaluating thread looks at the buffer at this interval.
     *
     * @throws InvalidInputException if the interval is under 1 ms
     */
    public MonitorOptions pollInterval(Duration interval) {
        if (InputRules.notNull("interval", interval).toMillis() < 1) {
            throw new InvalidInputException("the poll interval is at least 1 ms; got " + interval);
        }
        return with(c -> c.pollInterval = interval);
    }

    /**
     * A copy remembering the outputs of this many recent predictions for their labels; a label
     * arriving for an older one is ignored (and counted as unmatched).
     *
     * @throws InvalidInputException if predictions is below 1
     */
    public MonitorOptions labelRetention(int predictions) {
        if (predictions < 1) {
            throw new InvalidInputException("label retention is at least 1 prediction; got " + predictions);
        }
        return with(c -> c.labelRetention = predictions);
    }

    /**
     * A copy keeping at most this many windows whose logging failed (the store threw), to log them
     * again at the next window, {@code flush()} or {@code close()}; when one more fails, the oldest
     * is given up, counted (metric {@code dropped_windows}) and reported to the listeners
     * ({@link MonitorAlert.Kind#WINDOW_DROPPED}).
     *
     * @throws InvalidInputException if windows is below 1
     */
    public MonitorOptions pendingWindows(int windows) {
        if (windows < 1) {
            throw new InvalidInputException("at least 1 pending window is kept; got " + windows);
        }
        return with(c -> c.pendingWindows = windows);
    }

    /** Predictions per window; the window is timed instead when {@link #windowSpan()} is set. */
    public int windowSize() {
        return v.windowSize;
    }

    /** The time a window spans, when windows are timed rather than counted. */
    public Optional<Duration> windowSpan() {
        return Optional.ofNullable(v.windowSpan);
    }

    /** The fraction of predictions recorded. */
    public double samplingRate() {
        return v.samplingRate;
    }

    /** Events the buffer holds. */
    public int bufferCapacity() {
        return v.bufferCapacity;
    }

    /** How drift is judged. */
    public DriftOptions drift() {
        return v.drift;
    }

    /** The reference column the outputs compare with; empty for no prediction drift. */
    public Optional<String> target() {
        return Optional.ofNullable(v.target);
    }

    /** The feature names in record order; empty for every column of the reference but the target. */
    public Optional<List<String>> features() {
        return Optional.ofNullable(v.features);
    }

    /** The reference given explicitly; empty to use the training dataset of the monitored version. */
    public Optional<Reference> reference() {
        return Optional.ofNullable(v.reference);
    }

    /** Whether any drifted feature raises the drift alert (else only dataset drift does). */
    public boolean alertOnAnyFeature() {
        return v.alertOnAnyFeature;
    }

    /** The floor of the label metric; empty for none. */
    public OptionalDouble metricFloor() {
        return Double.isNaN(v.metricFloor) ? OptionalDouble.empty() : OptionalDouble.of(v.metricFloor);
    }

    /** The ceiling of the label metric (for a metric where lower is better); empty for none. */
    public OptionalDouble metricCeiling() {
        return Double.isNaN(v.metricCeiling) ? OptionalDouble.empty() : OptionalDouble.of(v.metricCeiling);
    }

    /** The fewest labels a window needs for the metric's floor or ceiling to alert. */
    public int metricAlertLabels() {
        return v.metricAlertLabels;
    }

    /** The ceiling of the 95th latency percentile; empty for none. */
    public Optional<Duration> latencyCeiling() {
        return Optional.ofNullable(v.latencyCeiling);
    }

    /** The name the label metric is logged under: {@code accuracy} by default. */
    public String metricName() {
        return v.metricName;
    }

    /** How each labelled prediction is scored. */
    public LabelMetric metric() {
        return v.metric;
    }

    /** The clock of windows and timestamps. */
    public Clock clock() {
        return v.clock;
    }

    /** How often the evaluating thread looks at the buffer. */
    public Duration pollInterval() {
        return v.pollInterval;
    }

    /** How many windows that failed to be logged are kept to be logged again. */
    public int pendingWindows() {
        return v.pendingWindows;
    }

    /** How many recent predictions wait for their labels. */
    public int labelRetention() {
        return v.labelRetention;
    }
}
