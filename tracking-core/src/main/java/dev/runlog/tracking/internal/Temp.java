package dev.runlog.tracking.internal;

import dev.runlog.tracking.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories for model and archive work, always removed when the work is done. */
final class Temp {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(Temp.class.getName());
    }

    private Temp() {
    }

    static Path directory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new StoreException("Cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    /** Deletes a tree without following links; best effort, since it runs on the way out of errors. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            log().log(System.Logger.Level.WARNING, "Could not delete temporary directory " + root, e);
        }
    }
}
