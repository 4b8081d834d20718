package dev.runlog.tracking.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The metric series of a run archive ({@code metrics/N.bin}: (step, timestamp, value bits) as
 * big-endian longs), read in batches: a series is never held whole, so what an import holds in
 * memory does not grow with an archive's points, however many keys its {@code run.json} lists.
 */
final class ArchiveSeries {
    /** Points handed to the store at a time. */
    static final int BATCH = 100_000;
    private static final int POINT_BYTES = 24;

    private ArchiveSeries() {
    }

    /** Receives one batch of a series. */
    interface Batches {
        void accept(List<Metric> batch) throws IOException;
    }

    /**
     * The file of each key {@code run.json}'s {@code metrics} names, every point of each read and
     * checked: each key and each file named once, each file under {@code metrics/} and of whole
     * points, and no file of {@code metrics/} left unnamed (its points would be dropped without a word).
     */
    static Map<String, Path> checked(Path unpacked, Iterable<JsonNode> named, Path tarGz) throws IOException {
        Map<String, Path> series = new LinkedHashMap<>();
        Set<Path> files = new HashSet<>();
        Path metrics = unpacked.resolve("metrics");
        for (JsonNode entry : named) {
            String key = InputRules.key("metric", Archives.text(entry, "key", tarGz));
            String file = Archives.text(entry, "file", tarGz);
            Path path = unpacked.resolve(ArtifactPaths.normalize(file));
            if (!path.startsWith(metrics) || path.equals(metrics) || !Files.isDirectory(metrics, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IntegrityException("Archive " + tarGz + ": run.json names the metric file '" + file + "' of '" + key
                        + "', which the archive does not hold under metrics/");
            }
            if (series.containsKey(key)) {
                throw new IntegrityException("Archive " + tarGz + ": run.json names the metric '" + key + "' twice");
            }
            if (!files.add(path)) {
                throw new IntegrityException("Archive " + tarGz + ": run.json names the metric file '" + file + "' twice");
            }
            long size = Files.size(path);
            if (size % POINT_BYTES != 0) {
                throw new IntegrityException("Metric file " + file + " in " + tarGz + " is " + size + " bytes, not whole points");
            }
            read(path, key, batch -> { }); // each point checked as the store will take it
            series.put(key, path);
        }
        if (Files.exists(metrics, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(metrics, LinkOption.NOFOLLOW_LINKS)) {
            throw new IntegrityException("Archive " + tarGz + ": its entry 'metrics' is a file, not the directory of metric files");
        }
        if (Files.isDirectory(metrics, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(metrics)) {
                for (Path path : (Iterable<Path>) all::iterator) {
                    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !files.contains(path)) {
                        throw new IntegrityException("Archive " + tarGz + ": it holds the metric file '"
                                + unpacked.relativize(path) + "', which run.json does not name");
                    }
                }
            }
        }
        return series;
    }

    /** Hands {@code file}'s points, as metric {@code key}, to {@code batches}, {@link #BATCH} at a time. */
    static void read(Path file, String key, Batches batches) throws IOException {
        long points = Files.size(file) / POINT_BYTES;
        List<Metric> batch = new ArrayList<>((int) Math.min(points, BATCH));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (long i = 0; i < points; i++) {
                long step = in.readLong();
                long timestamp = in.readLong();
                batch.add(new Metric(key, Double.longBitsToDouble(in.readLong()), step, timestamp));
                if (batch.size() == BATCH) {
                    batches.accept(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
        }
        if (!batch.isEmpty()) {
            batches.accept(batch);
        }
    }
}
