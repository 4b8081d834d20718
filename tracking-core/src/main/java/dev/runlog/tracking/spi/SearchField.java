package dev.runlog.tracking.spi;

import dev.runlog.tracking.spi.InputRules;

/**
 * What a search condition or order key is about: a metric, param or tag by key, a run attribute,
 * or a property of the datasets a run used.
 *
 * @param kind what sort of field
 * @param key  the metric, param or tag key; for attributes one of {@code run_id, run_name, status,
 *             user_id, start_time, end_time, artifact_uri}; for datasets one of
 *             {@code name, digest, context}; for experiments {@code name, experiment_id,
 *             creation_time, last_update_time} or a tag key; for registered models and model versions
 *             the registry's attributes ({@code name, version, run_id, source, stage, user_id,
 *             creation_time, last_update_time}) or a tag key
 */
public record SearchField(Kind kind, String key) {
    public SearchField {
        InputRules.notNull("kind", kind);
        InputRules.notNull("key", key);
    }

    public enum Kind {
        METRIC, PARAM, TAG, ATTRIBUTE, DATASET
    }

    /** Whether comparisons on this field are numeric. */
    public boolean isNumeric() {
        return kind == Kind.METRIC || (kind == Kind.ATTRIBUTE && (key.equals("start_time") || key.equals("end_time")
                || key.equals("creation_time") || key.equals("last_update_time") || key.equals("version")));
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "." + key;
    }
}
