package dev.runlog.tracking;

/**
 * Root of every exception Runlog throws. Unchecked: training code rarely can do more than fail the
 * run, and a checked exception on {@code logMetric} would make every training loop noisier.
 *
 * <p>Catch a subclass to react to one kind of problem:
 * <ul>
 *   <li>{@link InvalidInputException}: the call was wrong (a bad key, a value over a limit);
 *       retrying it unchanged fails again.</li>
 *   <li>{@link NotFoundException}: the run, experiment or artifact named does not exist.</li>
 *   <li>{@link ConflictException}: the call contradicts what is stored (a param logged again with
 *       another value, a write to an ended run, a taken experiment name).</li>
 *   <li>{@link StoreException}: the store failed (I/O, a locked or corrupt database); the same call
 *       may succeed later.</li>
 *   <li>{@link ClassNotAllowedException}: a java-serialized model needs classes its loader does not
 *       allow; it lists them all.</li>
 * </ul>
 */
public class RunlogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunlogException(String message) {
        super(message);
    }

    public RunlogException(String message, Throwable cause) {
        super(message, cause);
    }
}
