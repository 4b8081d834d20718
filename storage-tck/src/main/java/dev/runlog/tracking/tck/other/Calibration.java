package dev.runlog.tracking.tck.other;

import java.io.Serializable;

/**
 * A serializable value in a package of its own, which a java-serialized model's loader does not
 * allow unless told to: the kit puts one inside a model to check that the filter refuses it.
 */
public final class Calibration implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double scale;
    private final double offset;

    public Calibration(double scale, double offset) {
        this.scale = scale;
        this.offset = offset;
    }

    public double apply(double score) {
        return score * scale + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration other && Double.compare(scale, other.scale) == 0
                && Double.compare(offset, other.offset) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(scale) + Double.hashCode(offset);
    }

    @Override
    public String toString() {
        return "Calibration[scale=" + scale + ", offset=" + offset + "]";
    }
}
