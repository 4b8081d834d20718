package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.spi.TrackingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule: soft-deleted runs and experiments can be purged for good (gc), and a store checks itself. */
public interface PurgeContract {

    /** Purging is optional: a store that keeps the SPI's default (which refuses) skips this group. */
    @org.junit.jupiter.api.BeforeEach
    default void onlyForStoresThatPurge(Tracker tracker) {
        KitAssertions.assumeImplemented(TrackerStores.of(tracker).tracking(), dev.runlog.tracking.spi.TrackingStore.class,
                "purgeDeleted", Instant.class, Set.class, boolean.class);
    }

    private static String finishedRun(Tracker tracker, String experiment, String text) {
        try (ActiveRun run = tracker.startRun(experiment)) {
            run.logParam("lr", 0.1).logMetric("loss", 0.5, 0).logText(text, "notes.txt");
            return run.id();
        }
    }

    @Test
    @DisplayName("purgeDeleted removes runs deleted at or before the cut-off, with their data; later, kept and active runs stay")
    default void purgesOldDeletedRuns(Tracker tracker, MutableClock clock) {
        TrackerStores stores = TrackerStores.of(tracker);
        Instant start = clock.instant();
        String old = finishedRun(tracker, "gc", "twelve bytes");
        String recent = finishedRun(tracker, "gc", "recent");
        String kept = finishedRun(tracker, "gc", "kept");
        String active = finishedRun(tracker, "gc", "active");
        tracker.deleteRun(old);
        tracker.deleteRun(kept);
        clock.advance(Duration.ofHours(2));
        tracker.deleteRun(recent);

        Purge purge = stores.tracking().purgeDeleted(start.plus(Duration.ofHours(1)), Set.of(kept), false);
        assertEquals(List.of(old), purge.runIds());
        assertEquals(List.of(), purge.experimentIds());
        assertThrows(NotFoundException.class, () -> tracker.getRun(old));
        assertTrue(tracker.searchRuns().viewType(ViewType.ALL).list().stream().noneMatch(r -> r.info().id().equals(old)));
        assertEquals(12, stores.artifacts().deleteRunArtifacts(old), "the purged run's artifact files are the caller's to delete");
        assertEquals(List.of(), stores.artifacts().list(old, ""));
        assertEquals(0, stores.artifacts().deleteRunArtifacts(old), "deleting them twice is fine");

        tracker.restoreRun(recent);
        tracker.restoreRun(kept);
        assertEquals(LifecycleStage.ACTIVE, tracker.getRun(recent).info().lifecycleStage());
        assertEquals(0.5, tracker.getRun(kept).data().metrics().get("loss"));
        assertEquals("0.1", tracker.getRun(active).data().params().get("lr"));
    }

    @Test
    @DisplayName("a purged run awaits the deletion of its artifacts until artifactsDeleted says they are gone")
    default void purgedRunsAwaitArtifactDeletion(Tracker tracker, MutableClock clock) {
        TrackingStore store = TrackerStores.of(tracker).tracking();
        String first = finishedRun(tracker, "gc", "one");
        String second = finishedRun(tracker, "gc", "two");
        String active = finishedRun(tracker, "gc", "three");
        tracker.deleteRun(first);
        tracker.deleteRun(second);
        assertEquals(List.of(), store.pendingArtifactDeletions(), "deleted, not purged");
        store.purgeDeleted(clock.instant(), Set.of(), true);
        assertEquals(List.of(), store.pendingArtifactDeletions(), "a dry run records nothing");

        store.purgeDeleted(clock.instant(), Set.of(), false);
        assertEquals(Set.of(first, second), Set.copyOf(store.pendingArtifactDeletions()));
        assertEquals(2, store.pendingArtifactDeletions().size());
        store.artifactsDeleted(first);
        assertEquals(List.of(second), store.pendingArtifactDeletions());
        store.artifactsDeleted(first);
        store.artifactsDeleted(active);
        assertEquals(List.of(second), store.pendingArtifactDeletions(), "an id not pending is ignored");
        store.purgeDeleted(clock.instant(), Set.of(), false);
        assertEquals(List.of(second), store.pendingArtifactDeletions(), "a later purge keeps what is still pending");
        store.artifactsDeleted(second);
        assertEquals(List.of(), store.pendingArtifactDeletions());
        assertEquals("0.1", tracker.getRun(active).data().params().get("lr"));
    }

    @Test
    @DisplayName("a dry run of purgeDeleted says what it would purge and changes nothing")
    default void dryRunChangesNothing(Tracker tracker, MutableClock clock) {
        String run = finishedRun(tracker, "gc", "x");
        tracker.deleteRun(run);
        Purge purge = TrackerStores.of(tracker).tracking().purgeDeleted(clock.instant(), Set.of(), true);
        assertEquals(List.of(run), purge.runIds());
        assertEquals(0, purge.bytesReclaimed());
        tracker.restoreRun(run);
        assertEquals(1, tracker.metricHistory(run, "loss").size());
    }

    @Test
    @DisplayName("an experiment deleted before the cut-off is purged with its runs and its name is free again; a restored run is not purged")
    default void purgesDeletedExperiments(Tracker tracker, MutableClock clock) {
        String gone = finishedRun(tracker, "old", "x");
        String restored = finishedRun(tracker, "gc", "y");
        String experiment = tracker.getExperimentByName("old").orElseThrow().id();
        tracker.deleteExperiment(experiment);
        tracker.deleteRun(restored);
        tracker.restoreRun(restored);
        clock.advance(Duration.ofMinutes(1));

        Purge purge = TrackerStores.of(tracker).tracking().purgeDeleted(clock.instant(), Set.of(), false);
        assertEquals(List.of(gone), purge.runIds());
        assertEquals(List.of(experiment), purge.experimentIds());
        assertFalse(tracker.getExperimentByName("old").isPresent());
        assertThrows(NotFoundException.class, () -> tracker.getRun(gone));
        assertEquals(LifecycleStage.ACTIVE, tracker.getRun(restored).info().lifecycleStage());
        String again = finishedRun(tracker, "old", "z");
        assertEquals("old", tracker.getExperiment(tracker.getRun(again).info().experimentId()).name());
    }

    @Test
    @DisplayName("an experiment whose runs are not all purged stays; a store in good health finds no problem in itself")
    default void keepsExperimentsWithRunsLeftAndChecksItself(Tracker tracker, MutableClock clock) {
        String run = finishedRun(tracker, "old", "x");
        tracker.deleteExperiment(tracker.getExperimentByName("old").orElseThrow().id());
        Purge purge = TrackerStores.of(tracker).tracking().purgeDeleted(clock.instant(), Set.of(run), false);
        assertEquals(List.of(), purge.runIds());
        assertEquals(List.of(), purge.experimentIds());
        assertTrue(tracker.getExperimentByName("old").isPresent());

        StoreCheck check = TrackerStores.of(tracker).tracking().checkStore();
        assertEquals(List.of(), check.problems());
        assertTrue(check.healthy());
        assertFalse(check.description().isBlank());
    }
}
