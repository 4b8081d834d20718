package dev.runlog.tracking.spi;

import java.util.List;
import java.util.Optional;

/**
 * What {@link TrackingStore#purgeDeleted} deleted for good, or would delete on a dry run: the runs
 * (whose artifact files the caller then deletes through {@link ArtifactStore#deleteRunArtifacts}),
 * the experiments, and the bytes the store gave back to the file system by compacting itself.
 *
 * @param runIds             the runs purged, by id
 * @param experimentIds      the experiments purged, by id
 * @param bytesReclaimed     what compacting the store gave back; 0 on a dry run or for a store that
 *                           does not compact
 * @param compactionProblem  why compacting failed (a full disk, say), when it did: the purge itself
 *                           stands, and the caller goes on to delete the runs' files
 */
public record Purge(List<String> runIds, List<String> experimentIds, long bytesReclaimed, Optional<String> compactionProblem) {
    public Purge {
        runIds = List.copyOf(InputRules.notNull("runIds", runIds));
        experimentIds = List.copyOf(InputRules.notNull("experimentIds", experimentIds));
        InputRules.notNull("compactionProblem", compactionProblem);
        if (bytesReclaimed < 0) {
            throw new dev.runlog.tracking.InvalidInputException("bytesReclaimed must be 0 or more, got " + bytesReclaimed);
        }
    }

    /** A purge whose compaction, if any, went well. */
    public Purge(List<String> runIds, List<String> experimentIds, long bytesReclaimed) {
        this(runIds, experimentIds, bytesReclaimed, Optional.empty());
    }
}
