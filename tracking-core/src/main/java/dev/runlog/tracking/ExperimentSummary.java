package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;

/**
 * An experiment with the figures a list of experiments shows, read at once for every experiment by
 * {@link Tracker#experimentSummaries(ViewType)} without reading a single run.
 *
 * <pre>{@code
 * for (ExperimentSummary s : tracker.experimentSummaries(ViewType.ACTIVE_ONLY)) {
 *     System.out.printf("%-20s %6d runs (%d deleted), last active %s%n",
 *             s.experiment().name(), s.activeRuns(), s.deletedRuns(), s.lastActivity());
 * }
 * }</pre>
 *
 * @param experiment   the experiment, as {@link Tracker#getExperiment} reads it
 * @param activeRuns   how many of its runs are not deleted, whatever their status
 * @param deletedRuns  how many of its runs are deleted, on their own or with the experiment
 * @param lastActivity the latest of the experiment's {@link Experiment#lastUpdateTime()} and the
 *                     start and end times of its runs, deleted runs included
 */
public record ExperimentSummary(Experiment experiment, long activeRuns, long deletedRuns, Instant lastActivity) {
    /**
     * @throws InvalidInputException if an argument is null or a count is negative
     */
    public ExperimentSummary {
        InputRules.notNull("experiment", experiment);
        InputRules.notNull("lastActivity", lastActivity);
        if (activeRuns < 0 || deletedRuns < 0) {
            throw new InvalidInputException("run counts must not be negative, got activeRuns " + activeRuns
                    + " and deletedRuns " + deletedRuns);
        }
    }
}
