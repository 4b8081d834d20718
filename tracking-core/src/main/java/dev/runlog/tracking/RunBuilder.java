package dev.runlog.tracking;

import java.util.Map;

/**
 * Options for a run about to start, from {@link Tracker#newRun(String)}. Every setter checks its
 * argument at once and names what was wrong.
 *
 * <pre>{@code
 * Run run = tracker.newRun("iris").name("baseline").tag("team", "vision").run(r -> {
 *     ...
 * });
 * }</pre>
 */
public interface RunBuilder {

    /** The run's name; a name is generated when this is not called. */
    RunBuilder name(String name);

    /** A tag set when the run starts. */
    RunBuilder tag(String key, String value);

    /** Several tags set when the run starts. */
    RunBuilder tags(Map<String, String> tags);

    /** Makes the run a child of {@code parent}, which must be in the same experiment. */
    RunBuilder parent(ActiveRun parent);

    /** Makes the run a child of the run with this id, which must be in the same experiment. */
    RunBuilder parent(String parentRunId);

    /** Creates the run as RUNNING, with its system tags, and returns it. */
    ActiveRun start();

    /**
     * Starts the run and runs {@code body} inside it, as {@link Tracker#run(String, RunBody)} does:
     * when the body returns, the run is flushed and ends FINISHED (unless the body ended it); when
     * it throws, the run ends FAILED with the exception recorded as by
     * {@link ActiveRun#fail(Throwable)}, and the very exception the body threw is rethrown.
     *
     * <pre>{@code
     * Run child = tracker.newRun("iris").parent(sweep).name("lr=0.1").run(run -> train(run, 0.1));
     * }</pre>
     *
     * @return the run as stored after it ended
     */
    <E extends Exception> Run run(RunBody<E> body) throws E;
}
