package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ArtifactStore;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A model whose write is cut short (the artifact store fails, or the process dies, between two
 * files) leaves no descriptor, since the descriptor is written last: it is never loadable as a
 * model, and logging it again at the same path works.
 */
class HalfWrittenModelTest {

    /** A json-flavored model. */
    public record Weights(List<Double> coefficients, double intercept) {
    }

    /** An in-memory artifact store whose next put of a payload file fails, as a full disk would. */
    private static final class FailingPayloadStore implements ArtifactStore {
        private final ArtifactStore files = ArtifactStore.inMemory();
        private boolean failNextPayload = true;

        @Override
        public String artifactUri(String runId) {
            return files.artifactUri(runId);
        }

        @Override
        public synchronized ArtifactEntry put(String runId, String path, InputStream content) {
            if (failNextPayload && path.contains("/data/")) {
                failNextPayload = false;
                throw new StoreException("disk full while writing " + path);
            }
            return files.put(runId, path, content);
        }

        @Override
        public InputStream open(String runId, String path) {
            return files.open(runId, path);
        }

        @Override
        public List<ArtifactEntry> list(String runId, String path) {
            return files.list(runId, path);
        }

        @Override
        public void close() {
            files.close();
        }
    }

    private final Tracker tracker = Tracker.builder()
            .store(new InMemoryTrackingStore(), new FailingPayloadStore())
            .shutdownHook(false)
            .build();

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void aModelCutShortHasNoDescriptorIsNotLoadableAndCanBeLoggedAgain() {
        Weights weights = new Weights(List.of(0.5, -0.25), 1.5);
        try (ActiveRun run = tracker.startRun("half-written")) {
            assertThrows(StoreException.class, () -> run.logModel("model", weights));
            String uri = "runs:/" + run.id() + "/model";
            assertEquals(List.of(), tracker.listArtifacts(run.id(), "model"), "no descriptor was written before its payload");
            assertThrows(NotFoundException.class, () -> tracker.getLoggedModel(uri));
            assertThrows(NotFoundException.class, () -> tracker.loadModel(uri, Weights.class));

            LoggedModel logged = run.logModel("model", weights, dev.runlog.tracking.ModelOptions.defaults()
                    .metadata("attempt", "2"));
            assertEquals(Map.of("attempt", "2"), tracker.getLoggedModel(uri).metadata());
            assertEquals(weights, tracker.loadModel(logged.uri(), Weights.class));
        }
    }
}
