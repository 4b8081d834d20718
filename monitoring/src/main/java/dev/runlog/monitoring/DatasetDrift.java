package dev.runlog.monitoring;

import dev.runlog.tracking.spi.InputRules;
import java.util.List;

/**
 * The drift of a whole window: each compared feature's verdict, and whether the share of drifted
 * features reached {@link DriftOptions#driftShare()}.
 *
 * @param features per feature, in the reference's column order
 * @param drifted  whether the dataset drifted
 */
public record DatasetDrift(List<FeatureDrift> features, boolean drifted) {
    public DatasetDrift {
        features = List.copyOf(InputRules.notNull("features", features));
    }

    /** How many features drifted. */
    public long driftedCount() {
        return features.stream().filter(FeatureDrift::drifted).count();
    }

    /** The fraction of features that drifted; 0 when none was compared. */
    public double driftedShare() {
        return features.isEmpty() ? 0 : (double) driftedCount() / features.size();
    }
}
