package dev.runlog.tracking;

/**
 * The store could not do its work: an I/O error, a database that is locked, full or corrupt. Unlike the other subclasses of {@link RunlogException}, the same call may succeed once the store recovers; buffered metric points are kept and retried.
 */
public class StoreException extends RunlogException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
