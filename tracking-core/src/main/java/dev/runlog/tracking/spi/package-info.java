/**
 * What a store implements: {@link dev.runlog.tracking.spi.TrackingStore} for experiments, runs and
 * what they log, {@link dev.runlog.tracking.spi.ArtifactStore} for files, and a
 * {@link dev.runlog.tracking.spi.StoreProvider} registered in
 * {@code META-INF/services/dev.runlog.tracking.spi.StoreProvider} that opens both for a URI scheme.
 *
 * <p>A store compiles against this package and {@code dev.runlog.tracking} alone. What every store
 * must do alike is published here rather than copied: the input rules
 * ({@link dev.runlog.tracking.spi.InputRules}) and artifact path rules
 * ({@link dev.runlog.tracking.spi.ArtifactPaths}), the order of missing values and NaN
 * ({@link dev.runlog.tracking.spi.SearchOrder#rank}), the text form of dataset schemas and profiles
 * ({@link dev.runlog.tracking.spi.DatasetCodec}) and of CSV cells as datasets type them
 * ({@link dev.runlog.tracking.spi.CsvCells}), failures that keep the operating system's reason
 * ({@link dev.runlog.tracking.spi.IoFailures}), and who owns a run or a temporary file
 * ({@link dev.runlog.tracking.spi.ProcessOwner}). A store that keeps files in a directory uses
 * {@link dev.runlog.tracking.spi.ArtifactStore#localFilesystem}. Extensions that keep their own
 * data beside a tracker's, such as the model registry, build on
 * {@link dev.runlog.tracking.spi.TrackerAccess}.
 *
 * <p>Arguments and results are never null unless a method says so: what may be absent is an
 * {@link java.util.Optional}.
 *
 * <p>A store proves it keeps the contract by passing the abstract test classes of the
 * {@code dev.runlog:storage-tck} module.
 */
package dev.runlog.tracking.spi;
