package dev.runlog.storage.sqlite;

import dev.runlog.tracking.tck.TrackingStoreCompatibilityKit;
import java.nio.file.Path;

/** The SQLite store keeps the whole tracking contract. */
class SqliteStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @Override
    protected String storeUri(Path tempDir) {
        return "sqlite:" + tempDir.resolve("runlog.db");
    }
}
