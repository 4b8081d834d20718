package dev.runlog.tracking.tck;

import dev.runlog.tracking.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The data the tracking contracts share: the start instant, ids, bytes, text and datasets. */
final class KitData {
    private KitData() {
    }

    /**
     * Where the harness clock stands when each test starts: a fixed instant in the past, with
     * milliseconds, so a store that reads the system clock or drops milliseconds is caught.
     */
    static final Instant START = Instant.parse("2021-06-15T08:30:00.123Z");

    static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
    static final String UNKNOWN_RUN_ID = "0123456789abcdef0123456789abcdef";

    /** {@code length} random bytes, the same for the same seed. */
    static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The SHA-256 of {@code content} as 64 lowercase hex characters, as artifact entries record it. */
    static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A string of exactly {@code length} characters repeating {@code pattern}. */
    static String text(int length, String pattern) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            sb.append(pattern);
        }
        sb.setLength(length);
        return sb.toString();
    }

    static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Path relative to {@code root} ('/'-separated) to "size:sha256" of every regular file under a local directory. */
    static SortedMap<String, String> localDigests(Path root) {
        SortedMap<String, String> digests = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(p);
                digests.put(root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"),
                        content.length + ":" + sha256(content));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digests;
    }

    /** Writes each relative path's content under {@code root}, creating directories; returns root. */
    static Path writeTree(Path root, Map<String, byte[]> files) {
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = root.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "size:sha256" of each content, by path: what {@link KitAssertions#artifactDigests} and {@link #localDigests} give. */
    static SortedMap<String, String> digestsOf(Map<String, byte[]> files) {
        SortedMap<String, String> digests = new TreeMap<>();
        files.forEach((path, content) -> digests.put(path, content.length + ":" + sha256(content)));
        return digests;
    }

    static String utf8(InputStream in) {
        return new String(readAll(in), StandardCharsets.UTF_8);
    }

    /**
     * JSON without the whitespace between tokens (strings are kept as they are), so that what
     * Jackson pretty-prints can be compared with a compact expected text.
     */
    static String compactJson(String json) {
        StringBuilder compact = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                compact.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                compact.append(c);
            } else if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        return compact.toString();
    }

    /** A hand-built dataset with two numeric columns, one with -0.0 as its minimum; the digest follows the version. */
    static Dataset dataset(String name, String version) {
        return new Dataset(name, sha256((name + "@" + version).getBytes(StandardCharsets.UTF_8)),
                "s3://datasets/" + name + "/" + version + ".parquet",
                List.of(new Dataset.Column("age", "long"), new Dataset.Column("income", "double"),
                        new Dataset.Column("city", "string"), new Dataset.Column("member", "boolean")),
                new Dataset.Profile(1000, Map.of(
                        "age", new Dataset.ColumnProfile(990, 10, 18, 90, 41.5, 12.25,
                                new Dataset.Histogram(List.of(18.0, 42.0, 66.0, 90.0), List.of(400L, 450L, 140L))),
                        "income", new Dataset.ColumnProfile(1000, 0, -0.0, 2.5e6, 61234.5, 40321.75,
                                new Dataset.Histogram(List.of(-0.0, 1.25e6, 2.5e6), List.of(998L, 2L))))));
    }

    /**
     * A hand-built dataset of one row: a column with a single value, whose standard deviation is NaN,
     * and a column with no value at all, whose statistics are all NaN and whose histogram is empty.
     */
    static Dataset singleRowDataset() {
        return new Dataset("one-row", sha256("one-row".getBytes(StandardCharsets.UTF_8)), "file:/data/one-row.csv",
                List.of(new Dataset.Column("v", "double"), new Dataset.Column("w", "double")),
                new Dataset.Profile(1, Map.of(
                        "v", new Dataset.ColumnProfile(1, 0, 7.5, 7.5, 7.5, Double.NaN,
                                new Dataset.Histogram(List.of(7.5, 7.5), List.of(1L))),
                        "w", new Dataset.ColumnProfile(0, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                                new Dataset.Histogram(List.of(), List.of())))));
    }
}
