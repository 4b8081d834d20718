package dev.runlog.registry;

/**
 * Hears what a {@link DeployedModel} does in the background. Both methods have empty defaults;
 * they are called on the handle's polling thread, so they should return quickly.
 */
public interface DeploymentListener {

    /** A new version is being served. */
    default void swapped(ModelVersion previous, ModelVersion current) {
    }

    /**
     * A check or a load failed; the previous version keeps serving. Reported once per failing
     * version (or once per kind of failure when no version could be resolved), not at every poll.
     *
     * @param attempted the version that failed to load, or null when the stage or alias could not be
     *                  resolved, for instance because it is empty now
     */
    default void failed(ModelVersion attempted, RuntimeException error) {
    }
}
