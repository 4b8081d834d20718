package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.Tracker;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Discovery: the registry is found through the tracker, and every instance sees the same data. */
public interface RegistryDiscoveryContract {

    @Test
    @DisplayName("two ModelRegistry.of on one tracker see each other's changes")
    default void sameStore(Tracker tracker, ModelRegistry registry, StoreHarness kit) {
        ModelRegistry other = ModelRegistry.of(tracker);
        registerNew(kit, "iris", 1);
        assertEquals(1, other.getVersion("iris", 1).version());
        other.setAlias("iris", "champion", 1);
        assertEquals(1, registry.getByAlias("iris", "champion").version());
        assertEquals(registry.history("iris"), other.history("iris"));
    }

    @Test
    @DisplayName("a fresh store's registry is empty")
    default void freshIsEmpty(ModelRegistry registry) {
        assertEquals(List.of(), registry.searchModels(null));
        assertEquals(List.of(), registry.searchVersions(null));
    }
}
