package dev.runlog.storage.postgres.internal;

import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.RegistryStoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/** The registry of a PostgreSQL tracking store lives in the same database. */
public final class PgRegistryStoreProvider implements RegistryStoreProvider {
    // One registry store per tracking store, however often a registry is made for it; weak keys so it goes with it.
    private static final Map<TrackingStore, RegistryStore> REGISTRIES = new WeakHashMap<>();

    @Override
    public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
        return store instanceof PgTrackingStore pg ? Optional.of(registryOf(pg)) : Optional.empty();
    }

    private static synchronized RegistryStore registryOf(PgTrackingStore store) {
        return REGISTRIES.computeIfAbsent(store, s -> new PgRegistryStore(store.database()));
    }
}
