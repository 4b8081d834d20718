package dev.runlog.server.internal.mlflow;

import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runlog's records in the JSON shapes of MLflow's protobuf messages ({@code service.proto},
 * {@code model_registry.proto}): snake_case field names, times in epoch milliseconds, tags as
 * lists of {@code {key, value}}, lifecycle stages in lowercase.
 */
final class Shapes {
    /** The tag MLflow keeps a run's user in: RunInfo's {@code user_id}. */
    static final String USER_TAG = "mlflow.user";
    /** The tag MLflow nests a child run under its parent with. */
    static final String MLFLOW_PARENT_TAG = "mlflow.parentRunId";
    /** The tag MLflow keeps a run's name in besides {@code run_name}. */
    static final String RUN_NAME_TAG = "mlflow.runName";
    /** The tag of a dataset input that holds its context ({@code training}, ...). */
    static final String CONTEXT_TAG = "mlflow.data.context";

    private Shapes() {
    }

    static Map<String, Object> experiment(Experiment e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment_id", e.id());
        json.put("name", e.name());
        json.put("artifact_location", MlflowArtifacts.SCHEME + "/" + e.id());
        json.put("lifecycle_stage", stage(e.lifecycleStage()));
        json.put("last_update_time", e.lastUpdateTime().toEpochMilli());
        json.put("creation_time", e.creationTime().toEpochMilli());
        Map<String, String> tags = e.tags();
        if (tags.containsKey(DefaultExperiment.TAG)) {
            // Runlog's mark of MLflow's experiment 0, which MLflow's clients cannot set or see.
            tags = new LinkedHashMap<>(tags);
            tags.remove(DefaultExperiment.TAG);
        }
        json.put("tags", tags(tags));
        return json;
    }

    static String stage(LifecycleStage stage) {
        return stage == LifecycleStage.ACTIVE ? "active" : "deleted";
    }

    /**
     * A run. Its {@code artifact_uri} is the server's {@code mlflow-artifacts:} URI, so that MLflow's
     * clients store artifacts through the server's proxy, which records them as Runlog does.
     */
    static Map<String, Object> run(Run run) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("metrics", run.data().latestMetrics().values().stream()
                .sorted(java.util.Comparator.comparing(Metric::key)).map(Shapes::metric).toList());
        data.put("params", tags(run.data().params()));
        data.put("tags", tags(mlflowTags(run.data().tags())));
        List<Object> inputs = new ArrayList<>();
        for (DatasetInput input : run.inputs()) {
            inputs.add(datasetInput(input));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("info", runInfo(run));
        json.put("data", data);
        json.put("inputs", Map.of("dataset_inputs", inputs));
        return json;
    }

    /**
     * The user as {@code attributes.user_id} filters on it: Runlog's own tag (which a run made
     * through this API takes from MLflow's), "" for none. Not MLflow's tag when Runlog's is absent
     * (a run recorded in bulk with it, or given it later by set-tag): MLflow's user_id does not
     * follow that tag either, and a user shown that the filter cannot find misleads.
     */
    private static String user(Map<String, String> tags) {
        return tags.getOrDefault(ActiveRun.USER_TAG, "");
    }

    /**
     * A run's tags as MLflow's clients look for them: a run logged through Runlog's API names its
     * parent and its user in Runlog's tags only, so MLflow's {@code mlflow.parentRunId} (by which
     * MLflow's UI and scripts nest a sweep's children) and {@code mlflow.user} are added when
     * absent. Read only: what is stored is unchanged, so a search must name Runlog's tags.
     */
    private static Map<String, String> mlflowTags(Map<String, String> tags) {
        String parent = tags.get(ActiveRun.PARENT_RUN_ID_TAG);
        String user = tags.get(ActiveRun.USER_TAG);
        if (parent == null && user == null) {
            return tags;
        }
        Map<String, String> shown = new LinkedHashMap<>(tags);
        if (parent != null) {
            shown.putIfAbsent(MLFLOW_PARENT_TAG, parent);
        }
        if (user != null) {
            shown.putIfAbsent(USER_TAG, user);
        }
        // Runlog's twin of a tag shown under MLflow's name is not shown again: scripts that copy or
        // compare a run's tags would see a key MLflow never sets.
        shown.remove(ActiveRun.PARENT_RUN_ID_TAG, shown.get(MLFLOW_PARENT_TAG));
        shown.remove(ActiveRun.USER_TAG, shown.get(USER_TAG));
        return shown;
    }

    static Map<String, Object> runInfo(Run run) {
        RunInfo info = run.info();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", info.id());
        json.put("run_uuid", info.id());
        json.put("run_name", info.name());
        json.put("experiment_id", info.experimentId());
        json.put("user_id", user(run.data().tags()));
        json.put("status", info.status().name());
        json.put("start_time", info.startTime().toEpochMilli());
        info.endTime().ifPresent(end -> json.put("end_time", end.toEpochMilli()));
        json.put("artifact_uri", MlflowArtifacts.runUri(info.experimentId(), info.id()));
        json.put("lifecycle_stage", stage(info.lifecycleStage()));
        return json;
    }

    static Map<String, Object> metric(Metric m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", m.key());
        // Jackson writes NaN and the infinities as the strings protobuf's JSON uses.
        json.put("value", m.value());
        json.put("timestamp", m.timestamp());
        json.put("step", m.step());
        return json;
    }

    private static Map<String, Object> datasetInput(DatasetInput input) {
        Dataset d = input.dataset();
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("name", d.name());
        dataset.put("digest", d.digest());
        dataset.put("source_type", MlflowTracking.sourceType(d.source()));
        dataset.put("source", d.source());
        if (!d.schema().isEmpty()) {
            // None sent (or none that was JSON) reads back as none, as MLflow's optional field, not as an empty colspec.
            dataset.put("schema", MlflowTracking.schemaJson(d.schema()));
        }
        dataset.put("profile", d.profile().rowCount() == Dataset.Profile.UNKNOWN_ROWS ? "{}"
                : "{\"num_rows\": " + d.profile().rowCount() + "}");
        return Map.of("tags", tags(Map.of(CONTEXT_TAG, input.context())), "dataset", dataset);
    }

    /** A map as MLflow's repeated {@code {key, value}} messages, sorted by key. */
    static List<Object> tags(Map<String, String> map) {
        List<Object> list = new ArrayList<>(map.size());
        new TreeMap<>(map).forEach((k, v) -> {
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("key", k);
            tag.put("value", v);
            list.add(tag);
        });
        return list;
    }

    static Map<String, Object> registeredModel(RegisteredModel m, List<ModelVersion> latest) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", m.name());
        json.put("creation_timestamp", millis(m.creationTime()));
        json.put("last_updated_timestamp", millis(m.lastUpdateTime()));
        json.put("description", m.description());
        json.put("latest_versions", latest.stream().map(Shapes::modelVersion).toList());
        json.put("tags", tags(m.tags()));
        List<Object> aliases = new ArrayList<>();
        new TreeMap<>(m.aliases()).forEach((alias, version) -> aliases.add(Map.of("alias", alias, "version", String.valueOf(version))));
        json.put("aliases", aliases);
        return json;
    }

    static Map<String, Object> modelVersion(ModelVersion v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", v.name());
        json.put("version", String.valueOf(v.version()));
        json.put("creation_timestamp", millis(v.creationTime()));
        json.put("last_updated_timestamp", millis(v.lastUpdateTime()));
        json.put("user_id", v.userId());
        json.put("current_stage", v.stage().toString());
        json.put("description", v.description());
        json.put("source", v.source());
        json.put("run_id", v.runId());
        json.put("status", "READY");
        json.put("tags", tags(v.tags()));
        json.put("aliases", v.aliases());
        return json;
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
