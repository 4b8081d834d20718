package dev.runlog.registry;

/**
 * A live handle on the model a stage or an alias points to, for serving code. {@link #get()} returns
 * the loaded model; when another version is promoted to the stage or the alias moves (in this
 * process or in another one writing the same store), the handle loads that version in the
 * background and swaps it in, within the poll interval; on a store that reports changes as they
 * commit (PostgreSQL, through LISTEN/NOTIFY) it starts loading right after the commit, and the poll
 * only catches what such a report missed. Until the new version is loaded, and if
 * loading it fails, the old one keeps serving; listeners hear about swaps and failures.
 *
 * <pre>{@code
 * try (DeployedModel<Classifier> model = registry.deploy("iris", Stage.PRODUCTION, Classifier.class)) {
 *     server.handle(request -> model.get().predict(request.features()));
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #get()} is a volatile read, cheap enough to call per request. Closing stops
 * the background polling; {@link #get()} still returns the last model.
 *
 * <p><b>Files-flavor models</b> ({@code DeployedModel<Path>}) are copies the handle owns: the copy
 * of a version it swapped away from is deleted right after the swap (once the listeners have run),
 * and the copy it serves when it closes is deleted by {@link #close()}. A {@link java.nio.file.Path} got from
 * {@link #get()} therefore stays valid only while that version is served: open or read what you
 * need from it at once (an open file stays readable on POSIX systems), or copy it.
 *
 * @param <T> the model's type
 */
public interface DeployedModel<T> extends AutoCloseable {

    /** The model now being served. */
    T get();

    /** The version now being served. */
    ModelVersion version();

    /** What this handle follows: {@code models:/iris/Production}, {@code models:/iris@champion}. */
    String uri();

    /** Adds a listener, called on the polling thread after each swap and each failure. */
    void addListener(DeploymentListener listener);

    /**
     * Checks the store now instead of waiting for the next poll, and loads and swaps in the version
     * the stage or alias points to if it changed.
     *
     * @return whether a different version is now being served
     */
    boolean refresh();

    /**
     * Stops polling, waiting for a load in progress to end; afterwards {@link #refresh()} does
     * nothing and returns false. Deletes the copy of a files-flavor model being served.
     */
    @Override
    void close();
}
