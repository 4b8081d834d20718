package dev.runlog.registry;

/**
 * What {@link StoreCopy#copy} copied, counted per kind; also what its progress callback is given,
 * the counts so far.
 *
 * @param experiments   experiments, deleted ones included
 * @param runs          runs, deleted ones included
 * @param metricPoints  metric points, over all runs and keys
 * @param artifacts     artifact files
 * @param artifactBytes bytes of artifact files
 * @param models        registered models
 * @param versions      model versions
 * @param events        audit trail events
 */
public record CopyReport(long experiments, long runs, long metricPoints, long artifacts, long artifactBytes,
                         long models, long versions, long events) {

    /** One line: every count by name, as the CLI prints it. */
    @Override
    public String toString() {
        return experiments + " experiments, " + runs + " runs, " + metricPoints + " metric points, " + artifacts
                + " artifacts (" + artifactBytes + " bytes), " + models + " models, " + versions + " versions, "
                + events + " events";
    }
}
