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
    private final double[] cumulative;
    private final long count;

    private StepCdf(double[] values, double[] cumulative, long count) {
        this.values = values;
        this.cumulative = cumulative;
        this.count = count;
    }

    /** The exact distribution of a sample (NaN values must have been left out by the caller). */
    public static StepCdf ofSample(double[] sample) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        long[] weights = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            weights[i] = i + 1;
        }
        return collapse(sorted, weights, sorted.length);
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

    /** How many values the distribution stands for. */
    public long count() {
        return count;
    }

    /** The fraction of values at or below {@code x} ({@code inclusive}) or strictly below it. */
    public double rank(double x, boolean inclusive) {
        int i = Arrays.binarySearch(values, x);
        if (i >= 0) {
            return inclusive ? cumulative[i] : (i == 0 ? 0 : cumulative[i - 1]);
        }
        int below = -i - 2;
        return below < 0 ? 0 : cumulative[below];
    }

    /** The two-sample Kolmogorov–Smirnov statistic: the largest gap between the two step functions. */
    public static double kolmogorovSmirnov(StepCdf a, StepCdf b) {
        double d = 0;
        // Both are right-continuous steps, so the supremum is reached at one of their jump points.
        for (double x : a.values) {
            d = Math.max(d, Math.abs(a.rank(x, true) - b.rank(x, true)));
        }
        for (double x : b.values) {
            d = Math.max(d, Math.abs(a.rank(x, true) - b.rank(x, true)));
        }
        return d;
    }

    /** The 1-D Wasserstein distance: the area between the two step functions. */
    public static double wasserstein(StepCdf a, StepCdf b) {
        double[] points = new double[a.values.length + b.values.length];
        System.arraycopy(a.values, 0, points, 0, a.values.length);
        System.arraycopy(b.values, 0, points, a.values.length, b.values.length);
        Arrays.sort(points);
        double area = 0;
        for (int i = 0; i + 1 < points.length; i++) {
            double width = points[i + 1] - points[i];
            if (width > 0) {
                area += width * Math.abs(a.rank(points[i], true) - b.rank(points[i], true));
            }
        }
        return area;
    }

    /**
     * The fraction of values in each bin between consecutive interior {@code edges}: bin 0 holds
     * everything below {@code edges[1]}, the last everything from the last interior edge up, so
     * that no value outside the reference's range is lost; bin {@code i} otherwise holds
     * {@code [edges[i], edges[i+1])}.
     */
    public double[] binFractions(double[] edges) {
        int bins = edges.length - 1;
        double[] fractions = new double[bins];
        double previous = 0;
        for (int i = 0; i < bins; i++) {
            double upTo = i == bins - 1 ? 1 : rank(edges[i + 1], false);
            fractions[i] = upTo - previous;
            previous = upTo;
        }
        return fractions;
    }
}
