package dev.runlog.tracking.tck;

import java.nio.file.Path;

/** The built-in {@code memory:} store against the store contract kit. */
class InMemoryStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @Override
    protected String storeUri(Path dir) {
        return "memory:";
    }
}
