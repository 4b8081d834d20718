package dev.runlog.tracking.spi;

import dev.runlog.tracking.spi.InputRules;

/**
 * Opens the stores for one URI scheme. Registered in
 * {@code META-INF/services/dev.runlog.tracking.spi.StoreProvider} and found through
 * {@link java.util.ServiceLoader} when {@code Tracker.open(uri)} sees the scheme.
 *
 * <pre>{@code
 * public final class SqliteStoreProvider implements StoreProvider {
 *     public String scheme() { return "sqlite"; }
 *     public Stores open(String uri) { ... }
 * }
 * }</pre>
 */
public interface StoreProvider {

    /** The URI scheme handled, lowercase, without the colon: {@code "sqlite"}. */
    String scheme();

    /**
     * Opens the stores for {@code uri}, whose scheme is {@link #scheme()}.
     *
     * @throws dev.runlog.tracking.InvalidInputException if the rest of the URI is malformed
     * @throws dev.runlog.tracking.StoreException        if the store cannot be opened
     */
    Stores open(String uri);

    /** The two stores a tracker works with; the tracker closes both. */
    record Stores(TrackingStore tracking, ArtifactStore artifacts) {
        public Stores {
            InputRules.notNull("tracking", tracking);
            InputRules.notNull("artifacts", artifacts);
        }
    }
}
