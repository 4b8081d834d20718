package dev.runlog.tracking.spi;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Opens artifact stores for one location scheme, such as {@code s3}: what a store URI's
 * {@code ?artifacts=s3://bucket/prefix} names. Registered in
 * {@code META-INF/services/dev.runlog.tracking.spi.ArtifactStoreProvider} (or, in a module, with
 * {@code provides dev.runlog.tracking.spi.ArtifactStoreProvider with ...;}) and found through
 * {@link Plugins}, like a {@link StoreProvider}. Stores never call a provider themselves: they call
 * {@link ArtifactStores#open(String, Map)}, which picks it.
 */
public interface ArtifactStoreProvider {

    /** The location scheme handled, lowercase, without the colon: {@code "s3"}. */
    String scheme();

    /**
     * The names of the options {@link #open} takes, such as {@code endpoint} or {@code region}: a
     * store hands these from its own URI's query to the artifact store and refuses any other name
     * it does not know itself. The default takes none.
     */
    default Set<String> optionNames() {
        return Set.of();
    }

    /**
     * Opens the artifact store at {@code location}, whose scheme is {@link #scheme()}. No network
     * or disk access is required here; a location that cannot be reached fails on first use.
     *
     * @param options only names from {@link #optionNames()}, each with a non-empty value
     * @throws dev.runlog.tracking.InvalidInputException if the location or an option is malformed
     * @throws dev.runlog.tracking.StoreException        if the store cannot be opened
     */
    ArtifactStore open(URI location, Map<String, String> options);
}
