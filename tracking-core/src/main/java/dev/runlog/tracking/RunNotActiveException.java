package dev.runlog.tracking;

/**
 * A write went to a run that no longer takes writes: it has ended (any status but RUNNING or
 * SCHEDULED) or it was deleted. The message names the run and why.
 */
public final class RunNotActiveException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final String runId;

    public RunNotActiveException(String runId, String reason) {
        super("Run " + runId + " does not accept writes: " + reason);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
