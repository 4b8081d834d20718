/**
 * Runlog's model monitoring ({@code dev.runlog.monitoring}): a {@code ModelMonitor} records a
 * served model's predictions and judges windows of them (drift against a sketched reference of the
 * training data, a label metric, latency), logging the results as metrics of a monitoring run; the
 * module also provides the dataset profiler that stores that reference with every dataset profile. Its dependencies (Apache
 * DataSketches, Commons Statistics) come with this module alone, never with tracking-core.
 */
module dev.runlog.monitoring {
    requires transitive dev.runlog.tracking;
    requires transitive dev.runlog.registry;
    requires datasketches.java;
    requires org.apache.datasketches.memory;
    requires org.apache.commons.statistics.inference;

    exports dev.runlog.monitoring;

    provides dev.runlog.tracking.spi.DatasetProfiler with dev.runlog.monitoring.internal.ReferenceProfiler;
}
