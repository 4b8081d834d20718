package dev.runlog.tracking.internal;

import dev.runlog.tracking.InvalidInputException;

/** Rules for artifact paths: relative, '/'-separated, never climbing out of the run's root. */
public final class ArtifactPaths {
    private ArtifactPaths() {
    }

    /**
     * Normalizes a relative artifact path: drops empty and "." segments, so "a//b/./c/" becomes
     * "a/b/c" and "" or "." the root (""). Rejects what could escape the root.
     */
    public static String normalize(String path) {
        if (path == null) {
            throw new InvalidInputException("artifact path must not be null");
        }
        if (path.indexOf('\0') >= 0) {
            throw new InvalidInputException("artifact path '" + path.replace('\0', '?') + "' holds a NUL character");
        }
        if (path.indexOf('\\') >= 0) {
            throw new InvalidInputException("artifact path '" + path + "' holds a backslash; use '/' as the separator");
        }
        if (path.startsWith("/") || (path.length() >= 2 && path.charAt(1) == ':')) {
            throw new InvalidInputException("artifact path '" + path + "' is absolute; artifact paths are relative to the run's artifact root");
        }
        StringBuilder normalized = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new InvalidInputException("artifact path '" + path + "' has a '..' segment; it would leave the run's artifact root");
            }
            if (normalized.length() > 0) {
                normalized.append('/');
            }
            normalized.append(segment);
        }
        return normalized.toString();
    }

    /** Joins a normalized directory and a file name. */
    public static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
