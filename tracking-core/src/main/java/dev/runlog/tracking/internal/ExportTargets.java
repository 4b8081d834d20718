package dev.runlog.tracking.internal;

import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** What an export's target may not be: a store's own files, whatever links lead there. */
final class ExportTargets {
    private ExportTargets() {
    }

    /**
     * An archive never replaces a store's own files, even when the caller allows replacing the
     * target: an SQLite database (a slip of the store's own name loses the whole store) or a file
     * under the local artifact directory the exported run's files live in (the store records what
     * is there, and a replaced file fails its check).
     */
    static void refuseStoreFiles(Path tarGz, Path target, Run source) {
        Path real = realPath(target);
        String name = real.getFileName() == null ? "" : real.getFileName().toString();
        // The database's side files too: replacing a live -wal loses what it holds.
        for (String side : new String[] {"", "-wal", "-shm", "-journal"}) {
            if (name.endsWith(side) && isSqliteDatabase(real.resolveSibling(name.substring(0, name.length() - side.length())))) {
                throw new InvalidInputException("Archive path " + tarGz + " is " + (side.isEmpty() ? "" : "the " + side
                        + " file of ") + "an SQLite database (a Runlog store?); an export never replaces one: give another file");
            }
        }
        String location = source.info().artifactUri();
        if (location.startsWith("file:")) {
            Path root;
            try {
                root = realPath(Path.of(java.net.URI.create(location)).toAbsolutePath().normalize().getParent().getParent());
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException | NullPointerException e) {
                return; // no local directory to protect
            }
            if (real.startsWith(root)) {
                throw new InvalidInputException("Archive path " + tarGz + " is inside the store's artifact directory "
                        + root + ", whose files the store records; give a file outside it");
            }
        }
    }

    /** {@code path} with every link resolved, as far as it exists (a file to be written need not). */
    private static Path realPath(Path path) {
        Path existing = path;
        Path rest = Path.of("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        try {
            return existing == null ? path : existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    private static boolean isSqliteDatabase(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(16), StandardCharsets.ISO_8859_1).equals("SQLite format 3\0");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What stands at the target before an export writes: null when nothing does. Refuses what is
     * no regular file (a symbolic link is replaced as such): a device, a pipe or a socket is no
     * place for an archive, and moving one onto {@code /dev/null} replaced the device itself.
     */
    static BasicFileAttributes before(Path tarGz, Path target) {
        BasicFileAttributes attributes = attributes(target);
        if (attributes != null && !attributes.isRegularFile() && !attributes.isSymbolicLink() && !attributes.isDirectory()) {
            throw new InvalidInputException("Archive path " + tarGz + " is not a regular file (a device, a pipe or a"
                    + " socket); give the path of a file");
        }
        return attributes;
    }

    /**
     * Puts the written archive {@code tmp} at {@code target} if what stands there is still what
     * {@link #before} found: nothing (a hard link then makes the archive appear only where nothing
     * is, atomically, so two exports to one path or a file made meanwhile never lose one), or the
     * same file (replaced). Otherwise the target is left as it is and the archive is not kept.
     *
     * @throws ConflictException if something appeared at the target, or it changed, while the
     *                           archive was written
     */
    static void place(Path tarGz, Path tmp, Path target, BasicFileAttributes before) throws IOException {
        if (before == null) {
            boolean linked;
            try {
                Files.createLink(target, tmp);
                linked = true;
            } catch (FileAlreadyExistsException e) {
                throw appeared(tarGz);
            } catch (UnsupportedOperationException | IOException noLinks) {
                linked = false;
            }
            if (linked) {
                Files.delete(tmp);
                return;
            }
            // A file system without hard links: the small window between look and move remains.
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw appeared(tarGz);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        BasicFileAttributes now = attributes(target);
        if (now == null || !java.util.Objects.equals(now.fileKey(), before.fileKey())
                || !now.lastModifiedTime().equals(before.lastModifiedTime()) || now.size() != before.size()) {
            throw new ConflictException("Archive path " + tarGz + " changed while the archive was written (another"
                    + " export, or another program); it was left as it is and no archive was written: export again");
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ConflictException appeared(Path tarGz) {
        return new ConflictException("Archive path " + tarGz + " appeared while the archive was written (another export,"
                + " or another program); it was left as it is and no archive was written: export again, or to another file");
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }
}
