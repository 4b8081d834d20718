package dev.runlog.tracking.tck;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every Runlog store keeps, as JUnit 5 tests. A store module proves its store by
 * subclassing this kit in its tests and saying how to open a fresh, empty store:
 *
 * <pre>{@code
 * class SqliteStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
 *     protected String storeUri(Path dir) { return "sqlite:" + dir.resolve("runlog.db"); }
 * }
 * }</pre>
 *
 * <p>The kit drives the store only through the public API ({@link Tracker}, {@link ActiveRun}),
 * exactly as users do: for each test a {@link StoreHarness} builds the tracker with
 * {@code Tracker.builder().uri(storeUri(dir)).clock(clock).shutdownHook(false).build()}, so the
 * store is found by its URI scheme like in production, and closes every tracker after the test.
 * Time comes from a {@link MutableClock} the tests control, so every timestamp is checked exactly.
 *
 * <p>Each rule of the contract is an interface of {@code default} test methods in a file of its
 * own ({@link ExperimentsContract}, {@link RunsContract}, ... {@link ExperimentSearchContract});
 * this class runs each of them as a {@link Nested} group. All but the concurrency tests take well
 * under a second each on the in-memory store.
 */
@ExtendWith(StoreHarnessExtension.class)
public abstract class TrackingStoreCompatibilityKit {

    /** For a store module's subclass, which says how to open a fresh store. */
    protected TrackingStoreCompatibilityKit() {
    }

    /**
     * Where the clock stands when each test starts: a fixed instant in the past, with
     * milliseconds, so a store that reads the system clock or drops milliseconds is caught.
     */
    protected static final Instant START = KitData.START;

    /**
     * The URI of a fresh, empty store, such as {@code "memory:"} or
     * {@code "sqlite:" + dir.resolve("runlog.db")}. Called once per tracker the kit builds, each
     * time with a new empty directory the store may put its files in; it is deleted after the
     * test, once the trackers on it are closed.
     *
     * @param tempDir an empty directory for this store alone
     * @return a tracking URI whose store holds nothing yet
     */
    protected abstract String storeUri(Path tempDir);

    @Nested
    @DisplayName("Experiments")
    class Experiments implements ExperimentsContract {
    }

    @Nested
    @DisplayName("Runs")
    class Runs implements RunsContract {
    }

    @Nested
    @DisplayName("Params")
    class Params implements ParamsContract {
    }

    @Nested
    @DisplayName("Keys (params, metrics, tags)")
    class Keys implements KeysContract {
    }

    @Nested
    @DisplayName("Hostile input (filter limits, unpaired surrogates, path segments)")
    class HostileInput implements HostileInputContract {
    }

    @Nested
    @DisplayName("Metrics")
    class Metrics implements MetricsContract {
    }

    @Nested
    @DisplayName("Tags")
    class Tags implements TagsContract {
    }

    @Nested
    @DisplayName("Tags by run id")
    class TagsByRunId implements TagsByRunIdContract {
    }

    @Nested
    @DisplayName("Writes to ended or deleted runs")
    class InactiveRuns implements InactiveRunsContract {
    }

    @Nested
    @DisplayName("Lifecycle")
    class Lifecycle implements LifecycleContract {
    }

    @Nested
    @DisplayName("Ending runs")
    class EndingRuns implements EndingRunsContract {
    }

    @Nested
    @DisplayName("Concurrency")
    class Concurrency implements ConcurrencyContract {
    }

    @Nested
    @DisplayName("Artifacts")
    class Artifacts implements ArtifactsContract {
    }

    @Nested
    @DisplayName("Model loading")
    class ModelLoading implements ModelLoadingContract {
    }

    @Nested
    @DisplayName("Datasets")
    class Datasets implements DatasetsContract {
    }

    @Nested
    @DisplayName("Models")
    class Models implements ModelsContract {
    }

    @Nested
    @DisplayName("Model immutability")
    class ModelImmutability implements ModelImmutabilityContract {
    }

    @Nested
    @DisplayName("Archives")
    class Archives implements ArchivesContract {
    }

    @Nested
    @DisplayName("Store discovery")
    class StoreDiscovery implements StoreDiscoveryContract {
    }

    @Nested
    @DisplayName("Search")
    class Search implements RunSearchFilterContract {
    }

    @Nested
    @DisplayName("Search pages")
    class SearchPages implements RunSearchPagingContract {
    }

    @Nested
    @DisplayName("Search pages ordered by a metric some runs lack")
    class MetricOrderPages implements MetricOrderPagingContract {
    }

    @Nested
    @DisplayName("Experiment search")
    class ExperimentSearches implements ExperimentSearchContract {
    }

    @Nested
    @DisplayName("Experiment summaries")
    class ExperimentSummaries implements ExperimentSummariesContract {
    }

    @Nested
    @DisplayName("Purging deleted runs (gc) and the store's self-check")
    class Purging implements PurgeContract {
    }

    @Nested
    @DisplayName("Recorded runs (recordRuns)")
    class RecordedRuns implements RecordedRunsContract {
    }

    @Nested
    @DisplayName("Imports (what already happened, identity kept)")
    class Imports implements ImportContract {
    }

    @Nested
    @DisplayName("Renames: experiments and runs by id, names checked and unique")
    class Renames implements RenamesContract {
    }

    @Nested
    @DisplayName("Bulk writes: recordRuns calls of hundreds of runs")
    class BulkRecords implements BulkRecordContract {
    }

    @Nested
    @DisplayName("Search by param and tag equality (value indexes, candidate look-ups)")
    class KeyedEqualities implements KeyedEqualityContract {
    }
}
