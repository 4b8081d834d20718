package dev.runlog.tracking.internal;

import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.spi.ProcessOwner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    /** {@link #ownedDirectory(Path, String)} in {@code java.io.tmpdir}. */
    static Path ownedDirectory(String prefix) {
        try {
            return ownedDirectory(null, prefix);
        } catch (IOException e) {
            throw new StoreException("Cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    /**
     * A new directory in {@code parent} (made if missing; null: {@code java.io.tmpdir}) named
     * {@code prefix}, this process's tag (see {@link ProcessOwner#nameTag()}) and a unique part,
     * as an absolute path; first the directories of that prefix which processes now gone left
     * there (killed outright, they could not delete their own) are deleted.
     */
    static Path ownedDirectory(Path parent, String prefix) throws IOException {
        String named = prefix + ProcessOwner.current().nameTag() + "-";
        Path made = (parent == null ? Files.createTempDirectory(named)
                : Files.createTempDirectory(Files.createDirectories(parent), named)).toAbsolutePath().normalize();
        removeLeftByDeadProcesses(made.getParent(), prefix);
        return made;
    }

    /**
     * Deletes the directories named {@code prefix} + a process tag in {@code dir} whose process is
     * gone; never another machine's, and only this user's own private ones (see
     * {@link #ownPrivateDirectory}).
     */
    static void removeLeftByDeadProcesses(Path dir, String prefix) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path entry : entries) {
                Optional<ProcessOwner> owner = ProcessOwner.ofName(entry.getFileName().toString().substring(prefix.length()));
                if (owner.isPresent() && owner.get().isGone() && ownPrivateDirectory(entry)) {
                    deleteTree(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Someone else's mess in a shared directory must not fail the work at hand.
            log().log(System.Logger.Level.DEBUG, "Could not look for directories of dead processes in " + dir, e);
        }
    }

    /**
     * A new empty file in {@code dir} named {@code prefix}, this process's tag (see
     * {@link ProcessOwner#nameTag()}), a unique part and {@code suffix}; first the files of that
     * prefix and suffix which processes now gone left there (an export killed outright could not
     * delete its own) are deleted: only this user's regular files, never a link.
     */
    static Path ownedFile(Path dir, String prefix, String suffix) throws IOException {
        Path made = Files.createTempFile(dir, prefix + ProcessOwner.current().nameTag() + "-", suffix);
        ProcessOwner.deleteFilesOfGoneOwners(dir, prefix, suffix);
        return made;
    }

    /**
     * A real directory (not a link) of this user's that no one else may enter, as
     * {@code createTempDirectory} makes it. In a shared {@code java.io.tmpdir} anyone can make a
     * directory of that name; inside one they can write, they can swap a directory for a link
     * while its files are deleted, and turn the delete on this user's other files.
     */
    static boolean ownPrivateDirectory(Path entry) throws IOException {
        return Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                && Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                && Files.getPosixFilePermissions(entry, LinkOption.NOFOLLOW_LINKS)
                        .equals(PosixFilePermissions.fromString("rwx------"));
    }

    /** What {@link #deletedAtShutdown} holds until {@link #released}. */
    private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();
    private static boolean hooked;

    /**
     * Returns {@code path} (a file or a directory this process made), to be deleted should the JVM
     * shut down (Ctrl-C, {@code System.exit}) before {@link #released} is called for it: an export
     * or import stopped that way leaves nothing behind, where only the next one there cleaned up.
     */
    static Path deletedAtShutdown(Path path) {
        synchronized (IN_USE) {
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> IN_USE.forEach(Temp::deleteTree),
                        "runlog-temporary-files"));
                hooked = true;
            }
        }
        IN_USE.add(path);
        return path;
    }

    /** The work with {@code path} is over (it was moved into place or deleted): no shutdown touches it. */
    static void released(Path path) {
        if (path != null) {
            IN_USE.remove(path);
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
