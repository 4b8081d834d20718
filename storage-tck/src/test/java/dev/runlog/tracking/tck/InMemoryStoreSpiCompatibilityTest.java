package dev.runlog.tracking.tck;

import dev.runlog.tracking.spi.StoreProvider;
import java.nio.file.Path;

/** The built-in {@code memory:} store, and its registry, against the SPI-level contract kit. */
class InMemoryStoreSpiCompatibilityTest extends StoreSpiCompatibilityKit {
    @Override
    protected StoreProvider.Stores openStores(Path dir) {
        return openByUri("memory:");
    }
}
