package dev.runlog.registry.internal;

import dev.runlog.registry.spi.Change;

/** The audit trail wording the registry gives its stores. */
final class RegistryChanges {
    private RegistryChanges() {
    }

    /**
     * Whether archiveExisting applies to a stage: as in MLflow, only Staging and Production have
     * holders to archive.
     */
    static boolean archivesOthers(dev.runlog.registry.Stage stage) {
        return stage == dev.runlog.registry.Stage.STAGING || stage == dev.runlog.registry.Stage.PRODUCTION;
    }

    /** The change recorded for a version archived because {@code promoted} took its stage. */
    static Change archivedBy(Change change, int promoted) {
        return new Change(change.time(), change.user(), "archived: version " + promoted + " took the stage"
                + (change.comment().isEmpty() ? "" : " (" + change.comment() + ")"));
    }
}
