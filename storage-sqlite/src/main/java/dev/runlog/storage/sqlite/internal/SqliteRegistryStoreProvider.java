package dev.runlog.storage.sqlite.internal;

import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.RegistryStoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.util.Optional;

/** The registry of a SQLite tracking store lives in the same file: schema migration 4. */
public final class SqliteRegistryStoreProvider implements RegistryStoreProvider {
    @Override
    public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
        return store instanceof SqliteTrackingStore sqlite
                ? Optional.of(new SqliteRegistryStore(sqlite.database()))
                : Optional.empty();
    }
}
