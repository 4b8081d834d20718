package dev.runlog.tracking.spi;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.RunInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as it stands, everything but its metric points: what {@link TrackingStore#snapshotRun}
 * reads and {@link TrackingStore#importRun} stores again, keeping its identity (id, experiment),
 * times, status and lifecycle, so that a copied store, or one imported from another tracker, is the
 * same store. Metric points travel separately, a key at a time ({@link TrackingStore#importMetrics}),
 * so that no run's history need be held whole.
 *
 * @param info                  id (32 lowercase hex characters), experiment (a decimal id, as
 *                              {@link TrackingStore#importExperiment} requires), name, status, start
 *                              time, end time (present exactly when the status is not active, and not
 *                              before the start), lifecycle stage and artifact URI
 * @param params                its params
 * @param tags                  its tags, system tags included
 * @param inputs                the datasets it used, in the order it logged them
 * @param artifacts             the records of its artifact files, each with its size and SHA-256
 * @param deletedWithExperiment whether it is deleted because its experiment was (restoring the
 *                              experiment restores it); only for a DELETED run
 * @param deletedTime           when it was deleted on its own, if recorded; only for a DELETED run
 *                              not deleted with its experiment
 */
public record RunSnapshot(RunInfo info, Map<String, String> params, Map<String, String> tags, List<DatasetInput> inputs,
                          List<ArtifactEntry> artifacts, boolean deletedWithExperiment, Optional<Instant> deletedTime) {
    public RunSnapshot {
        InputRules.notNull("info", info);
        params = Map.copyOf(InputRules.notNull("params", params));
        tags = Map.copyOf(InputRules.notNull("tags", tags));
        inputs = List.copyOf(InputRules.notNull("inputs", inputs));
        artifacts = List.copyOf(InputRules.notNull("artifacts", artifacts));
        InputRules.notNull("deletedTime", deletedTime);
        InputRules.runId(info.id());
        experimentId(info.experimentId());
        String run = "run " + info.id();
        if (info.status().isActive() == info.endTime().isPresent()) {
            throw new InvalidInputException(run + " is " + info.status() + (info.endTime().isPresent()
                    ? " but has an end time" : " but has no end time"));
        }
        if (info.endTime().isPresent() && info.endTime().get().isBefore(info.startTime())) {
            throw new InvalidInputException(run + " ends before it starts");
        }
        boolean deleted = info.lifecycleStage() == LifecycleStage.DELETED;
        if ((!deleted || deletedWithExperiment) && deletedTime.isPresent()) {
            throw new InvalidInputException(run + " has a deleted time but is not deleted on its own");
        }
        if (!deleted && deletedWithExperiment) {
            throw new InvalidInputException(run + " is ACTIVE but marked deleted with its experiment");
        }
        for (ArtifactEntry file : artifacts) {
            if (file.isDirectory() || file.sha256().isEmpty()) {
                throw new InvalidInputException(run + ": artifact record " + file.path()
                        + " is not a file with a SHA-256");
            }
        }
    }

    /**
     * Checks an experiment id to import: a decimal number from 0 without sign or leading zeros, the
     * ids Runlog's stores give (and MLflow's, whose default experiment is 0).
     *
     * @return {@code id}
     * @throws InvalidInputException naming the id otherwise
     */
    public static String experimentId(String id) {
        if (!isExperimentId(InputRules.notNull("experiment id", id))) {
            throw new InvalidInputException("experiment id '" + InputRules.abbreviate(id)
                    + "' is malformed; imported experiment ids are decimal numbers from 0");
        }
        return id;
    }

    /**
     * Whether {@code id} is written as every store writes experiment ids: a decimal number from 0,
     * without a sign, spaces or leading zeros (so {@code "01"} names no experiment in any store).
     */
    public static boolean isExperimentId(String id) {
        return id != null && id.matches("0|[1-9][0-9]{0,17}");
    }
}
