package dev.runlog.tracking;

/**
 * Where a run is in its life, with MLflow's names and meanings.
 *
 * <p>A run takes writes while {@link #isActive() active} (RUNNING or SCHEDULED); once it reaches
 * a terminal status it is frozen and every further write fails with
 * {@link RunNotActiveException}.
 */
public enum RunStatus {
    /** Started and taking writes. */
    RUNNING,
    /** Created to be started later, for instance by a scheduler; takes writes. */
    SCHEDULED,
    /** Ended normally. */
    FINISHED,
    /** Ended because the training code threw. */
    FAILED,
    /** Ended from outside: cancelled, or the JVM shut down while the run was still going. */
    KILLED;

    /** Whether a run in this status still accepts params, metrics and tags. */
    public boolean isActive() {
        return this == RUNNING || this == SCHEDULED;
    }
}
