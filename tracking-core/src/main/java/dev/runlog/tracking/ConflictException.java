package dev.runlog.tracking;

/**
 * The call contradicts what the store already holds: an experiment name that is taken, a param logged again with a different value, a write to a run that has ended or was deleted, a write into a logged model (which is immutable).
 */
public class ConflictException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
