package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.CountingJsonFlavor;
import static dev.runlog.tracking.tck.RegistryKitData.FAST_POLL;
import static dev.runlog.tracking.tck.RegistryKitData.RecordingListener;
import static dev.runlog.tracking.tck.RegistryKitData.await;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Live deployment: a handle follows its stage or alias, swapping models in the background. */
public interface RegistryDeploymentContract {

    DeployOptions fast = DeployOptions.defaults().pollInterval(FAST_POLL);

    /** Registers json models {@code {"id": 1}} to {@code {"id": count}} as versions 1 to count of "m". */
    private static void registerMaps(StoreHarness kit, int count) {
        for (int id = 1; id <= count; id++) {
            registerMap(kit, id);
        }
    }

    /** Registers a json model {@code {"id": id}} as the next version of "m". */
    private static void registerMap(StoreHarness kit, int id) {
        kit.registry().register("m", logModel(kit, Map.of("id", id)));
    }

    /**
     * Registers json models {@code {"id": 1}} to {@code {"id": count}} as versions 1 to count of "m",
     * moves version 1 to Production, and deploys a handle following {@code models:/m/Production}
     * with {@code options}, which {@code listener} hears; the handle is closed after the test.
     */
    private static DeployedModel<Map<?, ?>> followProduction(StoreHarness kit, int count, DeployOptions options,
            RecordingListener listener) {
        registerMaps(kit, count);
        kit.registry().transition("m", 1, Stage.PRODUCTION);
        return watch(kit, "models:/m/Production", options, listener);
    }

    /**
     * Registers json models as {@link #followProduction} does, points alias "champion" at version 1,
     * and deploys a handle following {@code models:/m@champion} with {@code options}, which
     * {@code listener} hears; the handle is closed after the test.
     */
    private static DeployedModel<Map<?, ?>> followChampion(StoreHarness kit, int count, DeployOptions options,
            RecordingListener listener) {
        registerMaps(kit, count);
        kit.registry().setAlias("m", "champion", 1);
        return watch(kit, "models:/m@champion", options, listener);
    }

    /** Deploys {@code uri} as maps with {@code options}, which {@code listener} hears; closed after the test. */
    private static DeployedModel<Map<?, ?>> watch(StoreHarness kit, String uri, DeployOptions options,
            RecordingListener listener) {
        DeployedModel<Map<?, ?>> handle = kit.closeAfter(kit.registry().deploy(uri, mapType(), options));
        handle.addListener(listener);
        return handle;
    }

    /**
     * Waits until {@code handle} serves version {@code to}, which loads as {@code {"id": to}}, and
     * {@code listener} has heard of the one swap, from version {@code from}.
     */
    private static void assertSwapped(DeployedModel<Map<?, ?>> handle, RecordingListener listener, int from, int to) {
        await("the handle serves version " + to, () -> handle.version().version() == to);
        assertEquals(Map.of("id", to), handle.get());
        await("the listener hears of the swap", () -> !listener.swaps.isEmpty());
        assertEquals(List.of(from + "->" + to), listener.swaps);
    }

    @Test
    @DisplayName("deploy by stage serves the stage's version; after a promotion the handle swaps within the deadline")
    default void followsStage(ModelRegistry registry, StoreHarness kit) {
        RecordingListener listener = new RecordingListener();
        DeployedModel<Map<?, ?>> handle = followProduction(kit, 2, fast, listener);
        assertEquals("models:/m/Production", handle.uri());
        assertEquals(Map.of("id", 1), handle.get());
        assertEquals(registry.getVersion("m", 1), handle.version());

        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        assertSwapped(handle, listener, 1, 2);
        assertEquals(List.of(), listener.failures);
    }

    @Test
    @DisplayName("deploy(name, stage, type) and deploy(name, alias, type) name their URI and serve the version now there")
    default void convenienceOverloads(ModelRegistry registry, StoreHarness kit) {
        registerMaps(kit, 2);
        registry.transition("m", 2, Stage.PRODUCTION);
        registry.setAlias("m", "champion", 1);
        DeployedModel<Map<?, ?>> byStage = kit.closeAfter(registry.deploy("m", Stage.PRODUCTION, mapType()));
        assertEquals("models:/m/Production", byStage.uri());
        assertEquals(2, byStage.version().version());
        assertEquals(Map.of("id", 2), byStage.get());
        DeployedModel<Map<?, ?>> byAlias = kit.closeAfter(registry.deploy("m", "champion", mapType()));
        assertEquals("models:/m@champion", byAlias.uri());
        assertEquals(Map.of("id", 1), byAlias.get());
        assertEquals(1, byAlias.version().version());
    }

    @Test
    @DisplayName("deploy by alias follows the alias when it moves")
    default void followsAlias(ModelRegistry registry, StoreHarness kit) {
        RecordingListener listener = new RecordingListener();
        DeployedModel<Map<?, ?>> handle = followChampion(kit, 2, fast, listener);
        assertEquals(Map.of("id", 1), handle.get());
        registry.setAlias("m", "champion", 2);
        assertSwapped(handle, listener, 1, 2);
    }

    @Test
    @DisplayName("refresh() swaps at once and returns true; false when nothing changed")
    default void refresh(ModelRegistry registry, StoreHarness kit) {
        registerMaps(kit, 2);
        registry.transition("m", 1, Stage.STAGING);
        // An hour between polls: only refresh() can make this handle swap during the test.
        RecordingListener listener = new RecordingListener();
        DeployedModel<Map<?, ?>> handle = watch(kit, "models:/m/Staging",
                DeployOptions.defaults().pollInterval(Duration.ofHours(1)), listener);
        assertFalse(handle.refresh(), "nothing changed yet");
        registry.transition("m", 2, Stage.STAGING, TransitionOptions.archiveExisting());
        // No poll runs, but a store that reports changes as they commit (RegistryStore.subscribe,
        // PostgreSQL) may have had the handle swap already; refresh() then waits for that swap.
        assertTrue(handle.refresh() || listener.swaps.equals(List.of("1->2")), "refresh() swapped, or the store's report did");
        assertEquals(2, handle.version().version());
        assertEquals(Map.of("id", 2), handle.get());
        assertEquals(List.of("1->2"), listener.swaps, "listeners hear of swaps made by refresh()");
        assertFalse(handle.refresh());
        assertEquals(List.of("1->2"), listener.swaps);
    }

    @Test
    @DisplayName("a version that fails to load leaves the old one serving and is reported once over several polls")
    default void loadFailureKeepsOldModel(ModelRegistry registry, StoreHarness kit) {
        CountingJsonFlavor flavor = new CountingJsonFlavor();
        RecordingListener listener = new RecordingListener();
        DeployedModel<Map<?, ?>> handle = followProduction(kit, 1, fast.flavor(flavor), listener);

        // A json array: a valid model, but not one that reads as a Map.
        registry.register("m", logModel(kit, List.of(1, 2, 3)));
        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        await("the failed load is reported", () -> !listener.failures.isEmpty());
        int loadsAtFailure = flavor.loads.get();
        await("three more polls try version 2", () -> flavor.loads.get() >= loadsAtFailure + 3);
        assertFalse(handle.refresh(), "refresh() cannot load version 2 either");
        assertFalse(handle.refresh());
        assertEquals(1, listener.failures.size(), () -> "reported once, not at every poll: " + listener.failures);
        Map.Entry<ModelVersion, RuntimeException> failure = listener.failures.get(0);
        assertEquals(registry.getVersion("m", 2), failure.getKey());
        assertTrue(failure.getValue() instanceof RunlogException, () -> "a Runlog exception: " + failure.getValue());
        assertEquals(Map.of("id", 1), handle.get(), "the old model keeps serving");
        assertEquals(1, handle.version().version());
        assertEquals(List.of(), listener.swaps);

        registerMap(kit, 3);
        registry.transition("m", 3, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        assertSwapped(handle, listener, 1, 3);
        assertEquals(1, listener.failures.size());
    }

    @Test
    @DisplayName("a flavor that throws is reported once as the failure of that version; the old model keeps serving")
    default void throwingFlavor(ModelRegistry registry, StoreHarness kit) {
        AtomicBoolean broken = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        ModelFlavor flaky = new ModelFlavor() {
            @Override
            public String name() {
                return "json";
            }

            @Override
            public Map<String, String> save(Object model, Path directory) throws java.io.IOException {
                return ModelFlavor.json().save(model, directory);
            }

            @Override
            public <T> T load(Path directory, Class<T> type) throws java.io.IOException {
                if (broken.get()) {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("the model server ran out of memory");
                }
                return ModelFlavor.json().load(directory, type);
            }
        };
        RecordingListener listener = new RecordingListener();
        DeployedModel<Map<?, ?>> handle = followChampion(kit, 1, fast.flavor(flaky), listener);
        broken.set(true);
        registerMap(kit, 2);
        registry.setAlias("m", "champion", 2);
        await("three polls try version 2", () -> attempts.get() >= 3);
        assertEquals(1, listener.failures.size(), () -> "reported once: " + listener.failures);
        assertEquals(2, listener.failures.get(0).getKey().version());
        assertMessageContains(listener.failures.get(0).getValue(), "ran out of memory");
        assertEquals(Map.of("id", 1), handle.get());

        broken.set(false);
        await("the handle serves version 2 once it loads", () -> handle.version().version() == 2);
        assertEquals(Map.of("id", 2), handle.get());
    }

    @Test
    @DisplayName("a stage that empties is reported once, with no version; the old model keeps serving")
    default void stageEmpties(ModelRegistry registry, StoreHarness kit) {
        RecordingListener listener = new RecordingListener();
        DeployedModel<Map<?, ?>> handle = followProduction(kit, 1, fast, listener);
        registry.transition("m", 1, Stage.ARCHIVED);
        await("the empty stage is reported", () -> !listener.failures.isEmpty());
        // Explicit checks as well as background polls: each must not report it again.
        for (int i = 0; i < 3; i++) {
            assertFalse(handle.refresh());
        }
        assertEquals(1, listener.failures.size(), () -> "reported once: " + listener.failures);
        assertNull(listener.failures.get(0).getKey(), "no version could be resolved");
        assertTrue(listener.failures.get(0).getValue() instanceof NotFoundException,
                () -> "NotFoundException: " + listener.failures.get(0).getValue());
        assertEquals(Map.of("id", 1), handle.get());
        assertEquals(1, handle.version().version());

        registerMap(kit, 2);
        registry.transition("m", 2, Stage.PRODUCTION);
        await("the handle serves version 2", () -> handle.version().version() == 2);
    }

    @Test
    @DisplayName("a model deleted and registered again under the handle is followed: its new version 1 is another model")
    default void followsRecreatedModel(ModelRegistry registry, StoreHarness kit) {
        DeployedModel<Map<?, ?>> handle = followProduction(kit, 1, fast, new RecordingListener());
        registry.deleteModel("m");
        registerMap(kit, 2);
        registry.transition("m", 1, Stage.PRODUCTION);
        // Same name and number as before: only the source tells the versions apart.
        await("the handle serves the new version 1", () -> Map.of("id", 2).equals(handle.get()));
        assertEquals(registry.getVersion("m", 1), handle.version());
    }

    @Test
    @DisplayName("deploy of an empty stage, a missing alias or a missing model fails with NotFoundException")
    default void deployNothing(ModelRegistry registry, StoreHarness kit) {
        registerMaps(kit, 1);
        assertThrowsWith(NotFoundException.class,
                () -> registry.deploy("models:/m/Production", mapType(), fast), "'m'", "Production");
        assertThrowsWith(NotFoundException.class, () -> registry.deploy("m", Stage.STAGING, Map.class), "Staging");
        assertThrowsWith(NotFoundException.class,
                () -> registry.deploy("models:/m@champion", mapType(), fast), "'champion'");
        assertThrowsWith(NotFoundException.class,
                () -> registry.deploy("models:/ghost/1", mapType(), fast), "'ghost'");
    }

    @Test
    @DisplayName("deploy of a version that cannot be loaded as the type fails at once")
    default void deployUnloadable(ModelRegistry registry, StoreHarness kit) {
        registry.register("m", logModel(kit, List.of(1, 2)));
        assertThrows(InvalidInputException.class, () -> registry.deploy("models:/m/1", mapType(), fast));
    }

    @Test
    @DisplayName("close() stops the swapping; the handle keeps serving the last model")
    default void closeStops(ModelRegistry registry, StoreHarness kit) throws InterruptedException {
        CountingJsonFlavor flavor = new CountingJsonFlavor();
        RecordingListener listener = new RecordingListener();
        DeployedModel<Map<?, ?>> handle = followProduction(kit, 2, fast.flavor(flavor), listener);
        handle.close();
        int loads = flavor.loads.get();
        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        // A negative can only be watched for a while: 12 poll intervals, well past when an
        // open handle swaps (see followsStage).
        Thread.sleep(FAST_POLL.toMillis() * 12);
        assertEquals(1, handle.version().version());
        assertEquals(Map.of("id", 1), handle.get());
        assertEquals(loads, flavor.loads.get(), "a closed handle loads nothing");
        assertEquals(List.of(), listener.swaps);
    }

    @Test
    @DisplayName("DeployOptions refuses a poll interval under 10 ms")
    default void pollIntervalFloor() {
        assertThrowsWith(InvalidInputException.class,
                () -> DeployOptions.defaults().pollInterval(Duration.ofMillis(9)), "10 ms");
        assertEquals(Duration.ofSeconds(1), DeployOptions.defaults().pollInterval());
    }

    /** {@code Map.class} as the type of the maps the models load as, so handles need no raw types. */
    @SuppressWarnings("unchecked")
    private static Class<Map<?, ?>> mapType() {
        return (Class<Map<?, ?>>) (Class<?>) Map.class;
    }
}
