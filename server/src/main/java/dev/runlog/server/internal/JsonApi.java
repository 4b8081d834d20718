package dev.runlog.server.internal;

import dev.runlog.registry.GateResult;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentSummary;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.ModelSignature;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunPage;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON API's routes, all through the public Tracker and ModelRegistry API. Replies are plain
 * maps and lists, written by Jackson (which escapes every stored string); times are epoch
 * milliseconds, as in MLflow's REST API.
 */
public final class JsonApi {
    /** Runs per page unless {@code max_results} says otherwise, and the most it may ask for. */
    static final int DEFAULT_RUNS = 100;
    static final int MAX_RUNS = 1_000;
    /** Chart points unless {@code points} says otherwise, and the most it may ask for. */
    static final int DEFAULT_POINTS = 1_000;
    static final int MAX_POINTS = 10_000;
    /** How many artifact entries the search for a run's logged models looks at, at most. */
    static final int MAX_ARTIFACTS_WALKED = 10_000;

    private static final String DESCRIPTOR = "MLmodel.json";
    /** Shown in the page, not downloaded; SVG and HTML are not here: they could run script in our origin. */
    private static final Map<String, String> INLINE_TYPES = Map.of(
            "txt", "text/plain; charset=utf-8", "log", "text/plain; charset=utf-8",
            "json", "application/json; charset=utf-8", "csv", "text/csv; charset=utf-8",
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif");

    private final Tracker tracker;
    private ModelRegistry registry;

    /** Answers from this tracker and the model registry over it. */
    public JsonApi(Tracker tracker) {
        this.tracker = tracker;
    }

    /**
     * The registry, opened on first use: runs can be served from any Tracker, while a registry
     * needs one that {@code Tracker.open} made.
     */
    synchronized ModelRegistry registry() {
        if (registry == null) {
            registry = ModelRegistry.of(tracker);
        }
        return registry;
    }

    Tracker tracker() {
        return tracker;
    }

    /** A JSON body, or a file to send as it is. */
    record Reply(Object json, Download download) {
        static Reply of(Object json) {
            return new Reply(json, null);
        }
    }

    /** An artifact's content, with the type and disposition it is sent with. */
    record Download(InputStream content, String contentType, boolean attachment, String fileName) {
    }

    /** The reply to the path after {@code /api/} (decoded segments); null when no route matches. */
    Reply route(List<String> path, Map<String, List<String>> query) {
        Params params = new Params(query);
        int n = path.size();
        String head = n == 0 ? "" : path.get(0);
        if (head.equals("experiments") && n == 1) {
            return Reply.of(experiments(params));
        }
        if (head.equals("runs")) {
            if (n == 1) {
                return Reply.of(runs(params));
            }
            String runId = path.get(1);
            if (n == 2) {
                return Reply.of(run(runId));
            }
            if (path.get(2).equals("metrics") && n >= 4) {
                // A metric key may hold '/', as "val/loss": the rest of the path is the key.
                return Reply.of(metric(runId, String.join("/", path.subList(3, n)), params));
            }
            if (path.get(2).equals("artifacts") && n == 3) {
                return Reply.of(artifacts(runId, params));
            }
            if (path.get(2).equals("artifacts") && n == 4 && path.get(3).equals("file")) {
                return new Reply(null, download(runId, params));
            }
        }
        if (head.equals("models")) {
            if (n == 1) {
                return Reply.of(Map.of("models", registry().searchModels(null).stream().map(JsonApi::model).toList()));
            }
            if (n == 2) {
                return Reply.of(modelWithVersions(path.get(1)));
            }
            if (n == 3 && path.get(2).equals("history")) {
                return Reply.of(history(path.get(1)));
            }
        }
        return null;
    }

    private Object experiments(Params params) {
        List<Object> out = new ArrayList<>();
        // One aggregate read for all experiments: listing never reads the runs themselves.
        for (ExperimentSummary summary : tracker.experimentSummaries(params.view())) {
            Experiment e = summary.experiment();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", e.id());
            json.put("name", e.name());
            json.put("lifecycle_stage", e.lifecycleStage().name());
            json.put("creation_time", millis(e.creationTime()));
            json.put("run_count", summary.activeRuns());
            json.put("deleted_run_count", summary.deletedRuns());
            json.put("last_activity", millis(summary.lastActivity()));
            json.put("tags", e.tags());
            out.add(json);
        }
        return Map.of("experiments", out);
    }

    private Object runs(Params params) {
        RunQuery query = tracker.searchRuns()
                .experiments(params.required("experiment"))
                .viewType(params.view())
                .maxResults(Math.min(params.integer("max_results", DEFAULT_RUNS, 1), MAX_RUNS));
        params.optional("filter").ifPresent(query::filter);
        List<String> order = params.all("order_by");
        if (!order.isEmpty()) {
            query.orderBy(order.toArray(String[]::new));
        }
        params.optional("page_token").ifPresent(query::pageToken);
        RunPage page = query.page();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", page.runs().stream().map(JsonApi::run).toList());
        json.put("next_page_token", page.nextPageToken().orElse(null));
        return json;
    }

    /** The run as {@code GET /api/runs/{id}} shows it. */
    Object run(String runId) {
        Run run = tracker.getRun(runId);
        Map<String, Object> json = run(run);
        json.put("inputs", run.inputs().stream().map(JsonApi::input).toList());
        List<Map<String, Object>> unreadable = new ArrayList<>();
        json.put("models", loggedModels(runId, unreadable).stream().map(JsonApi::loggedModel).toList());
        json.put("unreadable_models", unreadable);
        return json;
    }

    /**
     * The models a run logged: each directory holding a descriptor, found breadth-first within a
     * bound. A descriptor that does not read (any file of that name an MLflow client uploaded, a
     * damaged one) goes to {@code unreadable}, with why, instead of failing the whole run's page.
     */
    private List<LoggedModel> loggedModels(String runId, List<Map<String, Object>> unreadable) {
        List<LoggedModel> models = new ArrayList<>();
        Deque<String> directories = new ArrayDeque<>(List.of(""));
        int walked = 0;
        while (!directories.isEmpty() && walked < MAX_ARTIFACTS_WALKED) {
            for (ArtifactEntry entry : tracker.listArtifacts(runId, directories.poll())) {
                walked++;
                String path = entry.path();
                if (entry.isDirectory()) {
                    directories.add(path);
                } else if (path.endsWith("/" + DESCRIPTOR)) {
                    String directory = path.substring(0, path.length() - DESCRIPTOR.length() - 1);
                    try {
                        models.add(tracker.getLoggedModel("runs:/" + runId + "/" + directory));
                    } catch (IntegrityException | InvalidInputException e) {
                        Map<String, Object> why = new LinkedHashMap<>();
                        why.put("artifact_path", directory);
                        why.put("error", e.getMessage());
                        unreadable.add(why);
                    }
                }
            }
        }
        return models;
    }

    private Object metric(String runId, String key, Params params) {
        String x = params.optional("x").orElse("step");
        if (!Set.of("step", "time").contains(x)) {
            throw new InvalidInputException("x '" + x + "' is neither 'step' nor 'time'");
        }
        long from = params.longValue("min", Long.MIN_VALUE);
        long to = params.longValue("max", Long.MAX_VALUE);
        int points = Math.min(params.integer("points", DEFAULT_POINTS, 2), MAX_POINTS);
        MetricSeries series = tracker.metricSeries(runId, key);
        long[] xs = x.equals("step") ? series.steps() : series.timestamps();
        int[] chosen = Downsampler.select(xs, series.values(), from, to, points);
        long inRange = Arrays.stream(xs).filter(v -> v >= from && v <= to).count();
        long[] steps = new long[chosen.length];
        long[] timestamps = new long[chosen.length];
        double[] values = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            steps[i] = series.steps()[chosen[i]];
            timestamps[i] = series.timestamps()[chosen[i]];
            values[i] = series.values()[chosen[i]];
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("x", x);
        json.put("total_points", series.size());
        json.put("points_in_range", inRange);
        json.put("downsampled", chosen.length < inRange);
        json.put("step", steps);
        json.put("timestamp", timestamps);
        json.put("value", values);
        return json;
    }

    private Object artifacts(String runId, Params params) {
        String path = params.optional("path").orElse("");
        List<Object> entries = new ArrayList<>();
        for (ArtifactEntry entry : tracker.listArtifacts(runId, path)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("path", entry.path());
            json.put("is_dir", entry.isDirectory());
            json.put("size", entry.size());
            json.put("sha256", entry.sha256().orElse(null));
            entries.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", path);
        json.put("entries", entries);
        return json;
    }

    private Download download(String runId, Params params) {
        String path = params.required("path");
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : INLINE_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        InputStream content = tracker.openArtifact(runId, path);
        return type != null
                ? new Download(content, type, false, name)
                : new Download(content, "application/octet-stream", true, name);
    }

    /** The model as {@code GET /api/models/{name}} shows it. */
    Object modelWithVersions(String name) {
        RegisteredModel model = registry().getModel(name);
        // Quoted as the search grammar reads text: a quote doubled, a backslash escaped.
        String literal = "'" + name.replace("\\", "\\\\").replace("'", "''") + "'";
        Map<String, Object> json = model(model);
        json.put("versions", registry().searchVersions("name = " + literal).stream().map(JsonApi::version).toList());
        return json;
    }

    private Object history(String name) {
        List<ModelEvent> events = registry().history(name);
        if (events.isEmpty()) {
            registry().getModel(name); // a name with no trail at all is unknown: NotFoundException
        }
        return Map.of("events", events.stream().map(JsonApi::event).toList());
    }

    // ---- JSON shapes ----

    private static Map<String, Object> run(Run run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.info().id());
        json.put("experiment_id", run.info().experimentId());
        json.put("name", run.info().name());
        json.put("status", run.info().status().name());
        json.put("start_time", millis(run.info().startTime()));
        json.put("end_time", run.info().endTime().map(JsonApi::millis).orElse(null));
        json.put("lifecycle_stage", run.info().lifecycleStage().name());
        json.put("artifact_uri", run.info().artifactUri());
        json.put("params", run.data().params());
        json.put("metrics", mapValues(run.data().latestMetrics(), JsonApi::metric));
        json.put("tags", run.data().tags());
        return json;
    }

    private static Object metric(Metric m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("value", m.value());
        json.put("step", m.step());
        json.put("timestamp", m.timestamp());
        return json;
    }

    private static Object input(DatasetInput input) {
        Dataset d = input.dataset();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", d.name());
        json.put("digest", d.digest());
        json.put("source", d.source());
        json.put("context", input.context());
        json.put("schema", d.schema().stream().map(c -> Map.of("name", c.name(), "type", c.type())).toList());
        json.put("row_count", d.profile().rowCount());
        json.put("columns", mapValues(d.profile().columns(), JsonApi::columnProfile));
        return json;
    }

    private static Object columnProfile(Dataset.ColumnProfile c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", c.count());
        json.put("missing", c.missing());
        json.put("min", c.min());
        json.put("max", c.max());
        json.put("mean", c.mean());
        json.put("std", c.std());
        json.put("histogram", Map.of("edges", c.histogram().edges(), "counts", c.histogram().counts()));
        return json;
    }

    private static Object loggedModel(LoggedModel m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uri", m.uri());
        json.put("artifact_path", m.artifactPath());
        json.put("flavor", m.flavor());
        json.put("flavor_config", m.flavorConfig());
        json.put("model_uuid", m.modelUuid());
        json.put("creation_time", millis(m.creationTime()));
        json.put("payload_size", m.payloadSize());
        json.put("payload_sha256", m.payloadSha256());
        json.put("signature", m.signature().map(s -> Map.of(
                "inputs", fields(s.inputs()), "outputs", fields(s.outputs()))).orElse(null));
        json.put("input_example", m.inputExample().orElse(null));
        json.put("metadata", m.metadata());
        json.put("runlog_version", m.runlogVersion());
        return json;
    }

    private static List<Object> fields(List<ModelSignature.Field> fields) {
        return fields.stream().<Object>map(f -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", f.name());
            json.put("type", f.type());
            json.put("shape", f.shape());
            return json;
        }).toList();
    }

    private static Map<String, Object> model(RegisteredModel m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", m.name());
        json.put("description", m.description());
        json.put("creation_time", millis(m.creationTime()));
        json.put("last_update_time", millis(m.lastUpdateTime()));
        json.put("tags", m.tags());
        json.put("aliases", m.aliases());
        return json;
    }

    private static Object version(ModelVersion v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", v.version());
        json.put("stage", v.stage().name());
        json.put("aliases", v.aliases());
        json.put("source", v.source());
        json.put("run_id", v.runId());
        json.put("status", v.status().name());
        json.put("description", v.description());
        json.put("user_id", v.userId());
        json.put("creation_time", millis(v.creationTime()));
        json.put("last_update_time", millis(v.lastUpdateTime()));
        json.put("tags", v.tags());
        json.put("model_digest", v.modelDigest().orElse(null));
        return json;
    }

    private static Object event(ModelEvent e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sequence", e.sequence());
        json.put("model", e.model());
        json.put("version", e.version());
        json.put("action", e.action().name());
        json.put("alias", e.alias());
        json.put("from", e.from());
        json.put("to", e.to());
        json.put("time", millis(e.time()));
        json.put("user", e.user());
        json.put("comment", e.comment());
        json.put("gates", e.gates().stream().map(JsonApi::gateResult).toList());
        return json;
    }

    /** A gate's verdict, as the audit trail and a rejected promotion's reply both give it. */
    static Map<String, Object> gateResult(GateResult g) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gate", g.gate());
        json.put("passed", g.passed());
        json.put("actual", g.actual());
        json.put("required", g.required());
        return json;
    }

    private static <V> Map<String, Object> mapValues(Map<String, V> map, Function<V, Object> shape) {
        Map<String, Object> json = new LinkedHashMap<>();
        map.forEach((k, v) -> json.put(k, shape.apply(v)));
        return json;
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    /** The query parameters, each read once with its rule; a bad one names itself. */
    private record Params(Map<String, List<String>> query) {
        Optional<String> optional(String name) {
            List<String> values = query.getOrDefault(name, List.of());
            if (values.size() > 1) {
                throw new InvalidInputException("query parameter '" + name + "' is given " + values.size() + " times");
            }
            return values.stream().findFirst();
        }

        List<String> all(String name) {
            return query.getOrDefault(name, List.of());
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new InvalidInputException("query parameter '" + name + "' is missing"));
        }

        int integer(String name, int otherwise, int min) {
            long value = longValue(name, otherwise);
            if (value < min) {
                // As given: a number below a long's range was read as its minimum, which no one wrote.
                throw new InvalidInputException("query parameter '" + name + "' is " + optional(name).orElse("")
                        + "; the minimum is " + min);
            }
            return (int) Math.min(value, Integer.MAX_VALUE);
        }

        long longValue(String name, long otherwise) {
            Optional<String> text = optional(name);
            if (text.isEmpty() || text.get().isEmpty()) {
                return otherwise;
            }
            try {
                return Long.parseLong(text.get());
            } catch (NumberFormatException e) {
                if (text.get().matches("[+-]?[0-9]+")) {
                    // A whole number beyond a long: beyond any limit or step it is read against.
                    return text.get().startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
                }
                throw new InvalidInputException("query parameter '" + name + "' is '" + text.get() + "', not a whole number");
            }
        }

        ViewType view() {
            String view = optional("view").orElse("active");
            return switch (view) {
                case "active" -> ViewType.ACTIVE_ONLY;
                case "deleted" -> ViewType.DELETED_ONLY;
                case "all" -> ViewType.ALL;
                default -> throw new InvalidInputException("view '" + view + "' is not one of active, deleted, all");
            };
        }
    }
}
