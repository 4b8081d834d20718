package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.Stage;
import dev.runlog.registry.spi.Change;
import dev.runlog.registry.spi.IncumbentChangedException;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.RegistryStoreProvider;
import dev.runlog.registry.spi.StageTransition;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchOrder;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part of the store contract that a {@code Tracker} never lets a caller reach, checked on the
 * raw SPI: a run id that is already taken, writes to a run that has ended or was deleted, and a
 * stage transition whose expected incumbent has changed. The tracker makes fresh ids and checks a
 * run's state before writing, so only a store's own checks catch a second tracker or process doing
 * the same at the same moment; these tests call the store as such a race would.
 *
 * <p>A store module subclasses this kit next to its {@link TrackingStoreCompatibilityKit} and says
 * how to open its raw stores, usually by URI:
 *
 * <pre>{@code
 * class SqliteStoreSpiCompatibilityTest extends StoreSpiCompatibilityKit {
 *     protected StoreProvider.Stores openStores(Path dir) { return openByUri("sqlite:" + dir.resolve("runlog.db")); }
 * }
 * }</pre>
 *
 * The registry test runs when a {@link RegistryStoreProvider} knows the tracking store, and is
 * skipped otherwise.
 */
public abstract class StoreSpiCompatibilityKit {

    /** For a store module's subclass, which says how to open a fresh store. */
    protected StoreSpiCompatibilityKit() {
    }
    private static final Instant START = KitData.START;
    private static final String RUN_ID = "00000000000000000000000000000001";

    private StoreProvider.Stores stores;
    private TrackingStore store;
    private String experimentId;

    /**
     * Opens a fresh, empty store in {@code dir}, as its provider does for a tracker; the kit closes
     * it after the test.
     *
     * @param dir an empty directory for this store alone, deleted after the test
     */
    protected abstract StoreProvider.Stores openStores(Path dir);

    /**
     * The registry store sharing {@code tracking}'s storage: by default what the first
     * {@link RegistryStoreProvider} on the class path that knows it gives, fallbacks last; empty
     * when none does.
     */
    protected Optional<RegistryStore> registryStore(TrackingStore tracking) {
        // Fallbacks (the built-in in-memory registry) last, as ModelRegistry.of asks them.
        for (boolean fallbacks : new boolean[] {false, true}) {
            for (RegistryStoreProvider provider : ServiceLoader.load(RegistryStoreProvider.class)) {
                if (provider.isFallback() != fallbacks) {
                    continue;
                }
                Optional<RegistryStore> found = provider.forTrackingStore(tracking);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The stores of the {@link StoreProvider} on the class path whose scheme is {@code uri}'s, opened on {@code uri}. */
    protected static StoreProvider.Stores openByUri(String uri) {
        String scheme = uri.substring(0, uri.indexOf(':'));
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
            if (provider.scheme().equals(scheme)) {
                return provider.open(uri);
            }
        }
        throw new IllegalStateException("no StoreProvider for scheme '" + scheme + "' on the class path");
    }

    @BeforeEach
    final void openStore(@TempDir Path dir) {
        stores = openStores(dir);
        store = stores.tracking();
        experimentId = store.createExperiment("spi", START).id();
    }

    @AfterEach
    final void closeStores() {
        try {
            stores.tracking().close();
        } finally {
            stores.artifacts().close();
        }
    }

    private RunSpec run(String runId, String name) {
        return new RunSpec(runId, experimentId, name, RunStatus.RUNNING, START, "file:/artifacts/" + runId, Map.of());
    }

    @Test
    @DisplayName("createRun with a taken run id fails with ConflictException and leaves the first run as it was")
    void takenRunId() {
        store.createRun(run(RUN_ID, "first"));
        store.logBatch(RUN_ID, List.of(), Map.of("lr", "0.1"), Map.of());
        assertThrows(ConflictException.class, () -> store.createRun(run(RUN_ID, "second")));
        var kept = store.getRun(RUN_ID).orElseThrow();
        assertEquals("first", kept.info().name());
        assertEquals(Map.of("lr", "0.1"), kept.data().params());
    }

    @Test
    @DisplayName("createUnownedRun makes the run createRun would, refused alike for a taken id or a deleted experiment")
    void unownedRun() {
        store.createUnownedRun(run(RUN_ID, "client's"));
        store.logBatch(RUN_ID, List.of(new Metric("loss", 0.5, 0, START.toEpochMilli())), Map.of("lr", "0.1"), Map.of());
        var created = store.getRun(RUN_ID).orElseThrow();
        assertEquals("client's", created.info().name());
        assertEquals(RunStatus.RUNNING, created.info().status());
        assertEquals(Map.of("lr", "0.1"), created.data().params());
        assertThrows(ConflictException.class, () -> store.createUnownedRun(run(RUN_ID, "second")));
        store.endRun(RUN_ID, RunStatus.FINISHED, START.plusSeconds(1));
        assertEquals(RunStatus.FINISHED, store.getRun(RUN_ID).orElseThrow().info().status());
        store.deleteExperiment(experimentId, START.plusSeconds(2));
        assertThrows(ConflictException.class, () -> store.createUnownedRun(run("00000000000000000000000000000002", "late")));
    }

    @Test
    @DisplayName("deleteExperimentTag removes one tag, takes a tag the experiment lacks, and names an unknown experiment")
    void deleteExperimentTag() {
        store.setExperimentTag(experimentId, "team", "vision");
        store.setExperimentTag(experimentId, "runlog.copy", "unfinished");
        try {
            store.deleteExperimentTag(experimentId, "runlog.copy");
        } catch (dev.runlog.tracking.InvalidInputException e) {
            Assumptions.assumeTrue(false, "this store cannot delete experiment tags: " + e.getMessage());
        }
        store.deleteExperimentTag(experimentId, "never-set");
        assertEquals(Map.of("team", "vision"), store.getExperiment(experimentId).orElseThrow().tags());
        assertThrows(dev.runlog.tracking.NotFoundException.class, () -> store.deleteExperimentTag("987654", "team"));
    }

    @Test
    @DisplayName("searchRuns and searchExperiments return at most their limit, and a cursor continues right after it")
    void pagesKeepTheirLimitAndCursor() {
        // A tracker reads a page shorter than asked as the last one: rows beyond the limit would be
        // lost to it, and a cursor ignored would hand out the first page forever.
        List<String> created = new java.util.ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            String id = String.format("%032x", i);
            store.createRun(new RunSpec(id, experimentId, "r" + i, RunStatus.RUNNING, START.plusSeconds(i),
                    "file:/artifacts/" + id, Map.of()));
            created.add(id);
            store.createExperiment("e" + i, START.plusSeconds(i));
        }
        SearchOrder byStart = new SearchOrder(new SearchField(SearchField.Kind.ATTRIBUTE, "start_time"), true);
        List<String> seen = new java.util.ArrayList<>();
        Optional<SearchCursor> after = Optional.empty();
        for (int page = 0; page < 3; page++) {
            List<Run> runs = store.searchRuns(new RunSearch(List.of(experimentId), new SearchFilter.All(), List.of(byStart),
                    3, after, ViewType.ACTIVE_ONLY));
            assertTrue(runs.size() <= 3, "a page of at most 3 runs held " + runs.size());
            runs.forEach(r -> seen.add(r.info().id()));
            if (!runs.isEmpty()) {
                Run last = runs.get(runs.size() - 1);
                after = Optional.of(new SearchCursor(List.of((double) last.info().startTime().toEpochMilli()), last.info().id()));
            }
        }
        assertEquals(created, seen, "three pages of 3 after each other's cursor: every run once, in start order");

        SearchOrder byName = new SearchOrder(new SearchField(SearchField.Kind.ATTRIBUTE, "name"), true);
        List<String> all = store.searchExperiments(new ExperimentSearch(new SearchFilter.All(), List.of(byName), 100,
                Optional.empty(), ViewType.ACTIVE_ONLY)).stream().map(Experiment::name).toList();
        assertTrue(all.size() >= 8, "the 8 experiments made, and any the store keeps of its own: " + all);
        List<Experiment> first = store.searchExperiments(new ExperimentSearch(new SearchFilter.All(), List.of(byName), 3,
                Optional.empty(), ViewType.ACTIVE_ONLY));
        assertEquals(all.subList(0, 3), first.stream().map(Experiment::name).toList(), "a page of at most 3 experiments");
        Experiment last = first.get(2);
        List<Experiment> second = store.searchExperiments(new ExperimentSearch(new SearchFilter.All(), List.of(byName), 3,
                Optional.of(new SearchCursor(List.of(last.name()), last.id())), ViewType.ACTIVE_ONLY));
        assertEquals(all.subList(3, 6), second.stream().map(Experiment::name).toList(), "the page after " + last.name());
    }

    @Test
    @DisplayName("runExists is true for a run, ended or deleted, and false for an id no run has")
    void runExists() {
        assertEquals(false, store.runExists(RUN_ID));
        store.createRun(run(RUN_ID, "first"));
        assertTrue(store.runExists(RUN_ID));
        store.endRun(RUN_ID, RunStatus.FINISHED, START.plusSeconds(1));
        store.deleteRun(RUN_ID);
        assertTrue(store.runExists(RUN_ID));
        assertEquals(false, store.runExists("00000000000000000000000000000002"));
    }

    @Test
    @DisplayName("logMetricsOfRuns stores every run's points, or none when it declines or one run is refused")
    void metricsOfSeveralRuns() {
        String other = "00000000000000000000000000000002";
        String ended = "00000000000000000000000000000003";
        store.createRun(run(RUN_ID, "a"));
        store.createRun(run(other, "b"));
        store.createRun(run(ended, "c"));
        store.endRun(ended, RunStatus.FINISHED, START.plusSeconds(1));
        Metric first = new Metric("loss", 0.5, 0, START.toEpochMilli());
        Metric second = new Metric("loss", 0.25, 1, START.toEpochMilli() + 1);
        Metric accuracy = new Metric("acc", 0.9, 0, START.toEpochMilli());
        Map<String, List<Metric>> points = new LinkedHashMap<>();
        points.put(other, List.of(accuracy));
        points.put(RUN_ID, List.of(first, second));
        boolean stored = store.logMetricsOfRuns(points);
        assertEquals(stored ? List.of(first, second) : List.of(), store.metricHistory(RUN_ID, "loss"));
        assertEquals(stored ? List.of(accuracy) : List.of(), store.metricHistory(other, "acc"));
        if (stored) {
            assertEquals(Map.of("loss", second), store.getRun(RUN_ID).orElseThrow().data().latestMetrics());
            Metric third = new Metric("loss", 0.125, 2, START.toEpochMilli() + 2);
            assertThrows(RunNotActiveException.class, () -> store.logMetricsOfRuns(Map.of(RUN_ID, List.of(third),
                    ended, List.of(third))));
            assertEquals(List.of(first, second), store.metricHistory(RUN_ID, "loss"), "a refused call stored points");
            assertEquals(List.of(), store.metricHistory(ended, "loss"));
        }
    }

    @Test
    @DisplayName("every write to an ended run, and to a deleted one, fails with RunNotActiveException")
    void writesToInactiveRuns() {
        store.createRun(run(RUN_ID, "ended"));
        store.endRun(RUN_ID, RunStatus.FINISHED, START.plusSeconds(1));
        assertRefused(RUN_ID);
        String deleted = "00000000000000000000000000000002";
        store.createRun(run(deleted, "deleted"));
        store.deleteRun(deleted);
        assertRefused(deleted);
        assertEquals(RunStatus.FINISHED, store.getRun(RUN_ID).orElseThrow().info().status());
    }

    private void assertRefused(String runId) {
        Metric point = new Metric("loss", 0.5, 0, START.toEpochMilli());
        List<Executable> writes = List.of(
                () -> store.logBatch(runId, List.of(point), Map.of(), Map.of()),
                () -> store.logBatch(runId, List.of(), Map.of("lr", "0.1"), Map.of()),
                () -> store.logBatch(runId, List.of(), Map.of(), Map.of("team", "vision")),
                () -> store.logArtifacts(runId, List.of(new ArtifactEntry("a.txt", false, 1, Optional.of(KitData.sha256(new byte[1]))))),
                () -> store.logInputs(runId, List.of(new DatasetInput(KitData.dataset("iris", "v1"), "training"))),
                () -> store.endRun(runId, RunStatus.KILLED, START.plusSeconds(2)));
        for (Executable write : writes) {
            assertThrows(RunNotActiveException.class, write);
        }
        var run = store.getRun(runId).orElseThrow();
        assertEquals(Map.of(), run.data().params());
        assertTrue(store.metricHistory(runId, "loss").isEmpty(), "no point was stored");
    }

    @Test
    @DisplayName("a transition whose expected incumbent is no longer the incumbent fails with IncumbentChangedException")
    void incumbentChanged() {
        RegistryStore registry = registryStore(store).orElse(null);
        Assumptions.assumeTrue(registry != null, "this store keeps no registry");
        store.createRun(run(RUN_ID, "model"));
        Change change = new Change(START, "kit", "");
        Change archived = new Change(START, "kit", "archived by the kit");
        String source = "runs:/" + RUN_ID + "/model";
        for (int i = 0; i < 3; i++) {
            registry.createVersion("m", source, RUN_ID, KitData.sha256(new byte[] {(byte) i}), change);
        }
        registry.transition(new StageTransition("m", 1, Stage.PRODUCTION, Optional.empty(), OptionalInt.of(0)), change);
        // Version 2 was judged against version 1, but version 3 took Production first.
        registry.transition(new StageTransition("m", 3, Stage.PRODUCTION, Optional.of(archived), OptionalInt.of(1)), change);
        assertThrows(IncumbentChangedException.class, () -> registry.transition(
                new StageTransition("m", 2, Stage.PRODUCTION, Optional.of(archived), OptionalInt.of(1)), change));
        assertEquals(Stage.NONE, registry.getVersion("m", 2).orElseThrow().stage(), "the refused transition changed nothing");
        assertEquals(3, registry.latest("m", Optional.of(Stage.PRODUCTION)).orElseThrow().version());
        assertEquals(Stage.PRODUCTION, registry.transition(
                new StageTransition("m", 2, Stage.PRODUCTION, Optional.of(archived), OptionalInt.of(3)), change).stage());
    }

    @Nested
    @DisplayName("Recorded runs (recordRuns): all or none")
    class RecordedRuns {
        @Test
        @DisplayName("a taken run id among recorded runs fails with ConflictException and stores none of them")
        void takenIdStoresNone() {
            store.createRun(run(RUN_ID, "first"));
            String fresh = "00000000000000000000000000000002";
            Metric point = new Metric("loss", 0.5, 0, START.toEpochMilli());
            List<RecordedRun> runs = List.of(
                    new RecordedRun(run(fresh, "fresh"), Map.of("lr", "0.1"), List.of(point), RunStatus.FINISHED, START),
                    new RecordedRun(run(RUN_ID, "second"), Map.of(), List.of(), RunStatus.FINISHED, START));
            assertThrows(ConflictException.class, () -> store.recordRuns(runs));
            assertTrue(store.getRun(fresh).isEmpty(), "the run before the refused one was stored");
            assertEquals("first", store.getRun(RUN_ID).orElseThrow().info().name());
            store.recordRuns(runs.subList(0, 1));
            assertEquals(RunStatus.FINISHED, store.getRun(fresh).orElseThrow().info().status());
            assertEquals(List.of(point), store.metricHistory(fresh, "loss"));
        }
    }
}
