package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.artifactDigests;
import static dev.runlog.tracking.tck.KitAssertions.artifactTree;
import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitData.bytes;
import static dev.runlog.tracking.tck.KitData.utf8;
import static dev.runlog.tracking.tck.KitData.writeTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Rule 15b: a logged model is immutable. No artifact write lands in its directory, no model is
 * logged in, at or around it, and a model whose payload does not match its descriptor (missing,
 * partial) never loads. A refused write changes no byte.
 */
public interface ModelImmutabilityContract {

    TestModels.LinearModel original = new TestModels.LinearModel(new double[] {0.5, -1.25}, 0.125);
    TestModels.LinearModel other = new TestModels.LinearModel(new double[] {9.0, 9.0}, 9.0);

    /** Runs {@code write}, expecting a ConflictException naming {@code path}, and checks the model is intact. */
    private void assertRefused(StoreHarness kit, ActiveRun run, LoggedModel model, String path, Executable write) {
        SortedMap<String, String> before = artifactDigests(kit.tracker(), run.id(), model.artifactPath());
        ConflictException e = assertThrows(ConflictException.class, write::execute, path);
        assertMessageContains(e, "'" + path + "'");
        assertEquals(before, artifactDigests(kit.tracker(), run.id(), model.artifactPath()), "no byte of the model changed");
        assertEquals(original, kit.tracker().loadModel(model.uri(), TestModels.LinearModel.class));
    }

    @Test
    @DisplayName("logModel again at a model's path fails with ConflictException naming it; the first model still loads")
    default void relogModel(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("model", original);
        assertRefused(kit, run, logged, "model", () -> run.logModel("./model/", kit.newFile("model.onnx", bytes(10, 1))));
        assertRefused(kit, run, logged, "model", () -> run.logModel("model", other));
        assertEquals(logged, tracker.getLoggedModel(logged.uri()));
    }

    @Test
    @DisplayName("logText, logJson, logArtifact and logArtifacts into a model's directory fail with ConflictException naming the path")
    default void artifactWritesIntoModel(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("model", original);
        String payload = artifactTree(tracker, run.id(), "model/data").values().iterator().next().path();
        Path tree = writeTree(kit.newDirectory("tree"), Map.of("model/data/extra.bin", bytes(10, 2), "ok/a.txt", bytes(5, 3)));
        assertRefused(kit, run, logged, payload, () -> run.logText("{\"weights\":[9.0,9.0],\"bias\":9.0}", payload));
        assertRefused(kit, run, logged, "model/MLmodel.json", () -> run.logText("{}", "model/MLmodel.json"));
        assertRefused(kit, run, logged, "model/data/notes.json", () -> run.logJson(Map.of("a", 1), "model/data/notes.json"));
        assertRefused(kit, run, logged, "model/MLmodel.json", () -> run.logArtifact(kit.newFile("MLmodel.json", bytes(10, 4)), "model"));
        assertRefused(kit, run, logged, "model/data/extra.bin", () -> run.logArtifacts(tree.resolve("model"), "model"));
        assertRefused(kit, run, logged, "model/data/extra.bin", () -> run.logArtifacts(tree, ""));
        assertFalse(artifactTree(tracker, run.id(), "").containsKey("ok/a.txt"), "a refused tree stores none of its files");
    }

    @Test
    @DisplayName("a model inside or around a logged one is refused; models and files beside it are fine")
    default void nestedModels(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("models/a", original);
        assertRefused(kit, run, logged, "models/a/inner", () -> run.logModel("models/a/inner", other));
        assertRefused(kit, run, logged, "models", () -> run.logModel("models", other));
        LoggedModel beside = run.logModel("models/b", other);
        run.logText("two models", "models/README.txt");
        run.logText("a prefix is not a directory", "models/ab/notes.txt");
        assertEquals(other, tracker.loadModel(beside.uri(), TestModels.LinearModel.class));
        assertEquals(original, tracker.loadModel(logged.uri(), TestModels.LinearModel.class));
    }

    @Test
    @DisplayName("a model is not logged where artifacts are already: its directory holds the model only")
    default void modelOverArtifacts(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logText("a plot", "plots/c.txt");
        ConflictException e = assertThrows(ConflictException.class, () -> run.logModel("plots", original));
        assertMessageContains(e, "'plots/c.txt'");
        assertThrows(ConflictException.class, () -> run.logModel("plots/c.txt", original));
        assertEquals(List.of("plots/c.txt"), List.copyOf(artifactTree(tracker, run.id(), "").keySet()));
        LoggedModel beside = run.logModel("plotsmodel", original);
        assertEquals(original, tracker.loadModel(beside.uri(), TestModels.LinearModel.class));
    }

    @Test
    @DisplayName("a descriptor whose payload file is missing or partial never loads: IntegrityException naming the file")
    default void halfWrittenModel(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("model", original);
        String descriptor = utf8(tracker.openArtifact(run.id(), "model/MLmodel.json"));
        String payloadFile = artifactTree(tracker, run.id(), "model/data").firstKey();
        // What a write cut short by a crash would leave if a descriptor went first: no payload, or part of it.
        run.logText(at(descriptor, "missing"), "missing/MLmodel.json");
        run.logText("{\"weigh", "partial/data/" + payloadFile);
        run.logText(at(descriptor, "partial"), "partial/MLmodel.json");
        for (String path : List.of("missing", "partial")) {
            IntegrityException e = assertThrows(IntegrityException.class,
                    () -> tracker.loadModel("runs:/" + run.id() + "/" + path, TestModels.LinearModel.class), path);
            assertMessageContains(e, path + "/data/" + payloadFile);
        }
    }

    /** The descriptor as one logged at {@code path} would be: a descriptor names the path it lies at. */
    private static String at(String descriptor, String path) {
        return descriptor.replaceAll("\"artifact_path\"\\s*:\\s*\"model\"", "\"artifact_path\": \"" + path + "\"");
    }
}
