package dev.runlog.tracking.tck;

import java.nio.file.Path;

/** The registry of the built-in {@code memory:} store against the registry contract kit. */
class InMemoryRegistryCompatibilityTest extends RegistryStoreCompatibilityKit {
    @Override
    protected String storeUri(Path dir) {
        // Every memory: tracker has a fresh store, and with it a fresh registry.
        return "memory:";
    }
}
