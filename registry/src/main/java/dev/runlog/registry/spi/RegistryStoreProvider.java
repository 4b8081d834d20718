package dev.runlog.registry.spi;

import dev.runlog.tracking.spi.TrackingStore;
import java.util.Optional;

/**
 * Finds the registry kept beside a tracking store. Registered in
 * {@code META-INF/services/dev.runlog.registry.spi.RegistryStoreProvider}; {@code ModelRegistry.of}
 * asks each provider in turn, in the order {@link dev.runlog.tracking.spi.Plugins} finds them, and
 * uses the first answer. A tracking store that
 * {@link TrackingStore#keepsDataInMemory() keeps its data in memory} needs no provider: the registry
 * keeps an in-memory registry beside it, built in, whose provider is a {@linkplain #isFallback()
 * fallback}, asked after every other one, so a provider that knows such a store (a decorator's) is
 * used on the class path and the module path alike.
 *
 * <pre>{@code
 * public final class SqliteRegistryStoreProvider implements RegistryStoreProvider {
 *     public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
 *         return store instanceof SqliteTrackingStore sqlite
 *                 ? Optional.of(registryOf(sqlite))   // one registry store per tracking store
 *                 : Optional.empty();
 *     }
 * }
 * }</pre>
 */
public interface RegistryStoreProvider {

    /**
     * The registry store sharing {@code store}'s storage, or empty if this provider does not know
     * that kind of tracking store. Two calls with the same tracking store must give stores that see
     * the same data; giving the same store object is best, since the tracker keeps each store it is
     * given until it closes, and closes it then.
     */
    Optional<RegistryStore> forTrackingStore(TrackingStore store);

    /**
     * Whether this provider is a fallback, asked only once every other provider has declined: the
     * built-in in-memory registry is one, as it answers for any store that keeps its data in
     * memory. The default, for a provider that knows its own kind of store, is false.
     */
    default boolean isFallback() {
        return false;
    }
}
