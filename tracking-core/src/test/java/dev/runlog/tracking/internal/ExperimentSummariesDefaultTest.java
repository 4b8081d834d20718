package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ArtifactStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that does not implement experiment summaries itself (FlakyStore delegates everything
 * else) gets the TrackingStore default, which pages through searchRuns: over more runs than one
 * page, it gives what the in-memory store's own implementation gives for the same data (the kit
 * checks that one, times included, on a clock it moves by hand).
 */
class ExperimentSummariesDefaultTest {
    private final FlakyStore store = new FlakyStore();
    private final Tracker tracker = Tracker.builder().store(store, ArtifactStore.inMemory()).shutdownHook(false)
            .build();

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void theDefaultPagesThroughEveryRunAndAgreesWithTheInMemoryStore() {
        tracker.createExperiment("empty");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_300; i++) {
            ids.add(tracker.run(i % 3 == 0 ? "b" : "a", run -> { }).info().id());
        }
        tracker.startRun("a"); // still running: its start counts, it has no end
        for (int i = 0; i < 90; i++) {
            tracker.deleteRun(ids.get(i));
        }
        String b = tracker.getExperimentByName("b").orElseThrow().id();
        tracker.deleteExperiment(b);
        tracker.restoreExperiment(b);
        tracker.createExperiment("deleted");
        tracker.deleteExperiment(tracker.getExperimentByName("deleted").orElseThrow().id());

        List<ExperimentSummary> all = tracker.experimentSummaries(ViewType.ALL);
        assertEquals(List.of("empty 0/0", "b 404/30", "a 807/60", "deleted 0/0"), all.stream()
                .map(s -> s.experiment().name() + " " + s.activeRuns() + "/" + s.deletedRuns()).toList());
        for (ViewType view : ViewType.values()) {
            assertEquals(store.delegate.experimentSummaries(view), tracker.experimentSummaries(view), view.name());
        }
    }
}
