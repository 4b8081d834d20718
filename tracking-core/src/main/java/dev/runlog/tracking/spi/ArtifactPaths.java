package dev.runlog.tracking.spi;

import dev.runlog.tracking.InvalidInputException;
import java.nio.charset.StandardCharsets;

/**
 * The rules for artifact paths: relative, {@code /}-separated, never climbing out of the run's
 * artifact root. The tracker normalizes every path before an {@link ArtifactStore} sees it; a store
 * that takes paths from elsewhere (an archive, its own listing) normalizes them here too, so that
 * every store accepts and refuses the same paths with the same messages.
 */
public final class ArtifactPaths {
    /** The longest segment a path may have, in UTF-8 bytes: what common file systems accept (NAME_MAX). */
    public static final int MAX_SEGMENT_BYTES = 255;
    /**
     * The longest whole path, in UTF-8 bytes: S3's limit for a key, and well inside what a file
     * system takes with the store's own directories before it (PATH_MAX, 4,096 on Linux). Without
     * it the memory store took paths a file store then could not write, nor it download.
     */
    public static final int MAX_PATH_BYTES = 1_024;

    private ArtifactPaths() {
    }

    /**
     * Normalizes a relative artifact path: drops empty and "." segments, so "a//b/./c/" becomes
     * "a/b/c" and "" or "." the root (""). Rejects what could escape the root, and what no file
     * system could store: a NUL, an unpaired surrogate, a segment over {@value #MAX_SEGMENT_BYTES}
     * UTF-8 bytes, a whole path over {@value #MAX_PATH_BYTES}. The same rules hold on every store,
     * whether or not it writes files.
     */
    public static String normalize(String path) {
        if (path == null) {
            throw new InvalidInputException("artifact path must not be null");
        }
        if (path.indexOf('\0') >= 0) {
            throw new InvalidInputException("artifact path '" + path.replace('\0', '?') + "' holds a NUL character");
        }
        InputRules.text("artifact path", path);
        if (path.indexOf('\\') >= 0) {
            throw new InvalidInputException("artifact path '" + path + "' holds a backslash; use '/' as the separator");
        }
        if (path.startsWith("/")) {
            throw new InvalidInputException("artifact path '" + path + "' is absolute; artifact paths are relative to the run's artifact root");
        }
        if (path.length() >= 2 && path.charAt(1) == ':') {
            // Refused on every system, so a store copied to Windows holds nothing it cannot write there.
            throw new InvalidInputException("artifact path '" + path + "' starts like a Windows drive ('"
                    + path.substring(0, 2) + "'), which would make it absolute there; artifact paths are relative"
                    + " to the run's artifact root (a ':' later in the path is fine)");
        }
        StringBuilder normalized = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new InvalidInputException("artifact path '" + path + "' has a '..' segment; it would leave the run's artifact root");
            }
            int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SEGMENT_BYTES) {
                throw new InvalidInputException("artifact path '" + InputRules.abbreviate(path) + "' has a segment of "
                        + bytes + " UTF-8 bytes ('" + InputRules.abbreviate(segment) + "'); the limit is "
                        + MAX_SEGMENT_BYTES + " bytes per segment");
            }
            if (normalized.length() > 0) {
                normalized.append('/');
            }
            normalized.append(segment);
        }
        int bytes = normalized.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new InvalidInputException("artifact path '" + InputRules.abbreviate(path) + "' is " + bytes
                    + " UTF-8 bytes long; the limit is " + MAX_PATH_BYTES + " bytes for a whole path");
        }
        return normalized.toString();
    }

    /** Joins a normalized directory and a file name. */
    public static String join(String dir, String name) {
        InputRules.notNull("dir", dir);
        InputRules.notNull("name", name);
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
