package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * The usual promotion gates. Metric gates read the latest value of a metric of the version's run.
 *
 * <pre>{@code
 * registry.promote("iris", 4, Stage.PRODUCTION,
 *         Gates.metricAtLeast("accuracy", 0.95),
 *         Gates.beatsCurrent("accuracy"),
 *         Gates.requireTag("validated", "true"));
 * }</pre>
 */
public final class Gates {
    private Gates() {
    }

    /** Passes when the run's latest {@code key} is at least {@code min}; fails when it is lower, NaN or missing. */
    public static Gate metricAtLeast(String key, double min) {
        return threshold(key, ">=", min, true);
    }

    /** Passes when the run's latest {@code key} is at most {@code max}; fails when it is higher, NaN or missing. */
    public static Gate metricAtMost(String key, double max) {
        return threshold(key, "<=", max, false);
    }

    private static Gate threshold(String key, String symbol, double bound, boolean atLeast) {
        InputRules.notNull("key", key);
        String required = symbol + " " + format(bound);
        String name = "metrics." + key + " " + required;
        return candidate -> {
            OptionalDouble value = candidate.metric(key);
            if (value.isEmpty()) {
                return GateResult.fail(name, "no such metric", required);
            }
            double v = value.getAsDouble();
            // Written so that NaN fails both ways: every comparison with NaN is false.
            boolean passed = atLeast ? v >= bound : v <= bound;
            return new GateResult(name, passed, format(v), required);
        };
    }

    /** {@link #beatsCurrent(String, Objective)} with higher values better. */
    public static Gate beatsCurrent(String key) {
        return beatsCurrent(key, Objective.MAXIMIZE);
    }

    /**
     * Passes when the run's latest {@code key} is strictly better than that of the version now in
     * the target stage, or when the stage is empty or its holder never logged {@code key}. Fails when
     * the candidate lacks the metric or does not beat the holder (a tie does not).
     */
    public static Gate beatsCurrent(String key, Objective objective) {
        InputRules.notNull("key", key);
        InputRules.notNull("objective", objective);
        boolean higher = objective == Objective.MAXIMIZE;
        return candidate -> {
            String name = "metrics." + key + " beats the current " + candidate.target().lowerName() + " version";
            if (candidate.incumbent().isEmpty()) {
                return new GateResult(name, true, "no version in " + candidate.target(), "");
            }
            int holder = candidate.incumbent().get().version();
            OptionalDouble current = candidate.incumbentMetric(key);
            OptionalDouble value = candidate.metric(key);
            if (value.isEmpty()) {
                return GateResult.fail(name, "no such metric", (higher ? "> " : "< ")
                        + (current.isPresent() ? format(current.getAsDouble()) : "?") + " (version " + holder + ")");
            }
            if (current.isEmpty()) {
                return new GateResult(name, true, format(value.getAsDouble()),
                        "version " + holder + " has no " + key);
            }
            double v = value.getAsDouble();
            double c = current.getAsDouble();
            boolean beats = higher ? v > c : v < c;
            String required = (higher ? "> " : "< ") + format(c) + " (version " + holder + ")";
            return beats ? new GateResult(name, true, format(v), required) : GateResult.fail(name, format(v), required);
        };
    }

    /**
     * Passes when the version, or else its run, has tag {@code key} set to {@code value}: a
     * validation job typically tags the version, training code the run.
     */
    public static Gate requireTag(String key, String value) {
        InputRules.notNull("key", key);
        InputRules.notNull("value", value);
        String name = "tags." + key + " = '" + value + "'";
        return candidate -> {
            String actual = candidate.version().tags().get(key);
            if (!value.equals(actual)) {
                String onRun = candidate.run().data().tags().get(key);
                actual = onRun != null ? onRun : actual;
            }
            if (value.equals(actual)) {
                return new GateResult(name, true, "'" + actual + "'", "'" + value + "'");
            }
            return GateResult.fail(name, actual == null ? "no such tag" : "'" + actual + "'", "'" + value + "'");
        };
    }

    /** A gate from a predicate, named {@code description} in its result. */
    public static Gate check(String description, Predicate<PromotionCandidate> predicate) {
        InputRules.notNull("description", description);
        InputRules.notNull("predicate", predicate);
        return candidate -> predicate.test(candidate)
                ? GateResult.pass(description)
                : GateResult.fail(description, "false", "true");
    }

    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }
}
