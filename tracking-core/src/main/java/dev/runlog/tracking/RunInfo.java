package dev.runlog.tracking;

import java.time.Instant;
import java.util.Objects;
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
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        Objects.requireNonNull(lifecycleStage, "lifecycleStage");
        Objects.requireNonNull(artifactUri, "artifactUri");
    }
}
