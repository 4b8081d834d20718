package dev.runlog.tracking.spi;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run that already happened, to store whole: created as {@code spec} says (status RUNNING),
 * given its params and metric points, then ended with {@code endStatus} at {@code endTime}. Built
 * by the tracker from checked input, for {@link TrackingStore#recordRuns}.
 *
 * @param spec      the run as created; its status is {@link RunStatus#RUNNING}
 * @param params    its params, already validated
 * @param metrics   its metric points, in any order
 * @param endStatus FINISHED, FAILED or KILLED
 * @param endTime   when it ended, not before {@code spec.startTime()}
 */
public record RecordedRun(RunSpec spec, Map<String, String> params, List<Metric> metrics, RunStatus endStatus,
                          Instant endTime) {
    public RecordedRun {
        InputRules.notNull("spec", spec);
        params = Map.copyOf(InputRules.notNull("params", params));
        metrics = List.copyOf(InputRules.notNull("metrics", metrics));
        InputRules.notNull("endStatus", endStatus);
        InputRules.notNull("endTime", endTime);
        if (spec.status() != RunStatus.RUNNING || endStatus.isActive()) {
            throw new InvalidInputException("A recorded run is created RUNNING and ends FINISHED, FAILED or KILLED, not "
                    + spec.status() + " then " + endStatus);
        }
    }
}
