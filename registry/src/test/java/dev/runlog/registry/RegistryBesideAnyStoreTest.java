package dev.runlog.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackerAccess;
import dev.runlog.tracking.spi.TrackingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The registry works through the SPI alone: a tracker of any class that offers TrackerAccess gets a
 * registry, a tracking store of any class that keeps its data in memory gets the in-memory registry,
 * and the registry store a provider gives is closed with the tracker, before the tracker's own stores.
 */
class RegistryBesideAnyStoreTest {

    @Test
    void aStoreOfAnyClassThatKeepsItsDataInMemoryGetsOneInMemoryRegistry() {
        TrackingStore store = wrapped(memoryStore(), true, new CopyOnWriteArrayList<>());
        try (Tracker tracker = Tracker.builder().store(store, ArtifactStore.inMemory()).shutdownHook(false).build()) {
            ModelRegistry.of(tracker).createModel("iris");
            // A second registry on the same tracker sees the model: one registry per tracking store.
            assertEquals("iris", ModelRegistry.of(tracker).getModel("iris").name());
        }
    }

    @Test
    void aStoreThatKeepsItsDataElsewhereGetsNoInMemoryRegistry() {
        TrackingStore store = wrapped(memoryStore(), false, new CopyOnWriteArrayList<>());
        try (Tracker tracker = Tracker.builder().store(store, ArtifactStore.inMemory()).shutdownHook(false).build()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelRegistry.of(tracker));
            assertTrue(e.getMessage().contains("RegistryStoreProvider"), e.getMessage());
        }
    }

    @Test
    void theRegistryStoreIsClosedOnceWithTheTrackerBeforeTheTrackingStore() {
        List<String> log = new CopyOnWriteArrayList<>();
        TrackingStore store = wrapped(memoryStore(), false, log);
        RecordingRegistryStoreProvider.STORES.put(store, log);
        try {
            Tracker tracker = Tracker.builder().store(store, ArtifactStore.inMemory()).shutdownHook(false).build();
            ModelRegistry.of(tracker);
            ModelRegistry.of(tracker);
            assertEquals(List.of(), log);
            tracker.close();
            assertEquals(List.of("registry closed", "tracking closed"), log);
        } finally {
            RecordingRegistryStoreProvider.STORES.remove(store);
        }
    }

    @Test
    void aTrackerOfAnotherImplementationThatOffersTrackerAccessGetsAWorkingRegistry() {
        try (Tracker real = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            // Another implementation of Tracker: it forwards every call, and offers TrackerAccess.
            Tracker other = (Tracker) Proxy.newProxyInstance(Tracker.class.getClassLoader(),
                    new Class<?>[] {Tracker.class, TrackerAccess.class}, (proxy, method, args) -> {
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            String runId = other.run("iris", r -> r.logModel("model", Map.of("w", 1.5))).info().id();
            ModelRegistry registry = ModelRegistry.of(other);
            ModelVersion v = registry.register("iris", "runs:/" + runId + "/model");
            assertEquals(1, v.version());
            assertEquals(Map.of("w", 1.5), registry.load("models:/iris/1", Map.class));
        }
    }

    /** The in-memory tracking store, opened as any store is: through its provider. */
    private static TrackingStore memoryStore() {
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
            if (provider.scheme().equals("memory")) {
                StoreProvider.Stores stores = provider.open("memory:");
                stores.artifacts().close();
                return stores.tracking();
            }
        }
        throw new AssertionError("no memory: provider");
    }

    /**
     * A tracking store of another class than any Runlog ships, answering {@code keepsDataInMemory}
     * as told and writing "tracking closed" to {@code log} when closed.
     */
    private static TrackingStore wrapped(TrackingStore delegate, boolean inMemory, List<String> log) {
        return (TrackingStore) Proxy.newProxyInstance(TrackingStore.class.getClassLoader(),
                new Class<?>[] {TrackingStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "keepsDataInMemory":
                            return inMemory;
                        case "close":
                            log.add("tracking closed");
                            break;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            break;
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
