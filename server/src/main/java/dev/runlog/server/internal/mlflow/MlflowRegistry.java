package dev.runlog.server.internal.mlflow;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.registry.spi.RegistryNames;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * MLflow's model registry endpoints over Runlog's {@link ModelRegistry}, so every change lands in
 * its audit trail (stage transitions as made by {@code "<os user> (mlflow api)"}). A version's
 * {@code source} must be a model a run logged with Runlog: {@code runs:/<run>/<path>}, or this
 * server's {@code mlflow-artifacts:/<experiment>/<run>/artifacts/<path>} URI of the same files.
 */
final class MlflowRegistry {
    private final Tracker tracker;
    private final Supplier<ModelRegistry> registry;
    private final String user;

    MlflowRegistry(Tracker tracker, Supplier<ModelRegistry> registry) {
        this.tracker = tracker;
        this.registry = registry;
        String osUser = System.getProperty("user.name", "");
        this.user = osUser.isBlank() ? "mlflow api" : osUser + " (mlflow api)";
    }

    void addRoutes(Map<String, MlflowApi.Route> routes) {
        Set<String> post = Set.of("POST");
        Set<String> get = Set.of("GET");
        Set<String> patch = Set.of("PATCH");
        Set<String> delete = Set.of("DELETE");
        String m = "registered-models/";
        routes.put(m + "create", new MlflowApi.Route(post, this::createModel));
        routes.put(m + "get", new MlflowApi.Route(get, r -> model(r.text("name"))));
        routes.put(m + "rename", new MlflowApi.Route(post, r -> {
            String newName = r.text("new_name");
            try {
                registry().renameModel(r.text("name"), newName);
            } catch (ConflictException e) {
                throw MlflowException.exists("Registered Model (name=" + newName + ") already exists.");
            }
            return model(newName);
        }));
        routes.put(m + "update", new MlflowApi.Route(patch, r -> {
            registry().updateDescription(r.text("name"), r.optionalText("description").orElse(""));
            return model(r.text("name"));
        }));
        routes.put(m + "delete", new MlflowApi.Route(delete, r -> {
            registry().deleteModel(r.text("name"));
            return Map.of();
        }));
        routes.put(m + "search", new MlflowApi.Route(Set.of("GET", "POST"), this::searchModels));
        routes.put(m + "get-latest-versions", new MlflowApi.Route(Set.of("GET", "POST"), r -> Map.of("model_versions",
                latest(r.text("name"), r.texts("stages")).stream().map(Shapes::modelVersion).toList())));
        routes.put(m + "set-tag", new MlflowApi.Route(post, r -> {
            registry().setModelTag(r.text("name"), r.text("key"), r.text("value"));
            return Map.of();
        }));
        routes.put(m + "delete-tag", new MlflowApi.Route(delete, r -> {
            registry().deleteModelTag(r.text("name"), r.text("key"));
            return Map.of();
        }));
        routes.put("POST " + m + "alias", new MlflowApi.Route(post, r -> {
            registry().setAlias(r.text("name"), r.text("alias"), version(r));
            return Map.of();
        }));
        routes.put("DELETE " + m + "alias", new MlflowApi.Route(delete, r -> {
            // As in MLflow: the model must exist, the alias need not (deleting one that is not set is a no-op).
            String name = r.text("name");
            registry().getModel(name);
            try {
                registry().deleteAlias(name, r.text("alias"));
            } catch (NotFoundException notSet) {
                registry().getModel(name); // unless the model went meanwhile
            }
            return Map.of();
        }));
        routes.put("GET " + m + "alias", new MlflowApi.Route(get, r -> Map.of("model_version",
                Shapes.modelVersion(registry().getByAlias(r.text("name"), r.text("alias"))))));
        String v = "model-versions/";
        routes.put(v + "create", new MlflowApi.Route(post, this::createVersion));
        routes.put(v + "get", new MlflowApi.Route(get, r -> version(registry().getVersion(r.text("name"), version(r)))));
        routes.put(v + "update", new MlflowApi.Route(patch, r -> version(registry().updateDescription(r.text("name"),
                version(r), r.optionalText("description").orElse("")))));
        routes.put(v + "delete", new MlflowApi.Route(delete, r -> {
            registry().deleteVersion(r.text("name"), version(r));
            return Map.of();
        }));
        routes.put(v + "search", new MlflowApi.Route(Set.of("GET", "POST"), this::searchVersions));
        routes.put(v + "transition-stage", new MlflowApi.Route(post, r -> version(registry().transition(r.text("name"),
                version(r), Stage.parse(r.text("stage")), TransitionOptions.defaults().user(user)
                        .archiveExisting(r.bool("archive_existing_versions", false))))));
        routes.put(v + "get-download-uri", new MlflowApi.Route(get, r -> {
            ModelVersion version = registry().getVersion(r.text("name"), version(r));
            Run run = tracker.getRun(version.runId());
            String path = version.source().substring(("runs:/" + version.runId() + "/").length());
            return Map.of("artifact_uri", MlflowArtifacts.runUri(run.info().experimentId(), run.info().id()) + "/" + path);
        }));
        routes.put(v + "set-tag", new MlflowApi.Route(post, r -> {
            registry().setVersionTag(r.text("name"), version(r), r.text("key"), r.text("value"));
            return Map.of();
        }));
        routes.put(v + "delete-tag", new MlflowApi.Route(delete, r -> {
            registry().deleteVersionTag(r.text("name"), version(r), r.text("key"));
            return Map.of();
        }));
    }

    private ModelRegistry registry() {
        return registry.get();
    }

    private static int version(Request r) {
        String text = r.text("version");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("Invalid value " + text + " for parameter 'version': it must be a whole number"
                    + (text.matches("[+-]?[0-9]+") ? " from 1 to " + Integer.MAX_VALUE : ""));
        }
    }

    private static Map<String, Object> version(ModelVersion version) {
        return Map.of("model_version", Shapes.modelVersion(version));
    }

    private Map<String, Object> model(String name) {
        return Map.of("registered_model", modelJson(registry().getModel(name)));
    }

    private Map<String, Object> modelJson(RegisteredModel model) {
        return Shapes.registeredModel(model, latest(model.name(), List.of()));
    }

    /** The highest version in each stage asked for (every stage when none is), as MLflow's latest_versions. */
    private List<ModelVersion> latest(String name, List<String> stages) {
        registry().getModel(name);
        List<Stage> wanted = new ArrayList<>();
        for (String stage : stages) {
            wanted.add(Stage.parse(stage));
        }
        List<ModelVersion> latest = new ArrayList<>();
        for (Stage stage : wanted.isEmpty() ? List.of(Stage.values()) : wanted) {
            registry().latest(name, stage).ifPresent(latest::add);
        }
        latest.sort(Comparator.comparingInt(ModelVersion::version));
        return latest;
    }

    private Object createModel(Request r) {
        String name = r.text("name");
        // Checked before the model is made, as MLflow does in one transaction: a refused tag or
        // description leaves no model behind.
        Map<String, String> tags = keyValues(r);
        String description = description(r);
        try {
            registry().createModel(name);
        } catch (ConflictException e) {
            throw MlflowException.exists("Registered Model (name=" + name + ") already exists.");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            registry().setModelTag(name, tag.getKey(), tag.getValue());
        }
        if (!description.isEmpty()) {
            registry().updateDescription(name, description);
        }
        return model(name);
    }

    /** The request's tags, each checked by the rules the registry applies. */
    private static Map<String, String> keyValues(Request r) {
        Map<String, String> map = new LinkedHashMap<>();
        r.list("tags").forEach(tag -> {
            String key = InputRules.key("tag", Request.text(tag, "tags", "key"));
            map.put(key, InputRules.tagValue(key, Request.text(tag, "tags", "value")));
        });
        return map;
    }

    /** The request's description, checked by the registry's rule; empty if none. */
    private static String description(Request r) {
        return RegistryNames.description(r.optionalText("description").orElse(""));
    }

    private Object createVersion(Request r) {
        String name = r.text("name");
        String source = r.text("source");
        String uri = runsUri(source, r.optionalText("run_id").filter(s -> !s.isEmpty()).orElse(null));
        Run run = tracker.getRun(uri.substring("runs:/".length()).split("/", 2)[0]);
        if (source.startsWith(MlflowArtifacts.SCHEME + "/")) {
            // As the artifact proxy reads that path: the run must be in the experiment it names.
            String experiment = source.substring(MlflowArtifacts.SCHEME.length() + 1).split("/", 2)[0];
            if (!experiment.equals(run.info().experimentId())) {
                throw MlflowException.notFound("source '" + source + "': run " + run.info().id() + " is not in experiment "
                        + experiment);
            }
        }
        // MLflow creates versions of registered models only (registry.register would create the model).
        registry().getModel(name);
        Map<String, String> tags = keyValues(r);
        String description = description(r);
        ModelVersion version;
        try {
            version = registry().register(name, uri);
        } catch (NotFoundException e) {
            throw MlflowException.invalid(e.getMessage() + ". Runlog registers models logged through Runlog's API"
                    + " (ActiveRun.logModel, which writes MLmodel.json with the SHA-256 of each file); a model"
                    + " logged by MLflow's own flavors is not one");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            registry().setVersionTag(name, version.version(), tag.getKey(), tag.getValue());
        }
        if (!description.isEmpty()) {
            registry().updateDescription(name, version.version(), description);
        }
        return version(registry().getVersion(name, version.version()));
    }

    /** MLflow's {@code source} as the {@code runs:/} URI Runlog registers; a source that is no run's logged model is refused. */
    static String runsUri(String source, String runId) {
        String uri = source;
        if (source.startsWith(MlflowArtifacts.SCHEME + "/")) {
            String[] parts = source.substring(MlflowArtifacts.SCHEME.length() + 1).split("/", 4);
            if (parts.length == 4 && parts[2].equals("artifacts")) {
                uri = "runs:/" + parts[1] + "/" + parts[3];
            }
        }
        if (!uri.startsWith("runs:/")) {
            throw MlflowException.invalid("source '" + source + "' is not supported: Runlog registers models that a run"
                    + " logged, as runs:/<run id>/<path> or mlflow-artifacts:/<experiment id>/<run id>/artifacts/<path>");
        }
        if (runId != null && !uri.startsWith("runs:/" + runId + "/")) {
            throw MlflowException.invalid("source '" + source + "' is not a model of run_id " + runId);
        }
        return uri;
    }

    private Object searchModels(Request r) {
        List<RegisteredModel> models = new ArrayList<>(registry().searchModels(r.optionalText("filter").orElse("")));
        models.sort(order(r.texts("order_by"), Map.of(
                "name", Comparator.comparing(RegisteredModel::name),
                "creation_timestamp", Comparator.comparing(RegisteredModel::creationTime),
                "last_updated_timestamp", Comparator.comparing(RegisteredModel::lastUpdateTime)),
                List.of("name ASC"), List.of("name ASC")));
        return page(r, 100, 1_000, models, "registered_models", this::modelJson);
    }

    private Object searchVersions(Request r) {
        List<ModelVersion> versions = new ArrayList<>(registry().searchVersions(r.optionalText("filter").orElse("")));
        Comparator<ModelVersion> byName = Comparator.comparing(ModelVersion::name);
        versions.sort(order(r.texts("order_by"), Map.of(
                "name", byName,
                "version_number", Comparator.comparingInt(ModelVersion::version),
                "creation_timestamp", Comparator.comparing(ModelVersion::creationTime),
                "last_updated_timestamp", Comparator.comparing(ModelVersion::lastUpdateTime)),
                List.of("last_updated_timestamp DESC"), List.of("name ASC", "version_number DESC")));
        return page(r, 10_000, 200_000, versions, "model_versions", Shapes::modelVersion);
    }

    /**
     * MLflow's {@code order_by} clauses ({@code "name ASC"}) over the fields given, a field at most
     * once; {@code defaults} when none; then, as MLflow's stores do, each of {@code tieBreakers}
     * whose field is not ordered on yet.
     */
    private static <T> Comparator<T> order(List<String> clauses, Map<String, Comparator<T>> fields, List<String> defaults,
                                           List<String> tieBreakers) {
        Comparator<T> order = (a, b) -> 0;
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>(clauses.isEmpty() ? defaults : clauses);
        all.addAll(tieBreakers);
        for (int i = 0; i < all.size(); i++) {
            String clause = all.get(i);
            String[] words = clause.trim().split("\\s+");
            String name = words[0].replace("`", "");
            Comparator<T> field = fields.get(name);
            boolean desc = words.length == 2 && words[1].equalsIgnoreCase("DESC");
            if (field == null || words.length > 2 || (words.length == 2 && !desc && !words[1].equalsIgnoreCase("ASC"))) {
                throw MlflowException.invalid("Invalid order_by clause '" + clause + "': it must be one of "
                        + fields.keySet().stream().sorted().toList() + ", optionally with ASC or DESC");
            }
            boolean tieBreaker = i >= all.size() - tieBreakers.size();
            if (!seen.add(name)) {
                if (tieBreaker) {
                    continue;
                }
                throw MlflowException.invalid("`order_by` contains duplicate fields: " + name);
            }
            order = order.thenComparing(desc ? field.reversed() : field);
        }
        return order;
    }

    private static <T> Map<String, Object> page(Request r, int defaultMax, int limit, List<T> all, String field,
                                                 Function<T, Object> shape) {
        long max = r.integer("max_results", defaultMax);
        if (max < 1 || max > limit) {
            throw MlflowException.invalid("Invalid value " + max + " for parameter 'max_results' supplied. It must be"
                    + " at most " + limit + " and at least 1");
        }
        int from = Math.min(Tokens.offset(r.optionalText("page_token").orElse("")), all.size());
        int to = (int) Math.min(all.size(), from + max);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(field, all.subList(from, to).stream().map(shape).toList());
        if (to < all.size()) {
            json.put("next_page_token", Tokens.of(to));
        }
        return json;
    }
}
