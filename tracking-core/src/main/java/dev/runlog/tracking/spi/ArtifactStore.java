package dev.runlog.tracking.spi;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;


import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where run artifacts (files) are kept, by run id and relative path.
 *
 * <p>Paths are relative, with {@code /} separators, and never leave the run's artifact root: an
 * absolute path, a {@code ..} segment, or (on a filesystem) a symbolic link on the way is rejected
 * with {@link InvalidInputException}. The tracker checks paths before calling a store; a store
 * checks again what only it can see, such as links.
 */
public interface ArtifactStore extends AutoCloseable {

    /**
     * Artifacts in directories under {@code root}: {@code root/<runId>/artifacts/<path>}, for any
     * store that keeps its files on a local or mounted file system (the SQLite store uses it).
     * Files are written to a temporary file named after the writing process and moved into place,
     * so a reader never sees half a file and {@link #removeTemporaryFilesOfDeadProcesses} can tell
     * whose leftovers are safe to delete.
     */
    static ArtifactStore localFilesystem(Path root) {
        return new LocalArtifactStore(InputRules.notNull("root", root));
    }

    /** Artifacts kept in memory, gone when the store is closed: no file is left behind. */
    static ArtifactStore inMemory() {
        return new InMemoryArtifactStore();
    }

    /** The URI of a run's artifact root, recorded in its {@code RunInfo}. */
    String artifactUri(String runId);

    /**
     * Stores {@code content} as the file {@code path} of the run, replacing a file already there,
     * streaming it (never holding a large file in memory) and hashing it on the way. The stream is
     * read to its end and not closed.
     *
     * @return the stored file's entry, with its size and SHA-256
     */
    ArtifactEntry put(String runId, String path, InputStream content);

    /**
     * Opens a stored file.
     *
     * @throws NotFoundException if there is none at {@code path}
     */
    InputStream open(String runId, String path);

    /**
     * The direct children of directory {@code path} ({@code ""} for the root), sorted by path;
     * empty if there is no such directory, also when {@code path} names a file. File entries may leave {@code sha256} empty: the
     * digests recorded at upload are kept by the tracking store.
     */
    List<ArtifactEntry> list(String runId, String path);

    /**
     * Deletes temporary files that writers which died mid-write (kill -9, a crash) left behind,
     * never one a live writer, in this process or another, is still writing. The tracker calls this
     * when it opens and from {@code Tracker.killOrphanedRuns()}. The default, for stores that leave
     * nothing behind (the in-memory store), does nothing.
     *
     * @return how many files it deleted
     */
    default int removeTemporaryFilesOfDeadProcesses() {
        return 0;
    }

    /**
     * Deletes every artifact file of a run for good, for garbage collection of purged runs. A run
     * with no files is fine. The default, for a store that cannot delete, throws.
     *
     * @return how many bytes of files it deleted
     * @throws InvalidInputException if this store cannot delete artifacts (the default)
     */
    default long deleteRunArtifacts(String runId) {
        InputRules.notNull("run id", runId);
        throw new InvalidInputException(getClass().getName() + " cannot delete artifacts");
    }

    /** Releases resources; an in-memory store forgets its files. Idempotent. */
    @Override
    void close();
}
