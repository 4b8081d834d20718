/**
 * The store contract kit: the tests every Runlog store must pass, to be run by each store module
 * against its own store.
 *
 * <p>A store module adds {@code dev.runlog:storage-tck} as a test dependency and subclasses
 * {@link dev.runlog.tracking.tck.TrackingStoreCompatibilityKit}, saying only how to open a fresh,
 * empty store in a directory the kit provides:
 *
 * <pre>{@code
 * class SqliteStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
 *     @Override protected String storeUri(Path dir) { return "sqlite:" + dir.resolve("runlog.db"); }
 * }
 * }</pre>
 *
 * <p>JUnit then runs every {@code @Nested} group of the kit against that store. Each group is a
 * contract interface of {@code default} test methods in a file of its own (experiments, runs,
 * params, keys, metrics, tags, writes to inactive runs, lifecycle, ending runs, concurrency,
 * artifacts, datasets, models, archives, run search, experiment search, store discovery), whose
 * parameters ({@code Tracker}, {@link dev.runlog.tracking.tck.MutableClock},
 * {@link dev.runlog.tracking.tck.StoreHarness}, {@code ModelRegistry}) one JUnit extension supplies
 * from a fresh store per test. The kit builds its trackers through
 * {@code Tracker.builder().uri(storeUri(dir))}, so the store must be registered as a
 * {@link dev.runlog.tracking.spi.StoreProvider} for its URI scheme, exactly as in production. Time
 * comes from a {@link dev.runlog.tracking.tck.MutableClock}, so timestamps are checked exactly and
 * the store must keep instants to the millisecond.
 *
 * <p>A store that also keeps a model registry (a {@code dev.runlog.registry.spi.RegistryStoreProvider})
 * subclasses {@link dev.runlog.tracking.tck.RegistryStoreCompatibilityKit} the same way, with the
 * same {@code storeUri}. Its groups check models, versions, stages, aliases, {@code models:/} URIs,
 * the audit trail, promotion gates, search, live deployment and concurrent changes, all through
 * {@code ModelRegistry.of(tracker)}.
 *
 * <p>What a tracker never lets a caller reach (a taken run id, writes to an ended run, a stage
 * transition whose expected incumbent changed) is checked on the raw SPI by
 * {@link dev.runlog.tracking.tck.StoreSpiCompatibilityKit}, whose subclass says how to open the
 * raw stores. Rules the tracker keeps whatever the store (key validation, run bodies, system tags,
 * asynchronous logging) are tested in tracking-core itself, not here.
 */
package dev.runlog.tracking.tck;
