package dev.runlog.tracking.internal;

import dev.runlog.tracking.spi.IoFailures;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

final class DefaultActiveRun implements ActiveRun {
    private final DefaultTracker tracker;
    private final String id;
    private final String experimentId;
    private final String name;
    // Set once, under this run's lock; read on the hot path without it.
    private volatile RunStatus endStatus;
    // Null unless the tracker samples system metrics; stopped (its last sample logged) before the run ends.
    private volatile SystemMetricsSampler sampler;
    /*
     * Points are buffered, so a point logged while end() runs could reach the writer after the
     * run's flush and be refused by the store, far from its caller. So end() first sets ending,
     * then waits until no logMetric that entered before is still handing its point over, then
     * flushes: each call either hands its point over in time or is refused (each side writes
     * its flag, then reads the other's; volatile and atomic accesses are totally ordered).
     */
    private volatile boolean ending;
    private final AtomicInteger logging = new AtomicInteger();

    /** @param startLogging what to log as the run starts: system metrics, the class path */
    DefaultActiveRun(DefaultTracker tracker, String id, String experimentId, String name, RunStartLogging startLogging) {
        this.tracker = tracker;
        this.id = id;
        this.experimentId = experimentId;
        this.name = name;
        this.sampler = startLogging.start(this);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String experimentId() {
        return experimentId;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ActiveRun logParam(String key, Object value) {
        checkWritable();
        InputRules.key("param", key);
        String text = InputRules.paramValue(key, value == null ? null : String.valueOf(value));
        tracker.store().logBatch(id, List.of(), Map.of(key, text), Map.of());
        return this;
    }

    @Override
    public ActiveRun logParams(Map<String, ?> params) {
        checkWritable();
        InputRules.notNull("params", params);
        Map<String, String> texts = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            InputRules.key("param", key);
            texts.put(key, InputRules.paramValue(key, value == null ? null : String.valueOf(value)));
        });
        tracker.store().logBatch(id, List.of(), texts, Map.of());
        return this;
    }

    @Override
    public ActiveRun logMetric(String key, double value) {
        return logMetric(key, value, 0);
    }

    @Override
    public ActiveRun logMetric(String key, double value, long step) {
        enterLogging();
        try {
            tracker.logMetric(id, new Metric(InputRules.key("metric", key), value, step, tracker.clock().millis()));
        } finally {
            logging.decrementAndGet();
        }
        return this;
    }

    @Override
    public ActiveRun logMetrics(Map<String, ? extends Number> metrics, long step) {
        enterLogging();
        try {
            return logMetricsEntered(metrics, step);
        } finally {
            logging.decrementAndGet();
        }
    }

    private ActiveRun logMetricsEntered(Map<String, ? extends Number> metrics, long step) {
        InputRules.notNull("metrics", metrics);
        long now = tracker.clock().millis();
        List<Metric> points = new ArrayList<>(metrics.size());
        metrics.forEach((key, value) -> {
            InputRules.key("metric", key);
            if (value == null) {
                throw new InvalidInputException("value of metric '" + key + "' must not be null");
            }
            double number = value.doubleValue();
            if (Double.isInfinite(number) && !(value instanceof Double || value instanceof Float)) {
                // A BigDecimal or BigInteger beyond a double's range: stored it would read back as infinity.
                throw new InvalidInputException("value of metric '" + key + "' is " + value
                        + ", too large for a double; metrics are doubles (at most about 1.8e308 either way)");
            }
            points.add(new Metric(key, number, step, now));
        });
        for (Metric point : points) {
            tracker.logMetric(id, point);
        }
        return this;
    }

    @Override
    public ActiveRun setTag(String key, String value) {
        checkWritable();
        InputRules.key("tag", key);
        InputRules.tagValue(key, value);
        tracker.store().logBatch(id, List.of(), Map.of(), Map.of(key, value));
        return this;
    }

    @Override
    public ActiveRun logArtifact(Path file) {
        return logArtifact(file, "");
    }

    @Override
    public ActiveRun logArtifact(Path file, String artifactDir) {
        checkWritable();
        InputRules.notNull("artifact file", file);
        String dir = ArtifactPaths.normalize(artifactDir);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("Cannot log artifact " + file + ": it is not a regular file");
        }
        checkStoredRunWritable();
        try (InputStream in = Files.newInputStream(file)) {
            tracker.runArtifacts().upload(id, ArtifactPaths.join(dir, file.getFileName().toString()), in);
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not read artifact file " + file + " for run " + id, e);
        }
        return this;
    }

    @Override
    public ActiveRun logArtifacts(Path directory, String artifactDir) {
        checkWritable();
        InputRules.notNull("artifact directory", directory);
        String dir = ArtifactPaths.normalize(artifactDir);
        checkStoredRunWritable();
        tracker.runArtifacts().uploadTree(id, directory, dir);
        return this;
    }

    @Override
    public ActiveRun logText(String text, String artifactPath) {
        // UTF-8 cannot encode a lone surrogate: getBytes would silently store '?' in its place.
        InputRules.unicode("text of artifact '" + artifactPath + "'", InputRules.notNull("text", text));
        return logBytes(text.getBytes(StandardCharsets.UTF_8), artifactPath);
    }

    @Override
    public ActiveRun logJson(Object value, String artifactPath) {
        InputRules.notNull("value", value);
        String json = Json.write(value);
        InputRules.unicode("JSON of artifact '" + artifactPath + "'", json);
        return logBytes(json.getBytes(StandardCharsets.UTF_8), artifactPath);
    }

    private ActiveRun logBytes(byte[] bytes, String artifactPath) {
        checkWritable();
        if (artifactPath != null && artifactPath.endsWith("/")) {
            throw new InvalidInputException("Artifact path '" + artifactPath + "' ends with '/', which names a"
                    + " directory; give the file's path, such as '" + artifactPath + "notes.txt'");
        }
        String path = ArtifactPaths.normalize(artifactPath);
        if (path.isEmpty()) {
            throw new InvalidInputException("artifact path '" + artifactPath + "' names the root; give a file path");
        }
        checkStoredRunWritable();
        tracker.runArtifacts().upload(id, path, new ByteArrayInputStream(bytes));
        return this;
    }

    @Override
    public ActiveRun logInput(Dataset dataset, String context) {
        checkWritable();
        tracker.store().logInputs(id, List.of(checkedInput(dataset, context)));
        return this;
    }

    /** A dataset input, once its name, digest, source, columns and context pass the rules of every stored string. */
    static DatasetInput checkedInput(Dataset dataset, String context) {
        InputRules.notNull("dataset", dataset);
        InputRules.name("dataset", dataset.name());
        if (dataset.digest().isBlank()) {
            throw new InvalidInputException("dataset '" + dataset.name() + "' has a blank digest; a digest identifies its content");
        }
        InputRules.name("dataset context", context);
        InputRules.text("digest of dataset '" + dataset.name() + "'", dataset.digest());
        InputRules.text("source of dataset '" + dataset.name() + "'", dataset.source());
        dataset.schema().forEach(column -> InputRules.text("column name of dataset '" + dataset.name() + "'", column.name()));
        return new DatasetInput(dataset, context);
    }

    @Override
    public LoggedModel logModel(String artifactPath, Object model) {
        return logModel(artifactPath, model, ModelOptions.defaults());
    }

    @Override
    public LoggedModel logModel(String artifactPath, Object model, ModelFlavor flavor) {
        return logModel(artifactPath, model, ModelOptions.defaults().flavor(InputRules.notNull("flavor", flavor)));
    }

    @Override
    public LoggedModel logModel(String artifactPath, Object model, ModelOptions options) {
        checkWritable();
        InputRules.notNull("model options", options);
        checkStoredRunWritable();
        return ModelSupport.log(tracker, id, artifactPath, model, options);
    }

    /** Artifacts are written outside the tracking store, so ask it whether the run still takes writes. */
    private void checkStoredRunWritable() {
        Run stored = tracker.getRun(id);
        if (stored.info().lifecycleStage() == LifecycleStage.DELETED) {
            throw new RunNotActiveException(id, "it is deleted");
        }
        if (!stored.info().status().isActive()) {
            throw new RunNotActiveException(id, "it has ended with status " + stored.info().status());
        }
    }

    @Override
    public ActiveRun startChildRun(String name) {
        checkWritable();
        return tracker.newRunInExperiment(experimentId).name(name).parent(id).start();
    }

    @Override
    public ActiveRun flush() {
        tracker.flush();
        return this;
    }

    @Override
    public synchronized void end(RunStatus status) {
        InputRules.notNull("status", status);
        if (status.isActive()) {
            throw new InvalidInputException("A run ends with FINISHED, FAILED or KILLED, not " + status);
        }
        checkWritable();
        stopSampler();
        drainLogging();
        try {
            tracker.flush();
            endWithoutFlush(status);
        } finally {
            reopenIfNotEnded();
        }
    }

    /** After a failed end, the run takes points again, as it did before. */
    private void reopenIfNotEnded() {
        if (endStatus == null) {
            ending = false;
        }
    }

    /** Refuses new points and waits for those being handed over (see {@link #ending}); undone if the end fails. */
    private void drainLogging() {
        ending = true;
        while (logging.get() != 0) {
            Thread.onSpinWait(); // a hand-over takes microseconds at most
        }
    }

    @Override
    public synchronized void fail(Throwable cause) {
        InputRules.notNull("cause", cause);
        checkWritable();
        stopSampler();
        drainLogging();
        try {
            tracker.flush();
            tracker.store().logBatch(id, List.of(), Map.of(), failureTags(cause));
            endWithoutFlush(RunStatus.FAILED);
        } finally {
            reopenIfNotEnded();
        }
    }

    /** The exception's class and message, each cut to fit a tag: a failure must never fail to be recorded. */
    private static Map<String, String> failureTags(Throwable cause) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(FAILURE_EXCEPTION_TAG, fitTagValue(cause.getClass().getName()));
        String message = cause.getMessage();
        if (message != null) {
            tags.put(FAILURE_MESSAGE_TAG, fitTagValue(message));
        }
        return tags;
    }

    /** Cuts {@code value} to the tag value limit, saying so, and never between the halves of a surrogate pair. */
    static String fitTagValue(String message) {
        // An exception's message is not the user's input to refuse: a lone surrogate or a NUL in it
        // becomes U+FFFD here, where a store would otherwise keep it as '?' or not at all.
        String value = message.replace('\u0000', '\uFFFD'); // nor a NUL, which no store keeps alike
        for (int i = InputRules.unpairedSurrogate(value); i >= 0; i = InputRules.unpairedSurrogate(value)) {
            value = value.substring(0, i) + '\uFFFD' + value.substring(i + 1);
        }
        if (value.length() <= InputRules.MAX_TAG_VALUE_LENGTH) {
            return value;
        }
        String marker = "... (truncated from " + value.length() + " characters)";
        int cut = InputRules.MAX_TAG_VALUE_LENGTH - marker.length();
        if (Character.isHighSurrogate(value.charAt(cut - 1))) {
            cut--;
        }
        return value.substring(0, cut) + marker;
    }

    /** For the tracker's close: refuses new points and waits for those being handed over, for good. */
    void stopTakingPoints() {
        drainLogging();
    }

    /** Ends the run without waiting for its points: for the tracker's close, which has flushed already. */
    synchronized void endWithoutFlush(RunStatus status) {
        endWithoutFlush(status, null);
    }

    /** As {@link #endWithoutFlush(RunStatus)}, first tagging the run with {@code reason} as why it was killed, when given. */
    synchronized void endWithoutFlush(RunStatus status, String reason) {
        if (endStatus != null) {
            return;
        }
        stopSampler();
        // Tagged only while it still runs: a run another process or tracker ended already keeps
        // the record of that (its endRun below is refused), not a reason that blames this close.
        if (reason != null && tracker.store().getRun(id).map(run -> run.info().status() == RunStatus.RUNNING).orElse(false)) {
            tracker.store().setTag(id, dev.runlog.tracking.Tracker.KILLED_REASON_TAG, reason);
        }
        tracker.store().endRun(id, status, tracker.clock().instant());
        endStatus = status;
        tracker.ended(this);
    }

    private void stopSampler() {
        SystemMetricsSampler running = sampler;
        if (running != null) {
            running.stop();
        }
    }

    boolean isEnded() {
        return endStatus != null;
    }

    @Override
    public synchronized void close() {
        if (endStatus == null) {
            end(RunStatus.FINISHED);
        }
    }

    /** {@link #checkWritable()} for a metric call, counted in {@link #logging} until the caller decrements it. */
    private void enterLogging() {
        logging.incrementAndGet();
        if (ending) {
            logging.decrementAndGet();
            RunStatus status = endStatus;
            throw new RunNotActiveException(id, status != null ? "it has ended with status " + status : "it is ending");
        }
        try {
            checkWritable();
        } catch (RuntimeException e) {
            logging.decrementAndGet();
            throw e;
        }
    }

    private void checkWritable() {
        RunStatus status = endStatus;
        if (status != null) {
            throw new RunNotActiveException(id, "it has ended with status " + status);
        }
        tracker.checkOpen();
    }

    @Override
    public String toString() {
        return "ActiveRun[" + id + " '" + name + "']";
    }
}
