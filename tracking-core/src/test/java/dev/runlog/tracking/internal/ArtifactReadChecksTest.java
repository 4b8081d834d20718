package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of a run's files are checked against what was recorded when they were stored, whatever the
 * artifact store: a file changed behind Runlog's back is an {@link IntegrityException} at
 * {@code openArtifact} and at {@code downloadArtifacts}, which then leaves nothing at the target;
 * and a download never writes outside its target, whatever paths the store lists.
 */
class ArtifactReadChecksTest {
    @TempDir
    Path dir;
    private Tracker tracker;

    @AfterEach
    void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private Tracker open(ArtifactStore artifacts) {
        tracker = Tracker.builder().store(new InMemoryTrackingStore(), artifacts).shutdownHook(false).build();
        return tracker;
    }

    @Test
    void aFileChangedSinceItWasStoredIsRefusedWhenReadToItsEnd() throws IOException {
        open(ArtifactStore.localFilesystem(dir.resolve("artifacts")));
        String runId = runWith("notes/a.txt", "genuine weights");
        Files.writeString(stored("a.txt"), "BACKDOORED");

        IntegrityException e = assertThrows(IntegrityException.class, () -> {
            try (InputStream in = tracker.openArtifact(runId, "notes/a.txt")) {
                in.readAllBytes();
            }
        });
        assertEquals("Artifact 'notes/a.txt' of run " + runId + " changed since it was stored (10 bytes, recorded 15);"
                + " runlog doctor lists every changed or missing file", e.getMessage());

        Files.writeString(stored("a.txt"), "GENUINE WEIGHTS"); // the same size, other bytes
        e = assertThrows(IntegrityException.class, () -> {
            try (InputStream in = tracker.openArtifact(runId, "notes/a.txt")) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aDownloadOfAChangedFileFailsAndLeavesNothingAtItsTarget() throws IOException {
        open(ArtifactStore.localFilesystem(dir.resolve("artifacts")));
        String runId = runWith("models/big.bin", "x".repeat(100_000));
        Files.writeString(stored("big.bin"), "y".repeat(100_001));
        Path target = dir.resolve("download");

        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "models", target));
        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "models/big.bin", target));
        assertFalse(Files.exists(target), "neither a refused file nor the target directory it would have made is left");
    }

    @Test
    void aFilePutAmongARunsFilesByOtherMeansIsNotReadAndNotExported() throws IOException {
        open(ArtifactStore.localFilesystem(dir.resolve("artifacts")));
        String runId = runWith("notes/a.txt", "genuine");
        Files.writeString(stored("a.txt").resolveSibling("planted.txt"), "planted");

        IntegrityException read = assertThrows(IntegrityException.class, () -> tracker.openArtifact(runId, "notes/planted.txt"));
        assertTrue(read.getMessage().contains("has no record in the store: it was not logged through Runlog"), read.getMessage());
        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "notes", dir.resolve("download")));
        // An export (as a copy) leaves it out, with a warning: the run's own files still travel, and
        // a run a crash left such files in can still be moved.
        tracker.exportRun(runId, dir.resolve("r.tar.gz"));
        assertEquals(List.of("artifacts/notes/a.txt"), TarGzEntries.read(dir.resolve("r.tar.gz")).keySet().stream()
                .filter(name -> name.startsWith("artifacts/")).toList());
    }

    @Test
    void aDirectoryDownloadMissingARecordedFileFailsRatherThanLookingWhole() throws IOException {
        open(ArtifactStore.localFilesystem(dir.resolve("artifacts")));
        String runId;
        try (ActiveRun run = tracker.startRun("reads")) {
            run.logText("w", "bundle/weights.bin").logText("{}", "bundle/preprocess.json");
            runId = run.id();
        }
        Files.delete(stored("preprocess.json"));
        IntegrityException e = assertThrows(IntegrityException.class,
                () -> tracker.downloadArtifacts(runId, "bundle", dir.resolve("download")));
        assertTrue(e.getMessage().contains("'bundle/preprocess.json' of run " + runId + " was recorded when stored but is missing"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("download/bundle")), "known missing before anything is written");
        IntegrityException opened = assertThrows(IntegrityException.class, () -> tracker.openArtifact(runId, "bundle/preprocess.json"));
        assertTrue(opened.getMessage().contains("was recorded when stored but is missing"), opened.getMessage());
        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "bundle/preprocess.json", dir.resolve("d2")));
        assertThrows(NotFoundException.class, () -> tracker.openArtifact(runId, "bundle/never-logged.json"));
    }

    @Test
    void aDirectoryDownloadThatFailsOnALaterFileLeavesTheTargetAsItFoundIt() throws IOException {
        open(ArtifactStore.localFilesystem(dir.resolve("artifacts")));
        String runId;
        try (ActiveRun run = tracker.startRun("reads")) {
            run.logText("one", "bundle/a/one.txt").logText("two", "bundle/b/two.txt").logText("three", "bundle/z/three.txt");
            runId = run.id();
        }
        Path target = Files.createDirectories(dir.resolve("download"));
        Files.writeString(target.resolve("keep.txt"), "the user's");
        Files.writeString(stored("three.txt"), "THREE"); // the last file read: two were checked before it

        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "bundle", target));
        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "", target));
        // Into a directory not there yet: not made either, nor its missing parents.
        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "bundle", dir.resolve("new/deep")));
        assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "bundle/z/three.txt", dir.resolve("new1/x")));
        assertFalse(Files.exists(dir.resolve("new")), "a failed download makes no directory");
        assertFalse(Files.exists(dir.resolve("new1")), "a failed download makes no directory");
        try (Stream<Path> left = Files.walk(target)) {
            assertEquals(List.of(target, target.resolve("keep.txt")), left.sorted().toList(),
                    "no file, directory or staging copy of a failed download is left");
        }

        Files.writeString(stored("three.txt"), "three");
        Path copy = tracker.downloadArtifacts(runId, "bundle", target);
        assertEquals("three", Files.readString(copy.resolve("z/three.txt")));
        try (Stream<Path> left = Files.walk(target)) {
            assertEquals(9, left.count(), "target, keep.txt, bundle, three directories and three files");
        }
    }

    @Test
    void aFileLoggedAgainAndAgainWhileItIsReadIsNeverTakenForAChangedOne() throws Exception {
        open(ArtifactStore.localFilesystem(dir.resolve("artifacts")));
        try (ActiveRun run = tracker.startRun("reads")) {
            run.logText("version 0", "latest.txt");
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 1; !done.get(); i++) {
                    run.logText("version " + i, "latest.txt");
                }
            });
            writer.start();
            try {
                for (int i = 0; i < 300; i++) {
                    try (InputStream in = tracker.openArtifact(run.id(), "latest.txt")) {
                        assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("version "));
                    }
                }
            } finally {
                done.set(true);
                writer.join();
            }
        }
    }

    @Test
    void aSoundFileReadsAsLogged() throws IOException {
        open(ArtifactStore.localFilesystem(dir.resolve("artifacts")));
        String runId = runWith("notes/a.txt", "genuine weights");
        try (InputStream in = tracker.openArtifact(runId, "notes/a.txt")) {
            assertArrayEquals("genuine weights".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        Path copy = tracker.downloadArtifacts(runId, "notes", dir.resolve("download"));
        assertEquals("genuine weights", Files.readString(copy.resolve("a.txt")));
    }

    @Test
    void aDownloadNeverWritesWhereAStoreListsAPathOutsideTheRun() throws IOException {
        ArtifactStore real = ArtifactStore.inMemory();
        List<String> planted = new ArrayList<>();
        open(new ArtifactStore() {
            @Override
            public String artifactUri(String runId) {
                return real.artifactUri(runId);
            }

            @Override
            public ArtifactEntry put(String runId, String path, InputStream content) {
                return real.put(runId, path, content);
            }

            @Override
            public InputStream open(String runId, String path) {
                return planted.contains(path) ? new java.io.ByteArrayInputStream(new byte[] {1}) : real.open(runId, path);
            }

            @Override
            public List<ArtifactEntry> list(String runId, String path) {
                List<ArtifactEntry> entries = new ArrayList<>(real.list(runId, path));
                planted.forEach(p -> entries.add(ArtifactEntry.file(p, 1, "0".repeat(64))));
                return entries;
            }

            @Override
            public void close() {
                real.close();
            }
        });
        String runId = runWith("a.txt", "content");
        Path target = dir.resolve("in/target");
        for (String hostile : List.of("../../ESCAPE.txt", dir.resolve("ABS.txt").toString())) {
            planted.clear();
            planted.add(hostile);
            IntegrityException e = assertThrows(IntegrityException.class, () -> tracker.downloadArtifacts(runId, "", target));
            assertTrue(e.getMessage().contains("which is no artifact path"), e.getMessage());
        }
        assertTrue(Files.notExists(dir.resolve("ESCAPE.txt")));
        assertTrue(Files.notExists(dir.resolve("in/ESCAPE.txt")));
        assertTrue(Files.notExists(dir.resolve("ABS.txt")));
    }

    private String runWith(String path, String content) {
        try (ActiveRun run = tracker.startRun("reads")) {
            run.logText(content, path);
            return run.id();
        }
    }

    /** Where the local artifact store keeps the one file named {@code name}. */
    private Path stored(String name) throws IOException {
        return TestFiles.storedFile(dir.resolve("artifacts"), name);
    }
}
