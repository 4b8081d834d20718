package dev.runlog.storage.sqlite;

import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.tck.StoreSpiCompatibilityKit;
import java.nio.file.Path;

/** The SQLite store, and the registry in its database file, keep the contract a tracker cannot reach. */
class SqliteStoreSpiCompatibilityTest extends StoreSpiCompatibilityKit {
    @Override
    protected StoreProvider.Stores openStores(Path dir) {
        return openByUri("sqlite:" + dir.resolve("runlog.db"));
    }
}
