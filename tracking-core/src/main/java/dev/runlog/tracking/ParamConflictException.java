package dev.runlog.tracking;

/**
 * A param was logged again with a value different from the one stored. Params are immutable
 * because they describe how a run was configured: a run whose learning rate silently changed
 * halfway would be a lie in every comparison made later.
 */
public final class ParamConflictException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final String key;
    private final String storedValue;
    private final String newValue;

    public ParamConflictException(String runId, String key, String storedValue, String newValue) {
        super("Param '" + key + "' of run " + runId + " is already '" + storedValue
                + "'; params are immutable and cannot be changed to '" + newValue + "'");
        this.runId = runId;
        this.key = key;
        this.storedValue = storedValue;
        this.newValue = newValue;
    }

    public String runId() {
        return runId;
    }

    public String key() {
        return key;
    }

    public String storedValue() {
        return storedValue;
    }

    public String newValue() {
        return newValue;
    }
}
