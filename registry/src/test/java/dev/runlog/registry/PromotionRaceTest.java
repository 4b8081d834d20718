package dev.runlog.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Tracker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A promotion whose stage keeps changing under it while its gates are checked. */
class PromotionRaceTest {
    @Test
    void aPromotionRacedAtEveryAttemptGivesUpSayingSoAndChangesNothing() {
        try (Tracker tracker = Tracker.inMemory()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            try (ActiveRun run = tracker.startRun("race")) {
                String uri = run.logModel("model", List.of(1)).uri();
                for (int i = 0; i < 3; i++) {
                    registry.register("m", uri);
                }
            }
            registry.transition("m", 1, Stage.PRODUCTION);
            AtomicInteger checks = new AtomicInteger();
            // Each check moves Production between versions 1 and 2: another promoter landing meanwhile.
            Gate racing = candidate -> {
                int other = checks.incrementAndGet() % 2 == 1 ? 2 : 1;
                registry.transition("m", other, Stage.PRODUCTION, TransitionOptions.archiveExisting());
                return GateResult.pass("racing");
            };
            ConflictException e = assertThrows(ConflictException.class, () -> registry.promote("m", 3, Stage.PRODUCTION, racing));
            assertTrue(e.getMessage().contains("gave up after 20 attempts") && e.getMessage().contains("try again"), e.getMessage());
            assertEquals(20, checks.get());
            assertEquals(Stage.NONE, registry.getVersion("m", 3).stage());
        }
    }
}
