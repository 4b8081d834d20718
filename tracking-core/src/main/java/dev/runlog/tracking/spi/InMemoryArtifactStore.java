package dev.runlog.tracking.spi;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Artifacts as byte arrays in the heap: for {@code memory:} trackers, which leave no files behind. */
final class InMemoryArtifactStore implements ArtifactStore {
    private final Map<String, NavigableMap<String, byte[]>> filesByRun = new ConcurrentHashMap<>();

    @Override
    public String artifactUri(String runId) {
        return "memory:/artifacts/" + runId;
    }

    @Override
    public ArtifactEntry put(String runId, String path, InputStream content) {
        String file = ArtifactPaths.normalize(path);
        if (file.isEmpty()) {
            throw new InvalidInputException("artifact path '" + path + "' names the root; give a file path");
        }
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("Could not read the content of artifact '" + file + "' of run " + runId, e);
        }
        NavigableMap<String, byte[]> files = filesByRun.computeIfAbsent(runId, id -> new TreeMap<>());
        synchronized (files) {
            // A file may not sit where a directory is, nor below a file: keep the tree a tree.
            if (!files.subMap(file + "/", file + "0").isEmpty()) {
                throw new InvalidInputException("artifact path '" + file + "' of run " + runId + " is a directory");
            }
            for (int slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
                if (files.containsKey(file.substring(0, slash))) {
                    throw new InvalidInputException("artifact path '" + file + "' of run " + runId
                            + " goes through '" + file.substring(0, slash) + "', which is a file");
                }
            }
            files.put(file, bytes);
        }
        return ArtifactEntry.file(file, bytes.length, Sha256.of(bytes));
    }

    @Override
    public InputStream open(String runId, String path) {
        String file = ArtifactPaths.normalize(path);
        NavigableMap<String, byte[]> files = filesByRun.get(runId);
        byte[] bytes = null;
        if (files != null) {
            synchronized (files) {
                bytes = files.get(file);
            }
        }
        if (bytes == null) {
            throw new NotFoundException("Run " + runId + " has no artifact file '" + file + "'");
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public List<ArtifactEntry> list(String runId, String path) {
        String dir = ArtifactPaths.normalize(path);
        NavigableMap<String, byte[]> files = filesByRun.get(runId);
        List<ArtifactEntry> entries = new ArrayList<>();
        if (files == null) {
            return entries;
        }
        String prefix = dir.isEmpty() ? "" : dir + "/";
        synchronized (files) {
            String lastDirectory = null;
            for (Map.Entry<String, byte[]> e : files.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                String rest = e.getKey().substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    entries.add(new ArtifactEntry(e.getKey(), false, e.getValue().length, Optional.empty()));
                } else {
                    String child = prefix + rest.substring(0, slash);
                    if (!child.equals(lastDirectory)) {
                        entries.add(ArtifactEntry.directory(child));
                        lastDirectory = child;
                    }
                }
            }
        }
        entries.sort(java.util.Comparator.comparing(ArtifactEntry::path));
        return List.copyOf(entries);
    }

    @Override
    public long deleteRunArtifacts(String runId) {
        InputRules.notNull("run id", runId);
        NavigableMap<String, byte[]> files = filesByRun.remove(runId);
        if (files == null) {
            return 0;
        }
        synchronized (files) {
            return files.values().stream().mapToLong(bytes -> bytes.length).sum();
        }
    }

    @Override
    public void close() {
        filesByRun.clear();
    }
}
