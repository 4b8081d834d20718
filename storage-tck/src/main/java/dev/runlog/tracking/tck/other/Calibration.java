package dev.runlog.tracking.tck.other;

import java.io.Serializable;

/**
 * A serializable value in a package of its own, which a java-serialized model's loader does not
 * allow unless told to: the kit puts one inside a model to check that the filter refuses it. A
 * record, so equal by value: a loaded copy equals the logged original.
 *
 * @param scale what {@link #apply} multiplies a score by
 * @param offset what {@link #apply} adds after scaling
 */
public record Calibration(double scale, double offset) implements Serializable {

    /**
     * Calibrates a score.
     *
     * @param score the raw score
     * @return {@code score * scale + offset}
     */
    public double apply(double score) {
        return score * scale + offset;
    }
}
