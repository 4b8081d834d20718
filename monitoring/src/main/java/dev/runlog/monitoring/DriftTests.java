package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.StepCdf;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * The drift statistics computed exactly from two samples, a reference and a current one. These are
 * the definitions the sketch-based comparisons of {@link Reference} approximate, and each is
 * usable on its own. Samples must be non-empty and hold only finite numbers (a missing value is left
 * out by the caller; an infinite one has no place on the line the distances measure, and would
 * make them infinite or NaN). Binned statistics take {@value #MIN_BINS} to {@value #MAX_BINS} bins.
 */
public final class DriftTests {
    /** Evidently's floor for an empty bin of the Population Stability Index, so its logarithm is finite. */
    public static final double PSI_EMPTY_BIN_FRACTION = 0.0001;
    /**
     * The fewest bins of a binned statistic: with 3, a constant reference column gets a bin of its
     * own between an open bin below it and one above it, so that a shift either way is seen.
     */
    public static final int MIN_BINS = 3;
    /**
     * The most bins of a binned statistic: far more than quantile bins of a sketch (about 1.3% rank
     * error) can tell apart, and few enough that the arrays of a report stay small.
     */
    public static final int MAX_BINS = 10_000;

    private DriftTests() {
    }

    /**
     * A statistic and, for a test, its p-value.
     *
     * @param statistic the test statistic or the distance
     * @param pValue    the p-value; NaN for a distance
     */
    public record Result(double statistic, double pValue) {
    }

    /**
     * The two-sample Kolmogorov–Smirnov test, two-sided, by Apache Commons Statistics: the statistic
     * is the largest gap between the two empirical distribution functions; the p-value is exact for
     * small samples and asymptotic for large ones, as that library chooses. A sample of one value
     * (a quiet window may hold one prediction) gets the exact p-value too, as scipy's
     * {@code ks_2samp} gives it: the one value is equally likely to fall in any of the other
     * sample's n + 1 gaps.
     *
     * @throws InvalidInputException if a sample is empty or holds NaN or an infinity
     */
    public static Result kolmogorovSmirnov(double[] reference, double[] current) {
        sample("reference", reference);
        sample("current", current);
        if (reference.length == 1 || current.length == 1) {
            return kolmogorovSmirnovOfOne(reference, current);
        }
        SignificanceResult result = KolmogorovSmirnovTest.withDefaults().test(reference, current);
        return new Result(result.getStatistic(), result.getPValue());
    }

    /**
     * One value y against n others: with k of them below y the statistic is max(k/n, 1 − k/n), so
     * the p-value is the share of the n + 1 places for y whose statistic reaches the observed one.
     */
    private static Result kolmogorovSmirnovOfOne(double[] reference, double[] current) {
        double[] others = reference.length == 1 ? current : reference;
        double y = reference.length == 1 ? reference[0] : current[0];
        int n = others.length;
        int below = 0;
        int atOrBelow = 0;
        for (double x : others) {
            below += x < y ? 1 : 0;
            atOrBelow += x <= y ? 1 : 0;
        }
        // The gap just below y (the others under it, y not yet counted) and at y (y counted).
        double d = Math.max((double) below / n, 1 - (double) atOrBelow / n);
        int reaching = 0;
        for (int k = 0; k <= n; k++) {
            if (Math.max((double) k / n, 1 - (double) k / n) >= d - 1e-12) {
                reaching++;
            }
        }
        return new Result(d, Math.min(1, (double) reaching / (n + 1)));
    }

    /**
     * Pearson's chi-squared goodness-of-fit test of the current category counts against the
     * reference's frequencies, by Apache Commons Statistics; degrees of freedom: categories − 1.
     * The categories are those of either side. A category the reference never saw has an expected
     * count of zero, for which the statistic is undefined: then the statistic is +∞ and the p-value
     * 0, since a new category is drift. With a single category the p-value is 1.
     *
     * @throws InvalidInputException if either side has no counts, or a category is null, or a count is
     *                               null or negative
     */
    public static Result chiSquared(Map<String, Long> reference, Map<String, Long> current) {
        Set<String> categories = categories(reference, current);
        double[] expected = new double[categories.size()];
        long[] observed = new long[categories.size()];
        int i = 0;
        boolean unseen = false;
        for (String category : categories) {
            expected[i] = reference.getOrDefault(category, 0L);
            observed[i] = current.getOrDefault(category, 0L);
            unseen |= expected[i] == 0 && observed[i] > 0;
            i++;
        }
        if (unseen) {
            return new Result(Double.POSITIVE_INFINITY, 0);
        }
        // Categories seen in neither count nothing; Commons rejects zero expected counts.
        int kept = 0;
        for (int j = 0; j < expected.length; j++) {
            if (expected[j] > 0) {
                expected[kept] = expected[j];
                observed[kept++] = observed[j];
            }
        }
        if (kept < 2) {
            return new Result(0, 1);
        }
        SignificanceResult result = ChiSquareTest.withDefaults()
                .test(Arrays.copyOf(expected, kept), Arrays.copyOf(observed, kept));
        return new Result(result.getStatistic(), result.getPValue());
    }

    /**
     * The Population Stability Index, Σ (c − r) · ln(c / r) over bins, where r and c are the
     * fractions of the reference and the current sample in each bin. The bins are the reference's
     * quantile bins: interior edges at its {@code 1/bins, 2/bins, ...} quantiles (linear
     * interpolation, numpy's default), the outer bins open-ended so that current values beyond the
     * reference's range count in them. An empty bin's fraction is raised to
     * {@link #PSI_EMPTY_BIN_FRACTION}, as Evidently does. Where equal values make two consecutive
     * edges equal (a constant reference: all of them), the bin between them holds exactly that
     * value and the next starts above it, so that a shift up is seen as a shift down is.
     *
     * @throws InvalidInputException if a sample is empty or holds NaN or an infinity, or bins is not
     *                               from {@value #MIN_BINS} to {@value #MAX_BINS}
     */
    public static double populationStabilityIndex(double[] reference, double[] current, int bins) {
        double[] edges = quantileEdges(sample("reference", reference), bins);
        return psi(StepCdf.ofSample(reference).binFractions(edges),
                StepCdf.ofSample(sample("current", current)).binFractions(edges), PSI_EMPTY_BIN_FRACTION);
    }

    /**
     * The 1-D Wasserstein distance between the two samples' distributions (the area between their
     * distribution functions, exact), divided by the reference's population standard deviation
     * (n in the denominator, as numpy's {@code std}), as Evidently normalises it. A constant
     * reference has no spread to measure a move by (Evidently divides by zero, giving infinity for
     * any move): then the result is the fraction of the current values that are not the constant,
     * from 0 (all equal it) to 1 (none does), so that moving every value off it is drift at any
     * threshold up to 1, however small the move.
     *
     * @throws InvalidInputException if a sample is empty or holds NaN or an infinity
     */
    public static double wasserstein(double[] reference, double[] current) {
        sample("reference", reference);
        sample("current", current);
        // The distance over the spread does not change with the scale; values near Double.MAX_VALUE
        // are scaled down first, so that their sums and differences stay finite.
        double largest = 0;
        for (double[] values : List.of(reference, current)) {
            for (double v : values) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        if (largest > 1e150) {
            double scale = largest;
            reference = Arrays.stream(reference).map(v -> v / scale).toArray();
            current = Arrays.stream(current).map(v -> v / scale).toArray();
        }
        StepCdf ref = StepCdf.ofSample(reference);
        StepCdf cur = StepCdf.ofSample(current);
        double mean = Arrays.stream(reference).sum() / reference.length;
        double squares = 0;
        for (double v : reference) {
            squares += (v - mean) * (v - mean);
        }
        return normalisedWasserstein(ref, cur, Math.sqrt(squares / reference.length));
    }

    /**
     * The Jensen–Shannon distance in base 2, from 0 (same) to 1 (disjoint), between the two
     * samples' fractions in the reference's quantile bins (as {@link #populationStabilityIndex}).
     *
     * @throws InvalidInputException if a sample is empty or holds NaN or an infinity, or bins is not
     *                               from {@value #MIN_BINS} to {@value #MAX_BINS}
     */
    public static double jensenShannon(double[] reference, double[] current, int bins) {
        double[] edges = quantileEdges(sample("reference", reference), bins);
        return jensenShannon(StepCdf.ofSample(reference).binFractions(edges),
                StepCdf.ofSample(sample("current", current)).binFractions(edges));
    }

    /**
     * The Jensen–Shannon distance in base 2 between two sets of category frequencies, over the
     * categories of either side. Counts may be as large as a long holds: their totals are summed as
     * doubles, which cannot overflow.
     *
     * @throws InvalidInputException if either side has no counts, or a category is null, or a count is
     *                               null or negative
     */
    public static double jensenShannon(Map<String, Long> reference, Map<String, Long> current) {
        Set<String> categories = categories(reference, current);
        double[] p = new double[categories.size()];
        double[] q = new double[categories.size()];
        double refTotal = reference.values().stream().mapToDouble(Long::doubleValue).sum();
        double curTotal = current.values().stream().mapToDouble(Long::doubleValue).sum();
        int i = 0;
        for (String category : categories) {
            p[i] = reference.getOrDefault(category, 0L) / refTotal;
            q[i++] = current.getOrDefault(category, 0L) / curTotal;
        }
        return jensenShannon(p, q);
    }

    static double psi(double[] reference, double[] current, double emptyBinFraction) {
        double index = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(reference[i], emptyBinFraction);
            double c = Math.max(current[i], emptyBinFraction);
            index += (c - r) * Math.log(c / r);
        }
        return index;
    }

    static double jensenShannon(double[] p, double[] q) {
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            divergence += (klTerm(p[i], m) + klTerm(q[i], m)) / 2;
        }
        // Rounding can leave a hair below zero for identical inputs.
        return Math.sqrt(Math.max(divergence, 0));
    }

    private static double klTerm(double p, double m) {
        return p == 0 ? 0 : p * Math.log(p / m) / Math.log(2);
    }

    /**
     * The Wasserstein distance between the two distributions divided by the reference's standard
     * deviation; for a constant reference, the fraction of the current values off the constant (see
     * {@link #wasserstein(double[], double[])}). Constancy is read from the distribution, which
     * knows it exactly, not from a standard deviation that rounding can leave a hair above zero.
     */
    static double normalisedWasserstein(StepCdf reference, StepCdf current, double std) {
        if (reference.isConstant()) {
            return current.fractionOtherThan(reference.min());
        }
        double distance = StepCdf.wasserstein(reference, current);
        return std > 0 ? distance / std : distance;
    }

    /** numpy.quantile(sample, linspace(0, 1, bins + 1)), linear interpolation. */
    static double[] quantileEdges(double[] sample, int bins) {
        bins(bins);
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            double h = (sorted.length - 1) * (double) i / bins;
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            edges[i] = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
        }
        return edges;
    }

    static int bins(int bins) {
        if (bins < MIN_BINS || bins > MAX_BINS) {
            throw new InvalidInputException("a binned statistic takes " + MIN_BINS + " to " + MAX_BINS
                    + " bins; got " + bins);
        }
        return bins;
    }

    static double[] sample(String what, double[] sample) {
        InputRules.notNull(what, sample);
        if (sample.length == 0) {
            throw new InvalidInputException("the " + what + " sample is empty");
        }
        for (double v : sample) {
            if (Double.isNaN(v)) {
                throw new InvalidInputException("the " + what + " sample holds NaN; leave missing values out");
            }
            if (Double.isInfinite(v)) {
                throw new InvalidInputException("the " + what + " sample holds " + v + "; the statistics take finite numbers");
            }
        }
        return sample;
    }

    private static Set<String> categories(Map<String, Long> reference, Map<String, Long> current) {
        counts("reference", reference);
        counts("current", current);
        Set<String> categories = new LinkedHashSet<>(reference.keySet());
        categories.addAll(current.keySet());
        return categories;
    }

    static Map<String, Long> counts(String what, Map<String, Long> counts) {
        InputRules.notNull(what, counts);
        boolean any = false;   // not a sum: counts near Long.MAX_VALUE would overflow it
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            if (entry.getKey() == null) {
                throw new InvalidInputException("the " + what + " counts hold a null category (count "
                        + entry.getValue() + "); every category has a name");
            }
            if (entry.getValue() == null || entry.getValue() < 0) {
                throw new InvalidInputException("the " + what + " count of category '" + entry.getKey()
                        + "' is " + entry.getValue() + "; counts are zero or more");
            }
            any |= entry.getValue() > 0;
        }
        if (!any) {
            throw new InvalidInputException("the " + what + " category counts are all zero");
        }
        return counts;
    }
}
