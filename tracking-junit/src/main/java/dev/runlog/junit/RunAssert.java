package dev.runlog.junit;

import dev.runlog.junit.internal.Describe;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/**
 * Fluent assertions on a {@link Run}, from {@link RunlogAssertions#assertThat(Run)}. Each check
 * returns this object, so checks chain; the first that does not hold throws an
 * {@link AssertionFailedError} saying what was expected and what the run did have, such as
 *
 * <pre>
 * expected run 'vivid-wren-629' (3f2a...) to have param lr = 0.1, but lr = 0.01; params were {epochs=10, lr=0.01}
 * </pre>
 *
 * <p>Where one value was compared with another, the error carries both as its expected and actual
 * values, so IDEs offer a diff.
 *
 * <pre>{@code
 * Run run = tracker.run("iris", r -> trainer.train(r));
 * assertThat(run)
 *         .hasStatus(RunStatus.FINISHED)
 *         .hasParam("lr", 0.1)
 *         .hasMetricAtLeast("accuracy", 0.9)
 *         .hasInput("iris", "training")
 *         .hasMetricDecreasing(tracker, "loss");
 * }</pre>
 *
 * <p>Checks on params, tags, latest metric values, status and inputs read the run snapshot given
 * to {@code assertThat}; read the run again ({@link Tracker#getRun}) to see later changes. Checks
 * on a metric's whole history take the {@link Tracker} to read it from, and see the points the
 * tracker has stored: end or {@linkplain dev.runlog.tracking.ActiveRun#flush() flush} the run first.
 */
public final class RunAssert {
    private final Run run;

    RunAssert(Run run) {
        this.run = run;
    }

    /**
     * Checks that the run has the param {@code key} with the value {@code expected}, compared as
     * {@link String#valueOf(Object)}, the form {@code logParam} stores: {@code hasParam("lr", 0.1)}
     * matches a param logged as {@code 0.1} or {@code "0.1"}.
     */
    public RunAssert hasParam(String key, Object expected) {
        InputRules.notNull("key", key);
        String wanted = String.valueOf(expected);
        Map<String, String> params = run.data().params();
        String actual = params.get(key);
        if (actual == null) {
            throw new AssertionFailedError(expectation("have param " + key + " = " + wanted)
                    + ", but it has no param " + key + "; params were " + Describe.map(params));
        }
        if (!actual.equals(wanted)) {
            throw new AssertionFailedError(expectation("have param " + key + " = " + wanted)
                    + ", but " + key + " = " + actual + "; params were " + Describe.map(params), wanted, actual);
        }
        return this;
    }

    /** Checks that the run has the param {@code key}, whatever its value. */
    public RunAssert hasParam(String key) {
        InputRules.notNull("key", key);
        Map<String, String> params = run.data().params();
        if (!params.containsKey(key)) {
            throw new AssertionFailedError(expectation("have param " + key)
                    + ", but it has no param " + key + "; params were " + Describe.map(params));
        }
        return this;
    }

    /**
     * Checks that the run has the tag {@code key} set to {@code expected}. A failure lists the
     * run's own tags; Runlog's {@code runlog.*} system tags are counted, and listed only when
     * {@code key} is one of them.
     */
    public RunAssert hasTag(String key, String expected) {
        InputRules.notNull("key", key);
        InputRules.notNull("expected", expected);
        Map<String, String> tags = run.data().tags();
        String actual = tags.get(key);
        if (actual == null) {
            throw new AssertionFailedError(expectation("have tag " + key + " = " + expected)
                    + ", but it has no tag " + key + "; tags were " + Describe.tags(tags, key));
        }
        if (!actual.equals(expected)) {
            throw new AssertionFailedError(expectation("have tag " + key + " = " + expected)
                    + ", but " + key + " = " + actual + "; tags were " + Describe.tags(tags, key), expected, actual);
        }
        return this;
    }

    /** Checks that the run logged at least one point of the metric {@code key}. */
    public RunAssert hasMetric(String key) {
        latest(key, "have metric " + key);
        return this;
    }

    /**
     * Checks that the latest value of the metric {@code key} is within {@code tolerance} of
     * {@code expected}: {@code |actual - expected| <= tolerance}. NaN matches only NaN, and an
     * infinity only the same infinity.
     *
     * @throws dev.runlog.tracking.InvalidInputException if {@code tolerance} is negative, infinite
     *         or NaN (an infinite one would accept any finite value, and then any infinity too)
     */
    public RunAssert hasMetric(String key, double expected, double tolerance) {
        if (!(tolerance >= 0) || tolerance == Double.POSITIVE_INFINITY) {
            throw new dev.runlog.tracking.InvalidInputException("tolerance must be a finite number, zero or more, got "
                    + tolerance);
        }
        String expectation = "have metric " + key + " = " + expected + " ± " + tolerance;
        Metric latest = latest(key, expectation);
        double actual = latest.value();
        boolean holds = Double.compare(actual, expected) == 0 || Math.abs(actual - expected) <= tolerance;
        if (!holds) {
            throw new AssertionFailedError(metricFailure(expectation, latest), expected, actual);
        }
        return this;
    }

    /** Checks that the latest value of the metric {@code key} is {@code min} or more (NaN never is). */
    public RunAssert hasMetricAtLeast(String key, double min) {
        String expectation = "have metric " + key + " >= " + min;
        Metric latest = latest(key, expectation);
        if (!(latest.value() >= min)) {
            throw new AssertionFailedError(metricFailure(expectation, latest));
        }
        return this;
    }

    /** Checks that the latest value of the metric {@code key} is {@code max} or less (NaN never is). */
    public RunAssert hasMetricAtMost(String key, double max) {
        String expectation = "have metric " + key + " <= " + max;
        Metric latest = latest(key, expectation);
        if (!(latest.value() <= max)) {
            throw new AssertionFailedError(metricFailure(expectation, latest));
        }
        return this;
    }

    /** Checks the run's status, such as {@link RunStatus#FINISHED} or {@link RunStatus#FAILED}. */
    public RunAssert hasStatus(RunStatus expected) {
        InputRules.notNull("expected", expected);
        RunStatus actual = run.info().status();
        if (actual != expected) {
            throw new AssertionFailedError(expectation("have status " + expected) + ", but it has status " + actual,
                    expected, actual);
        }
        return this;
    }

    /** Checks that the run logged a dataset named {@code datasetName} as an input, in any role. */
    public RunAssert hasInput(String datasetName) {
        InputRules.notNull("datasetName", datasetName);
        return hasInput(datasetName, null, "have input dataset " + datasetName);
    }

    /**
     * Checks that the run logged a dataset named {@code datasetName} as an input in the role
     * {@code context}, such as {@code "training"}.
     */
    public RunAssert hasInput(String datasetName, String context) {
        InputRules.notNull("datasetName", datasetName);
        InputRules.notNull("context", context);
        return hasInput(datasetName, context, "have input dataset " + datasetName + " (" + context + ")");
    }

    private RunAssert hasInput(String datasetName, String context, String expectation) {
        List<DatasetInput> inputs = run.inputs();
        boolean found = inputs.stream().anyMatch(input -> input.dataset().name().equals(datasetName)
                && (context == null || input.context().equals(context)));
        if (!found) {
            throw new AssertionFailedError(expectation(expectation) + ", but "
                    + (inputs.isEmpty() ? "it has no inputs" : "its inputs were " + Describe.inputs(inputs)));
        }
        return this;
    }

    /**
     * Checks that {@code tracker} holds exactly {@code points} points of the metric {@code key}
     * for this run: that a training loop logged once per epoch, say.
     *
     * @throws dev.runlog.tracking.InvalidInputException if {@code points} is negative
     */
    public RunAssert hasMetricHistorySize(Tracker tracker, String key, int points) {
        if (points < 0) {
            throw new dev.runlog.tracking.InvalidInputException("points must be zero or more, got " + points);
        }
        List<Metric> history = history(tracker, key);
        if (history.size() != points) {
            String had = history.isEmpty()
                    ? "it has none; metrics were " + Describe.map(run.data().metrics())
                    : "it has " + history.size() + ": " + Describe.series(history);
            throw new AssertionFailedError("expected " + Describe.run(run) + " to have " + points + " point"
                    + (points == 1 ? "" : "s") + " of metric " + key + ", but " + had, points, history.size());
        }
        return this;
    }

    /**
     * Checks that the metric {@code key}, as {@code tracker} holds it for this run, has at least
     * two points and goes strictly down from each point to the next, in step order: a loss that
     * falls every epoch. Two points of one step and one millisecond fail it, since the order they
     * were logged in is not kept (stores keep such points in value order): log them with steps.
     */
    public RunAssert hasMetricDecreasing(Tracker tracker, String key) {
        return monotonic(tracker, key, -1, "decrease", "rose");
    }

    /**
     * Checks that the metric {@code key}, as {@code tracker} holds it for this run, has at least
     * two points and goes strictly up from each point to the next, in step order: an accuracy
     * that improves every epoch.
     */
    public RunAssert hasMetricIncreasing(Tracker tracker, String key) {
        return monotonic(tracker, key, 1, "increase", "fell");
    }

    private RunAssert monotonic(Tracker tracker, String key, int direction, String verb, String wrongWay) {
        List<Metric> history = history(tracker, key);
        String expectation = "expected metric " + key + " of " + Describe.run(run) + " to " + verb
                + " from each point to the next";
        if (history.isEmpty()) {
            throw new AssertionFailedError(expectation + ", but it has no points; metrics were "
                    + Describe.map(run.data().metrics()));
        }
        if (history.size() == 1) {
            throw new AssertionFailedError(expectation + ", but it has only one point: " + Describe.series(history));
        }
        for (int i = 1; i < history.size(); i++) {
            Metric before = history.get(i - 1);
            Metric after = history.get(i);
            if (before.step() == after.step() && before.timestamp() == after.timestamp()) {
                // Points of one step and millisecond are kept in value order, not the order logged
                // (as every store keeps them): judged so, a falling loss passed as increasing.
                throw new AssertionFailedError(expectation + ", but " + Describe.point(before) + " and "
                        + Describe.point(after) + " share step " + before.step() + " and timestamp " + before.timestamp()
                        + ", so the order they were logged in is not recorded: log them with a step each"
                        + " (logMetric(key, value, step)); points were " + Describe.series(history));
            }
            boolean holds = direction < 0 ? after.value() < before.value() : after.value() > before.value();
            if (!holds) {
                String change = after.value() == before.value() ? "stayed at " + before.value() + " from step "
                        + before.step() + " to step " + after.step()
                        : (Double.isNaN(before.value()) || Double.isNaN(after.value()) ? "went" : wrongWay)
                        + " from " + Describe.point(before) + " to " + Describe.point(after);
                throw new AssertionFailedError(expectation + ", but it " + change + "; points were "
                        + Describe.series(history));
            }
        }
        return this;
    }

    private List<Metric> history(Tracker tracker, String key) {
        InputRules.notNull("tracker", tracker);
        InputRules.notNull("key", key);
        try {
            return tracker.metricHistory(run.info().id(), key);
        } catch (NotFoundException e) {
            throw new AssertionFailedError("expected the tracker given to hold " + Describe.run(run)
                    + ", but its store has no such run: pass the tracker the run was logged with (" + e.getMessage() + ")");
        }
    }

    private Metric latest(String key, String expectation) {
        InputRules.notNull("key", key);
        Metric latest = run.data().latestMetrics().get(key);
        if (latest == null) {
            throw new AssertionFailedError(expectation(expectation) + ", but it has no metric " + key
                    + "; metrics were " + Describe.map(run.data().metrics()));
        }
        return latest;
    }

    private String metricFailure(String expectation, Metric latest) {
        return expectation(expectation) + ", but " + latest.key() + " = " + latest.value() + " (latest, step "
                + latest.step() + "); metrics were " + Describe.map(run.data().metrics());
    }

    private String expectation(String what) {
        return "expected " + Describe.run(run) + " to " + what;
    }
}
