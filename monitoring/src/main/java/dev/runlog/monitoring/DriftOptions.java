package dev.runlog.monitoring;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.InputRules;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How drift is decided. The defaults follow Evidently's: when the training sample of a feature or
 * the current window has up to {@link #smallWindow()} (1,000) values, numeric features by the
 * Kolmogorov–Smirnov test and categorical ones by the chi-squared test, drifting at p &lt; 0.05;
 * when both are larger, where those tests flag differences too small to matter, numeric features by
 * the normalised Wasserstein distance and categorical ones by the Jensen–Shannon distance, drifting
 * at 0.1 and above. (Evidently looks at the training sample alone; a distance between a large sample
 * and a small one is mostly the small one's noise, some 0.08 standard deviations for 150 values,
 * which would flag unchanged data.) The
 * Population Stability Index drifts at 0.1 and above. The dataset drifts when at least half of its
 * features drift. Binned statistics use 10 bins.
 *
 * <p>Immutable: each setter returns a changed copy; accessors take no {@code get} prefix.
 *
 * <pre>{@code
 * DriftOptions options = DriftOptions.defaults()
 *         .numericMethod(DriftMethod.POPULATION_STABILITY_INDEX)
 *         .threshold(DriftMethod.POPULATION_STABILITY_INDEX, 0.2)
 *         .driftShare(0.3);
 * }</pre>
 */
public final class DriftOptions {
    private static final DriftOptions DEFAULTS = new DriftOptions(null, null, defaultThresholds(), 1_000, 0.5, 10);

    private final DriftMethod numericMethod;
    private final DriftMethod categoricalMethod;
    private final Map<DriftMethod, Double> thresholds;
    private final int smallWindow;
    private final double driftShare;
    private final int bins;

    private DriftOptions(DriftMethod numericMethod, DriftMethod categoricalMethod, Map<DriftMethod, Double> thresholds,
                         int smallWindow, double driftShare, int bins) {
        this.numericMethod = numericMethod;
        this.categoricalMethod = categoricalMethod;
        this.thresholds = thresholds;
        this.smallWindow = smallWindow;
        this.driftShare = driftShare;
        this.bins = bins;
    }

    private static Map<DriftMethod, Double> defaultThresholds() {
        Map<DriftMethod, Double> thresholds = new EnumMap<>(DriftMethod.class);
        thresholds.put(DriftMethod.KOLMOGOROV_SMIRNOV, 0.05);
        thresholds.put(DriftMethod.CHI_SQUARED, 0.05);
        thresholds.put(DriftMethod.POPULATION_STABILITY_INDEX, 0.1);
        thresholds.put(DriftMethod.WASSERSTEIN, 0.1);
        thresholds.put(DriftMethod.JENSEN_SHANNON, 0.1);
        return thresholds;
    }

    /** Evidently's defaults, as the class comment lists them. */
    public static DriftOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy comparing every numeric feature by this method, whatever the window's size.
     *
     * @throws InvalidInputException if the method does not apply to numbers (chi-squared)
     */
    public DriftOptions numericMethod(DriftMethod method) {
        if (InputRules.notNull("method", method) == DriftMethod.CHI_SQUARED) {
            throw new InvalidInputException("the chi-squared test compares categories, not numbers");
        }
        return new DriftOptions(method, categoricalMethod, thresholds, smallWindow, driftShare, bins);
    }

    /**
     * A copy comparing every categorical feature by this method, whatever the window's size.
     *
     * @throws InvalidInputException if the method does not apply to categories (only chi-squared and
     *                               Jensen–Shannon do)
     */
    public DriftOptions categoricalMethod(DriftMethod method) {
        InputRules.notNull("method", method);
        if (method != DriftMethod.CHI_SQUARED && method != DriftMethod.JENSEN_SHANNON) {
            throw new InvalidInputException(method + " compares numbers; categories take CHI_SQUARED or JENSEN_SHANNON");
        }
        return new DriftOptions(numericMethod, method, thresholds, smallWindow, driftShare, bins);
    }

    /**
     * A copy with this threshold for the method: a p-value in (0, 1) for a test, a positive
     * distance otherwise.
     *
     * @throws InvalidInputException if the threshold is out of that range
     */
    public DriftOptions threshold(DriftMethod method, double threshold) {
        InputRules.notNull("method", method);
        if (!(threshold > 0) || (method.isTest() && threshold >= 1) || Double.isInfinite(threshold)) {
            throw new InvalidInputException("threshold " + threshold + " for " + method + " is out of range; "
                    + (method.isTest() ? "a p-value threshold is in (0, 1)" : "a distance threshold is positive"));
        }
        Map<DriftMethod, Double> changed = new EnumMap<>(thresholds);
        changed.put(method, threshold);
        return new DriftOptions(numericMethod, categoricalMethod, changed, smallWindow, driftShare, bins);
    }

    /**
     * A copy in which a feature is compared by a test when its training sample or the window has up
     * to this many values, by a distance when both have more.
     *
     * @throws InvalidInputException if rows is below 1
     */
    public DriftOptions smallWindow(int rows) {
        if (rows < 1) {
            throw new InvalidInputException("the small-window size is at least 1 row; got " + rows);
        }
        return new DriftOptions(numericMethod, categoricalMethod, thresholds, rows, driftShare, bins);
    }

    /**
     * A copy in which the dataset drifts when at least this fraction of its features drift.
     *
     * @throws InvalidInputException if the share is not in (0, 1]
     */
    public DriftOptions driftShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new InvalidInputException("the drift share is in (0, 1]; got " + share);
        }
        return new DriftOptions(numericMethod, categoricalMethod, thresholds, smallWindow, share, bins);
    }

    /**
     * A copy using this many reference quantile bins for the Population Stability Index and the
     * Jensen–Shannon distance of numeric features.
     *
     * @throws InvalidInputException if bins is not from {@value DriftTests#MIN_BINS} to
     *                               {@value DriftTests#MAX_BINS} (3 lets a constant reference
     *                               column have a bin of its own between "below" and "above"; more
     *                               than 10,000 is beyond what a sketch's quantiles can tell apart)
     */
    public DriftOptions bins(int count) {
        return new DriftOptions(numericMethod, categoricalMethod, thresholds, smallWindow, driftShare,
                DriftTests.bins(count));
    }

    /** The method set for numeric features; empty to choose by window size. */
    public Optional<DriftMethod> numericMethod() {
        return Optional.ofNullable(numericMethod);
    }

    /** The method set for categorical features; empty to choose by window size. */
    public Optional<DriftMethod> categoricalMethod() {
        return Optional.ofNullable(categoricalMethod);
    }

    /** The threshold of a method. */
    public double threshold(DriftMethod method) {
        return thresholds.get(InputRules.notNull("method", method));
    }

    /** The largest window compared by tests rather than distances: 1,000 rows by default. */
    public int smallWindow() {
        return smallWindow;
    }

    /** The fraction of drifted features from which the dataset drifts: 0.5 by default. */
    public double driftShare() {
        return driftShare;
    }

    /** Bins of the binned numeric statistics: 10 by default. */
    public int bins() {
        return bins;
    }

    /** The method for a numeric feature with this many training values and values in the window. */
    DriftMethod numericMethodFor(long referenceValues, long windowValues) {
        return numericMethod != null ? numericMethod
                : Math.min(referenceValues, windowValues) <= smallWindow ? DriftMethod.KOLMOGOROV_SMIRNOV
                : DriftMethod.WASSERSTEIN;
    }

    /** The method for a categorical feature with this many training values and values in the window. */
    DriftMethod categoricalMethodFor(long referenceValues, long windowValues) {
        return categoricalMethod != null ? categoricalMethod
                : Math.min(referenceValues, windowValues) <= smallWindow ? DriftMethod.CHI_SQUARED
                : DriftMethod.JENSEN_SHANNON;
    }
}
