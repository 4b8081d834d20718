package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive carries only what its store can vouch for: an export checks every file against the
 * size and SHA-256 recorded when it was stored and refuses a model another run's files were copied
 * into, and an import refuses a model whose descriptor names another run than the archive's or
 * whose payload totals were edited.
 */
class ArchiveProvenanceTest {
    /** A model the tests log: a record, so the json flavor saves it. */
    public record TinyModel(String name, List<Double> weights) {
    }

    @TempDir
    Path dir;
    private Tracker tracker;

    @BeforeEach
    void open() {
        // The memory store with its files on disk, where a test can change them behind its back.
        tracker = Tracker.builder().store(new InMemoryTrackingStore(), ArtifactStore.localFilesystem(dir.resolve("artifacts")))
                .shutdownHook(false).build();
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void anArtifactChangedOnDiskSinceItWasStoredIsNotExported() throws IOException {
        String runId = runWithFiles();
        Files.writeString(stored("a.txt"), "TAMPERED");
        Path archive = dir.resolve("run.tar.gz");

        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.exportRun(runId, archive));
        assertTrue(e.getMessage().contains("'notes/a.txt' changed since it was stored"), e.getMessage());
        assertTrue(Files.notExists(archive), "an export that failed left an archive");
    }

    @Test
    void anArtifactOfTheSameSizeButOtherBytesIsNotExported() throws IOException {
        String runId = runWithFiles();
        Files.writeString(stored("a.txt"), "HELLO"); // "hello" recorded: same size, another SHA-256

        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.exportRun(runId, dir.resolve("r.tar.gz")));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void anArtifactMissingSinceItWasStoredIsNotExported() throws IOException {
        String runId = runWithFiles();
        Files.delete(stored("b.txt"));

        IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.exportRun(runId, dir.resolve("r.tar.gz")));
        assertTrue(e.getMessage().contains("'notes/b.txt' was recorded when stored but is missing"), e.getMessage());
    }

    @Test
    void aSoundRunStillTravels() {
        String runId = runWithFiles();
        Path archive = dir.resolve("run.tar.gz");
        tracker.exportRun(runId, archive);
        try (Tracker other = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            String copy = other.importRun(archive).info().id();
            assertEquals(List.of("notes/a.txt", "notes/b.txt"),
                    other.listArtifacts(copy, "notes").stream().map(f -> f.path()).toList());
        }
    }

    @Test
    void aModelCopiedInFromAnotherRunIsNotExported() {
        String original;
        try (ActiveRun run = tracker.startRun("models")) {
            original = run.logModel("model", new TinyModel("m", List.of(1.0))).uri();
        }
        Path copy = tracker.downloadArtifacts(ModelSupport.ModelUri.parse(original).runId(), "model", dir.resolve("download"));
        String launderer;
        try (ActiveRun run = tracker.startRun("models")) {
            run.logArtifacts(copy, "model");
            launderer = run.id();
        }

        IntegrityException e = assertThrows(IntegrityException.class,
                () -> tracker.exportRun(launderer, dir.resolve("laundered.tar.gz")));
        assertTrue(e.getMessage().contains("Run " + launderer + " cannot be exported"), e.getMessage());
        assertTrue(e.getMessage().contains("names another run or path"), e.getMessage());
    }

    @Test
    void anArchiveWhoseModelNamesAnotherRunThanTheArchiveIsRefused() throws IOException {
        String runId;
        try (ActiveRun run = tracker.startRun("models")) {
            run.logModel("model", new TinyModel("m", List.of(1.0)));
            runId = run.id();
        }
        Path exported = dir.resolve("run.tar.gz");
        tracker.exportRun(runId, exported);
        Path forged = rewriteJson(exported, Archives.MANIFEST, m -> m.put("source_run_id", "0".repeat(32)));

        try (Tracker other = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> other.importRun(forged));
            assertTrue(e.getMessage().contains("has a descriptor naming run " + runId
                    + ", not the run the archive came from (" + "0".repeat(32) + ")"), e.getMessage());
            assertEquals(List.of(), other.listExperiments(ViewType.ALL));
        }
    }

    @Test
    void aModelArchiveWhoseDescriptorNamesAnotherRunIsRefused() throws IOException {
        Path exported = exportedModel();
        Path forged = rewriteJson(exported, Archives.MANIFEST, m -> m.put("source_run_id", "0".repeat(32)));
        try (Tracker other = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> other.importModel(forged));
            assertTrue(e.getMessage().contains("not the run the archive came from"), e.getMessage());
        }
    }

    @Test
    void anEditedPayloadSizeIsRefused() throws IOException {
        Path exported = exportedModel();
        Path forged = rewriteJson(exported, "model/" + ModelDescriptor.FILE_NAME,
                d -> ((ObjectNode) d.get("payload")).put("size", 999_999_999_999L));
        try (Tracker other = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> other.importModel(forged));
            assertTrue(e.getMessage().contains("payload size (999999999999 bytes) is not the sum of its files' sizes"),
                    e.getMessage());
        }
    }

    @Test
    void anEditedPayloadFileSizeIsRefused() throws IOException {
        Path exported = exportedModel();
        Path forged = rewriteJson(exported, "model/" + ModelDescriptor.FILE_NAME, d -> {
            ObjectNode payload = (ObjectNode) d.get("payload");
            ObjectNode file = (ObjectNode) payload.get("files").elements().next();
            long size = file.get("size").asLong() + 1;
            file.put("size", size);
            payload.put("size", size); // the totals agree with the lie; the file itself does not
        });
        try (Tracker other = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> other.importModel(forged));
            assertTrue(e.getMessage().contains("but its descriptor recorded"), e.getMessage());
        }
    }

    @Test
    void aChildImportedAfterItsParentPointsAtTheParentsCopy() {
        String parentId;
        String childId;
        try (ActiveRun parent = tracker.startRun("sweep")) {
            parentId = parent.id();
            try (ActiveRun child = tracker.newRun("sweep").parent(parent).start()) {
                childId = child.id();
            }
        }
        Path parentArchive = dir.resolve("parent.tar.gz");
        Path childArchive = dir.resolve("child.tar.gz");
        tracker.exportRun(parentId, parentArchive);
        tracker.exportRun(childId, childArchive);
        try (Tracker other = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            String parentCopy = other.importRun(parentArchive).info().id();
            String childCopy = other.importRun(childArchive).info().id();
            assertEquals(parentCopy, other.getRun(childCopy).data().tags().get(ActiveRun.PARENT_RUN_ID_TAG));
        }
    }

    /** A run with two text files under notes/, ended. */
    private String runWithFiles() {
        try (ActiveRun run = tracker.startRun("files")) {
            run.logText("hello", "notes/a.txt").logText("world", "notes/b.txt");
            return run.id();
        }
    }

    /** Where the artifact store keeps the one file named {@code name}. */
    private Path stored(String name) throws IOException {
        return TestFiles.storedFile(dir.resolve("artifacts"), name);
    }

    private Path exportedModel() {
        String uri;
        try (ActiveRun run = tracker.startRun("models")) {
            LoggedModel model = run.logModel("model", new TinyModel("m", List.of(1.0, 2.0)));
            uri = model.uri();
        }
        Path archive = dir.resolve("model.tar.gz");
        tracker.exportModel(uri, archive);
        return archive;
    }

    /** {@code original} with the JSON entry {@code name} changed by {@code change}, entry order kept. */
    private Path rewriteJson(Path original, String name, java.util.function.Consumer<ObjectNode> change) throws IOException {
        Map<String, byte[]> entries = TarGzEntries.read(original);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(entries.get(name));
        change.accept(json);
        entries.put(name, Json.MAPPER.writeValueAsBytes(json));
        Path forged = TestFiles.tarGz(dir.resolve("forged-" + original.getFileName()), entries);
        return forged;
    }
}
