package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Test support: archives written by hand and files found where an artifact store keeps them. */
final class TestFiles {
    private TestFiles() {
    }

    /** Writes {@code entries} (name to bytes, in order) as a .tar.gz at {@code target}. */
    static Path tarGz(Path target, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(target);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return target;
    }

    /** The one file named {@code name} under {@code root} (a local artifact store's directory). */
    static Path storedFile(Path root, String name) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().equals(name)).toList();
            assertEquals(1, found.size(), "files named " + name + ": " + found);
            return found.get(0);
        }
    }
}
