package dev.runlog.tracking;

/**
 * The caller passed something Runlog cannot accept: a key with forbidden characters, a value over a limit, a malformed URI or path. The message names the offending input and the rule it broke; the same call fails again unless the input changes.
 */
public class InvalidInputException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
