package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 17: stores are found by URI scheme. */
public interface StoreDiscoveryContract {

    @Test
    @DisplayName("an unknown scheme fails with InvalidInputException naming it")
    default void unknownScheme() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open("nosuch:x"));
        assertMessageContains(e, "nosuch");
    }

    @Test
    @DisplayName("Tracker.open finds this store by its URI scheme")
    default void openByUri(StoreHarness kit) {
        try (Tracker opened = Tracker.open(kit.storeUri(kit.newDirectory("open")))) {
            assertEquals(List.of(), opened.listExperiments(ViewType.ALL));
            try (ActiveRun run = opened.startRun("iris")) {
                run.logParam("lr", 0.1);
                assertEquals("0.1", opened.getRun(run.id()).data().params().get("lr"));
            }
        }
    }

    @Test
    @DisplayName("each storeUri(dir) is a fresh store: another store's experiments are not in it")
    default void freshStores(Tracker tracker, StoreHarness kit) {
        tracker.startRun("iris").close();
        Tracker other = kit.newTracker(builder -> { });
        assertEquals(List.of(), other.listExperiments(ViewType.ALL));
        assertEquals(1, tracker.listExperiments(ViewType.ALL).size());
    }
}
