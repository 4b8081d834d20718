package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local artifact store names each temporary file after the process writing it, and removes
 * only those whose process is gone: never a live writer's, another machine's, or one it cannot
 * attribute.
 */
class DeadWriterTempFilesTest {
    private static final String RUN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;

    private List<String> tempFiles() {
        Path dir = root.resolve(LocalArtifactStore.TEMP_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anUploadWritesATempFileNamedAfterThisProcessAndLeavesNone() {
        ProcessOwner self = ProcessOwner.current();
        List<String> seenWhileWriting = new ArrayList<>();
        InputStream content = new ByteArrayInputStream(new byte[] {1, 2, 3}) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (seenWhileWriting.isEmpty()) {
                    seenWhileWriting.addAll(tempFiles());
                }
                return super.read(b, off, len);
            }
        };
        ArtifactStore.localFilesystem(root).put(RUN, "a/b.bin", content);
        assertEquals(1, seenWhileWriting.size(), seenWhileWriting.toString());
        String prefix = ".upload-" + self.machineToken() + "-" + self.pid() + "-" + self.startMillis().getAsLong() + "-";
        assertTrue(seenWhileWriting.get(0).startsWith(prefix), seenWhileWriting.get(0) + " should start with " + prefix);
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void onlyTheFilesOfDeadProcessesOfThisMachineAreRemoved() throws IOException {
        ProcessOwner self = ProcessOwner.current();
        String machine = self.machineToken();
        long noSuchPid = Integer.MAX_VALUE; // above any pid_max
        List<String> gone = List.of(
                ".upload-" + machine + "-" + noSuchPid + "-" + self.startMillis().getAsLong() + "-1.tmp",
                ".upload-" + machine + "-" + self.pid() + "-0-2.tmp");          // this pid, but an earlier process
        List<String> kept = List.of(
                ".upload-" + machine + "-" + self.pid() + "-" + self.startMillis().getAsLong() + "-3.tmp",   // this live process
                ".upload-another_machine-" + noSuchPid + "-0-4.tmp",            // its pids mean nothing here
                ".upload-8817266153.tmp",                                       // an older Runlog's: no owner
                "notes.txt");
        Path dir = Files.createDirectories(root.resolve(LocalArtifactStore.TEMP_DIR));
        for (String name : Stream.concat(gone.stream(), kept.stream()).toList()) {
            Files.writeString(dir.resolve(name), "partial");
        }
        assertEquals(2, ArtifactStore.localFilesystem(root).removeTemporaryFilesOfDeadProcesses());
        assertEquals(kept.stream().sorted().toList(), tempFiles());
    }
}
