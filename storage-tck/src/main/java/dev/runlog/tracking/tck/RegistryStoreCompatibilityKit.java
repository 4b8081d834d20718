package dev.runlog.tracking.tck;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every model registry store keeps, as JUnit 5 tests: the registry counterpart of
 * {@link TrackingStoreCompatibilityKit}. A store module that ships a
 * {@link dev.runlog.registry.spi.RegistryStoreProvider} proves it by subclassing this kit in its
 * tests and saying how to open a fresh, empty store:
 *
 * <pre>{@code
 * class SqliteRegistryCompatibilityTest extends RegistryStoreCompatibilityKit {
 *     protected String storeUri(Path dir) { return "sqlite:" + dir.resolve("runlog.db"); }
 * }
 * }</pre>
 *
 * <p>The kit drives the registry only through the public API, as users do: for each test a
 * {@link StoreHarness} builds {@code Tracker.builder().uri(storeUri(dir)).clock(clock).shutdownHook(false).build()} and
 * {@code ModelRegistry.of(tracker)}, so the registry store is found through its provider exactly as
 * in production. Time comes from a {@link MutableClock} the tests move by hand, so every creation
 * time, update time and audit trail entry is checked to the millisecond.
 *
 * <p>Each rule is an interface of {@code default} test methods in a file of its own, run here as a
 * {@link Nested} group: models, versions, stages, aliases,
 * {@code models:/} URIs, the audit trail, promotion gates, search, live deployment, concurrency and
 * store discovery. The whole kit takes a few seconds per store; the deployment tests poll every
 * 25 ms and wait for a swap with a deadline instead of sleeping.
 */
@ExtendWith(StoreHarnessExtension.class)
public abstract class RegistryStoreCompatibilityKit {

    /**
     * Says how to open a fresh, empty store: its URI, such as {@code "memory:"} or
     * {@code "sqlite:" + dir.resolve("runlog.db")}. The kit calls it once per store a test opens
     * (once per test, twice in a few groups), each time with a new empty directory the store may put
     * its files in, and deletes that directory after the test, once the trackers are closed.
     *
     * @param tempDir an empty directory for this store alone
     * @return a tracking URI whose store holds nothing yet, and whose registry holds no model
     */
    protected abstract String storeUri(Path tempDir);

    /** For a store module's subclass, which says how to open a fresh store. */
    protected RegistryStoreCompatibilityKit() {
    }

    /**
     * Where the clock stands when each test starts: a fixed instant in the past, with
     * milliseconds, so a store that reads the system clock or drops milliseconds is caught.
     */
    protected static final Instant START = RegistryKitData.START;

    /** Who the registry records as the acting user when the caller names none. */
    protected static final String PROCESS_USER = RegistryKitData.PROCESS_USER;

    @Nested
    @DisplayName("Models")
    class Models implements RegistryModelsContract {
    }

    @Nested
    @DisplayName("Versions")
    class Versions implements RegistryVersionsContract {
    }

    @Nested
    @DisplayName("Stages")
    class Stages implements RegistryStagesContract {
    }

    @Nested
    @DisplayName("Aliases")
    class Aliases implements RegistryAliasesContract {
    }

    @Nested
    @DisplayName("URIs")
    class Uris implements RegistryUrisContract {
    }

    @Nested
    @DisplayName("History")
    class History implements RegistryHistoryContract {
    }

    @Nested
    @DisplayName("Gates")
    class PromotionGates implements RegistryPromotionGatesContract {
    }

    @Nested
    @DisplayName("Model integrity")
    class ModelIntegrity implements RegistryModelIntegrityContract {
    }

    @Nested
    @DisplayName("Search")
    class Search implements RegistrySearchContract {
    }

    @Nested
    @DisplayName("Hostile input (filter limits, unpaired surrogates)")
    class HostileInput implements RegistryHostileInputContract {
    }

    @Nested
    @DisplayName("Deployment")
    class Deployment implements RegistryDeploymentContract {
    }

    @Nested
    @DisplayName("Deployment flavors")
    class DeployFlavors implements RegistryDeployFlavorsContract {
    }

    @Nested
    @DisplayName("Concurrency")
    class Concurrency implements RegistryConcurrencyContract {
    }

    @Nested
    @DisplayName("Discovery")
    class Discovery implements RegistryDiscoveryContract {
    }

    @Nested
    @DisplayName("Gates in the audit trail")
    class GateAudit implements RegistryGateAuditContract {
    }

    @Nested @DisplayName("Imports (models with their numbers and trail)") class Imports implements RegistryImportContract { }
}
