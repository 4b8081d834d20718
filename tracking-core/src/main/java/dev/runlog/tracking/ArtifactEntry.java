package dev.runlog.tracking;

import java.util.Objects;

/**
 * One file or directory among a run's artifacts.
 *
 * @param path        relative to the run's artifact root, with {@code /} separators
 * @param isDirectory whether it is a directory
 * @param size        the file size in bytes; 0 for a directory
 */
public record ArtifactEntry(String path, boolean isDirectory, long size) {
    public ArtifactEntry {
        Objects.requireNonNull(path, "path");
    }
}
