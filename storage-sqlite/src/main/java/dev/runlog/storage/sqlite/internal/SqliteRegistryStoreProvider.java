package dev.runlog.storage.sqlite.internal;

import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.RegistryStoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/** The registry of a SQLite tracking store lives in the same file: schema migration 4. */
public final class SqliteRegistryStoreProvider implements RegistryStoreProvider {
    // One registry store per tracking store, however often a registry is made for it; weak keys so
    // that it goes with the tracking store.
    private static final Map<TrackingStore, RegistryStore> REGISTRIES = new WeakHashMap<>();

    @Override
    public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
        if (!(store instanceof SqliteTrackingStore sqlite)) {
            return Optional.empty();
        }
        synchronized (REGISTRIES) {
            return Optional.of(REGISTRIES.computeIfAbsent(store, s -> new SqliteRegistryStore(sqlite.database())));
        }
    }
}
