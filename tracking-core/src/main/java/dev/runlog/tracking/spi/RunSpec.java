package dev.runlog.tracking.spi;

import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Map;

/**
 * A run to create, fully decided by the tracker: the store assigns nothing but keeps it as given.
 *
 * @param runId        the new run's id (32 lowercase hex characters); a store rejects a taken id
 * @param experimentId an existing, active experiment
 * @param name         the run name
 * @param status       the initial status, RUNNING or SCHEDULED
 * @param startTime    when the run started
 * @param artifactUri  where the run's artifacts live
 * @param tags         initial tags, system tags included, already validated
 */
public record RunSpec(String runId, String experimentId, String name, RunStatus status,
                      Instant startTime, String artifactUri, Map<String, String> tags) {
    public RunSpec {
        InputRules.notNull("runId", runId);
        InputRules.notNull("experimentId", experimentId);
        InputRules.notNull("name", name);
        InputRules.notNull("status", status);
        InputRules.notNull("startTime", startTime);
        InputRules.notNull("artifactUri", artifactUri);
        tags = Map.copyOf(InputRules.notNull("tags", tags));
    }
}
