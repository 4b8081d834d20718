package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.EventRing;
import dev.runlog.monitoring.internal.StepCdf;
import dev.runlog.monitoring.internal.Window;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.spi.RegistryNames;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.StoreException;
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
 * artifact {@code drift/window-000000.json} (the window index, zero-padded); listeners hear alerts.
 *
 * <pre>{@code
 * try (ModelMonitor monitor = ModelMonitor.forModel(tracker, "models:/breast-cancer/Production",
 *         MonitorOptions.defaults().target("diagnosis").metricFloor(0.9))) {
 *     monitor.addListener(alert -> log.warn(alert.message()));
 *     long id = monitor.record(features, model.predict(features));   // double[]: cheap, never blocks
 *     ...
 *     monitor.label(id, "M");                                        // when the truth is known
 * }
 * }</pre>
 *
 * A row with categorical features is recorded as objects, in the reference's column order
 * ({@code monitor.record(new Object[] {34.0, "north"}, "yes")}), or by name with
 * {@code record(Map, ...)}.
 *
 * <p><b>Recording is cheap on the caller</b>: a sampling draw, a check and a copy of the features
 * and a lock-free offer into a bounded ring ({@link MonitorOptions#bufferCapacity()}); when the ring
 * is full the event is dropped and counted ({@link #dropped()}, metric {@code dropped}), never
 * waited for. Everything else happens on the monitor's thread, or on a thread calling {@link #flush()}.
 *
 * <p><b>Windows</b> of a count close at exactly that many recorded predictions; timed windows close
 * at the first event or poll at or after their end. A label counts in the window it arrives in,
 * whatever window its prediction was in.
 *
 * <p><b>Promotions are followed</b>: a monitor of a stage, an alias or {@code latest} looks again at
 * what the URI points to at each poll of its thread ({@link MonitorOptions#pollInterval()}), at each
 * {@link #flush()}, {@link #closeWindow()} and {@link #close()}, and at once when the store reports a
 * registry change (PostgreSQL). When it points
 * to another version, the window in progress is closed and logged for the old version, whose run
 * ends; the next windows are judged against the new version's training data and logged to a run of
 * its own, from window 0. A monitor of a version number, or of a reference, never moves.
 *
 * <p><b>A window the store fails to log is kept</b> (up to {@link MonitorOptions#pendingWindows()})
 * and logged again at the next window, flush or close; {@link #flush()}, {@link #closeWindow()} and
 * {@link #close()} throw the store's failure to their caller. A window given up raises
 * {@link MonitorAlert.Kind#WINDOW_DROPPED} and is counted ({@link #droppedWindows()}, metric
 * {@code dropped_windows}).
 *
 * <p>Thread-safe. {@link #close()} evaluates the last, partial window and ends the run.
 */
public final class ModelMonitor implements AutoCloseable {
    /**
     * The latency to give {@code record} for a prediction whose latency was not measured; any other
     * negative latency (an end and a start swapped) is refused, not taken for "none".
     */
    public static final long NO_LATENCY = -1;
    private static final System.Logger LOG = System.getLogger(ModelMonitor.class.getName());

    private final Tracker tracker;
    private final MonitorOptions options;
    private final String model;
    /** The stage, alias or latest URI to follow; null for a fixed version or a reference. */
    private final Following following;
    private final RegistryStore.Subscription subscription;
    private volatile MonitorSubject subject;
    private final EventRing ring;
    private final AtomicLong ids = new AtomicLong();
    private final List<MonitorListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread evaluator;
    private final Object lock = new Object();
    private volatile boolean closed;
    // Guarded by lock: the evaluation state.
    private final Map<Object, Object> awaitingLabels;
    private final WindowLog log;
    private Window window;
    private long windowIndex;
    private long unmatchedLabels;
    private WindowReport last;
    private boolean failureLogged;

    /** {@code served}: the version the followed deployment served when it was recorded; null without one. */
    private record Prediction(Object id, Object features, Object output, long latencyNanos, long millis, ModelVersion served) {
    }

    private record Label(Object id, Object truth) {
    }

    private record Latency(long nanos, long millis) {
    }

    private ModelMonitor(Tracker tracker, String model, MonitorSubject subject, Following following, MonitorOptions options) {
        this.tracker = tracker;
        this.following = following;
        this.options = options;
        this.model = model;
        this.subject = subject;
        this.ring = new EventRing(options.bufferCapacity());
        int retention = options.labelRetention();
        this.awaitingLabels = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > retention;
            }
        };
        this.log = new WindowLog(options.pendingWindows(), this::windowGivenUp);
        this.window = newWindow(options.clock().millis());
        subject.run().started();   // a store that fails now fails the call that builds the monitor
        // The store's change feed wakes the thread at once: it looks at the followed URI at every poll.
        this.subscription = !following.followsRegistry() ? null
                : RegistryStore.of(tracker).subscribe(() -> LockSupport.unpark(evaluatorThread()));
        this.evaluator = new Thread(this::evaluateLoop, "runlog-monitor-" + model + "-v" + subject.version());
        evaluator.setDaemon(true);
        evaluator.start();
    }

    private Thread evaluatorThread() {
        return evaluator;
    }

    /**
     * Monitors the version a {@code models:/} URI points to ({@code models:/iris/Production},
     * {@code models:/iris@champion}, {@code models:/iris/3}), compared with the training dataset of
     * the run that logged it (its input of context {@code training}), unless the options give a
     * reference. Without either, or when that dataset's profile holds no reference (it was profiled
     * without this module), the monitor still measures labels and latency, and each window says why
     * drift was not measured ({@link WindowReport#notComparable()}). A stage, an alias or
     * {@code latest} is followed when it moves to another version (see the class comment); a
     * version number is not.
     *
     * @throws dev.runlog.tracking.NotFoundException if the URI points to nothing
     * @throws InvalidInputException                 if the options name a target or features the
     *                                               reference lacks
     */
    public static ModelMonitor forModel(Tracker tracker, String modelsUri, MonitorOptions options) {
        InputRules.notNull("tracker", tracker);
        InputRules.notNull("modelsUri", modelsUri);
        InputRules.notNull("options", options);
        ModelRegistry registry = ModelRegistry.of(tracker);
        ModelVersion version = registry.resolve(modelsUri);
        String ref = modelsUri.substring(modelsUri.lastIndexOf('/') + 1);
        boolean fixed = !modelsUri.substring("models:/".length()).contains("@")
                && ref.chars().allMatch(c -> c >= '0' && c <= '9');
        return new ModelMonitor(tracker, version.name(), MonitorSubject.of(tracker, version, options),
                fixed ? Following.nothing() : Following.registry(tracker, options, modelsUri, registry), options);
    }

    /**
     * Monitors what a deployment serves, as {@link #forModel} monitors what its URI points to, but
     * following the deployment rather than the registry: each prediction counts for the version
     * the deployment served when it was recorded. A monitor of the same stage moves when the
     * registry does, up to a poll interval before the deployment swaps (its own poll, 1 s by
     * default), and also to a version the deployment failed to load and never served.
     *
     * <pre>{@code
     * try (DeployedModel<Classifier> served = registry.deploy("iris", Stage.PRODUCTION, Classifier.class);
     *      ModelMonitor monitor = ModelMonitor.forDeployment(tracker, served, MonitorOptions.defaults().target("species"))) {
     *     monitor.record(features, served.get().predict(features));
     * }
     * }</pre>
     *
     * @throws InvalidInputException as {@link #forModel} does
     */
    public static ModelMonitor forDeployment(Tracker tracker, DeployedModel<?> deployed, MonitorOptions options) {
        InputRules.notNull("tracker", tracker);
        InputRules.notNull("deployed", deployed);
        InputRules.notNull("options", options);
        ModelVersion version = deployed.version();
        return new ModelMonitor(tracker, version.name(), MonitorSubject.of(tracker, version, options),
                Following.deployment(tracker, options, deployed), options);
    }

    /**
     * Monitors a model the registry does not know (version 0 in the reports), compared with this
     * reference.
     *
     * @throws InvalidInputException if the options name a target or features the reference lacks, or
     *                               the name breaks the registry's rules for model names (see
     *                               {@link RegistryNames#model}): its runs are found by that name
     */
    public static ModelMonitor forReference(Tracker tracker, String modelName, Reference reference,
                                            MonitorOptions options) {
        InputRules.notNull("tracker", tracker);
        RegistryNames.model(modelName);
        InputRules.notNull("reference", reference);
        InputRules.notNull("options", options);
        return new ModelMonitor(tracker, modelName, MonitorSubject.of(tracker, modelName, reference, options),
                Following.nothing(), options);
    }

    private Window newWindow(long startMillis) {
        return new Window(subject.layout(), options.windowSize(), startMillis);
    }

    // ---- recording: the caller's thread, lock-free

    /**
     * Records a prediction of numeric features; returns its id, for {@link #label(long, Object)}.
     *
     * @param features the feature values, in {@link #features()} order; NaN for a missing one
     * @param output   what the model predicted: a number, or a category (compared as text)
     * @throws InvalidInputException if the features are not one per monitored feature, or one is
     *                               infinite, or the monitor has categorical features (record those
     *                               with {@link #record(Object[], Object)})
     */
    public long record(double[] features, Object output) {
        return record(features, output, NO_LATENCY);
    }

    /**
     * As {@link #record(double[], Object)}, with the prediction's latency in nanoseconds.
     *
     * @throws InvalidInputException also if the latency is negative and not {@link #NO_LATENCY}
     */
    public long record(double[] features, Object output, long latencyNanos) {
        long id = ids.incrementAndGet();
        offer(id, features, output, latencyNanos);
        return id;
    }

    /**
     * Records a prediction under the caller's own id (a request id), for {@link #label(String, Object)}.
     *
     * @param latencyNanos the latency, or {@link #NO_LATENCY}
     * @throws InvalidInputException also if the latency is negative and not {@link #NO_LATENCY}
     */
    public void record(String predictionId, double[] features, Object output, long latencyNanos) {
        offer(InputRules.notNull("predictionId", predictionId), features, output, latencyNanos);
    }

    /**
     * Records a prediction of numeric and categorical features; returns its id.
     *
     * @param features one value per feature, in {@link #features()} order: for a numeric feature a
     *                 {@link Number}, for a categorical one a {@link String} or any other object
     *                 that is not a number (compared by its {@code toString()}, as the reference's
     *                 categories are text); null (or NaN) for a missing one
     * @throws InvalidInputException naming the feature, if the values are not one per feature, or a
     *                               number is given for a categorical feature or a non-number for
     *                               a numeric one, or a number is infinite (as a double)
     */
    public long record(Object[] features, Object output) {
        return record(features, output, NO_LATENCY);
    }

    /** As {@link #record(Object[], Object)}, with the prediction's latency in nanoseconds ({@link #NO_LATENCY} for none). */
    public long record(Object[] features, Object output, long latencyNanos) {
        InputRules.notNull("features", features);
        return offerRow(subject.layout().row(features), output, latencyNanos);
    }

    /**
     * Records a prediction whose features are given by name, as {@link #record(Object[], Object)}
     * takes their values; a feature not named is missing. Returns its id.
     *
     * @throws InvalidInputException naming the feature, if a name is not a monitored feature or a
     *                               value is of the wrong kind
     */
    public long record(Map<String, ?> features, Object output) {
        return record(features, output, NO_LATENCY);
    }

    /** As {@link #record(Map, Object)}, with the prediction's latency in nanoseconds ({@link #NO_LATENCY} for none). */
    public long record(Map<String, ?> features, Object output, long latencyNanos) {
        InputRules.notNull("features", features);
        return offerRow(subject.layout().row(features), output, latencyNanos);
    }

    /** Numbers a mixed row already checked and copied, and offers it to the ring if sampled. */
    private long offerRow(Object[] row, Object output, long latencyNanos) {
        RecordChecks.output(output, subject.reference(), options);
        RecordChecks.latency(latencyNanos);
        long id = ids.incrementAndGet();
        if (sampled()) {
            ring.offer(new Prediction(id, row, output, latencyNanos, options.clock().millis(), served()));
        }
        return id;
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
        RecordChecks.output(output, subject.reference(), options);
        RecordChecks.latency(latencyNanos);
        subject.layout().checkNumeric(values);
        if (sampled()) {
            ring.offer(new Prediction(id, values.clone(), output, latencyNanos, options.clock().millis(), served()));
        }
    }

    private ModelVersion served() {
        return following.servedNow();
    }

    private boolean sampled() {
        return options.samplingRate() >= 1 || ThreadLocalRandom.current().nextDouble() < options.samplingRate();
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
     * Follows a promotion if there was one, takes every event recorded so far and evaluates each
     * window that is complete (a full count, or a span that ended by the clock), on the calling
     * thread, then logs every window not logged yet; returns the reports of the windows evaluated.
     * After {@link #close()}, does nothing and returns none.
     *
     * @throws StoreException if windows could not be logged (the store failed): they are kept and
     *                        logged again at the next window, flush or close (see
     *                        {@link #unloggedWindows()})
     */
    public List<WindowReport> flush() {
        synchronized (lock) {
            if (closed) {
                return List.of(); // what was recorded after close is ignored, as close says
            }
            List<WindowReport> reports = new ArrayList<>();
            follow(reports);
            take(reports);
            throwIfUnlogged(log.write());
            return reports;
        }
    }

    /**
     * {@link #flush()}, then evaluates the current window even if it is not complete, unless nothing
     * arrived in it. After {@link #close()}, does nothing.
     *
     * @throws StoreException as {@link #flush()} does
     */
    public Optional<WindowReport> closeWindow() {
        synchronized (lock) {
            if (closed) {
                return Optional.empty();
            }
            List<WindowReport> reports = new ArrayList<>();
            follow(reports);
            take(reports);
            Optional<WindowReport> report = window.isEmpty() ? Optional.empty() : Optional.of(evaluate(options.clock().millis()));
            throwIfUnlogged(log.write());
            return report;
        }
    }

    private void take(List<WindowReport> reports) {
        ring.drain(event -> take(event, reports));
        closeIfTimeIsUp(options.clock().millis(), reports);
    }

    private void throwIfUnlogged(StoreException failure) {
        if (failure != null) {
            throw new StoreException("the monitor of " + model + " could not log " + log.unlogged().size()
                    + " window(s); they are kept and logged again at the next window, flush or close: "
                    + failure.getMessage(), failure);
        }
    }

    /**
     * Moves to the version the followed URI points to, if it moved: the window in progress is
     * closed for the old version and its run ended (both through the log, so a failing store delays
     * them but loses nothing). A registry that cannot be read now is tried again at the next look.
     */
    private void follow(List<WindowReport> reports) {
        MonitorSubject next = following.lookAgain(subject, model);
        if (next != null) {
            // What the monitor took before this look was served by the old version; what still waits in
            // the buffer is taken for the new one (either could be off by the time between two looks,
            // as a DeployedModel's swap is: forDeployment is exact).
            moveTo(next, reports, options.clock().millis());
        }
    }

    /**
     * Closes the window in progress for the version monitored now, ends its run (both through the
     * log, so a failing store delays them but loses nothing) and starts monitoring {@code next}, its
     * first window starting at {@code atMillis}: now, or the first prediction the new version served.
     */
    private void moveTo(MonitorSubject next, List<WindowReport> reports, long atMillis) {
        MonitorSubject now = subject;
        if (!window.isEmpty()) {
            reports.add(evaluate(atMillis));
        }
        log.end(now.run());
        subject = next;
        windowIndex = 0;
        window = newWindow(atMillis);
        // The old version's predictions can no longer be scored: its run has ended. A label for one
        // counted in the new version's accuracy before; now it is unmatched, as a stale one is.
        awaitingLabels.clear();
        LOG.log(System.Logger.Level.INFO, "monitor of " + following.describe() + " moved from v"
                + now.version() + " to v" + next.version());
        try {
            next.run().started();
        } catch (StoreException e) {
            // Started with the first window logged instead.
        }
    }

    private void take(Object event, List<WindowReport> reports) {
        if (event instanceof Prediction p) {
            MonitorSubject next = following.served(subject, p.served());
            if (next != null) {
                moveTo(next, reports, p.millis());
            }
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
        // A clock set back since the window opened: the window ends as it starts, never before.
        long end = Math.max(endMillis, window.startMillis());
        return evaluate(end, end);
    }

    /** Judges the window, queues its logging (written by the caller's log.write()) and tells the listeners. */
    private WindowReport evaluate(long endMillis, long nextStartMillis) {
        Window done = window;
        window = newWindow(nextStartMillis);
        MonitorSubject s = subject;
        Map<String, StepCdf> currents = new LinkedHashMap<>();
        Map<String, List<String>> categories = new LinkedHashMap<>();
        WindowReport report = WindowEvaluation.evaluate(done, model, s.version(), windowIndex++, endMillis,
                ring.dropped(), s.reference(), s.notComparable(), options, currents, categories);
        last = report;
        log.add(s.run().prepare(report, currents, categories, s.reference(), log.dropped()));
        for (MonitorListener listener : listeners) {
            notify(() -> listener.onWindow(report));
        }
        for (MonitorAlert alert : WindowEvaluation.alerts(report, options)) {
            alert(alert);
        }
        return report;
    }

    private void alert(MonitorAlert alert) {
        for (MonitorListener listener : listeners) {
            notify(() -> listener.onAlert(alert));
        }
    }

    private void windowGivenUp(WindowReport report, String why) {
        LOG.log(System.Logger.Level.WARNING, "monitor of " + model + " gave up logging window " + report.window()
                + " of v" + report.version() + ": " + why);
        alert(new MonitorAlert(MonitorAlert.Kind.WINDOW_DROPPED, report.model() + " v" + report.version() + " window "
                + report.window() + " was not logged: " + why, report));
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a monitor listener failed", e);
        }
    }

    /**
     * The monitor's own polls: a promotion is looked for at each (a store that reports registry
     * changes also wakes the thread at once); pending windows are logged again when a window
     * closed, so that a store that stays down is not hammered at every poll.
     */
    private void evaluateLoop() {
        while (!closed) {
            LockSupport.parkNanos(options.pollInterval().toNanos());
            try {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    List<WindowReport> reports = new ArrayList<>();
                    follow(reports);
                    take(reports);
                    if (!reports.isEmpty()) {
                        StoreException failure = log.write();
                        if (failure != null && !failureLogged) {
                            LOG.log(System.Logger.Level.WARNING, "monitor of " + model + " could not log "
                                    + log.unlogged().size() + " window(s); they are kept and logged again later", failure);
                        }
                        failureLogged = failure != null;
                    }
                }
            } catch (RuntimeException e) {
                // A window that cannot be judged (a bug, or a listener's error escaping) must not stop the thread.
                LOG.log(System.Logger.Level.WARNING, "monitor of " + model + " failed to evaluate a window", e);
            }
        }
    }

    // ---- state

    /** The monitored feature names, in the order {@code record} takes their values (of the version monitored now). */
    public List<String> features() {
        return subject.layout().names();
    }

    /** The monitored model's name. */
    public String model() {
        return model;
    }

    /**
     * The version monitored now (it changes when a followed stage or alias moves); 0 for a model
     * monitored without the registry.
     */
    public int version() {
        return subject.version();
    }

    /**
     * The id of the monitoring run the windows of the version monitored now are logged to.
     *
     * @throws StoreException if that run could not be started yet (the store fails)
     */
    public String runId() {
        synchronized (lock) {
            return subject.run().id();
        }
    }

    /** Events dropped so far because the buffer was full. */
    public long dropped() {
        return ring.dropped();
    }

    /** Windows given up so far because they could not be logged. */
    public long droppedWindows() {
        synchronized (lock) {
            return log.dropped();
        }
    }

    /** The reports of the windows evaluated but not logged yet (the store failed), oldest first. */
    public List<WindowReport> unloggedWindows() {
        synchronized (lock) {
            return log.unlogged();
        }
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
     * Stops the monitor's thread, evaluates what is left ({@link #closeWindow()}), logs what is
     * pending and ends the monitoring run. Recording afterwards is ignored. Idempotent.
     *
     * @throws StoreException if the store failed to take windows or the end of the run: those
     *                        windows are given up ({@link MonitorAlert.Kind#WINDOW_DROPPED})
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
        if (subscription != null) {
            subscription.close();
        }
        synchronized (lock) {
            List<WindowReport> reports = new ArrayList<>();
            try {
                take(reports);   // not following a promotion now: the new version's run would end empty
                if (!window.isEmpty()) {
                    evaluate(options.clock().millis());
                }
            } finally {
                log.end(subject.run());
                StoreException failure = log.write();
                if (failure != null) {
                    int lost = log.unlogged().size();
                    log.giveUpAll("the monitor closed while the store failed: " + failure.getMessage());
                    throw new StoreException("the monitor of " + model + " closed without logging " + lost
                            + " window(s) (or ending its run): " + failure.getMessage(), failure);
                }
            }
        }
    }

    @Override
    public String toString() {
        MonitorSubject s = subject;
        String followed = following.describe();
        return "ModelMonitor[" + model + " v" + s.version() + (followed == null ? "" : ", following " + followed) + "]";
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
