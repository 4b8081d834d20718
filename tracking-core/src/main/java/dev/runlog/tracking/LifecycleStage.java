package dev.runlog.tracking;

/**
 * Whether an experiment or run is live or soft-deleted. Deleting is soft, as in MLflow: the data
 * stays in the store and a restore brings it back.
 */
public enum LifecycleStage {
    ACTIVE,
    DELETED
}
