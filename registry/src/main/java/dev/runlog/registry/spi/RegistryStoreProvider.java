package dev.runlog.registry.spi;

import dev.runlog.tracking.spi.TrackingStore;
import java.util.Optional;

/**
 * Finds the registry kept beside a tracking store. Registered in
 * {@code META-INF/services/dev.runlog.registry.spi.RegistryStoreProvider}; {@code ModelRegistry.of}
 * asks each provider in turn and uses the first answer.
 *
 * <pre>{@code
 * public final class SqliteRegistryStoreProvider implements RegistryStoreProvider {
 *     public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
 *         return store instanceof SqliteTrackingStore sqlite
 *                 ? Optional.of(new SqliteRegistryStore(sqlite.database()))
 *                 : Optional.empty();
 *     }
 * }
 * }</pre>
 */
public interface RegistryStoreProvider {

    /**
     * The registry store sharing {@code store}'s storage, or empty if this provider does not know
     * that kind of tracking store. Two calls with the same tracking store must give stores that see
     * the same data.
     */
    Optional<RegistryStore> forTrackingStore(TrackingStore store);
}
