/**
 * Runlog's model monitoring: drift statistics ({@code dev.runlog.monitoring}) comparing a window of
 * current data against a sketched reference of the training data. Its dependencies (Apache
 * DataSketches, Commons Statistics) come with this module alone, never with tracking-core.
 */
module dev.runlog.monitoring {
    requires transitive dev.runlog.tracking;
    requires datasketches.java;
    requires org.apache.datasketches.memory;
    requires org.apache.commons.statistics.inference;

    exports dev.runlog.monitoring;
}
