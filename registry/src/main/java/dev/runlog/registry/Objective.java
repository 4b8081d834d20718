package dev.runlog.registry;

/** Whether a higher or a lower value of a metric is better, for {@link Gates#beatsCurrent(String, Objective)}. */
public enum Objective {
    /** Higher is better: accuracy, AUC, F1. */
    MAXIMIZE,
    /** Lower is better: loss, error rate, latency. */
    MINIMIZE
}
