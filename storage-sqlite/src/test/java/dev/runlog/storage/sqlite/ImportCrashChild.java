package dev.runlog.storage.sqlite;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link ImportCrashTest}: imports a run archive into {@code sqlite:FILE} and
 * halts the JVM, as kill -9 would, when the import stores its first artifact file: the run, its
 * params and metric points are stored by then, its files not. Arguments: database file, archive.
 */
public final class ImportCrashChild {
    private ImportCrashChild() {
    }

    public static void main(String[] args) {
        Tracker opened = Tracker.open("sqlite:" + args[0]); // never closed: the JVM halts
        TrackerStores stores = TrackerStores.of(opened);
        ArtifactStore artifacts = stores.artifacts();
        ArtifactStore halting = new ArtifactStore() {
            @Override
            public String artifactUri(String runId) {
                return artifacts.artifactUri(runId);
            }

            @Override
            public ArtifactEntry put(String runId, String path, InputStream content) {
                System.out.println("HALT " + runId);
                System.out.flush();
                Runtime.getRuntime().halt(137);
                throw new AssertionError("halted");
            }

            @Override
            public List<ArtifactEntry> list(String runId, String path) {
                return artifacts.list(runId, path);
            }

            @Override
            public InputStream open(String runId, String path) {
                return artifacts.open(runId, path);
            }

            @Override
            public void close() {
                artifacts.close();
            }
        };
        Tracker.builder().store(stores.tracking(), halting).shutdownHook(false).build().importRun(Path.of(args[1]));
    }
}
