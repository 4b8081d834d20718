package dev.runlog.tracking.spi;

import java.util.List;

/**
 * What {@link TrackingStore#purgeDeleted} deleted for good, or would delete on a dry run: the runs
 * (whose artifact files the caller then deletes through {@link ArtifactStore#deleteRunArtifacts}),
 * the experiments, and the bytes the store gave back to the file system by compacting itself.
 *
 * @param runIds         the runs purged, by id
 * @param experimentIds  the experiments purged, by id
 * @param bytesReclaimed what compacting the store gave back; 0 on a dry run or for a store that
 *                       does not compact
 */
public record Purge(List<String> runIds, List<String> experimentIds, long bytesReclaimed) {
    public Purge {
        runIds = List.copyOf(InputRules.notNull("runIds", runIds));
        experimentIds = List.copyOf(InputRules.notNull("experimentIds", experimentIds));
        if (bytesReclaimed < 0) {
            throw new dev.runlog.tracking.InvalidInputException("bytesReclaimed must be 0 or more, got " + bytesReclaimed);
        }
    }
}
