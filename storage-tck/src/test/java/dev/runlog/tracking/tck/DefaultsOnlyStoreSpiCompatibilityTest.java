package dev.runlog.tracking.tck;

import dev.runlog.tracking.spi.StoreProvider;
import java.nio.file.Path;

/** A store with only the SPI's abstract methods passes the SPI-level kit, its optional cases skipped. */
class DefaultsOnlyStoreSpiCompatibilityTest extends StoreSpiCompatibilityKit {
    @Override
    protected StoreProvider.Stores openStores(Path dir) {
        return openByUri("defaults-only:");
    }
}
