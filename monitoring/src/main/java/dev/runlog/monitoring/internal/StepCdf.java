package dev.runlog.monitoring.internal;

import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * An empirical distribution as a right-continuous step function: distinct values in ascending order
 * and the fraction of the weight at or below each. A sample gives it exactly; a KLL sketch gives it
 * from the items it retained, each weighted by what it stands for, so every statistic below is
 * computed the same way from either, and differs between them only by the sketch's rank error.
 */
public final class StepCdf {
    private final double[] values;
    // Null for a sample whose values are all distinct, where the fraction at or below values[i] is
    // (i + 1) / count: a window of 10,000 predictions × 30 continuous features then allocates no
    // second array per feature (on a VM, touching fresh memory is much of a window's cost).
    private final double[] cumulative;
    private final long count;

    private StepCdf(double[] values, double[] cumulative, long count) {
        this.values = values;
        this.cumulative = cumulative;
        this.count = count;
    }

    /** The fraction of the weight at or below {@code values[i]}. */
    private double cumulative(int i) {
        return cumulative == null ? (double) (i + 1) / count : cumulative[i];
    }

    /** The exact distribution of a sample (NaN values must have been left out by the caller). */
    public static StepCdf ofSample(double[] sample) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted);
    }

    /**
     * As {@link #ofSample}, of a sample already in ascending order, which it may keep (it does when
     * the values are all distinct): the caller must not change it afterwards.
     */
    public static StepCdf ofSorted(double[] sorted) {
        int n = sorted.length;
        boolean distinctValues = true;
        for (int i = 1; i < n && distinctValues; i++) {
            distinctValues = sorted[i - 1] != sorted[i];
        }
        if (distinctValues) {
            return new StepCdf(sorted, null, n);
        }
        double[] values = new double[n];
        double[] cumulative = new double[n];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || values[distinct - 1] != sorted[i]) {
                values[distinct++] = sorted[i];
            }
            cumulative[distinct - 1] = (double) (i + 1) / n;
        }
        return distinct == n ? new StepCdf(values, cumulative, n)
                : new StepCdf(Arrays.copyOf(values, distinct), Arrays.copyOf(cumulative, distinct), n);
    }

    /** The distribution a sketch estimates. */
    public static StepCdf ofSketch(KllDoublesSketch sketch) {
        if (sketch.isEmpty()) {
            return new StepCdf(new double[0], new double[0], 0);
        }
        DoublesSortedView view = sketch.getSortedView();
        return collapse(view.getQuantiles(), view.getCumulativeWeights(), sketch.getN());
    }

    /** Keeps the last cumulative weight of each run of equal values. */
    private static StepCdf collapse(double[] sorted, long[] cumulativeWeights, long total) {
        int distinct = 0;
        double[] values = new double[sorted.length];
        double[] cumulative = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            if (distinct > 0 && values[distinct - 1] == sorted[i]) {
                cumulative[distinct - 1] = (double) cumulativeWeights[i] / total;
            } else {
                values[distinct] = sorted[i];
                cumulative[distinct++] = (double) cumulativeWeights[i] / total;
            }
        }
        return new StepCdf(Arrays.copyOf(values, distinct), Arrays.copyOf(cumulative, distinct), total);
    }

    /**
     * The sorted sample with this distribution, each value as often as it occurred: exact for a
     * distribution of a sample, or of a sketch that retained every item (not in estimation mode).
     */
    public double[] sample() {
        double[] sample = new double[Math.toIntExact(count)];
        int at = 0;
        for (int i = 0; i < values.length; i++) {
            int upTo = (int) Math.round(cumulative(i) * count);
            while (at < upTo) {
                sample[at++] = values[i];
            }
        }
        return sample;
    }

    /**
     * The distribution's population standard deviation, computed on its values divided by the
     * largest magnitude, so that no square overflows however large the values (a running sum of
     * squares does beyond about 1e154); NaN for an empty distribution.
     */
    public double populationStd() {
        if (values.length == 0) {
            return Double.NaN;
        }
        double scale = Math.max(Math.abs(values[0]), Math.abs(values[values.length - 1]));
        if (scale == 0) {
            return 0;
        }
        double mean = 0;
        double below = 0;
        for (int i = 0; i < values.length; i++) {
            mean += (cumulative(i) - below) * (values[i] / scale);
            below = cumulative(i);
        }
        double variance = 0;
        below = 0;
        for (int i = 0; i < values.length; i++) {
            double d = values[i] / scale - mean;
            variance += (cumulative(i) - below) * d * d;
            below = cumulative(i);
        }
        return Math.sqrt(variance) * scale;
    }

    /** How many values the distribution stands for. */
    public long count() {
        return count;
    }

    /** The fraction of values at or below {@code x} ({@code inclusive}) or strictly below it. */
    public double rank(double x, boolean inclusive) {
        int i = Arrays.binarySearch(values, x);
        if (i >= 0) {
            return inclusive ? cumulative(i) : (i == 0 ? 0 : cumulative(i - 1));
        }
        int below = -i - 2;
        return below < 0 ? 0 : cumulative(below);
    }

    /** The two-sample Kolmogorov–Smirnov statistic: the largest gap between the two step functions. */
    public static double kolmogorovSmirnov(StepCdf a, StepCdf b) {
        return walk(a, b, true);
    }

    /** The 1-D Wasserstein distance: the area between the two step functions. */
    public static double wasserstein(StepCdf a, StepCdf b) {
        return walk(a, b, false);
    }

    /**
     * One merge of the two functions' jump points in ascending order (each function's values are
     * distinct and sorted), tracking both functions' levels: the largest gap at a jump point (both
     * are right-continuous steps, so the supremum is reached at one), or the area between them.
     */
    private static double walk(StepCdf a, StepCdf b, boolean largestGap) {
        int i = 0;
        int j = 0;
        double fa = 0;
        double fb = 0;
        double previous = 0;
        double result = 0;
        while (i < a.values.length || j < b.values.length) {
            double x = j >= b.values.length || (i < a.values.length && a.values[i] <= b.values[j]) ? a.values[i] : b.values[j];
            if (!largestGap && (i > 0 || j > 0)) {
                result += (x - previous) * Math.abs(fa - fb);
            }
            if (i < a.values.length && a.values[i] == x) {
                fa = a.cumulative(i++);
            }
            if (j < b.values.length && b.values[j] == x) {
                fb = b.cumulative(j++);
            }
            if (largestGap) {
                result = Math.max(result, Math.abs(fa - fb));
            }
            previous = x;
        }
        return result;
    }

    /**
     * The fraction of values in each bin between consecutive interior {@code edges}: bin 0 holds
     * everything below {@code edges[1]}, the last everything above the bins before it, so that no
     * value outside the reference's range is lost; bin {@code i} otherwise holds
     * {@code [edges[i], edges[i+1])}. A bin whose two edges are equal (quantiles of a reference with
     * many equal values, a constant column above all) holds exactly that value, and the bin after
     * it starts just above it: left-closed bins alone would put such a value with everything above
     * it, so that a constant reference could not tell an upward shift from no shift (bin 0 stays
     * "below", so a downward shift is seen the same way).
     */
    public double[] binFractions(double[] edges) {
        int bins = edges.length - 1;
        double[] fractions = new double[bins];
        double previous = 0;
        for (int i = 0; i < bins; i++) {
            boolean point = i > 0 && edges[i] == edges[i + 1];
            double upTo = i == bins - 1 ? 1 : rank(edges[i + 1], point);
            fractions[i] = upTo - previous;
            previous = upTo;
        }
        return fractions;
    }

    /** Whether every value is the same one (the distribution of a constant column). */
    public boolean isConstant() {
        return values.length == 1;
    }

    /** The fraction of values not equal to {@code x}. */
    public double fractionOtherThan(double x) {
        return 1 - (rank(x, true) - rank(x, false));
    }

    /** The smallest value; NaN when there is none. */
    public double min() {
        return values.length == 0 ? Double.NaN : values[0];
    }
}
