/**
 * Runlog's tracking API ({@code dev.runlog.tracking}), the store SPI ({@code dev.runlog.tracking.spi})
 * and the built-in {@code memory:} store. Only those two packages are exported; the implementation
 * is closed to every other module, Runlog's own included.
 *
 * <p>Stores ({@link dev.runlog.tracking.spi.StoreProvider}) and model flavors
 * ({@link dev.runlog.tracking.ModelFlavor}) are plugins: a module {@code provides} them, a jar on the
 * class path lists them in {@code META-INF/services}. Either is found, through the thread's context
 * class loader first, then Runlog's own loader.
 *
 * <p>The json flavor reads and writes a model's class through Jackson, so a module whose classes
 * are logged as json models opens their package to {@code com.fasterxml.jackson.databind}.
 */
module dev.runlog.tracking {
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.compress;
    // System metrics: process and machine CPU load and memory (com.sun.management.OperatingSystemMXBean).
    requires jdk.management;

    exports dev.runlog.tracking;
    exports dev.runlog.tracking.spi;

    uses dev.runlog.tracking.spi.StoreProvider;
    uses dev.runlog.tracking.spi.ArtifactStoreProvider;
    uses dev.runlog.tracking.ModelFlavor;
    uses dev.runlog.tracking.spi.DatasetProfiler;

    provides dev.runlog.tracking.spi.StoreProvider with dev.runlog.tracking.internal.MemoryStoreProvider;
}
