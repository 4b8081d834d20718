package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitData.bytes;
import static dev.runlog.tracking.tck.KitData.digestsOf;
import static dev.runlog.tracking.tck.KitData.localDigests;
import static dev.runlog.tracking.tck.KitData.writeTree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Loading models: as an interface of the caller's, and into copies the tracker owns and deletes. */
public interface ModelLoadingContract {

    TestModels.LinearModel linear = new TestModels.LinearModel(new double[] {0.5, -1.25}, 0.125);

    /** Every regular file under {@code root}, as real paths. */
    private Set<Path> regularFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            Set<Path> files = new HashSet<>();
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.add(p.toRealPath());
            }
            return files;
        }
    }

    @Test
    @DisplayName("a json model loads as an interface its recorded class implements, by its own flavor or json() named")
    default void jsonAsInterface(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("model", linear);
        TestModels.Predictor loaded = tracker.loadModel(logged.uri(), TestModels.Predictor.class);
        assertEquals(linear, loaded);
        assertEquals(linear.predict(new double[] {2, 4}), loaded.predict(new double[] {2, 4}));
        assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.Predictor.class, ModelFlavor.json()));
    }

    @Test
    @DisplayName("a json model whose recorded class does not implement the interface fails with InvalidInputException naming both")
    default void jsonAsForeignInterface(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("report", new TestModels.EvalReport("m", 0.9, List.of(1, 2), true));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tracker.loadModel(logged.uri(), TestModels.Predictor.class));
        assertMessageContains(e, TestModels.EvalReport.class.getName(), TestModels.Predictor.class.getName());
    }

    @Test
    @DisplayName("files-flavor loads are copies of their own in the tracker's loaded-model directory, valid until close, which empties it")
    default void filesCopiesLiveUntilClose(StoreHarness kit) throws IOException {
        Path loadedModels = kit.newDirectory("loaded-models");
        Tracker owner = kit.newTracker(builder -> builder.loadedModelDirectory(loadedModels));
        byte[] onnx = bytes(5_000, 21);
        Map<String, byte[]> tree = Map.of("weights.bin", bytes(3_000, 22), "config/labels.txt", bytes(40, 23));
        ActiveRun run = owner.startRun("iris");
        LoggedModel file = run.logModel("onnx", kit.newFile("model.onnx", onnx));
        LoggedModel dir = run.logModel("djl", writeTree(kit.newDirectory("source").resolve("djl-model"), tree));
        LoggedModel json = run.logModel("json", linear);
        List<Path> loaded = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            loaded.add(owner.loadModel(file.uri(), Path.class));
            loaded.add(owner.loadModel(dir.uri(), Path.class));
            assertEquals(linear, owner.loadModel(json.uri(), TestModels.LinearModel.class));
        }
        assertEquals(4, new HashSet<>(loaded).size(), () -> "each load gets a copy of its own: " + loaded);
        for (int i = 0; i < 4; i += 2) {
            assertArrayEquals(onnx, Files.readAllBytes(loaded.get(i)), "still valid after later loads");
            assertEquals(digestsOf(tree), localDigests(loaded.get(i + 1)));
        }
        Set<Path> copied = new HashSet<>();
        for (Path p : loaded) {
            copied.addAll(regularFiles(p));
        }
        assertEquals(copied, regularFiles(loadedModels), "the json loads left no file; every file is a copy handed out");

        owner.close();
        loaded.forEach(p -> assertFalse(Files.exists(p), () -> p + " outlived its tracker"));
        try (Stream<Path> left = Files.list(loadedModels)) {
            assertEquals(List.of(), left.toList(), "close leaves nothing in the loaded-model directory");
        }
    }

    @Test
    @DisplayName("by default the copies live in a runlog-loads-* directory of java.io.tmpdir, deleted when the tracker closes")
    default void defaultDirectory(Tracker tracker, StoreHarness kit) throws IOException {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel file = run.logModel("onnx", kit.newFile("model.onnx", bytes(100, 24)));
        Path loaded = tracker.loadModel(file.uri(), Path.class);
        Path dir = loaded;
        while (dir != null && !dir.getFileName().toString().startsWith("runlog-loads-")) {
            dir = dir.getParent();
        }
        Path owned = dir;
        assertNotNull(owned, () -> loaded + " is not in a runlog-loads-* directory");
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toRealPath(), owned.getParent().toRealPath());
        tracker.close();
        assertFalse(Files.exists(owned), () -> owned + " outlived its tracker");
    }
}
