package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.InvalidInputException;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usual promotion gates. Metric gates read the latest value of a metric of the version's run.
 *
 * <pre>{@code
 * registry.promote("iris", 4, Stage.PRODUCTION,
 *         Gates.metricAtLeast("accuracy", 0.95),
 *         Gates.beatsCurrent("accuracy"),
 *         Gates.requireTag("validated", "true"));
 * }</pre>
 *
 * <p>Where a gate arrives as text (a command line, a web form), {@link #parse(String)} reads it.
 */
public final class Gates {
    /** {@code metrics.<key> <op> <number>} or {@code tags.<key> = '<value>'}; a key may be backquoted. */
    private static final Pattern EXPRESSION = Pattern.compile(
            "\\s*(?i:(metrics?|tags?))\\.(`[^`]+`|[\\w./-]+)\\s*(>=|<=|>|<|=)\\s*(.*?)\\s*");
    /** A number as the search grammar writes one: decimal, with an optional exponent (no hex, suffix or name). */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private Gates() {
    }

    /** A gate's text as a message quotes it: at most 100 characters, so a refusal stays one readable line. */
    private static String shown(String text) {
        return text.length() <= 100 ? text : text.substring(0, 97) + "...";
    }

    /**
     * Reads a gate written as text, in the search grammar's terms:
     * {@code metrics.accuracy >= 0.9}, {@code metrics.loss < 0.2} ({@code >=}, {@code <=},
     * {@code >}, {@code <}), or {@code tags.validated = 'true'} (quoted with {@code '} or
     * {@code "}, a quote inside written twice or after a backslash). {@code metric.} and {@code tag.},
     * in any letter case, work too; a number is decimal, as {@code 0.9} or {@code 1e-3}. A key
     * holding spaces or other characters is backquoted:
     * {@code metrics.`val loss` <= 0.3}. The gate's name in its result is the expression as
     * written, normalised.
     *
     * @throws InvalidInputException if the text is none of these, naming what was expected
     */
    public static Gate parse(String expression) {
        InputRules.notNull("gate expression", expression);
        Matcher m = EXPRESSION.matcher(expression);
        if (!m.matches()) {
            throw new InvalidInputException("gate '" + shown(expression) + "' is not of the form 'metrics.<key> >= <number>'"
                    + " (or <=, >, <) or \"tags.<key> = '<value>'\"");
        }
        String key = m.group(2).startsWith("`") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        String op = m.group(3);
        String operand = m.group(4);
        if (m.group(1).toLowerCase(java.util.Locale.ROOT).startsWith("tag")) {
            if (!op.equals("=")) {
                throw new InvalidInputException("gate '" + shown(expression) + "': a tag gate compares with '=', not '" + op + "'");
            }
            return requireTag(key, unquote(expression, operand));
        }
        if (op.equals("=")) {
            // "=>" reads as '=' then an operand starting with '>': say what was written, and what is meant.
            String written = operand.startsWith(">") || operand.startsWith("<") ? "=" + operand.charAt(0) : "=";
            throw new InvalidInputException("gate '" + shown(expression) + "': a metric gate compares with >=, <=, > or <,"
                    + " not '" + written + "'" + (written.length() > 1 ? " (write '" + written.charAt(1) + "=')" : ""));
        }
        if (!NUMBER.matcher(operand).matches()) {
            throw new InvalidInputException("gate '" + shown(expression) + "': '" + shown(operand) + "' is not a number (write it in"
                    + " decimal, such as 0.9 or 1e-3)");
        }
        double bound = Double.parseDouble(operand);
        if (Double.isInfinite(bound)) {
            throw new InvalidInputException("gate '" + shown(expression) + "': '" + shown(operand) + "' is beyond the range of a"
                    + " double (about 1.8e308)");
        }
        return switch (op) {
            case ">=" -> threshold(key, ">=", bound, v -> v >= bound);
            case "<=" -> threshold(key, "<=", bound, v -> v <= bound);
            case ">" -> threshold(key, ">", bound, v -> v > bound);
            default -> threshold(key, "<", bound, v -> v < bound);
        };
    }

    /**
     * A quoted value as the search grammar reads one: in {@code '} or {@code "}, the quote doubled
     * or backslash-escaped inside it, and a backslash escaping a backslash.
     */
    private static String unquote(String expression, String operand) {
        char quote = operand.isEmpty() ? 0 : operand.charAt(0);
        if (operand.length() < 2 || (quote != '\'' && quote != '"') || operand.charAt(operand.length() - 1) != quote) {
            throw new InvalidInputException("gate '" + shown(expression) + "': the tag value must be quoted, as 'true'");
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < operand.length() - 1; i++) {
            char c = operand.charAt(i);
            if (c == '\\' && i + 1 < operand.length() - 1) {
                value.append(operand.charAt(++i));
            } else if (c == quote && i + 1 < operand.length() - 1 && operand.charAt(i + 1) == quote) {
                value.append(quote);
                i++;
            } else if (c == quote || c == '\\') {
                throw new InvalidInputException("gate '" + shown(expression) + "': the tag value ends at column " + (i + 1)
                        + " but text follows it; write a quote inside it twice, as 'it''s'");
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    /** Passes when the run's latest {@code key} is at least {@code min}; fails when it is lower, NaN or missing. */
    public static Gate metricAtLeast(String key, double min) {
        return threshold(key, ">=", min, v -> v >= min);
    }

    /** Passes when the run's latest {@code key} is at most {@code max}; fails when it is higher, NaN or missing. */
    public static Gate metricAtMost(String key, double max) {
        return threshold(key, "<=", max, v -> v <= max);
    }

    /** {@code passes} is written so that NaN fails: every comparison with NaN is false. */
    private static Gate threshold(String key, String symbol, double bound, DoublePredicate passes) {
        InputRules.key("metric", key);
        if (Double.isNaN(bound)) {
            // Every comparison with NaN is false: the gate could never pass, and would say so only
            // at the promotion it blocks.
            throw new InvalidInputException("the bound of the gate on metrics." + key + " is NaN; give a number");
        }
        String required = symbol + " " + format(bound);
        String name = "metrics." + key + " " + required;
        return candidate -> {
            OptionalDouble value = candidate.metric(key);
            if (value.isEmpty()) {
                return GateResult.fail(name, "no such metric", required);
            }
            double v = value.getAsDouble();
            return new GateResult(name, passes.test(v), format(v), required);
        };
    }

    /** {@link #beatsCurrent(String, Objective)} with higher values better. */
    public static Gate beatsCurrent(String key) {
        return beatsCurrent(key, Objective.MAXIMIZE);
    }

    /**
     * Reads a {@link #beatsCurrent(String, Objective)} gate written as text, as a command line or a
     * web form gives it: {@code KEY} or {@code KEY:max} (higher is better), {@code KEY:min} (lower is
     * better, for a loss).
     *
     * @throws InvalidInputException if the text ends in another {@code :SUFFIX}, or the key is not a valid metric key
     */
    public static Gate parseBeatsCurrent(String text) {
        InputRules.notNull("text", text);
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && !text.endsWith(":min") && !text.endsWith(":max")) {
            throw new InvalidInputException("'" + text + "' ends in '" + text.substring(colon)
                    + "'; write KEY, KEY:max (higher is better) or KEY:min (lower is better) for a beats-current gate");
        }
        boolean minimize = text.endsWith(":min");
        String key = minimize || text.endsWith(":max") ? text.substring(0, text.length() - 4) : text;
        return beatsCurrent(key, minimize ? Objective.MINIMIZE : Objective.MAXIMIZE);
    }

    /**
     * Passes when the run's latest {@code key} is strictly better than that of the version now in
     * the target stage, or when the stage is empty or its holder never logged {@code key}. Fails when
     * the candidate lacks the metric or does not beat the holder (a tie does not).
     */
    public static Gate beatsCurrent(String key, Objective objective) {
        InputRules.key("metric", key);
        InputRules.notNull("objective", objective);
        boolean higher = objective == Objective.MAXIMIZE;
        return candidate -> {
            String name = "metrics." + key + " beats the current " + candidate.target().lowerName() + " version";
            if (candidate.incumbent().isEmpty()) {
                return new GateResult(name, true, (candidate.version().stage() == candidate.target() ? "no other version in "
                        : "no version in ") + candidate.target(), "");
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
            if (Double.isNaN(current.getAsDouble()) && !Double.isNaN(value.getAsDouble())) {
                // No figure to beat, as with none at all: a NaN blocked every challenger for good.
                return new GateResult(name, true, format(value.getAsDouble()),
                        "version " + holder + "'s " + key + " is NaN");
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
        InputRules.text("gate description", InputRules.notNull("description", description));
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
