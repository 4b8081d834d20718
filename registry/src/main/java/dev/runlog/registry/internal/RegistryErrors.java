package dev.runlog.registry.internal;

import dev.runlog.registry.Stage;
import dev.runlog.registry.spi.IncumbentChangedException;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.NotFoundException;

/** The registry's error messages, shared by every store so that each says the same thing. */
public final class RegistryErrors {
    private RegistryErrors() {
    }

    public static NotFoundException noModel(String name) {
        return new NotFoundException("registered model '" + name + "' does not exist");
    }

    public static NotFoundException noVersion(String name, int version) {
        return new NotFoundException("registered model '" + name + "' has no version " + version);
    }

    public static NotFoundException noAlias(String name, String alias) {
        return new NotFoundException("registered model '" + name + "' has no alias '" + alias + "'");
    }

    public static NotFoundException emptyStage(String name, Stage stage) {
        return new NotFoundException("registered model '" + name + "' has no version in stage " + stage);
    }

    public static NotFoundException noVersions(String name) {
        return new NotFoundException("registered model '" + name + "' has no versions");
    }

    public static ConflictException modelExists(String name) {
        return new ConflictException("registered model '" + name + "' already exists");
    }

    public static IncumbentChangedException incumbentChanged(String name, Stage stage, int expected, int actual) {
        return new IncumbentChangedException("the " + stage + " version of '" + name + "' changed from "
                + (expected == 0 ? "none" : "version " + expected) + " to "
                + (actual == 0 ? "none" : "version " + actual) + " while the promotion was being checked");
    }
}
