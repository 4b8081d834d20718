package dev.runlog.monitoring;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;

/** What {@link ModelMonitor}'s record methods check on the caller's thread before a prediction is buffered. */
final class RecordChecks {
    private RecordChecks() {
    }

    static void latency(long latencyNanos) {
        if (latencyNanos < 0 && latencyNanos != ModelMonitor.NO_LATENCY) {
            throw new InvalidInputException("a latency is zero or more nanoseconds, or ModelMonitor.NO_LATENCY for"
                    + " none; got " + latencyNanos);
        }
    }

    /**
     * An output the target can be compared with: a finite number (an infinite one made the window's
     * prediction drift and error infinite), and a number for a numeric target (another output was
     * left out of the comparison without a word).
     */
    static void output(Object output, Reference reference, MonitorOptions options) {
        InputRules.notNull("output", output);
        if (output instanceof String text) {
            InputRules.unicode("the output", text);
        }
        if (output instanceof Number n && Double.isInfinite(n.doubleValue())) {
            throw new InvalidInputException("the output is " + n.doubleValue() + " (as a double); give a finite number");
        }
        if (!(output instanceof Number) && options.target().isPresent() && reference != null
                && reference.isNumeric(options.target().get())) {
            throw new InvalidInputException("the target '" + options.target().get() + "' is numeric: give the output"
                    + " as a Number, not the " + output.getClass().getSimpleName() + " '" + output + "'");
        }
    }
}
