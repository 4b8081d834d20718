package dev.runlog.registry.spi;

import dev.runlog.registry.Stage;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.NotFoundException;

/**
 * The errors a {@link RegistryStore} throws for the contract violations it detects, worded as the
 * registry words them: a store throws these, not its own, so that every store says the same thing
 * and the contract kit can check it. Each method returns the exception for the store to throw.
 */
public final class RegistryErrors {
    private RegistryErrors() {
    }

    /** No registered model has this name. */
    public static NotFoundException noModel(String name) {
        return new NotFoundException("registered model '" + name + "' does not exist");
    }

    /** The model has no version with this number. */
    public static NotFoundException noVersion(String name, int version) {
        return new NotFoundException("registered model '" + name + "' has no version " + version);
    }

    /** The model has no such alias. */
    public static NotFoundException noAlias(String name, String alias) {
        return new NotFoundException("registered model '" + name + "' has no alias '" + alias + "'");
    }

    /** The model has no version in the stage. */
    public static NotFoundException emptyStage(String name, Stage stage) {
        return new NotFoundException("registered model '" + name + "' has no version in stage " + stage);
    }

    /** The model has no version at all. */
    public static NotFoundException noVersions(String name) {
        return new NotFoundException("registered model '" + name + "' has no versions");
    }

    /** A model with this name exists already (when creating a model or renaming one to it). */
    public static ConflictException modelExists(String name) {
        return new ConflictException("registered model '" + name + "' already exists");
    }

    /**
     * A transition's {@link StageTransition#expectedIncumbent()} no longer holds.
     *
     * @param expected the version expected in the stage, 0 for none
     * @param actual   the highest other version now in the stage, 0 for none
     */
    public static IncumbentChangedException incumbentChanged(String name, Stage stage, int expected, int actual) {
        return new IncumbentChangedException("the " + stage + " version of '" + name + "' changed from "
                + (expected == 0 ? "none" : "version " + expected) + " to "
                + (actual == 0 ? "none" : "version " + actual) + " while the promotion was being checked");
    }
}
