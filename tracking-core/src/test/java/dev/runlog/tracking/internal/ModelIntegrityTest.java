package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Tracker#loadModel} checks every payload file against the SHA-256 its descriptor recorded:
 * a file changed or deleted on disk after logging is refused with a message naming it.
 */
class ModelIntegrityTest {

    /** A json-flavored model. */
    public record Weights(String name, List<Double> coefficients, double intercept) {
    }

    private static final Weights MODEL = new Weights("linear", List.of(0.5, -0.25, 2.0), 1.5);

    @TempDir
    Path artifactRoot;

    @TempDir
    Path work;

    private Tracker tracker;

    @BeforeEach
    void open() {
        tracker = Tracker.builder()
                .store(new InMemoryTrackingStore(), ArtifactStore.localFilesystem(artifactRoot))
                .shutdownHook(false)
                .build();
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    private LoggedModel logJsonModel() {
        try (ActiveRun run = tracker.startRun("integrity")) {
            return run.logModel("model", MODEL);
        }
    }

    private Path onDisk(LoggedModel model, String relative) {
        return artifactRoot.resolve(model.runId()).resolve("artifacts").resolve(model.artifactPath()).resolve(relative);
    }

    @Test
    void aDescriptorCopiedBesideAnotherRunsFilesIsNoModelThere() throws Exception {
        LoggedModel original = logJsonModel();
        String forged;
        try (ActiveRun other = tracker.startRun("integrity")) {
            // The same payload and descriptor bytes, uploaded as plain files of another run: the
            // descriptor still names the first run, and would credit a registered version to it.
            for (String file : List.of("data/model.json", "MLmodel.json")) {
                Path copy = Files.createDirectories(work.resolve(file).getParent()).resolve(Path.of(file).getFileName());
                try (var in = tracker.openArtifact(original.runId(), original.artifactPath() + "/" + file)) {
                    Files.write(copy, in.readAllBytes());
                }
                other.logArtifact(copy, file.contains("/") ? "copied/data" : "copied");
            }
            forged = "runs:/" + other.id() + "/copied";
        }
        for (Runnable read : List.<Runnable>of(() -> tracker.getLoggedModel(forged),
                () -> tracker.loadModel(forged, Weights.class))) {
            IntegrityException e = assertThrows(IntegrityException.class, read::run);
            assertTrue(e.getMessage().contains("says it is the model " + original.uri()), e.getMessage());
        }
        assertEquals(MODEL, tracker.loadModel(original.uri(), Weights.class), "the original is untouched");
    }

    @Test
    void anUntouchedJsonModelLoads() throws Exception {
        LoggedModel logged = logJsonModel();
        Path payload = onDisk(logged, "data/model.json");
        assertTrue(Files.isRegularFile(payload), payload + " is where the store keeps the payload");
        assertTrue(Files.isRegularFile(onDisk(logged, "MLmodel.json")));
        assertEquals("json", logged.flavor());
        assertEquals(Files.size(payload), logged.payloadSize());
        assertEquals(MODEL, tracker.loadModel(logged.uri(), Weights.class));
        // Loading twice changes nothing.
        assertEquals(MODEL, tracker.loadModel(logged.uri(), Weights.class));
    }

    @Test
    void aModifiedPayloadFileIsNamedWithItsSha256() throws Exception {
        LoggedModel logged = logJsonModel();
        Path payload = onDisk(logged, "data/model.json");
        String original = Files.readString(payload, StandardCharsets.UTF_8);
        String originalSha = sha256(Files.readAllBytes(payload));
        assertTrue(original.contains("1.5"), original);
        // Same length, one value changed: still valid JSON, still a Weights.
        Files.writeString(payload, original.replace("1.5", "9.5"), StandardCharsets.UTF_8);
        String tamperedSha = sha256(Files.readAllBytes(payload));

        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.loadModel(logged.uri(), Weights.class));
        assertTrue(e.getMessage().contains("data/model.json"), e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(e.getMessage().contains(originalSha), "names the recorded digest: " + e.getMessage());
        assertTrue(e.getMessage().contains(tamperedSha), "names the actual digest: " + e.getMessage());
        assertTrue(e.getMessage().contains(logged.uri()), e.getMessage());

        // Restoring the bytes makes it load again: the check is about content, not timestamps.
        Files.writeString(payload, original, StandardCharsets.UTF_8);
        assertEquals(MODEL, tracker.loadModel(logged.uri(), Weights.class));
    }

    @Test
    void aDeletedPayloadFileIsReportedMissing() throws Exception {
        LoggedModel logged = logJsonModel();
        Files.delete(onDisk(logged, "data/model.json"));
        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.loadModel(logged.uri(), Weights.class));
        assertTrue(e.getMessage().contains("data/model.json"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void anAppendedByteIsDetected() throws Exception {
        LoggedModel logged = logJsonModel();
        Path payload = onDisk(logged, "data/model.json");
        Files.write(payload, "\n".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.loadModel(logged.uri(), Weights.class));
        assertTrue(e.getMessage().contains("data/model.json"), e.getMessage());
    }

    // ---- the files flavor ----------------------------------------------------------------------------

    private Path modelDirectory() throws IOException {
        Path model = work.resolve("onnx-model");
        Files.createDirectories(model.resolve("weights"));
        Files.writeString(model.resolve("config.json"), "{\"layers\": 3}");
        Files.write(model.resolve("weights/layer0.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Files.write(model.resolve("weights/layer1.bin"), new byte[] {9, 10, 11, 12});
        return model;
    }

    private LoggedModel logDirectoryModel() throws IOException {
        try (ActiveRun run = tracker.startRun("integrity")) {
            return run.logModel("dir-model", modelDirectory());
        }
    }

    @Test
    void anUntouchedDirectoryModelLoads() throws Exception {
        LoggedModel logged = logDirectoryModel();
        assertEquals("files", logged.flavor());
        assertEquals(8 + 4 + "{\"layers\": 3}".length(), logged.payloadSize());
        Path loaded = tracker.loadModel(logged.uri(), Path.class);
        assertEquals("onnx-model", loaded.getFileName().toString());
        assertEquals("{\"layers\": 3}", Files.readString(loaded.resolve("config.json")));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, Files.readAllBytes(loaded.resolve("weights/layer0.bin")));
        assertArrayEquals(new byte[] {9, 10, 11, 12}, Files.readAllBytes(loaded.resolve("weights/layer1.bin")));
    }

    @Test
    void aTamperedFileInsideADirectoryModelIsNamed() throws Exception {
        LoggedModel logged = logDirectoryModel();
        Path stored = onDisk(logged, "data/onnx-model/weights/layer1.bin");
        assertTrue(Files.isRegularFile(stored), stored.toString());
        Files.write(stored, new byte[] {9, 10, 11, 13});

        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.loadModel(logged.uri(), Path.class));
        assertTrue(e.getMessage().contains("data/onnx-model/weights/layer1.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        // Only the changed file is named.
        assertFalse(e.getMessage().contains("layer0.bin"), e.getMessage());
        assertFalse(e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void tamperingOneModelLeavesAnotherLoadable() throws Exception {
        LoggedModel json = logJsonModel();
        LoggedModel dir = logDirectoryModel();
        Files.write(onDisk(dir, "data/onnx-model/config.json"), "{\"layers\": 4}".getBytes(StandardCharsets.UTF_8));

        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.loadModel(dir.uri(), Path.class));
        assertTrue(e.getMessage().contains("data/onnx-model/config.json"), e.getMessage());
        assertEquals(MODEL, tracker.loadModel(json.uri(), Weights.class));
    }

    @Test
    void theDescriptorRecordsEachPayloadFilesDigest() throws Exception {
        LoggedModel logged = logDirectoryModel();
        String descriptor = Files.readString(onDisk(logged, ModelDescriptor.FILE_NAME));
        for (String file : List.of("onnx-model/config.json", "onnx-model/weights/layer0.bin", "onnx-model/weights/layer1.bin")) {
            String sha = sha256(Files.readAllBytes(onDisk(logged, "data/" + file)));
            assertTrue(descriptor.contains(file), descriptor);
            assertTrue(descriptor.contains(sha), file + " " + sha + " not in " + descriptor);
        }
        assertEquals(Map.of("path", "onnx-model"), logged.flavorConfig());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
