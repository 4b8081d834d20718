package dev.runlog.tracking.spi;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.FileVisitResult;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Artifacts as plain files: {@code root/<runId>/artifacts/<path>}, so a user can open them with any
 * tool. Writes go to a temporary file and are moved into place, so a reader never sees half a file.
 *
 * <p>Temporary files live in one directory, {@code root/.runlog-tmp}, so that finding the ones a
 * crashed writer left never means walking every run's tree. Each is named
 * {@code .upload-<machine>-<pid>-<start>-<random>.tmp} after the process writing it (see
 * {@link ProcessOwner}), so {@link #removeTemporaryFilesOfDeadProcesses()} deletes exactly those
 * whose process is gone: never a file another live process, on this machine or another one
 * sharing the directory, is still writing.
 */
final class LocalArtifactStore implements ArtifactStore {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(LocalArtifactStore.class.getName());
    }
    static final String TEMP_DIR = ".runlog-tmp";
    private static final String TEMP_PREFIX = ".upload-";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path root;
    private final Path tempDir;

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tempDir = this.root.resolve(TEMP_DIR);
    }

    @Override
    public String artifactUri(String runId) {
        String uri = runRoot(runId).toUri().toString();
        // toUri ends a directory's URI with '/' only while it exists: a run's URI must not depend on when it is asked.
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    @Override
    public ArtifactEntry put(String runId, String path, InputStream content) {
        String file = ArtifactPaths.normalize(path);
        if (file.isEmpty()) {
            throw new InvalidInputException("artifact path '" + path + "' names the root; give a file path");
        }
        Path target = resolve(runId, file);
        Path tmp = null;
        try {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException("artifact path '" + file + "' of run " + runId + " is a directory");
            }
            checkNotLink(Files.createDirectories(tempDir), runId, file);
            // The owner is named when a file is first written, not at open: a reader never needs it.
            tmp = Files.createTempFile(tempDir, TEMP_PREFIX + ProcessOwner.current().nameTag() + "-", TEMP_SUFFIX);
            DigestInputStream hashing = Sha256.hashing(content);
            long size = Files.copy(hashing, tmp, StandardCopyOption.REPLACE_EXISTING);
            // The directories only once the content is written: a write that fails (a full disk, a
            // stream that throws) leaves no empty directory behind in the run's listing.
            Files.createDirectories(target.getParent());
            // Checked again after creating directories: a link could have been planted meanwhile.
            resolve(runId, file);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException("artifact path '" + file + "' of run " + runId + " is a directory");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return ArtifactEntry.file(file, size, Sha256.hex(hashing));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new InvalidInputException("artifact path '" + file + "' of run " + runId
                    + " goes through a file where a directory is needed");
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not store artifact '" + file + "' of run " + runId + " under " + root, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The upload already failed; the stray temp file is harmless and named as such.
                }
            }
        }
    }

    @Override
    public InputStream open(String runId, String path) {
        String file = ArtifactPaths.normalize(path);
        Path target = resolve(runId, file);
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundException("Run " + runId + " has no artifact file '" + file + "'");
        }
        try {
            return Files.newInputStream(target);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Run " + runId + " has no artifact file '" + file + "'");
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not open artifact '" + file + "' of run " + runId, e);
        }
    }

    @Override
    public List<ArtifactEntry> list(String runId, String path) {
        String dir = ArtifactPaths.normalize(path);
        Path directory = resolve(runId, dir);
        List<ArtifactEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(".upload-") || Files.isSymbolicLink(child)) {
                    continue;
                }
                boolean isDirectory = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
                String childPath = ArtifactPaths.join(dir, name);
                entries.add(isDirectory ? ArtifactEntry.directory(childPath)
                        : new ArtifactEntry(childPath, false, Files.size(child), Optional.empty()));
            }
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not list artifacts '" + dir + "' of run " + runId, e);
        }
        entries.sort(Comparator.comparing(ArtifactEntry::path));
        return List.copyOf(entries);
    }

    @Override
    public int removeTemporaryFilesOfDeadProcesses() {
        if (!Files.isDirectory(tempDir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tempDir)) {
            for (Path file : files) {
                Optional<ProcessOwner> owner = ownerOf(file.getFileName().toString());
                if (owner.isPresent() && owner.get().isGone() && Files.deleteIfExists(file)) {
                    log().log(System.Logger.Level.DEBUG, "Removed {0}, left by {1}", file, owner.get());
                    removed++;
                }
            }
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not remove temporary files of dead processes in " + tempDir, e);
        }
        return removed;
    }

    /** The writer of a temporary file, read from its name; empty for a name of another machine or not ours. */
    private static Optional<ProcessOwner> ownerOf(String name) {
        if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) {
            return Optional.empty();
        }
        return ProcessOwner.ofName(name.substring(TEMP_PREFIX.length(), name.length() - TEMP_SUFFIX.length()));
    }

    /**
     * Deletes {@code root/<runId>}, the run's whole directory. Links in it are deleted, never
     * followed, so nothing outside the root is touched.
     */
    @Override
    public long deleteRunArtifacts(String runId) {
        Path runDir = root.resolve(InputRules.runId(runId));
        if (!Files.exists(runDir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] bytes = {0};
        try {
            Files.walkFileTree(runDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    bytes[0] += attributes.isRegularFile() ? attributes.size() : 0;
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw IoFailures.storeFailure("Could not delete the artifacts of run " + runId + " under " + runDir, e);
        }
        return bytes[0];
    }

    @Override
    public void close() {
        // Nothing held open: every call opens and closes its own files.
    }

    private Path runRoot(String runId) {
        return root.resolve(InputRules.runId(runId)).resolve("artifacts");
    }

    /**
     * Maps a normalized path to a file under the run's root, refusing any symbolic link on the way:
     * a link planted in the tree could otherwise make a write land anywhere on the disk.
     */
    private Path resolve(String runId, String normalizedPath) {
        Path runRoot = runRoot(runId);
        Path current = root;
        for (Path part : root.relativize(runRoot)) {
            current = current.resolve(part);
            checkNotLink(current, runId, normalizedPath);
        }
        if (normalizedPath.isEmpty()) {
            return runRoot;
        }
        for (String segment : normalizedPath.split("/")) {
            try {
                current = current.resolve(segment);
            } catch (java.nio.file.InvalidPathException e) {
                // A JVM without a UTF-8 locale (LANG=C, common in containers) cannot name such a file.
                throw new InvalidInputException("artifact path '" + normalizedPath + "' cannot be a file name for this JVM,"
                        + " whose file-name encoding is " + System.getProperty("sun.jnu.encoding")
                        + ": run it with a UTF-8 locale, such as LANG=C.UTF-8", e);
            }
            checkNotLink(current, runId, normalizedPath);
        }
        if (!current.normalize().startsWith(runRoot)) {
            throw new InvalidInputException("artifact path '" + normalizedPath + "' leaves the artifact root of run " + runId);
        }
        return current;
    }

    private static void checkNotLink(Path p, String runId, String path) {
        if (Files.isSymbolicLink(p)) {
            throw new InvalidInputException("artifact path '" + path + "' of run " + runId
                    + " goes through the symbolic link " + p + "; links are refused so that nothing is read or written outside the artifact root");
        }
    }
}
