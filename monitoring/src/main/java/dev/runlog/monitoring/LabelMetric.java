package dev.runlog.monitoring;

import dev.runlog.tracking.spi.InputRules;

/**
 * Scores one prediction against its true label, once the label arrives; a window's value is the
 * mean of its scores. Accuracy scores 1 for a match and 0 otherwise; a regression model may score
 * the absolute error: {@code (predicted, truth) -> Math.abs(((Number) predicted).doubleValue() -
 * ((Number) truth).doubleValue())}.
 */
@FunctionalInterface
public interface LabelMetric {

    /** The score of one prediction; neither argument is null. */
    double score(Object predicted, Object truth);

    /**
     * 1 when the prediction equals the label, else 0: numbers are equal by value (so {@code 1} and
     * {@code 1.0} match), anything else by {@code equals}.
     */
    static LabelMetric accuracy() {
        return (predicted, truth) -> {
            InputRules.notNull("predicted", predicted);
            InputRules.notNull("truth", truth);
            if (predicted instanceof Number p && truth instanceof Number t) {
                return p.doubleValue() == t.doubleValue() ? 1 : 0;
            }
            return predicted.equals(truth) ? 1 : 0;
        };
    }
}
