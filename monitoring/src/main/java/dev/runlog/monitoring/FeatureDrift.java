package dev.runlog.monitoring;

import dev.runlog.tracking.spi.InputRules;

/**
 * Whether one feature drifted between the reference and a window of current data.
 *
 * @param feature   the column name
 * @param method    the statistic used
 * @param statistic the test statistic or distance
 * @param pValue    for a test, its p-value; NaN for a distance
 * @param threshold the p-value under which, or the distance from which, the feature drifts
 * @param drifted   whether it drifted
 */
public record FeatureDrift(String feature, DriftMethod method, double statistic, double pValue, double threshold,
                           boolean drifted) {
    public FeatureDrift {
        InputRules.notNull("feature", feature);
        InputRules.notNull("method", method);
    }
}
