package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registering a logged model that was registered before (remembered by its descriptor's digest, so
 * the run and the descriptor are not read into objects again) checks as much as the first time: a
 * descriptor changed since it was logged is refused, and so is a payload that no longer matches its
 * descriptor; put back, each registers again.
 */
class RegisterAgainTest {
    @TempDir
    Path dir;

    public record Weights(List<Double> coefficients) {
    }

    @Test
    void aModelRegisteredBeforeIsCheckedAgainEachTime() throws Exception {
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + dir.resolve("runlog.db")).shutdownHook(false).build()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            String uri;
            String runId;
            try (ActiveRun run = tracker.startRun("again")) {
                uri = run.logModel("model", new Weights(List.of(0.5, -0.25))).uri();
                runId = run.id();
            }
            String digest = registry.register("a", uri).modelDigest().orElseThrow();
            assertEquals(digest, registry.register("b", uri).modelDigest().orElseThrow());

            // Any change to the descriptor since it was logged, a line break even, is caught by the size
            // and SHA-256 recorded when it was stored; put back, it registers again.
            Path descriptor = dir.resolve("runlog.db.artifacts").resolve(runId).resolve("artifacts/model/MLmodel.json");
            String text = Files.readString(descriptor);
            Files.writeString(descriptor, text + "\n");
            assertRefused(() -> registry.register("a", uri), "The descriptor " + uri + "/MLmodel.json changed since"
                    + " the model was logged", "bytes, recorded");
            Files.writeString(descriptor, text);
            assertEquals(digest, registry.register("a", uri).modelDigest().orElseThrow());

            // The payload is checked each time too, against what the descriptor lists.
            Path payload = descriptor.resolveSibling("data/model.json");
            String weights = Files.readString(payload);
            Files.writeString(payload, weights + " ");
            assertRefused(() -> registry.register("c", uri), "data/model.json");
            Files.writeString(payload, weights);
            assertEquals(digest, registry.register("c", uri).modelDigest().orElseThrow());
        }
    }

    private static void assertRefused(Executable call, String... parts) {
        IntegrityException e = assertThrows(IntegrityException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }
}
