package dev.runlog.tracking.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.spi.ArtifactPaths;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a {@code .tar.gz} written by someone else, assuming the worst of it: an entry that would
 * land outside the target ({@code ../}, an absolute path), any link, a device file or FIFO, more
 * entries or more bytes than the limits. Bytes are counted as they are decompressed, so a bomb is
 * stopped at the limit rather than after filling the disk; on any refusal the target is deleted
 * whole, so nothing half-written stays behind.
 */
final class SafeExtractor {
    static final int MAX_ENTRIES = 1_000_000;

    private SafeExtractor() {
    }

    /**
     * After the tar's end marker only zeros may follow, and after the gzip stream nothing: a second
     * gzip stream or bytes appended would hold entries the read above never saw, which an import
     * would otherwise drop without a word.
     */
    private static void refuseDataAfterTheEnd(Path tarGz, InputStream gz, InputStream raw) throws IOException {
        byte[] rest = new byte[1 << 13];
        long padding = 0;
        for (int n; (n = gz.read(rest)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (rest[i] != 0) {
                    throw new IntegrityException("Archive " + tarGz + " holds data after the end of its tar; refused");
                }
            }
            padding += n;
            if (padding > 1 << 20) {
                throw new IntegrityException("Archive " + tarGz + " holds more than 1 MiB of padding after its tar; refused");
            }
        }
        // The gzip reader stops right after its stream's trailer (the buffered input lets it step back to there).
        if (raw.read() != -1) {
            throw new IntegrityException("Archive " + tarGz + " holds data after the end of its gzip stream (a second stream,"
                    + " or bytes appended); refused");
        }
    }

    /** Unpacks {@code tarGz} into the new directory {@code target}, which must not exist yet. */
    static void extract(Path tarGz, Path target, long sizeLimit) {
        if (!Files.isRegularFile(tarGz)) {
            throw new dev.runlog.tracking.NotFoundException("No archive file at " + tarGz);
        }
        boolean done = false;
        Path root = target;
        String name = null;
        try {
            Files.createDirectories(target);
            root = target.toRealPath();
            long total = 0;
            int entries = 0;
            try (InputStream file = Files.newInputStream(tarGz);
                 BufferedInputStream raw = new BufferedInputStream(file);
                 GzipCompressorInputStream gz = new GzipCompressorInputStream(raw);
                 TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (++entries > MAX_ENTRIES) {
                        throw new IntegrityException("Archive " + tarGz + " has more than " + MAX_ENTRIES + " entries");
                    }
                    name = entry.getName();
                    if (entry.isSymbolicLink() || entry.isLink()) {
                        Path linkTarget = root.resolve(name).getParent().resolve(entry.getLinkName()).normalize();
                        throw new IntegrityException("Archive entry '" + name + "' is a link to '" + entry.getLinkName() + "'"
                                + (linkTarget.startsWith(root) ? "" : ", which points outside the target")
                                + "; Runlog archives hold no links");
                    }
                    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                        throw new IntegrityException("Archive entry '" + name + "' is a device file or FIFO; refused");
                    }
                    if (!entry.isDirectory() && !entry.isFile()) {
                        throw new IntegrityException("Archive entry '" + name + "' is neither a file nor a directory; refused");
                    }
                    // GNU tar writes "./" before every name, and "./" itself for the top directory.
                    while (name.startsWith("./")) {
                        name = name.substring(2);
                    }
                    if (name.isEmpty() || name.equals(".")) {
                        continue;
                    }
                    Path destination = destination(root, name);
                    refuseFileAbove(root, destination, name);
                    if (entry.isDirectory()) {
                        if (Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)) {
                            throw new IntegrityException("Archive entry '" + name + "' is a directory, and an earlier entry is a file"
                                    + " of that name; refused");
                        }
                        Files.createDirectories(destination);
                        continue;
                    }
                    Files.createDirectories(destination.getParent());
                    if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IntegrityException("Archive entry '" + name + "' appears twice"
                                + (Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS) ? ", as a directory and as a file" : ""));
                    }
                    try (OutputStream out = Files.newOutputStream(destination)) {
                        byte[] buffer = new byte[1 << 16];
                        int n;
                        while ((n = tar.read(buffer)) > 0) {
                            total += n;
                            if (total > sizeLimit) {
                                throw new IntegrityException("Archive " + tarGz + " unpacks to more than the limit of "
                                        + sizeLimit + " bytes (at entry '" + name + "'); refused, nothing was kept");
                            }
                            out.write(buffer, 0, n);
                        }
                    }
                }
                name = null;
                refuseDataAfterTheEnd(tarGz, gz, raw);
            }
            done = true;
        } catch (IOException e) {
            // An archive cut short ends in an EOFException, which has no message.
            // The message names the entry, not the scratch directory it was being unpacked into.
            String why = e instanceof java.io.EOFException ? "it ends early (truncated?)"
                    : e.getMessage() != null ? e.getMessage().replace(root + "/", "").replace(root.toString(), "")
                    : e.getClass().getSimpleName();
            throw new IntegrityException("Archive " + tarGz + " is not a readable .tar.gz" + (name == null ? "" : " (at entry '"
                    + shown(name) + "')") + ": " + why, e);
        } finally {
            if (!done) {
                Temp.deleteTree(target);
            }
        }
    }

    /** An entry under a name an earlier entry made a file, as {@code x} then {@code x/y}. */
    private static void refuseFileAbove(Path root, Path destination, String name) {
        for (Path p = destination.getParent(); p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IntegrityException("Archive entry '" + shown(name) + "' lies under '"
                        + root.relativize(p) + "', which an earlier entry made a file; refused");
            }
        }
    }

    private static Path destination(Path root, String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")
                || (name.length() > 1 && name.charAt(1) == ':')) {
            throw new IntegrityException("Archive entry '" + name + "' has an absolute or malformed path; refused");
        }
        String[] segments = name.split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals("..")) {
                throw new IntegrityException("Archive entry '" + name + "' climbs out with '..'; refused");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                // Read as nothing, 'a//b' and 'a/./b' would be stored under a path the archive does not name.
                throw new IntegrityException("Archive entry '" + shown(name) + "' has an empty or '.' part; refused");
            }
            int bytes = segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > ArtifactPaths.MAX_SEGMENT_BYTES) {
                throw new IntegrityException("Archive entry '" + shown(name) + "' has a name part of " + bytes
                        + " UTF-8 bytes; the limit is " + ArtifactPaths.MAX_SEGMENT_BYTES + "; refused");
            }
        }
        Path destination = root.resolve(name).normalize();
        if (!destination.startsWith(root) || destination.equals(root)) {
            throw new IntegrityException("Archive entry '" + name + "' would land outside the target; refused");
        }
        // A directory created from an earlier entry cannot be a link (links are refused), but check anyway.
        for (Path p = destination.getParent(); p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new IntegrityException("Archive entry '" + name + "' goes through a link; refused");
            }
        }
        return destination;
    }

    /** A name as a message shows it: a hostile one may be kilobytes long. */
    private static String shown(String name) {
        return name.length() <= 80 ? name : name.substring(0, 60) + "…(" + name.length() + " characters)";
    }
}
