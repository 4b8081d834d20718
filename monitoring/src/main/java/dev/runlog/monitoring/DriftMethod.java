package dev.runlog.monitoring;

/**
 * A statistic that tells whether a feature drifted. The first two are tests: a feature drifts when
 * the p-value is under the threshold; the other three are distances: it drifts when the distance is
 * at or above the threshold.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov–Smirnov test, numeric features; the p-value is compared. */
    KOLMOGOROV_SMIRNOV(true),
    /** Pearson's chi-squared test of category frequencies, categorical features; the p-value is compared. */
    CHI_SQUARED(true),
    /** Population Stability Index over the reference's quantile bins, numeric features. */
    POPULATION_STABILITY_INDEX(false),
    /** 1-D Wasserstein (earth mover's) distance divided by the reference's standard deviation, numeric features. */
    WASSERSTEIN(false),
    /** Jensen–Shannon distance in base 2 (from 0 to 1) over shared bins or categories. */
    JENSEN_SHANNON(false);

    private final boolean test;

    DriftMethod(boolean test) {
        this.test = test;
    }

    /** Whether this is a test (drift when the p-value is under the threshold) rather than a distance. */
    public boolean isTest() {
        return test;
    }
}
