package dev.runlog.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.RegistryStoreProvider;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry stores are found by the same rule as tracking stores: the thread's context class loader
 * first (a container's application loader sees plugins Runlog's own loader cannot), then Runlog's.
 */
class RegistryStoreLookupTest {
    /** Set when {@link ContextOnlyProvider} is asked; it is registered only where the context loader sees it. */
    static final AtomicBoolean ASKED = new AtomicBoolean();

    /** A provider that knows no store: it only records that the registry asked it. */
    public static final class ContextOnlyProvider implements RegistryStoreProvider {
        @Override
        public Optional<RegistryStore> forTrackingStore(TrackingStore store) {
            ASKED.set(true);
            return Optional.empty();
        }
    }

    @Test
    void aProviderListedOnlyForTheContextClassLoaderIsAsked(@TempDir Path services) throws Exception {
        Path listing = services.resolve("META-INF/services/" + RegistryStoreProvider.class.getName());
        Files.createDirectories(listing.getParent());
        Files.writeString(listing, ContextOnlyProvider.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        StoreProvider.Stores memory = memoryStores();
        try (URLClassLoader application = new URLClassLoader(new URL[] {services.toUri().toURL()}, previous);
                Tracker tracker = Tracker.builder().store(unknownKind(memory.tracking()), memory.artifacts()).build()) {
            thread.setContextClassLoader(application);
            assertThrows(InvalidInputException.class, () -> ModelRegistry.of(tracker));
        } finally {
            thread.setContextClassLoader(previous);
        }
        assertTrue(ASKED.get(), "the provider the context class loader lists was not asked");
    }

    @Test
    void aProviderThatKnowsAnInMemoryStoreIsAskedBeforeTheBuiltInInMemoryRegistry(@TempDir Path services) throws Exception {
        // A loader that lists the built-in in-memory provider before every other one, as the module
        // path may: the provider that knows the store must still answer.
        String name = "META-INF/services/" + RegistryStoreProvider.class.getName();
        Path listing = services.resolve(name);
        Files.createDirectories(listing.getParent());
        Files.writeString(listing, "dev.runlog.registry.internal.MemoryRegistryStoreProvider\n");
        URL first = listing.toUri().toURL();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader builtInFirst = new ClassLoader(previous) {
            @Override
            public Enumeration<URL> getResources(String resource) throws IOException {
                List<URL> urls = new ArrayList<>();
                if (resource.equals(name)) {
                    urls.add(first);
                }
                urls.addAll(Collections.list(super.getResources(resource)));
                return Collections.enumeration(urls);
            }
        };
        StoreProvider.Stores memory = memoryStores();
        RecordingRegistryStoreProvider.STORES.put(memory.tracking(), new CopyOnWriteArrayList<>());
        try (Tracker tracker = Tracker.builder().store(memory.tracking(), memory.artifacts()).build()) {
            thread.setContextClassLoader(builtInFirst);
            RegistryStore store = RegistryStore.of(tracker);
            assertTrue(Proxy.isProxyClass(store.getClass()),
                    "the provider that knows the store answers, not the built-in in-memory registry: " + store.getClass());
        } finally {
            thread.setContextClassLoader(previous);
            RecordingRegistryStoreProvider.STORES.remove(memory.tracking());
        }
    }

    private static StoreProvider.Stores memoryStores() {
        return ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.scheme().equals("memory")).findFirst().orElseThrow().open("memory:");
    }

    /**
     * An in-memory tracking store behind a proxy that says its data lives elsewhere, so no provider
     * Runlog ships claims it.
     */
    private static TrackingStore unknownKind(TrackingStore memory) {
        return (TrackingStore) Proxy.newProxyInstance(TrackingStore.class.getClassLoader(),
                new Class<?>[] {TrackingStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("keepsDataInMemory")) {
                        return false;
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
