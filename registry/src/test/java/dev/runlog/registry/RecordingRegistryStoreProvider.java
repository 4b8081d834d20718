package dev.runlog.registry;

import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.RegistryStoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support, registered in META-INF/services: the registry store of the tracking stores a test
 * hands it in {@link #STORES}, a stub that writes "registry closed" to the store's log when closed.
 * One registry store per tracking store, as a real provider gives.
 */
public final class RecordingRegistryStoreProvider implements RegistryStoreProvider {
    /** A tracking store this provider knows, and the log its registry store writes to. */
    static final Map<TrackingStore, List<String>> STORES = new ConcurrentHashMap<>();
    private static final Map<TrackingStore, RegistryStore> GIVEN = new ConcurrentHashMap<>();

    @Override
    public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
        List<String> log = STORES.get(store);
        if (log == null) {
            return Optional.empty();
        }
        return Optional.of(GIVEN.computeIfAbsent(store, s -> (RegistryStore) Proxy.newProxyInstance(RegistryStore.class.getClassLoader(),
                new Class<?>[] {RegistryStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        log.add("registry closed");
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                })));
    }
}
