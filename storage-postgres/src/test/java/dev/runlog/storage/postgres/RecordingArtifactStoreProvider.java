package dev.runlog.storage.postgres;

import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.ArtifactStoreProvider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An artifact store of scheme {@code recording:} that keeps files in memory and records each
 * location and options it is opened with: a provider as {@code artifacts-s3}'s is, found by scheme,
 * so a test sees the PostgreSQL store hand a location and its options to whichever provider handles it.
 */
public final class RecordingArtifactStoreProvider implements ArtifactStoreProvider {
    /** Each opening: the location, then its options. */
    static final List<Map.Entry<URI, Map<String, String>>> OPENED = new CopyOnWriteArrayList<>();

    @Override
    public String scheme() {
        return "recording";
    }

    @Override
    public Set<String> optionNames() {
        return Set.of("endpoint", "region");
    }

    @Override
    public ArtifactStore open(URI location, Map<String, String> options) {
        OPENED.add(Map.entry(location, options));
        return ArtifactStore.inMemory();
    }
}
