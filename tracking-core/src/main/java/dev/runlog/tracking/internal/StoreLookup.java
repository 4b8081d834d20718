package dev.runlog.tracking.internal;

import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Plugins;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.StoreProvider;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the store for a URI among the {@link StoreProvider}s that {@link Plugins} finds. */
public final class StoreLookup {
    /** Stores Runlog ships, so a missing one can be named with the module that brings it. */
    private static final Map<String, String> KNOWN_MODULES = Map.of(
            "sqlite", "dev.runlog:storage-sqlite",
            "postgresql", "dev.runlog:storage-postgres",
            "postgres", "dev.runlog:storage-postgres",
            "memory", "dev.runlog:tracking-core");

    private StoreLookup() {
    }

    /** The URI {@link Tracker#open()} uses: system property, then environment, then the default. */
    public static String defaultUri() {
        return defaultUri(System.getProperty(Tracker.URI_PROPERTY), System.getenv(Tracker.URI_ENV));
    }

    static String defaultUri(String property, String environment) {
        String uri = property == null || property.isBlank() ? environment : property;
        return uri == null || uri.isBlank() ? Tracker.DEFAULT_URI : uri.trim();
    }

    public static String scheme(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new InvalidInputException("Tracking URI '" + InputRules.hideCredentials(uri)
                    + "' has no scheme; write it as scheme:location, such as memory: or sqlite:runlog.db");
        }
        return uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** The stores for {@code uri}; with {@code create} false, only a store that is there already ({@link StoreProvider#openExisting}). */
    public static StoreProvider.Stores open(String uri, boolean create) {
        String scheme = scheme(uri);
        StoreProvider provider = Plugins.providerFor(providers(), StoreProvider::scheme, scheme, available ->
                new InvalidInputException("No store for scheme '" + scheme + "' (tracking URI '" + InputRules.hideCredentials(uri) + "'): "
                        + Plugins.moduleHint(KNOWN_MODULES.getOrDefault(scheme, ""), "to the classpath",
                        "check the spelling or add the store's module")
                        + ". Schemes found now: " + String.join(", ", available)));
        StoreProvider.Stores stores = create ? provider.open(uri) : provider.openExisting(uri);
        if (stores == null) {
            throw new dev.runlog.tracking.StoreException("The store provider " + provider.getClass().getName() + " of scheme '"
                    + scheme + "' opened no store for '" + InputRules.hideCredentials(uri) + "' (it returned null)");
        }
        return stores;
    }

    private static Iterable<StoreProvider> providers() {
        return Plugins.load(StoreProvider.class, loader -> ServiceLoader.load(StoreProvider.class, loader));
    }
}
