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

    /**
     * As {@link #open}, except that a store that is not there yet is not made: for readers (a
     * dashboard, a command that only reads) that must not turn a mistyped location into a new,
     * empty store that every read then reports as empty. The default cannot tell, and opens as
     * {@link #open} does; a store that can tell overrides it (Runlog's SQLite store checks for its
     * file, its PostgreSQL store for its tables).
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no store at {@code uri}, naming
     *                                                where it looked
     */
    default Stores openExisting(String uri) {
        return open(uri);
    }

    /** The two stores a tracker works with; the tracker closes both. */
    record Stores(TrackingStore tracking, ArtifactStore artifacts) {
        public Stores {
            InputRules.notNull("tracking", tracking);
            InputRules.notNull("artifacts", artifacts);
        }
    }
}
