package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem artifact store keeps every write inside the run's root, links included. */
class LocalArtifactStoreTest {
    private static final String RUN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private ArtifactStore store() {
        return ArtifactStore.localFilesystem(root);
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void storesReadsAndListsFiles() throws IOException {
        ArtifactStore store = store();
        ArtifactEntry csv = store.put(RUN, "plots/loss.csv", bytes("step,loss\n0,1.0\n"));
        ArtifactEntry bin = store.put(RUN, "model.bin", bytes("xyz"));
        // SHA-256 of the CSV text, as sha256sum prints it.
        assertEquals(ArtifactEntry.file("plots/loss.csv", 16,
                "ec7be521334ff493214c6043d70fb226e55c2260236b0f6bc0672bb177f59f3b"), csv);
        // SHA-256 of "xyz", as sha256sum prints it.
        assertEquals(ArtifactEntry.file("model.bin", 3, "3608bca1e44ea6c4d268eb6db02260269892c0b42b86bbf1e77a6fa16c3c9282"), bin);
        assertEquals(List.of(new ArtifactEntry("model.bin", false, 3, java.util.Optional.empty()),
                        ArtifactEntry.directory("plots")),
                store.list(RUN, ""));
        try (InputStream in = store.open(RUN, "plots/loss.csv")) {
            assertArrayEquals("step,loss\n0,1.0\n".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertTrue(Files.isRegularFile(root.resolve(RUN).resolve("artifacts/plots/loss.csv")));
        assertTrue(store.artifactUri(RUN).startsWith("file:"));
    }

    /**
     * Path.toUri ends a directory's URI with '/' only while the directory exists, so a run's URI
     * depended on when it was asked: runs imported with their files had one, others not.
     */
    @Test
    void aRunsArtifactUriIsTheSameBeforeAndAfterItsDirectoryExists() {
        ArtifactStore store = store();
        String before = store.artifactUri(RUN);
        store.put(RUN, "model.bin", bytes("xyz"));
        assertEquals(before, store.artifactUri(RUN));
        assertEquals(root.toAbsolutePath().normalize().resolve(RUN).resolve("artifacts").toUri().toString(), before + "/");
    }

    @Test
    void aWriteThatFailsLeavesNoEmptyDirectoryInTheListing() {
        // As a full disk does: the content stops part way.
        InputStream failing = new InputStream() {
            private int left = 10_000;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    throw new IOException("No space left on device");
                }
                left--;
                return 'x';
            }
        };
        ArtifactStore store = store();
        assertThrows(dev.runlog.tracking.StoreException.class, () -> store.put(RUN, "plots/deep/loss.png", failing));

        assertEquals(List.of(), store.list(RUN, ""));
        store.put(RUN, "plots/deep/loss.png", bytes("png"));
        assertEquals(List.of(ArtifactEntry.directory("plots")), store.list(RUN, ""));
    }

    @Test
    void refusesASymlinkedDirectoryOnTheWay() throws IOException {
        ArtifactStore store = store();
        Path runRoot = Files.createDirectories(root.resolve(RUN).resolve("artifacts"));
        Files.createSymbolicLink(runRoot.resolve("escape"), outside);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> store.put(RUN, "escape/evil.txt", bytes("x")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        try (var files = Files.list(outside)) {
            assertEquals(0, files.count(), "nothing may be written through the link");
        }
        assertThrows(InvalidInputException.class, () -> store.open(RUN, "escape/evil.txt"));
    }

    @Test
    void refusesASymlinkedFile() throws IOException {
        ArtifactStore store = store();
        Path runRoot = Files.createDirectories(root.resolve(RUN).resolve("artifacts"));
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(runRoot.resolve("link.txt"), secret);
        assertThrows(InvalidInputException.class, () -> store.put(RUN, "link.txt", bytes("overwrite")));
        assertEquals("secret", Files.readString(secret));
        assertThrows(InvalidInputException.class, () -> store.open(RUN, "link.txt"));
        assertFalse(store.list(RUN, "").stream().anyMatch(entry -> entry.path().equals("link.txt")));
    }

    @Test
    void refusesPathsThatClimbOutAndMissingFiles() {
        ArtifactStore store = store();
        assertThrows(InvalidInputException.class, () -> store.put(RUN, "../other/x", bytes("x")));
        assertThrows(InvalidInputException.class, () -> store.put(RUN, "/etc/passwd", bytes("x")));
        assertThrows(InvalidInputException.class, () -> store.put(RUN, "a\\..\\b", bytes("x")));
        assertThrows(InvalidInputException.class, () -> store.put("../../etc", "x", bytes("x")));
        assertThrows(NotFoundException.class, () -> store.open(RUN, "missing.txt"));
        assertEquals(List.of(), store.list(RUN, "missing"));
    }

    @Test
    void aFileCannotReplaceADirectory() {
        ArtifactStore store = store();
        store.put(RUN, "dir/file.txt", bytes("x"));
        assertThrows(InvalidInputException.class, () -> store.put(RUN, "dir", bytes("y")));
        assertThrows(InvalidInputException.class, () -> store.put(RUN, "dir/file.txt/below", bytes("y")));
    }

    @Test
    void aFailedWriteSaysWhatTheOperatingSystemSaidAndWhere() throws java.io.IOException {
        // The path is allowed (4 segments, 1,003 bytes), but under a root of some 3,300 bytes the whole
        // file name passes Linux's 4,096-byte PATH_MAX.
        String deep = String.join("/", java.util.Collections.nCopies(13, "r".repeat(250)));
        Path deepRoot = Files.createDirectories(root.resolve(deep));
        String path = String.join("/", java.util.Collections.nCopies(4, "a".repeat(250)));
        dev.runlog.tracking.StoreException e = assertThrows(dev.runlog.tracking.StoreException.class,
                () -> ArtifactStore.localFilesystem(deepRoot).put(RUN, path, bytes("x")));
        assertTrue(e.getMessage().contains("Could not store artifact") && e.getMessage().contains("File name too long")
                && e.getMessage().contains(deepRoot.toString()), e.getMessage());
    }

    @Test
    void aFileSystemFailureNamesTheReasonTheJdkLeftOut() {
        assertEquals("Permission denied (/data/x)",
                IoFailures.reason(new java.nio.file.AccessDeniedException("/data/x")));
        assertEquals("No space left on device (/data/x)",
                IoFailures.reason(new java.nio.file.FileSystemException("/data/x", null, "No space left on device")));
    }
}
