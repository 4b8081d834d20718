package dev.runlog.tracking;

/**
 * Training code to run inside a run, for {@link Tracker#run(String, RunBody)}. The type parameter
 * lets a body throw a checked exception, which {@code run} then rethrows unchanged.
 *
 * @param <E> the checked exception the body may throw; inferred as {@code RuntimeException} for a
 *            lambda that throws none
 */
@FunctionalInterface
public interface RunBody<E extends Exception> {
    void accept(ActiveRun run) throws E;
}
