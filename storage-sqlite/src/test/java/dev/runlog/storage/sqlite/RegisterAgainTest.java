package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registering a logged model that was registered before (remembered by its descriptor's digest, so
 * the run and the descriptor are not read into objects again) checks as much as the first time: the
 * digest recorded is that of the descriptor as it is at each registration, and a descriptor changed
 * so that its payload no longer matches is refused; put back, it registers again.
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

            Path descriptor = dir.resolve("runlog.db.artifacts").resolve(runId).resolve("artifacts/model/MLmodel.json");
            String text = Files.readString(descriptor);
            Files.writeString(descriptor, text + "\n");
            String edited = registry.register("a", uri).modelDigest().orElseThrow();
            assertNotEquals(digest, edited, "the digest recorded is of the descriptor as it is now");

            long length = Files.size(descriptor.resolveSibling("data/model.json"));
            Matcher size = Pattern.compile("\"size\"\\s*:\\s*" + length + "\\b").matcher(text);
            assertTrue(size.find(), "the descriptor lists the payload's size: " + text);
            Files.writeString(descriptor, size.replaceAll("\"size\":" + (length + 1)));
            assertRefused(() -> registry.register("c", uri), "data/model.json", (length + 1) + " when it was logged");
            Files.writeString(descriptor, text);
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
