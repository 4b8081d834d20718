package dev.runlog.registry.internal;

import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.RegistryStoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Keeps one in-memory registry per tracking store that keeps its data in memory
 * ({@link TrackingStore#keepsDataInMemory()}), so that every {@code ModelRegistry.of}
 * on the same tracker sees the same models, and the registry goes when the tracker's store does.
 */
public final class MemoryRegistryStoreProvider implements RegistryStoreProvider {
    // Weak keys: the registry lives exactly as long as the tracking store it belongs to.
    private static final Map<TrackingStore, RegistryStore> REGISTRIES = new WeakHashMap<>();

    /** Asked last: it answers for any in-memory store, so a provider that knows the store comes first. */
    @Override
    public boolean isFallback() {
        return true;
    }

    @Override
    public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
        if (store == null || !store.keepsDataInMemory()) {
            return Optional.empty();
        }
        synchronized (REGISTRIES) {
            return Optional.of(REGISTRIES.computeIfAbsent(store, s -> new InMemoryRegistryStore()));
        }
    }
}
