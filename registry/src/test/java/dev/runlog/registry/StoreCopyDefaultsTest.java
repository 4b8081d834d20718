package dev.runlog.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.spi.TrackingStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** A store that does not implement the import methods refuses a copy by name, before anything is written. */
class StoreCopyDefaultsTest {

    /** A tracking store that does everything the in-memory one does but import: the SPI's defaults answer for that. */
    private static TrackingStore withoutImports(TrackingStore delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("import")) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (TrackingStore) Proxy.newProxyInstance(TrackingStore.class.getClassLoader(),
                new Class<?>[] {TrackingStore.class}, handler);
    }

    @Test
    void aStoreWithoutImportsIsInvalidInputNamingWhatItCannotImport() {
        try (Tracker from = Tracker.inMemory();
             Tracker memory = Tracker.inMemory();
             Tracker to = Tracker.builder().store(withoutImports(TrackerStores.of(memory).tracking()),
                     ArtifactStore.inMemory()).shutdownHook(false).build()) {
            from.run("iris", run -> run.logMetric("acc", 0.9));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> StoreCopy.copy(from, to));
            assertTrue(e.getMessage().endsWith("cannot import experiments"), e.getMessage());
            assertEquals(0, to.listExperiments(ViewType.ALL).size());
            assertThrows(InvalidInputException.class, () -> StoreCopy.copy(from, null));
        }
    }
}
