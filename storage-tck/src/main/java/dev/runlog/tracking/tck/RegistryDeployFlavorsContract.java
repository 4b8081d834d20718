package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertThrowsWith;
import static dev.runlog.tracking.tck.RegistryKitData.EXPERIMENT;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ClassNotAllowedException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.tck.other.Calibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Deploying with a flavor by stage or alias, as an interface, and the files-flavor copies a handle owns. */
public interface RegistryDeployFlavorsContract {

    DeployOptions onRefresh = DeployOptions.defaults().pollInterval(Duration.ofHours(1));

    /**
     * Whether {@code refresh()} swapped the handle to {@code version}, or a store that reports changes
     * as they commit (RegistryStore.subscribe, PostgreSQL) had it swap already: no poll runs in an hour.
     */
    static boolean swappedTo(DeployedModel<?> handle, int version) {
        return handle.refresh() || handle.version().version() == version;
    }
    /** Reopens the kit's tracker on a second store with a loaded-model directory of its own, to see what is left there. */
    @BeforeEach
    default void trackerWithLoadedModelDirectory(StoreHarness kit) {
        Path loadedModels = loadedModels(kit);
        kit.reopen(builder -> builder.loadedModelDirectory(loadedModels));
    }

    /** Where the reopened tracker keeps the copies of loaded models. */
    private static Path loadedModels(StoreHarness kit) {
        return kit.fixture("loaded-models", () -> kit.newDirectory("loaded-models"));
    }

    /** Where the tests write the files they log as models. */
    private static Path sources(StoreHarness kit) {
        return kit.fixture("sources", () -> kit.newDirectory("sources"));
    }

    private String logWith(StoreHarness kit, Object model, ModelFlavor flavor) {
        try (ActiveRun run = kit.tracker().startRun(EXPERIMENT)) {
            return run.logModel("model", model, flavor).uri();
        }
    }

    private String logFile(StoreHarness kit, byte[] content) throws IOException {
        return logWith(kit, Files.write(Files.createTempFile(sources(kit), "model", ".onnx"), content), ModelFlavor.files());
    }

    @Test
    @DisplayName("deploy(name, stage or alias, type, options) loads every version with the flavor of DeployOptions: java-serialized with an extra allowed package")
    default void flavorByStageAndAlias(ModelRegistry registry, StoreHarness kit) {
        TestModels.Perceptron first = new TestModels.Perceptron("first", new double[] {1, 1}, List.of("n", "p"),
                new Calibration(2.0, -0.5));
        registry.register("m", logWith(kit, first, ModelFlavor.javaSerialized()));
        registry.transition("m", 1, Stage.PRODUCTION);
        registry.setAlias("m", "champion", 1);
        ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                () -> registry.deploy("m", Stage.PRODUCTION, TestModels.Perceptron.class));
        assertEquals(List.of(Calibration.class.getName()), refused.refusedClasses());

        DeployOptions allowing = onRefresh.flavor(ModelFlavor.javaSerialized(Calibration.class.getPackageName()));
        DeployedModel<TestModels.Perceptron> byStage = kit.closeAfter(
                registry.deploy("m", Stage.PRODUCTION, TestModels.Perceptron.class, allowing));
        DeployedModel<TestModels.Perceptron> byAlias = kit.closeAfter(
                registry.deploy("m", "champion", TestModels.Perceptron.class, allowing));
        assertEquals("models:/m/Production", byStage.uri());
        assertEquals("models:/m@champion", byAlias.uri());
        assertEquals(first, byStage.get());
        assertEquals(first, byAlias.get());

        TestModels.Perceptron second = new TestModels.Perceptron("second", new double[] {1, -1}, List.of("n", "p"),
                new Calibration(3.0, 0.5));
        registry.register("m", logWith(kit, second, ModelFlavor.javaSerialized()));
        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        registry.setAlias("m", "champion", 2);
        assertTrue(swappedTo(byStage, 2));
        assertTrue(swappedTo(byAlias, 2));
        assertEquals(second, byStage.get());
        assertEquals(second, byAlias.get());
    }

    @Test
    @DisplayName("load and deploy a json model as an interface its class implements; a class that does not implement it is refused naming both")
    default void interfaceType(ModelRegistry registry, StoreHarness kit) {
        registerNew(kit, "m", 1);
        registry.transition("m", 1, Stage.PRODUCTION);
        assertEquals(linear(1), registry.load("models:/m/Production", TestModels.Predictor.class));
        DeployedModel<TestModels.Predictor> handle = kit.closeAfter(
                registry.deploy("m", Stage.PRODUCTION, TestModels.Predictor.class, onRefresh));
        assertEquals(linear(1), handle.get());
        registerNew(kit, "m", 2);
        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        assertTrue(swappedTo(handle, 2));
        assertEquals(linear(2).predict(new double[] {1, 1}), handle.get().predict(new double[] {1, 1}));

        registry.register("m", logModel(kit, new TestModels.EvalReport("m", 0.5, List.of(), false)));
        assertThrowsWith(InvalidInputException.class, () -> registry.load("models:/m/3", TestModels.Predictor.class),
                TestModels.EvalReport.class.getName(), TestModels.Predictor.class.getName());
    }

    @Test
    @DisplayName("a files-flavor handle deletes the copy it swapped away from and, on close, the one it served; closing the tracker leaves nothing")
    default void filesCopies(Tracker tracker, ModelRegistry registry, StoreHarness kit) throws IOException {
        byte[] first = {1, 2, 3};
        byte[] second = {4, 5, 6, 7};
        registry.register("m", logFile(kit, first));
        registry.register("m", logFile(kit, second));
        registry.transition("m", 1, Stage.PRODUCTION);
        DeployedModel<Path> handle = kit.closeAfter(registry.deploy("m", Stage.PRODUCTION, Path.class, onRefresh));
        Path servedFirst = handle.get();
        assertArrayEquals(first, Files.readAllBytes(servedFirst));

        registry.transition("m", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
        assertTrue(swappedTo(handle, 2));
        Path servedSecond = handle.get();
        assertArrayEquals(second, Files.readAllBytes(servedSecond));
        assertFalse(Files.exists(servedFirst), () -> "the copy swapped away from is deleted: " + servedFirst);
        Path loadedDirectly = registry.load("models:/m/1", Path.class);
        assertEquals(Set.of(servedSecond.toRealPath(), loadedDirectly.toRealPath()), filesUnder(loadedModels(kit)),
                "only the served copy and the registry's own load are left");

        handle.close();
        assertFalse(Files.exists(servedSecond), () -> "close deletes the served copy: " + servedSecond);
        assertArrayEquals(first, Files.readAllBytes(loadedDirectly), "a copy loaded through load() is the tracker's");
        tracker.close();
        assertEquals(Set.of(), filesUnder(loadedModels(kit)));
        try (Stream<Path> left = Files.list(loadedModels(kit))) {
            assertEquals(List.of(), left.toList(), "no directory is left behind");
        }
    }

    private Set<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            Set<Path> files = new java.util.HashSet<>();
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.add(p.toRealPath());
            }
            return files;
        }
    }
}
