package dev.runlog.mlflow.internal;

import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Metric;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An MLflow store read as it is: a tracking database ({@link SqlSource}) or an {@code mlruns/}
 * directory ({@link FileStoreSource}). Values are MLflow's, unconverted but for types (times in
 * epoch milliseconds, absent as null); {@link Importer} decides what they become in Runlog.
 */
public interface MlflowSource extends AutoCloseable {
    /** How the source is named in the report. */
    String describe();

    /** The directory relative artifact locations are resolved against; empty for a server's database, which has none. */
    Optional<Path> baseDirectory();

    /** Every experiment, deleted ones included, with its tags. */
    List<Experiment> experiments();

    /** The ids of every run, for the clash check before any write. */
    List<String> runIds();

    /** Every run, one at a time, with its params, tags and inputs. */
    void forEachRun(Consumer<SourceRun> action);

    /** A run's metric points in batches, so no history is held whole. */
    void metrics(String runId, Consumer<List<Metric>> batch);

    /** Every registered model with its versions, tags and aliases. */
    List<SourceModel> models();

    /** Notes of what the source itself could not read (a damaged file), each "what: why". */
    List<String[]> unreadable();

    @Override
    void close();

    /**
     * A run of MLflow's {@code runs} table or {@code meta.yaml}.
     *
     * @param fallbackArtifacts where the file store keeps the run's artifacts, when {@code artifactUri}
     *                          names a directory that no longer exists (the store was moved)
     */
    record SourceRun(String id, String experimentId, String name, String status, Long startTime, Long endTime,
                     String lifecycleStage, Long deletedTime, String artifactUri, Map<String, String> params,
                     Map<String, String> tags, List<DatasetInput> inputs, Optional<Path> fallbackArtifacts,
                     String userId) {
    }

    /** A row of {@code model_versions} or a {@code version-N/meta.yaml}, with its tags. */
    record SourceVersion(int version, Long creationTime, Long lastUpdateTime, String description, String userId,
                         String stage, String source, String runId, String status, Map<String, String> tags) {
    }

    /** A registered model with its tags, aliases (alias to version number) and versions. */
    record SourceModel(String name, Long creationTime, Long lastUpdateTime, String description, Map<String, String> tags,
                       Map<String, Integer> aliases, List<SourceVersion> versions) {
    }
}
