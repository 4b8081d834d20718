package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logModel cut short, as by kill -9 or a full disk between two of its files, leaves no model: the
 * descriptor is written only once the whole payload is stored, so what is left has none and
 * neither reads nor loads as a model, and the same path can take the model again.
 */
class CutShortModelTest {
    public record Weights(List<Double> coefficients, double intercept) {
    }

    /** The local store, except that the put numbered {@code failAt} (from 1) fails: the writer "dies" there. */
    private static final class DyingArtifactStore implements ArtifactStore {
        private final ArtifactStore local;
        private final int failAt;
        private final AtomicInteger puts = new AtomicInteger();

        DyingArtifactStore(Path root, int failAt) {
            this.local = ArtifactStore.localFilesystem(root);
            this.failAt = failAt;
        }

        @Override
        public String artifactUri(String runId) {
            return local.artifactUri(runId);
        }

        @Override
        public ArtifactEntry put(String runId, String path, InputStream content) {
            if (puts.incrementAndGet() == failAt) {
                throw new StoreException("the writer died before storing " + path);
            }
            return local.put(runId, path, content);
        }

        @Override
        public InputStream open(String runId, String path) {
            return local.open(runId, path);
        }

        @Override
        public List<ArtifactEntry> list(String runId, String path) {
            return local.list(runId, path);
        }

        @Override
        public void close() {
            local.close();
        }
    }

    private static final ModelOptions OPTIONS = ModelOptions.defaults()
            .inputExample(List.of(Map.of("x", 1.0)))
            .metadata("framework", "plain-java");

    @Test
    void aModelCutShortAfterAnyOfItsFilesIsNoModel(@TempDir Path root) {
        // Payload, input example, descriptor: three files; dying at each of them leaves no model.
        for (int failAt = 1; failAt <= 3; failAt++) {
            try (Tracker tracker = Tracker.builder()
                    .store(new InMemoryTrackingStore(), new DyingArtifactStore(root.resolve("at-" + failAt), failAt))
                    .shutdownHook(false).build();
                 ActiveRun run = tracker.startRun("cut")) {
                assertThrows(StoreException.class, () -> run.logModel("model", new Weights(List.of(0.5), 1.0), OPTIONS));
                String uri = "runs:/" + run.id() + "/model";
                int at = failAt;
                assertThrows(NotFoundException.class, () -> tracker.getLoggedModel(uri), () -> "cut at file " + at);
                assertThrows(NotFoundException.class, () -> tracker.loadModel(uri, Weights.class), () -> "cut at file " + at);
                // What was left is no model, so the same path takes the model again, whole.
                LoggedModel again = run.logModel("model", new Weights(List.of(0.5), 1.0), OPTIONS);
                assertEquals(new Weights(List.of(0.5), 1.0), tracker.loadModel(again.uri(), Weights.class),
                        () -> "logged again after a cut at file " + at);
            }
        }
    }

    @Test
    void theSameModelWrittenWholeLoads(@TempDir Path root) {
        try (Tracker tracker = Tracker.builder()
                .store(new InMemoryTrackingStore(), new DyingArtifactStore(root, 4))
                .shutdownHook(false).build();
             ActiveRun run = tracker.startRun("cut")) {
            LoggedModel logged = run.logModel("model", new Weights(List.of(0.5), 1.0), OPTIONS);
            assertEquals(new Weights(List.of(0.5), 1.0), tracker.loadModel(logged.uri(), Weights.class));
            assertTrue(tracker.listArtifacts(run.id(), "model").size() >= 3, "payload, input example and descriptor");
        }
    }
}
