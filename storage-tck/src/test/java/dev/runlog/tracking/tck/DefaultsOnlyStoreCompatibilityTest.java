package dev.runlog.tracking.tck;

import java.nio.file.Path;

/** A store with only the SPI's abstract methods passes the store kit, its optional groups skipped. */
class DefaultsOnlyStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @Override
    protected String storeUri(Path dir) {
        return "defaults-only:";
    }
}
