package dev.runlog.tracking;

import java.util.Map;

/**
 * Options for a run about to start, from {@link Tracker#newRun(String)}. Every setter checks its
 * argument at once and names what was wrong.
 *
 * <pre>{@code
 * try (ActiveRun run = tracker.newRun("iris").name("baseline").tag("team", "vision").start()) {
 *     ...
 * }
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
}
