package dev.runlog.tracking;

/**
 * The run, experiment or artifact a call names does not exist in the store. The message names what was looked up.
 */
public class NotFoundException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
