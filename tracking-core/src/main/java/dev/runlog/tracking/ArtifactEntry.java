package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.util.Optional;

/**
 * One file or directory among a run's artifacts.
 *
 * @param path        relative to the run's artifact root, with {@code /} separators
 * @param isDirectory whether it is a directory
 * @param size        the file size in bytes; 0 for a directory
 * @param sha256      the SHA-256 of the file's content as recorded when it was stored, 64 lowercase
 *                    hex characters; empty for a directory
 */
public record ArtifactEntry(String path, boolean isDirectory, long size, Optional<String> sha256) {
    public ArtifactEntry {
        InputRules.notNull("path", path);
        InputRules.notNull("sha256", sha256);
    }

    /** A directory entry. */
    public static ArtifactEntry directory(String path) {
        return new ArtifactEntry(path, true, 0, Optional.empty());
    }

    /** A file entry with its size and SHA-256. */
    public static ArtifactEntry file(String path, long size, String sha256) {
        return new ArtifactEntry(path, false, size, Optional.of(InputRules.notNull("sha256", sha256)));
    }
}
