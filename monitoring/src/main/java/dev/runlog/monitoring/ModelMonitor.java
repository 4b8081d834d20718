package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.EventRing;
import dev.runlog.monitoring.internal.StepCdf;
import dev.runlog.monitoring.internal.Window;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Watches a served model: the serving code records each prediction (its features, its output,
 * optionally its latency) and, when it is known, the true label; a daemon thread cuts the
 * predictions into windows (a count, or a span of the options' clock) and judges each: every
 * feature's drift against what the model was trained on, the outputs' drift against the training
 * target, the label metric (accuracy by default), latency percentiles. Each window is logged to a
 * monitoring run of experiment {@code monitoring/<model>} (tagged {@code runlog.monitor.model} and
 * {@code runlog.monitor.version}) as metrics at step = window index, with a JSON drift report
 * artifact {@code drift/window-<n>.json}; listeners hear alerts.
 *
 * <pre>{@code
 * try (ModelMonitor monitor = ModelMonitor.forModel(tracker, "models:/breast-cancer/Production",
 *         MonitorOptions.defaults().target("diagnosis").metricFloor(0.9))) {
 *     monitor.addListener(alert -> log.warn(alert.message()));
 *     long id = monitor.record(features, model.predict(features));   // cheap, never blocks
 *     ...
 *     monitor.label(id, "M");                                        // when the truth is known
 * }
 * }</pre>
 *
 * <p><b>Recording is cheap on the caller</b>: a sampling draw, a copy of the features and a
 * lock-free offer into a bounded ring ({@link MonitorOptions#bufferCapacity()}); when the ring is
 * full the event is dropped and counted ({@link #dropped()}, metric {@code dropped}), never waited
 * for. Everything else happens on the monitor's thread, or on a thread calling {@link #flush()}.
 *
 * <p><b>Windows</b> of a count close at exactly that many recorded predictions; timed windows close
 * at the first event or poll at or after their end. A label counts in the window it arrives in,
 * whatever window its prediction was in.
 *
 * <p>Thread-safe. {@link #close()} evaluates the last, partial window and ends the run.
 */
public final class ModelMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelMonitor.class.getName());

    private final MonitorOptions options;
    private final String model;
    private final int version;
    private final Reference reference;
    private final String notComparable;
    private final List<String> features;
    private final EventRing ring;
    private final AtomicLong ids = new AtomicLong();
    private final MonitorRun run;
    private final List<MonitorListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread evaluator;
    private final Object lock = new Object();
    private volatile boolean closed;
    // Guarded by lock: the evaluation state.
    private final Map<Object, Object> awaitingLabels;
    private Window window;
    private long windowIndex;
    private long unmatchedLabels;
    private WindowReport last;

    private record Prediction(Object id, double[] features, Object output, long latencyNanos, long millis) {
    }

    private record Label(Object id, Object truth) {
    }

    private record Latency(long nanos, long millis) {
    }

    private ModelMonitor(Tracker tracker, String model, int version, Reference reference, String notComparable,
                         MonitorOptions options) {
        this.options = options;
        this.model = model;
        this.version = version;
        this.reference = reference;
        this.notComparable = notComparable;
        this.features = features(reference, options);
        this.ring = new EventRing(options.bufferCapacity());
        int retention = options.labelRetention();
        this.awaitingLabels = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > retention;
            }
        };
        this.window = newWindow(options.clock().millis());
        this.run = MonitorRun.start(tracker, model, version, options);
        this.evaluator = new Thread(this::evaluateLoop, "runlog-monitor-" + model + "-v" + version);
        evaluator.setDaemon(true);
        evaluator.start();
    }

    /**
     * Monitors the version a {@code models:/} URI points to now ({@code models:/iris/Production},
     * {@code models:/iris@champion}, {@code models:/iris/3}), compared with the training dataset of
     * the run that logged it (its input of context {@code training}), unless the options give a
     * reference. Without either, or when that dataset's profile holds no reference (it was profiled
     * without this module), the monitor still measures labels and latency, and each window says why
     * drift was not measured ({@link WindowReport#notComparable()}).
     *
     * @throws dev.runlog.tracking.NotFoundException if the URI points to nothing
     * @throws InvalidInputException                 if the options name a target or features the
     *                                               reference lacks
     */
    public static ModelMonitor forModel(Tracker tracker, String modelsUri, MonitorOptions options) {
        InputRules.notNull("tracker", tracker);
        InputRules.notNull("modelsUri", modelsUri);
        InputRules.notNull("options", options);
        ModelVersion version = ModelRegistry.of(tracker).resolve(modelsUri);
        Reference reference = options.reference().orElse(null);
        String notComparable = null;
        if (reference == null) {
            Optional<DatasetInput> training = tracker.getRun(version.runId()).inputs().stream()
                    .filter(input -> input.context().equals("training")).findFirst();
            if (training.isEmpty()) {
                notComparable = "run " + version.runId() + " of " + version.uri() + " logged no training dataset";
            } else {
                reference = Reference.fromProfile(training.get().dataset().profile()).orElse(null);
                if (reference == null) {
                    notComparable = "the profile of training dataset '" + training.get().dataset().name()
                            + "' holds no drift reference (profiled before sketches were stored, or without the monitoring module)";
                }
            }
        }
        return new ModelMonitor(tracker, version.name(), version.version(), reference, notComparable, options);
    }

    /**
     * Monitors a model the registry does not know (version 0 in the reports), compared with this
     * reference.
     *
     * @throws InvalidInputException if the options name a target or features the reference lacks
     */
    public static ModelMonitor forReference(Tracker tracker, String modelName, Reference reference,
                                            MonitorOptions options) {
        InputRules.notNull("tracker", tracker);
        InputRules.notNull("modelName", modelName);
        InputRules.notNull("reference", reference);
        InputRules.notNull("options", options);
        return new ModelMonitor(tracker, modelName, 0, reference, null, options);
    }

    private static List<String> features(Reference reference, MonitorOptions options) {
        String target = options.target().orElse(null);
        if (reference != null && target != null && !reference.numericColumns().contains(target)
                && !reference.categoricalColumns().contains(target)) {
            throw new InvalidInputException("the reference has no column '" + target + "' to compare the outputs with");
        }
        if (options.features().isPresent()) {
            List<String> names = options.features().get();
            if (reference != null) {
                for (String name : names) {
                    if (!reference.numericColumns().contains(name)) {
                        throw new InvalidInputException("feature '" + name + "' is not a numeric column of the reference");
                    }
                }
            }
            return names;
        }
        return reference == null ? List.of()
                : reference.numericColumns().stream().filter(name -> !name.equals(target)).toList();
    }

    private Window newWindow(long startMillis) {
        return new Window(features.size(), options.windowSize(), startMillis);
    }

    // ---- recording: the caller's thread, lock-free

    /**
     * Records a prediction; returns its id, for {@link #label(long, Object)}.
     *
     * @param features the feature values, in {@link #features()} order; NaN for a missing one
     * @param output   what the model predicted: a number, or a category (compared as text)
     * @throws InvalidInputException if the features are not one per monitored feature
     */
    public long record(double[] features, Object output) {
        return record(features, output, -1);
    }

    /** As {@link #record(double[], Object)}, with the prediction's latency in nanoseconds. */
    public long record(double[] features, Object output, long latencyNanos) {
        long id = ids.incrementAndGet();
        offer(id, features, output, latencyNanos);
        return id;
    }

    /**
     * Records a prediction under the caller's own id (a request id), for {@link #label(String, Object)}.
     *
     * @param latencyNanos the latency, or a negative number for none
     */
    public void record(String predictionId, double[] features, Object output, long latencyNanos) {
        offer(InputRules.notNull("predictionId", predictionId), features, output, latencyNanos);
    }

    /**
     * Calls the model on the features, timing it, records the prediction with its latency, and
     * returns the output.
     */
    public <T> T predict(double[] features, Function<double[], T> model) {
        InputRules.notNull("model", model);
        long start = System.nanoTime();
        T output = model.apply(features);
        record(features, output, System.nanoTime() - start);
        return output;
    }

    /** Records the latency of a prediction whose features are not recorded. */
    public void recordLatency(long nanos) {
        if (nanos < 0) {
            throw new InvalidInputException("a latency is zero or more nanoseconds; got " + nanos);
        }
        ring.offer(new Latency(nanos, options.clock().millis()));
    }

    private void offer(Object id, double[] values, Object output, long latencyNanos) {
        InputRules.notNull("features", values);
        InputRules.notNull("output", output);
        if (!features.isEmpty() && values.length != features.size()) {
            throw new InvalidInputException("a prediction of " + values.length + " features where the monitor has "
                    + features.size() + ": " + features);
        }
        if (options.samplingRate() < 1 && ThreadLocalRandom.current().nextDouble() >= options.samplingRate()) {
            return;
        }
        ring.offer(new Prediction(id, values.clone(), output, latencyNanos, options.clock().millis()));
    }

    /** The true label of a prediction {@link #record(double[], Object)} returned the id of. */
    public void label(long predictionId, Object truth) {
        ring.offer(new Label(predictionId, InputRules.notNull("truth", truth)));
    }

    /** The true label of a prediction recorded under the caller's id. */
    public void label(String predictionId, Object truth) {
        ring.offer(new Label(InputRules.notNull("predictionId", predictionId), InputRules.notNull("truth", truth)));
    }

    /** Adds a listener of windows and alerts. */
    public void addListener(MonitorListener listener) {
        listeners.add(InputRules.notNull("listener", listener));
    }

    // ---- evaluation: the monitor's thread, or a caller of flush/close

    /**
     * Takes every event recorded so far and evaluates each window that is complete (a full count, or
     * a span that ended by the clock), on the calling thread; returns the reports of those windows.
     */
    public List<WindowReport> flush() {
        synchronized (lock) {
            List<WindowReport> reports = new ArrayList<>();
            ring.drain(event -> take(event, reports));
            closeIfTimeIsUp(options.clock().millis(), reports);
            return reports;
        }
    }

    /**
     * {@link #flush()}, then evaluates the current window even if it is not complete, unless nothing
     * arrived in it.
     */
    public Optional<WindowReport> closeWindow() {
        synchronized (lock) {
            flush();
            if (window.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(evaluate(options.clock().millis()));
        }
    }

    private void take(Object event, List<WindowReport> reports) {
        if (event instanceof Prediction p) {
            closeIfTimeIsUp(p.millis(), reports);
            window.add(p.features(), p.output(), p.latencyNanos());
            awaitingLabels.put(p.id(), p.output());
            if (options.windowSpan().isEmpty() && window.rows() >= options.windowSize()) {
                reports.add(evaluate(p.millis()));
            }
        } else if (event instanceof Label l) {
            Object output = awaitingLabels.remove(l.id());
            if (output == null) {
                unmatchedLabels++;
            } else {
                window.score(options.metric().score(output, l.truth()));
            }
        } else if (event instanceof Latency l) {
            closeIfTimeIsUp(l.millis(), reports);
            window.latency(l.nanos());
        }
    }

    private void closeIfTimeIsUp(long nowMillis, List<WindowReport> reports) {
        if (options.windowSpan().isEmpty()) {
            return;
        }
        long span = options.windowSpan().get().toMillis();
        long end = window.startMillis() + span;
        if (nowMillis >= end) {
            // Empty spans are skipped: the next window starts at the span the event falls in.
            long nextStart = window.startMillis() + (nowMillis - window.startMillis()) / span * span;
            if (!window.isEmpty()) {
                reports.add(evaluate(end, nextStart));
            } else {
                window = newWindow(nextStart);
            }
        }
    }

    private WindowReport evaluate(long endMillis) {
        return evaluate(endMillis, endMillis);
    }

    private WindowReport evaluate(long endMillis, long nextStartMillis) {
        Window done = window;
        window = newWindow(nextStartMillis);
        Map<String, StepCdf> currents = new LinkedHashMap<>();
        WindowReport report = WindowEvaluation.evaluate(done, model, version, windowIndex++, endMillis,
                ring.dropped(), reference, notComparable, features, options, currents);
        last = report;
        run.log(report, currents, reference, options);
        for (MonitorListener listener : listeners) {
            notify(() -> listener.onWindow(report));
        }
        for (MonitorAlert alert : WindowEvaluation.alerts(report, options)) {
            for (MonitorListener listener : listeners) {
                notify(() -> listener.onAlert(alert));
            }
        }
        return report;
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a monitor listener failed", e);
        }
    }

    private void evaluateLoop() {
        while (!closed) {
            LockSupport.parkNanos(options.pollInterval().toNanos());
            try {
                flush();
            } catch (RuntimeException e) {
                // Its events are taken already, so the window is not retried: a store failing now
                // (a StoreException) may work for the next one. Logged, and the thread goes on.
                LOG.log(System.Logger.Level.WARNING, "monitor of " + model + " v" + version + " failed to evaluate a window", e);
            }
        }
    }

    // ---- state

    /** The monitored feature names, in the order {@code record} takes their values. */
    public List<String> features() {
        return features;
    }

    /** The monitored model's name. */
    public String model() {
        return model;
    }

    /** The monitored version; 0 for a model monitored without the registry. */
    public int version() {
        return version;
    }

    /** The id of the monitoring run the windows are logged to. */
    public String runId() {
        return run.id();
    }

    /** Events dropped so far because the buffer was full. */
    public long dropped() {
        return ring.dropped();
    }

    /** Labels that matched no remembered prediction (never recorded, not sampled, or too old). */
    public long unmatchedLabels() {
        synchronized (lock) {
            return unmatchedLabels;
        }
    }

    /** The report of the last window evaluated, if any. */
    public Optional<WindowReport> lastReport() {
        synchronized (lock) {
            return Optional.ofNullable(last);
        }
    }

    /**
     * Stops the monitor's thread, evaluates what is left ({@link #closeWindow()}) and ends the
     * monitoring run. Recording afterwards is ignored. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        LockSupport.unpark(evaluator);
        try {
            evaluator.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            closeWindow();
        } finally {
            run.end();
        }
    }

    @Override
    public String toString() {
        return "ModelMonitor[" + model + " v" + version + ", run " + run.id() + "]";
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
