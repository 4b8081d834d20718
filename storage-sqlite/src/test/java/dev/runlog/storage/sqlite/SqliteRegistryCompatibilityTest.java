package dev.runlog.storage.sqlite;

import dev.runlog.tracking.tck.RegistryStoreCompatibilityKit;
import java.nio.file.Path;

/** The SQLite registry, kept in the tracking database file, keeps the whole registry contract. */
class SqliteRegistryCompatibilityTest extends RegistryStoreCompatibilityKit {
    @Override
    protected String storeUri(Path tempDir) {
        return "sqlite:" + tempDir.resolve("runlog.db");
    }
}
