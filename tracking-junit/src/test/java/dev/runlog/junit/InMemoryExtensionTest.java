package dev.runlog.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The programmatic in-memory form, with a fixed clock; and the accessors outside any test. */
class InMemoryExtensionTest {

    static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @RegisterExtension
    static RunlogExtension runlog = RunlogExtension.inMemory().withClock(Clock.fixed(NOON, ZoneOffset.UTC));

    @Test
    void storeUriIsMemory() {
        assertEquals("memory:", runlog.storeUri());
    }

    @Test
    void theTrackerUsesTheGivenClock(Tracker tracker) {
        assertSame(runlog.tracker(), tracker);
        String runId;
        try (ActiveRun run = tracker.startRun("iris")) {
            run.logMetric("loss", 0.5, 1);
            runId = run.id();
        }

        Run run = tracker.getRun(runId);
        assertEquals(NOON, run.info().startTime());
        assertEquals(NOON, run.info().endTime().orElseThrow());
        assertEquals(NOON.toEpochMilli(), tracker.metricHistory(runId, "loss").get(0).timestamp());
    }

    @Test
    void theRegistryIsKeptInTheTrackersStore(ModelRegistry registry) {
        assertSame(runlog.registry(), registry);
        try (ActiveRun run = runlog.tracker().startRun("iris")) {
            registry.register("iris", run.logModel("model", List.of(1)).uri());
        }
        assertEquals(NOON, runlog.registry().getVersion("iris", 1).creationTime());
    }

    @Test
    void withClockMakesANewExtensionAndLeavesThisOneAlone() {
        RunlogExtension other = runlog.withClock(Clock.systemUTC());
        assertNotSame(runlog, other);
        assertThrows(InvalidInputException.class, () -> runlog.withClock(null));
    }

    @Test
    void accessorsOfAnExtensionNoTestUsesExplainWhy() {
        RunlogExtension unused = RunlogExtension.sqlite();

        InvalidInputException tracker = assertThrows(InvalidInputException.class, unused::tracker);
        InvalidInputException registry = assertThrows(InvalidInputException.class, unused::registry);
        InvalidInputException storeUri = assertThrows(InvalidInputException.class, unused::storeUri);

        assertTrue(tracker.getMessage().startsWith("RunlogExtension.tracker() is only available while a test runs"),
                tracker.getMessage());
        assertTrue(registry.getMessage().startsWith("RunlogExtension.registry() is only available while a test runs"),
                registry.getMessage());
        assertTrue(storeUri.getMessage().startsWith("RunlogExtension.storeUri() is only available while a test runs"),
                storeUri.getMessage());
    }
}
