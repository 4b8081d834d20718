package dev.runlog.tracking.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
