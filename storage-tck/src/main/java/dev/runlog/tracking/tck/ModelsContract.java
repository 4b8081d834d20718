package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.artifactTree;
import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.assertRefusedStoringNothing;
import static dev.runlog.tracking.tck.KitData.SHA256_HEX;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static dev.runlog.tracking.tck.KitData.bytes;
import static dev.runlog.tracking.tck.KitData.compactJson;
import static dev.runlog.tracking.tck.KitData.digestsOf;
import static dev.runlog.tracking.tck.KitData.localDigests;
import static dev.runlog.tracking.tck.KitData.utf8;
import static dev.runlog.tracking.tck.KitData.writeTree;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ClassNotAllowedException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.ModelSignature;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.tck.other.Calibration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rule 15: models are logged with a flavor and a descriptor, and load back as they were. */
public interface ModelsContract {

    TestModels.LinearModel linear = new TestModels.LinearModel(new double[] {0.5, -1.25, 3.0e-7}, 0.125);

    private ModelSignature signature() {
        return new ModelSignature(
                List.of(ModelSignature.Field.column("sepal_length", "double"),
                        ModelSignature.Field.column("species_hint", "string"),
                        ModelSignature.Field.tensor("pixels", "float32", -1, 28, 28)),
                List.of(ModelSignature.Field.column("score", "double"),
                        ModelSignature.Field.tensor("logits", "float32", -1, 3)));
    }

    private List<Map<String, Object>> inputExample() {
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("sepal_length", 5.1);
        first.put("species_hint", "setosa");
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("sepal_length", 6.7);
        second.put("species_hint", "virginica");
        return List.of(first, second);
    }

    @Test
    @DisplayName("a record logged with the json flavor loads back equal; its URI is runs:/<runId>/<path>")
    default void jsonRoundTrip(Tracker tracker, MutableClock clock) {
        ActiveRun run = tracker.startRun("iris");
        Instant logTime = clock.peek();
        LoggedModel logged = run.logModel("model", linear);
        assertEquals("runs:/" + run.id() + "/model", logged.uri());
        assertEquals(run.id(), logged.runId());
        assertEquals("model", logged.artifactPath());
        assertEquals("json", logged.flavor());
        assertEquals(logTime, logged.creationTime());
        assertEquals(Optional.empty(), logged.signature());
        assertEquals(Optional.empty(), logged.inputExample());
        assertEquals(Map.of(), logged.metadata());

        TestModels.LinearModel loaded = tracker.loadModel(logged.uri(), TestModels.LinearModel.class);
        assertEquals(linear, loaded);
        assertEquals(linear.predict(new double[] {1, 2, 3}), loaded.predict(new double[] {1, 2, 3}));
        run.close();
        assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class), "loads from an ended run too");
        assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class, ModelFlavor.json()));
    }

    @Test
    @DisplayName("the model directory holds MLmodel.json and data/; getLoggedModel reads back the logged model")
    default void modelDirectory(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("models/linear", linear);
        assertEquals(List.of(ArtifactEntry.directory("models")), tracker.listArtifacts(run.id(), ""));
        List<ArtifactEntry> entries = tracker.listArtifacts(run.id(), "models/linear");
        assertEquals(List.of("models/linear/MLmodel.json", "models/linear/data"),
                entries.stream().map(ArtifactEntry::path).toList());
        assertFalse(entries.get(0).isDirectory());
        assertTrue(entries.get(0).sha256().isPresent());
        assertTrue(entries.get(1).isDirectory());
        assertFalse(artifactTree(tracker, run.id(), "models/linear/data").isEmpty(), "the payload is stored under data/");
        assertEquals(logged, tracker.getLoggedModel(logged.uri()));
    }

    @Test
    @DisplayName("a Path to a file is logged with the files flavor and loads back as a Path to the same bytes")
    default void filesFlavorFile(Tracker tracker, StoreHarness kit) throws IOException {
        byte[] onnx = bytes(20_000, 11);
        Path file = kit.newFile("model.onnx", onnx);
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("onnx", file);
        assertEquals("files", logged.flavor());
        Files.write(file, bytes(10, 12)); // the logged model is a copy: changing the source afterwards is harmless
        Path loaded = tracker.loadModel(logged.uri(), Path.class);
        assertTrue(Files.isRegularFile(loaded), () -> loaded + " is not a file");
        assertEquals("model.onnx", loaded.getFileName().toString());
        assertArrayEquals(onnx, Files.readAllBytes(loaded));
    }

    @Test
    @DisplayName("a Path to a directory tree is logged with the files flavor and loads back as a Path to the same tree")
    default void filesFlavorDirectory(Tracker tracker, StoreHarness kit) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("model.params", bytes(50_000, 1));
        files.put("serving.properties", "engine=PyTorch\n".getBytes(StandardCharsets.UTF_8));
        files.put("synset/labels.txt", "setosa\nversicolor\nvirginica\n".getBytes(StandardCharsets.UTF_8));
        files.put("synset/deep/empty.bin", new byte[0]);
        Path source = writeTree(kit.newDirectory("models").resolve("djl-model"), files);
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("djl", source, ModelFlavor.files());
        assertEquals("files", logged.flavor());
        Path loaded = tracker.loadModel(logged.uri(), Path.class);
        assertTrue(Files.isDirectory(loaded), () -> loaded + " is not a directory");
        assertEquals("djl-model", loaded.getFileName().toString());
        assertEquals(digestsOf(files), localDigests(loaded));
    }

    @Test
    @DisplayName("a Serializable model (strings, primitive and string arrays) round-trips with the java-serialized flavor")
    default void javaSerializedRoundTrip(Tracker tracker) {
        TestModels.Perceptron model = new TestModels.Perceptron("iris-perceptron", new double[] {0.5, -2.0},
                List.of("negative", "positive"), 0.75);
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("perceptron", model, ModelFlavor.javaSerialized());
        assertEquals("java-serialized", logged.flavor());
        TestModels.Perceptron loaded = tracker.loadModel(logged.uri(), TestModels.Perceptron.class);
        assertEquals(model, loaded);
        assertEquals("positive", loaded.classify(new double[] {4, 1}));
        assertEquals(model, tracker.loadModel(logged.uri(), TestModels.Perceptron.class, ModelFlavor.javaSerialized()));
    }

    @Test
    @DisplayName("a java-serialized model holding basic JDK collections (ArrayList, HashMap, TreeMap, List.of) loads back")
    default void javaSerializedJdkCollections(Tracker tracker) {
        Map<String, java.io.Serializable> extras = new LinkedHashMap<>();
        extras.put("ArrayList", new ArrayList<>(List.of("a", "b")));
        extras.put("HashMap", new java.util.HashMap<>(Map.of("setosa", 0.5)));
        extras.put("TreeMap", new TreeMap<>(Map.of("setosa", 0.5)));
        extras.put("List.of", (java.io.Serializable) List.of(1L, 2L));
        extras.put("empty ArrayList", new ArrayList<String>());
        ActiveRun run = tracker.startRun("iris");
        List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
        extras.forEach((name, extra) -> {
            TestModels.Perceptron model = new TestModels.Perceptron(name, new double[] {1}, List.of("n", "p"), extra);
            LoggedModel logged = run.logModel("models/" + name.replace(' ', '-').replace(".", ""), model,
                    ModelFlavor.javaSerialized());
            checks.add(() -> assertEquals(model, assertDoesNotThrow(
                    () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class), "a model holding " + name)));
        });
        assertAll(checks);
    }

    @Test
    @DisplayName("a java-serialized model holding a class from a package not allowed is refused with ClassNotAllowedException; allowing the package loads it")
    default void javaSerializedFilter(Tracker tracker) {
        LoggedModel logged = logCalibrated(tracker);
        assertThrows(ClassNotAllowedException.class, () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class));
        assertThrows(ClassNotAllowedException.class, () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class,
                ModelFlavor.javaSerialized("dev.runlog.tracking.tck.oth")), "a package is not a name prefix");
        TestModels.Perceptron loaded = tracker.loadModel(logged.uri(), TestModels.Perceptron.class,
                ModelFlavor.javaSerialized(Calibration.class.getPackageName()));
        assertEquals(CALIBRATED, loaded);
        assertEquals(new Calibration(2.0, -0.5), loaded.extra());
        assertEquals(CALIBRATED, tracker.loadModel(logged.uri(), TestModels.Perceptron.class,
                ModelFlavor.javaSerialized("dev.runlog.tracking.tck")), "an allowed package allows its subpackages");
    }

    @Test
    @DisplayName("the ClassNotAllowedException refusing a java-serialized model names the refused class")
    default void javaSerializedRefusalNamesClass(Tracker tracker) {
        LoggedModel logged = logCalibrated(tracker);
        ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                () -> tracker.loadModel(logged.uri(), TestModels.Perceptron.class));
        assertMessageContains(refused, Calibration.class.getName());
    }

    @Test
    @DisplayName("ModelOptions: the logged model carries its signature, input example file and metadata")
    default void modelOptions(Tracker tracker) {
        ModelSignature signature = signature();
        ActiveRun run = tracker.startRun("iris");
        LoggedModel logged = run.logModel("classifier", linear, ModelOptions.defaults()
                .signature(signature)
                .inputExample(inputExample())
                .metadata("framework", "plain-java")
                .metadata("owner", "vision-team"));
        assertEquals(Optional.of(signature), logged.signature());
        assertEquals(List.of(-1L, 28L, 28L), logged.signature().orElseThrow().inputs().get(2).shape());
        assertEquals(Map.of("framework", "plain-java", "owner", "vision-team"), logged.metadata());
        String example = logged.inputExample().orElseThrow(() -> new AssertionError("no input example recorded"));
        String json = compactJson(utf8(tracker.openArtifact(run.id(), "classifier/" + example)));
        assertEquals("[{\"sepal_length\":5.1,\"species_hint\":\"setosa\"},"
                + "{\"sepal_length\":6.7,\"species_hint\":\"virginica\"}]", json);
        assertTrue(tracker.listArtifacts(run.id(), "classifier").stream()
                .anyMatch(e -> e.path().equals("classifier/" + example)), "the example is listed in the model directory");

        LoggedModel read = tracker.getLoggedModel(logged.uri());
        assertEquals(logged, read);
        assertTrue(read.signature().orElseThrow().inputs().get(2).isTensor());
        assertFalse(read.signature().orElseThrow().inputs().get(0).isTensor());
        assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class));
    }

    @Test
    @DisplayName("payloadSize is the sum of the payload's file sizes; payloadSha256 is 64 hex characters, the same for the same payload")
    default void payloadDigest(Tracker tracker, StoreHarness kit) {
        Path tree = writeTree(kit.newDirectory("tree").resolve("model"),
                Map.of("a.bin", bytes(1000, 1), "b/c.bin", bytes(2345, 2), "b/d/e.bin", bytes(17, 3)));
        ActiveRun run = tracker.startRun("iris");
        LoggedModel files = run.logModel("files", tree, ModelOptions.defaults().inputExample(Map.of("a", 1)));
        assertEquals(1000 + 2345 + 17, files.payloadSize());
        assertEquals(artifactTree(tracker, run.id(), "files/data").values().stream().mapToLong(ArtifactEntry::size).sum(),
                files.payloadSize(), "the payload is what lies under data/, nothing else");

        LoggedModel first = run.logModel("first", linear);
        LoggedModel second = run.logModel("second", linear);
        LoggedModel other = run.logModel("other", new TestModels.LinearModel(new double[] {0.5, -1.25, 3.0e-7}, 0.25));
        assertEquals(artifactTree(tracker, run.id(), "first/data").values().stream().mapToLong(ArtifactEntry::size).sum(),
                first.payloadSize());
        for (LoggedModel m : List.of(files, first, second, other)) {
            assertTrue(SHA256_HEX.matcher(m.payloadSha256()).matches(), () -> m.artifactPath() + ": " + m.payloadSha256());
        }
        assertEquals(first.payloadSha256(), second.payloadSha256(), "the same payload has the same digest");
        assertNotEquals(first.payloadSha256(), other.payloadSha256(), "another payload has another digest");
        assertNotEquals(first.modelUuid(), second.modelUuid(), "each log is a new model");
        assertEquals(4, Set.of(files.modelUuid(), first.modelUuid(), second.modelUuid(), other.modelUuid()).size());
    }

    @ParameterizedTest(name = "artifact path \"{0}\"")
    @ValueSource(strings = {"", ".", "/", "../model", "/abs/model"})
    @DisplayName("logModel to the artifact root or outside it fails with InvalidInputException and stores nothing")
    default void invalidArtifactPath(String path, Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertRefusedStoringNothing(tracker, run, () -> run.logModel(path, linear));
    }

    @Test
    @DisplayName("loading or reading a model where there is none fails with NotFoundException")
    default void missingModel(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        run.logModel("model", linear);
        run.logArtifact(kit.newFile("loss.png", bytes(10, 1)), "plots");
        for (String uri : List.of("runs:/" + run.id() + "/nothing", "runs:/" + run.id() + "/plots",
                "runs:/" + run.id() + "/model/data", "runs:/" + UNKNOWN_RUN_ID + "/model")) {
            assertThrows(NotFoundException.class, () -> tracker.loadModel(uri, TestModels.LinearModel.class), uri);
            assertThrows(NotFoundException.class, () -> tracker.getLoggedModel(uri), uri);
        }
    }

    @ParameterizedTest(name = "model URI \"{0}\"")
    @ValueSource(strings = {"not-a-uri", "runs:/", "runs:/abc", "runs:/abc/", "runs://model", "models:/iris/1",
            "s3://bucket/model", "runs:/abc/../model"})
    @DisplayName("a malformed model URI fails with InvalidInputException")
    default void malformedUri(String uri, Tracker tracker) {
        assertThrows(InvalidInputException.class, () -> tracker.loadModel(uri, TestModels.LinearModel.class));
        assertThrows(InvalidInputException.class, () -> tracker.getLoggedModel(uri));
    }

    @Test
    @DisplayName("loading a model as a type it cannot be, or with another flavor than its own, fails with InvalidInputException")
    default void incompatibleType(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        LoggedModel json = run.logModel("model", linear);
        LoggedModel files = run.logModel("files", kit.newFile("model.onnx", bytes(100, 1)));
        assertThrows(InvalidInputException.class, () -> tracker.loadModel(json.uri(), Integer.class));
        assertThrows(InvalidInputException.class, () -> tracker.loadModel(json.uri(), String.class));
        assertThrows(InvalidInputException.class, () -> tracker.loadModel(files.uri(), TestModels.LinearModel.class));
        InvalidInputException flavor = assertThrows(InvalidInputException.class,
                () -> tracker.loadModel(json.uri(), TestModels.LinearModel.class, ModelFlavor.files()));
        assertMessageContains(flavor, "json", "files");
    }

    @Test
    @DisplayName("ModelFlavor.named finds the built-in flavors; an unknown name fails with InvalidInputException listing the known ones")
    default void namedFlavor() {
        assertEquals("json", ModelFlavor.named("json").name());
        assertEquals("files", ModelFlavor.named("files").name());
        assertEquals("java-serialized", ModelFlavor.named("java-serialized").name());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelFlavor.named("nope"));
        assertMessageContains(e, "nope", "json", "files", "java-serialized");
    }

    @Test
    @DisplayName("a model the flavor cannot store fails with InvalidInputException and stores nothing")
    default void unstorableModel(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertThrows(InvalidInputException.class, () -> run.logModel("model", new Object() { }, ModelFlavor.javaSerialized()));
        assertThrows(InvalidInputException.class, () -> run.logModel("model", linear, ModelFlavor.files()));
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
    }

    /** A perceptron holding a {@link Calibration}, a class from a package the java-serialized loader does not allow by default. */
    TestModels.Perceptron CALIBRATED = new TestModels.Perceptron("calibrated", new double[] {1, 1},
            List.of("negative", "positive"), new Calibration(2.0, -0.5));

    /** Logs {@link #CALIBRATED} with the java-serialized flavor in a new run. */
    private static LoggedModel logCalibrated(Tracker tracker) {
        return tracker.startRun("iris").logModel("perceptron", CALIBRATED, ModelFlavor.javaSerialized());
    }
}
