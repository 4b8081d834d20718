/**
 * What a store implements: {@link dev.runlog.tracking.spi.TrackingStore} for experiments, runs and
 * what they log, {@link dev.runlog.tracking.spi.ArtifactStore} for files, and a
 * {@link dev.runlog.tracking.spi.StoreProvider} registered in
 * {@code META-INF/services/dev.runlog.tracking.spi.StoreProvider} that opens both for a URI scheme.
 *
 * <p>A store proves it keeps the contract by passing the abstract test classes of the
 * {@code dev.runlog:storage-tck} module.
 */
package dev.runlog.tracking.spi;
