package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Optional;

/**
 * What a run is, as opposed to what it logged ({@link RunData}).
 *
 * @param id             32 lowercase hex characters, unique in the store
 * @param experimentId   the id of the experiment the run belongs to
 * @param name           a human-friendly name, generated when none was given
 * @param status         where the run is in its life
 * @param startTime      when it started
 * @param endTime        when it ended; empty while it is active
 * @param lifecycleStage {@link LifecycleStage#DELETED} once soft-deleted
 * @param artifactUri    where its artifacts live
 */
public record RunInfo(String id, String experimentId, String name, RunStatus status,
                      Instant startTime, Optional<Instant> endTime, LifecycleStage lifecycleStage,
                      String artifactUri) {
    public RunInfo {
        InputRules.notNull("id", id);
        InputRules.notNull("experimentId", experimentId);
        InputRules.notNull("name", name);
        InputRules.notNull("status", status);
        InputRules.notNull("startTime", startTime);
        InputRules.notNull("endTime", endTime);
        InputRules.notNull("lifecycleStage", lifecycleStage);
        InputRules.notNull("artifactUri", artifactUri);
    }
}
