package dev.runlog.tracking;

import dev.runlog.tracking.internal.Validation;
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
        Validation.notNull("id", id);
        Validation.notNull("experimentId", experimentId);
        Validation.notNull("name", name);
        Validation.notNull("status", status);
        Validation.notNull("startTime", startTime);
        Validation.notNull("endTime", endTime);
        Validation.notNull("lifecycleStage", lifecycleStage);
        Validation.notNull("artifactUri", artifactUri);
    }
}
