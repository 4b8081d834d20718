package dev.runlog.server.internal.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.ExperimentPage;
import dev.runlog.tracking.ExperimentQuery;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunPage;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.spi.TrackingStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * MLflow's tracking endpoints: experiments, runs, metric histories and artifact listings. Reads go
 * through the public Tracker API; writes to a run by id (MLflow logs to runs across requests,
 * where Runlog's API logs through the {@code ActiveRun} that started them) go to the tracker's
 * store through the SPI, after the same key and value checks the tracker makes.
 */
final class MlflowTracking {
    /** MLflow's {@code log-batch} limits. */
    static final int MAX_METRICS_PER_BATCH = 1_000;
    static final int MAX_PARAMS_PER_BATCH = 100;
    static final int MAX_TAGS_PER_BATCH = 100;
    static final int MAX_ENTITIES_PER_BATCH = 1_000;
    /** MLflow's default experiment id, which its clients use when none is set. */
    static final String DEFAULT_EXPERIMENT_ID = "0";
    /** The run tag MLflow keeps its logged models' MLmodel documents in. */
    static final String MODEL_HISTORY_TAG = "mlflow.log-model.history";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Tracker tracker;
    private final TrackingStore store;
    private final TrackerStores stores;
    private final DefaultExperiment defaultExperiment;

    MlflowTracking(Tracker tracker) {
        this.tracker = tracker;
        this.stores = TrackerStores.of(tracker);
        this.defaultExperiment = new DefaultExperiment(tracker);
        this.store = stores.tracking();
    }

    void addRoutes(Map<String, MlflowApi.Route> routes) {
        Set<String> post = Set.of("POST");
        Set<String> get = Set.of("GET");
        Set<String> read = Set.of("GET", "POST");
        routes.put("experiments/create", new MlflowApi.Route(post, this::createExperiment));
        routes.put("experiments/get", new MlflowApi.Route(get, r -> Map.of("experiment",
                Shapes.experiment(experiment(r.text("experiment_id"))))));
        routes.put("experiments/get-by-name", new MlflowApi.Route(get, this::experimentByName));
        routes.put("experiments/search", new MlflowApi.Route(read, this::searchExperiments));
        routes.put("experiments/update", new MlflowApi.Route(post, this::updateExperiment));
        routes.put("experiments/delete", new MlflowApi.Route(post, r -> {
            Experiment experiment = experiment(r.text("experiment_id"));
            if (r.text("experiment_id").equals(DEFAULT_EXPERIMENT_ID) || defaultExperiment.is(experiment)) {
                // As MLflow: every client that names no experiment logs there.
                throw MlflowException.invalid("Cannot delete the default experiment '" + DEFAULT_EXPERIMENT_ID
                        + "'. This is an internally reserved experiment.");
            }
            if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
                // As MLflow, which deletes only an active experiment (and restores only a deleted one).
                throw MlflowException.notFound("No Experiment with id=" + r.text("experiment_id") + " exists");
            }
            tracker.deleteExperiment(experiment.id());
            return Map.of();
        }));
        routes.put("experiments/restore", new MlflowApi.Route(post, r -> {
            Experiment experiment = experiment(r.text("experiment_id"));
            if (experiment.lifecycleStage() != LifecycleStage.DELETED) {
                throw MlflowException.notFound("No Experiment with id=" + r.text("experiment_id") + " exists");
            }
            tracker.restoreExperiment(experiment.id());
            return Map.of();
        }));
        routes.put("experiments/set-experiment-tag", new MlflowApi.Route(post, r -> {
            String key = InputRules.key("tag", r.text("key"));
            if (key.equals(DefaultExperiment.TAG)) {
                // Runlog's own marker of experiment 0: moved, it would hand id 0 (and its delete guard) to another.
                throw MlflowException.invalid("The tag " + key + " marks MLflow's experiment 0 and is Runlog's to set");
            }
            Experiment experiment = experiment(r.text("experiment_id"));
            if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw MlflowException.invalid("The experiment " + experiment.id() + " must be in the 'active' state."
                        + " Current state is deleted.");
            }
            tracker.setExperimentTag(experiment.id(), key, InputRules.tagValue(key, r.text("value")));
            return Map.of();
        }));
        routes.put("runs/create", new MlflowApi.Route(post, this::createRun));
        routes.put("runs/get", new MlflowApi.Route(get, r -> Map.of("run", Shapes.run(tracker.getRun(runId(r))))));
        routes.put("runs/update", new MlflowApi.Route(post, this::updateRun));
        routes.put("runs/delete", new MlflowApi.Route(post, r -> {
            tracker.deleteRun(runId(r));
            return Map.of();
        }));
        routes.put("runs/restore", new MlflowApi.Route(post, r -> {
            tracker.restoreRun(runId(r));
            return Map.of();
        }));
        routes.put("runs/search", new MlflowApi.Route(read, this::searchRuns));
        routes.put("runs/log-metric", new MlflowApi.Route(post, r -> {
            // Streamed as log-batch's points are: no JSON tree for the most frequent request.
            BatchBody point = BatchBody.readMetric(r.body(), stores.clock().millis());
            store.logBatch(batchRunId(point), point.metrics(), Map.of(), Map.of());
            return Map.of();
        }));
        routes.put("runs/log-parameter", new MlflowApi.Route(post, r -> {
            String key = InputRules.key("param", r.text("key"));
            store.logBatch(runId(r), List.of(), Map.of(key, InputRules.paramValue(key, r.text("value"))), Map.of());
            return Map.of();
        }));
        routes.put("runs/set-tag", new MlflowApi.Route(post, r -> {
            if (r.text("key").equals(Shapes.RUN_NAME_TAG)) {
                // As MLflow's stores do: this tag is the run's name, so setting it renames the run.
                tracker.renameRun(runId(r), r.text("value"));
            } else {
                tracker.setTag(runId(r), r.text("key"), r.text("value"));
            }
            return Map.of();
        }));
        routes.put("runs/delete-tag", new MlflowApi.Route(post, r -> {
            tracker.deleteTag(runId(r), r.text("key"));
            return Map.of();
        }));
        routes.put("runs/log-batch", new MlflowApi.Route(post, this::logBatch));
        routes.put("runs/log-inputs", new MlflowApi.Route(post, this::logInputs));
        routes.put("runs/log-model", new MlflowApi.Route(post, this::logModel));
        routes.put("metrics/get-history", new MlflowApi.Route(get, this::metricHistory));
        routes.put("artifacts/list", new MlflowApi.Route(get, this::listArtifacts));
    }

    // ---- experiments

    private Object createExperiment(Request r) {
        String name = r.text("name");
        if (r.optionalText("artifact_location").filter(s -> !s.isEmpty()).isPresent()) {
            throw MlflowException.invalid("artifact_location is not supported: Runlog keeps every run's artifacts in"
                    + " its store's artifact location, served through this server's mlflow-artifacts proxy");
        }
        Map<String, String> tags = keyValues(r, "tags", "tag", Integer.MAX_VALUE);
        if (tags.containsKey(DefaultExperiment.TAG)) {
            throw MlflowException.invalid("The tag " + DefaultExperiment.TAG + " marks MLflow's experiment 0 and is Runlog's to set");
        }
        Experiment experiment;
        try {
            experiment = tracker.createExperiment(name);
        } catch (ConflictException e) {
            throw MlflowException.exists("Experiment '" + name + "' already exists.");
        }
        tags.forEach((k, v) -> tracker.setExperimentTag(experiment.id(), k, v));
        return Map.of("experiment_id", experiment.id());
    }

    private Object experimentByName(Request r) {
        String name = r.text("experiment_name");
        return Map.of("experiment", Shapes.experiment(tracker.getExperimentByName(name).orElseThrow(
                () -> MlflowException.notFound("Could not find experiment with name '" + name + "'"))));
    }

    /** Experiment {@code id}; MLflow's default experiment {@code "0"} is {@link DefaultExperiment}. */
    Experiment experiment(String id) {
        try {
            return tracker.getExperiment(id);
        } catch (NotFoundException e) {
            if (!id.equals(DEFAULT_EXPERIMENT_ID)) {
                throw MlflowException.notFound("No Experiment with id=" + id + " exists");
            }
        }
        return defaultExperiment.get();
    }


    private Object searchExperiments(Request r) {
        ExperimentQuery query = tracker.searchExperiments().viewType(viewType(r, "view_type"))
                .maxResults((int) maxResults(r, 1_000));
        r.optionalText("filter").filter(f -> !f.isBlank()).ifPresent(query::filter);
        List<String> order = r.texts("order_by");
        if (!order.isEmpty()) {
            query.orderBy(order.toArray(String[]::new));
        }
        r.optionalText("page_token").filter(t -> !t.isEmpty()).ifPresent(query::pageToken);
        ExperimentPage page = query.page();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiments", page.experiments().stream().map(Shapes::experiment).toList());
        page.nextPageToken().ifPresent(t -> json.put("next_page_token", t));
        return json;
    }

    /** MLflow's rename: {@code new_name} when given; only an active experiment, to a name no experiment has. */
    private Object updateExperiment(Request r) {
        Experiment experiment = experiment(r.text("experiment_id"));
        String newName = r.optionalText("new_name").orElse("");
        if (newName.isEmpty()) {
            return Map.of(); // MLflow changes nothing without a new name
        }
        if (experiment.lifecycleStage() == LifecycleStage.DELETED) {
            throw MlflowException.invalid("Cannot rename a non-active experiment: experiment " + experiment.id()
                    + " is deleted; restore it first");
        }
        try {
            tracker.renameExperiment(experiment.id(), newName);
        } catch (ConflictException e) {
            if (tracker.getExperiment(experiment.id()).lifecycleStage() == LifecycleStage.DELETED) {
                throw e; // deleted meanwhile: the store's message says so
            }
            throw MlflowException.exists("Experiment '" + newName + "' already exists.");
        }
        return Map.of();
    }

    private static ViewType viewType(Request r, String field) {
        String value = r.optionalText(field).orElse("ACTIVE_ONLY");
        return switch (value) {
            case "ACTIVE_ONLY", "1" -> ViewType.ACTIVE_ONLY;
            case "DELETED_ONLY", "2" -> ViewType.DELETED_ONLY;
            case "ALL", "3" -> ViewType.ALL;
            default -> throw MlflowException.invalid("Invalid value " + value + " for parameter '" + field
                    + "': it must be ACTIVE_ONLY, DELETED_ONLY or ALL");
        };
    }

    private static long maxResults(Request r, long otherwise) {
        long max = r.integer("max_results", otherwise);
        if (max < 1 || max > 50_000) {
            throw MlflowException.invalid("Invalid value " + max + " for parameter 'max_results' supplied. It must be"
                    + " at most 50000 and at least 1");
        }
        return max;
    }

    // ---- runs

    private Object createRun(Request r) {
        Experiment experiment = experiment(r.optionalText("experiment_id").orElse(DEFAULT_EXPERIMENT_ID));
        Map<String, String> tags = new LinkedHashMap<>(keyValues(r, "tags", "tag", Integer.MAX_VALUE));
        String runId = HexFormat.of().formatHex(uuidBytes());
        String tagged = tags.get(Shapes.RUN_NAME_TAG);
        String name = r.optionalText("run_name").filter(n -> !n.isBlank())
                .or(() -> Optional.ofNullable(tagged))
                .orElse("run-" + runId.substring(0, 8));
        if (tagged != null && !tagged.equals(name)) {
            throw MlflowException.invalid("Both 'run_name' argument and '" + Shapes.RUN_NAME_TAG + "' tag are specified,"
                    + " but with different values (run_name='" + name + "', " + Shapes.RUN_NAME_TAG + "='" + tagged + "').");
        }
        tags.put(Shapes.RUN_NAME_TAG, name);
        // The mlflow.user tag wins over user_id, as the reply's user_id shows it; Runlog's user tag,
        // which attributes.user_id filters on, is the same one.
        Optional.ofNullable(tags.get(Shapes.USER_TAG)).filter(u -> !u.isEmpty())
                .or(() -> r.optionalText("user_id").filter(u -> !u.isEmpty()))
                .ifPresent(user -> {
                    tags.putIfAbsent(Shapes.USER_TAG, user);
                    tags.putIfAbsent(ActiveRun.USER_TAG, user);
                });
        String parent = tags.get("mlflow.parentRunId");
        if (parent != null) {
            // Runlog's own tag too, so that Runlog's API and UI see the nesting.
            tags.putIfAbsent(ActiveRun.PARENT_RUN_ID_TAG, parent);
        }
        Instant start = Instant.ofEpochMilli(r.integer("start_time", stores.clock().millis()));
        // The client runs it, not this server: a restart of the server must not end it as orphaned.
        store.createUnownedRun(new RunSpec(runId, experiment.id(), InputRules.name("run", name), RunStatus.RUNNING, start,
                stores.artifacts().artifactUri(runId), InputRules.tags(tags)));
        return Map.of("run", Shapes.run(tracker.getRun(runId)));
    }

    private static byte[] uuidBytes() {
        UUID uuid = UUID.randomUUID();
        return java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    /** The run id of a request ({@code run_id}, or {@code run_uuid} as older clients send it), checked. */
    private static String runId(Request r) {
        return checkedRunId(r.text("run_id", "run_uuid"));
    }

    /** A run id of another form is no run's, as MLflow answers (404, not 400). */
    private static String checkedRunId(String id) {
        try {
            return InputRules.runId(id);
        } catch (InvalidInputException e) {
            throw MlflowException.notFound(e.getMessage());
        }
    }

    private Object updateRun(Request r) {
        String runId = runId(r);
        Run run = tracker.getRun(runId);
        // MLflow renames with run_name (and its mlflow.runName tag, which the store keeps equal), first: a refused
        // rename (deleted run, bad name) then changes nothing.
        String newName = r.optionalText("run_name").orElse("");
        if (!newName.isEmpty() && !newName.equals(run.info().name())) {
            try {
                tracker.renameRun(runId, newName);
            } catch (RunNotActiveException e) {
                throw MlflowException.invalid(e.getMessage()); // deleted: as MLflow, which renames active runs only
            }
        }
        // An ended run keeps its first end: the same status again (a client's repeated set_terminated, which
        // sends the time of each call) succeeds and leaves its end_time as it was.
        if (r.has("status")) {
            RunStatus status = status(r.text("status"));
            if (status != run.info().status()) {
                if (status == RunStatus.RUNNING || status == RunStatus.SCHEDULED) {
                    throw MlflowException.invalid("run " + runId + " is " + run.info().status() + "; Runlog does not"
                            + " set a run back to " + status);
                }
                if (!run.info().status().isActive()) {
                    throw MlflowException.invalid("run " + runId + " has ended with status " + run.info().status()
                            + "; Runlog keeps a run's first end (MLflow would change it to " + status + ")");
                }
                store.endRun(runId, status, Instant.ofEpochMilli(r.integer("end_time", stores.clock().millis())));
            }
        }
        return Map.of("run_info", Shapes.runInfo(tracker.getRun(runId)));
    }

    private static RunStatus status(String name) {
        try {
            return RunStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid value " + name + " for parameter 'status': it must be RUNNING,"
                    + " SCHEDULED, FINISHED, FAILED or KILLED");
        }
    }

    /** MLflow's limit on a dataset's digest. */
    private static final int MAX_DIGEST_LENGTH = 36;

    /** More distinct experiments than one search names in practice; each is looked up. */
    private static final int MAX_SEARCH_EXPERIMENTS = 10_000;

    private Object searchRuns(Request r) {
        // Each id once: a list repeating one id a hundred thousand times looked it up as often.
        List<String> experiments = List.copyOf(new java.util.LinkedHashSet<>(r.texts("experiment_ids")));
        if (experiments.size() > MAX_SEARCH_EXPERIMENTS) {
            throw MlflowException.invalid("runs/search names " + experiments.size() + " experiments; at most "
                    + MAX_SEARCH_EXPERIMENTS + " distinct experiment_ids are searched at once");
        }
        // As MLflow's stores, which only filter runs by these ids: an id of no experiment adds no runs, not an error.
        List<String> known = new ArrayList<>();
        for (String id : experiments) {
            try {
                known.add(experiment(id).id());
            } catch (MlflowException noSuchExperiment) {
                // left out
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        if (known.isEmpty()) {
            json.put("runs", List.of());
            return json;
        }
        RunQuery query = tracker.searchRuns().experiments(known.toArray(String[]::new))
                .viewType(viewType(r, "run_view_type")).maxResults((int) maxResults(r, 1_000));
        r.optionalText("filter").filter(f -> !f.isBlank()).ifPresent(query::filter);
        List<String> order = r.texts("order_by");
        if (!order.isEmpty()) {
            query.orderBy(mlflowRunOrder(order).toArray(String[]::new));
        }
        r.optionalText("page_token").filter(t -> !t.isEmpty()).ifPresent(query::pageToken);
        RunPage page = query.page();
        json.put("runs", page.runs().stream().map(Shapes::run).toList());
        page.nextPageToken().ifPresent(t -> json.put("next_page_token", t));
        return json;
    }

    private static final Set<String> ATTRIBUTE_PREFIXES = Set.of("attribute", "attributes", "attr", "run");
    private static final Pattern DIRECTION = Pattern.compile("(?i)\\s+(asc|desc)$");

    /**
     * A run search's order as MLflow ranks: a field named twice is refused, and runs equal on every
     * key given are ranked by start time, latest first, unless the start time is a key already.
     */
    private static List<String> mlflowRunOrder(List<String> order) {
        Set<String> fields = new HashSet<>();
        boolean startTime = false;
        for (String key : order) {
            // Unquoted first, as MLflow reads an order key: `metrics.m` is metrics.m, and so a duplicate of it.
            String field = DIRECTION.matcher(key.strip()).replaceFirst("").replace("`", "").replace("\"", "");
            int dot = field.indexOf('.');
            String prefix = dot < 0 ? "attributes" : field.substring(0, dot).strip().toLowerCase(Locale.ROOT);
            String name = (dot < 0 ? field : field.substring(dot + 1)).strip();
            // One spelling per field, so that metric.m and metrics.m (or created and start_time) count as the same.
            prefix = switch (prefix) {
                case "metric" -> "metrics";
                case "param", "parameter", "parameters" -> "params";
                case "tag" -> "tags";
                default -> ATTRIBUTE_PREFIXES.contains(prefix) ? "attributes" : prefix;
            };
            if (prefix.equals("attributes")) {
                name = name.toLowerCase(Locale.ROOT);
                name = name.equals("created") ? "start_time" : name.equals("run name") ? "run_name" : name;
                startTime |= name.equals("start_time");
            }
            if (!fields.add(prefix + "." + name)) {
                throw MlflowException.invalid("`order_by` contains duplicate fields: " + key.strip());
            }
        }
        if (startTime) {
            return order;
        }
        List<String> ranked = new ArrayList<>(order);
        ranked.add("attributes.start_time DESC");
        return ranked;
    }

    /**
     * The body is streamed ({@link BatchBody}), not read into a tree; the checks and limits are
     * MLflow's, then one store write, all or nothing, as {@code Tracker.logMetric} then
     * {@code flush()} would store the points.
     */
    private Object logBatch(Request r) {
        BatchBody batch = BatchBody.read(r.body(), stores.clock().millis());
        String runId = batchRunId(batch);
        List<Metric> metrics = batch.metrics();
        if (metrics.size() > MAX_METRICS_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_METRICS_PER_BATCH
                    + " metrics. Got " + metrics.size() + " metrics. Please split up metrics across multiple requests and try again.");
        }
        Map<String, String> params = checkedPairs(batch.params(), "params", "param", MAX_PARAMS_PER_BATCH);
        Map<String, String> tags = checkedPairs(batch.tags(), "tags", "tag", MAX_TAGS_PER_BATCH);
        int total = metrics.size() + batch.params().size() + batch.tags().size();
        if (total > MAX_ENTITIES_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_ENTITIES_PER_BATCH
                    + " metrics, params, and tags in total. Got " + total + " in total.");
        }
        // As MLflow's stores do (and set-tag here): the mlflow.runName tag is the run's name, so it renames the run,
        // once the rest of the batch is stored; its name is checked first, so a refused name stores nothing.
        String newName = tags.get(Shapes.RUN_NAME_TAG);
        if (newName != null) {
            InputRules.name("run", newName);
            tags = new LinkedHashMap<>(tags);
            tags.remove(Shapes.RUN_NAME_TAG);
        }
        try {
            store.logBatch(runId, metrics, params, tags);
        } catch (RunNotActiveException ended) {
            if (!metrics.isEmpty() || !params.isEmpty()) {
                throw ended;
            }
            // Tags only (how MLflow's clients' set_tags sends them): an ended run takes tags, as through set-tag;
            // a deleted one refuses them there too. One at a time, as MLflow's set-tag would store them.
            tags.forEach((key, value) -> tracker.setTag(runId, key, value));
        }
        if (newName != null) {
            tracker.renameRun(runId, newName);
        }
        return Map.of();
    }

    private static String batchRunId(BatchBody body) {
        if (body.runId() == null) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        return checkedRunId(body.runId());
    }

    /** The {@code {key, value}} list {@code field} as a map, checked as {@link #checkedPairs} says. */
    private static Map<String, String> keyValues(Request r, String field, String kind, int limit) {
        List<String[]> pairs = new ArrayList<>();
        for (JsonNode element : r.list(field)) {
            pairs.add(new String[] {Request.text(element, field, "key"), Request.text(element, field, "value")});
        }
        return checkedPairs(pairs, field, kind, limit);
    }

    /**
     * Key-value pairs as a map, each checked as Runlog checks a param ({@code kind} "param") or
     * tag; for params a key given twice with two values is refused, as MLflow refuses it.
     */
    private static Map<String, String> checkedPairs(List<String[]> pairs, String field, String kind, int limit) {
        if (pairs.size() > limit) {
            throw MlflowException.invalid("A batch logging request can contain at most " + limit + " " + field
                    + ". Got " + pairs.size() + " " + field + ". Please split up " + field + " across multiple requests and try again.");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String[] pair : pairs) {
            String key = InputRules.key(kind, pair[0]);
            String value = kind.equals("param") ? InputRules.paramValue(key, pair[1]) : InputRules.tagValue(key, pair[1]);
            String previous = map.put(key, value);
            if (kind.equals("param") && previous != null && !previous.equals(value)) {
                throw MlflowException.invalid("Duplicate parameter keys have been submitted: '" + key + "' with values '"
                        + previous + "' and '" + value + "'");
            }
        }
        return map;
    }

    private Object logInputs(Request r) {
        String runId = runId(r);
        List<DatasetInput> inputs = new ArrayList<>();
        for (JsonNode input : r.list("datasets")) {
            JsonNode d = input.get("dataset");
            if (d == null || !d.isObject()) {
                throw MlflowException.invalid("Missing value for required parameter 'datasets.dataset'.");
            }
            String context = "";
            for (JsonNode tag : input.path("tags")) {
                if (Shapes.CONTEXT_TAG.equals(tag.path("key").asText())) {
                    context = tag.path("value").asText();
                }
            }
            String name = InputRules.name("dataset", Request.text(d, "dataset", "name"));
            String digest = InputRules.text("dataset digest", Request.text(d, "dataset", "digest"));
            if (digest.isEmpty() || digest.length() > MAX_DIGEST_LENGTH) {
                // MLflow's own limit: a digest is a short hash, not a place to store text.
                throw MlflowException.invalid("dataset digest must be 1 to " + MAX_DIGEST_LENGTH + " characters; got "
                        + digest.length());
            }
            // MLflow keeps a profile as opaque text; its clients send num_rows for pandas data, other
            // keys for numpy or Spark, or none: a row count that is not a whole number is unknown.
            long rows = Dataset.Profile.UNKNOWN_ROWS;
            try {
                JsonNode count = d.hasNonNull("profile") ? MAPPER.readTree(d.get("profile").asText()).path("num_rows") : null;
                if (count != null && count.isIntegralNumber() && count.canConvertToLong() && count.asLong() >= 0) {
                    rows = count.asLong();
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // A profile that is not JSON keeps no row count.
            }
            Dataset dataset = new Dataset(name, digest, d.path("source").asText(""), schema(d.path("schema").asText("")),
                    new Dataset.Profile(rows, Map.of()));
            inputs.add(new DatasetInput(dataset, context.isEmpty() ? "none" : InputRules.name("dataset context", context)));
        }
        store.logInputs(runId, inputs);
        return Map.of();
    }

    /** MLflow's schema JSON ({@code {"mlflow_colspec": [{"name", "type"}]}}) as Runlog's columns; empty when it is not that. */
    private static List<Dataset.Column> schema(String json) {
        List<Dataset.Column> columns = new ArrayList<>();
        try {
            for (JsonNode column : MAPPER.readTree(json.isEmpty() ? "{}" : json).path("mlflow_colspec")) {
                columns.add(new Dataset.Column(column.path("name").asText(""), column.path("type").asText("")));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of();
        }
        return columns;
    }

    /** Runlog's columns as MLflow's schema JSON. */
    static String schemaJson(List<Dataset.Column> schema) {
        List<Object> columns = new ArrayList<>();
        schema.forEach(c -> columns.add(Map.of("name", c.name(), "type", c.type())));
        try {
            return MAPPER.writeValueAsString(Map.of("mlflow_colspec", columns));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * MLflow's {@code source_type} for a source: the scheme of its URI ({@code s3}, {@code gs}, ...),
     * as MLflow names its sources ({@code local} for {@code file:} and absolute paths, {@code http}
     * for both web schemes), {@code "code"} without one. MLflow's clients send a source as JSON, such
     * as {@code {"uri": "s3://b/k"}}: then its {@code uri} (or {@code url}) is read.
     */
    static String sourceType(String source) {
        String uri = source;
        if (source.startsWith("{")) {
            try {
                JsonNode json = MAPPER.readTree(source);
                JsonNode named = json.hasNonNull("uri") ? json.get("uri") : json.get("url");
                uri = named != null && named.isTextual() ? named.asText() : "";
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return "code";
            }
        }
        int colon = uri.indexOf(':');
        if (colon <= 0 || !uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return uri.startsWith("/") ? "local" : "code";
        }
        String scheme = uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case "file" -> "local";
            case "http", "https" -> "http";
            default -> scheme;
        };
    }

    /**
     * What MLflow's Python flavors send after logging a model: its MLmodel as JSON, which MLflow
     * appends to the run's tag {@value #MODEL_HISTORY_TAG}. Kept the same way, the oldest entries
     * dropped when the tag would pass Runlog's tag value limit.
     */
    private Object logModel(Request r) {
        String runId = runId(r);
        JsonNode model;
        try {
            model = MAPPER.readTree(r.text("model_json"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MlflowException.invalid("model_json is not JSON: " + e.getOriginalMessage());
        }
        if (model == null || !model.isObject()) {
            // MLflow's clients send an MLmodel as an object; anything else would sit in the history tag.
            throw MlflowException.invalid("model_json must be a JSON object (an MLmodel), not "
                    + (model == null ? "nothing" : model.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        List<JsonNode> history = new ArrayList<>();
        String previous = tracker.getRun(runId).data().tags().get(MODEL_HISTORY_TAG);
        try {
            if (previous != null) {
                MAPPER.readTree(previous).forEach(history::add);
            }
            history.add(model);
            String value = MAPPER.writeValueAsString(history);
            while (value.length() > InputRules.MAX_TAG_VALUE_LENGTH && history.size() > 1) {
                history.remove(0);
                value = MAPPER.writeValueAsString(history);
            }
            tracker.setTag(runId, MODEL_HISTORY_TAG, value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MlflowException.invalid("tag " + MODEL_HISTORY_TAG + " of run " + runId + " is not a JSON list: " + e.getOriginalMessage());
        }
        return Map.of();
    }

    // ---- metric history, artifacts

    private static final Comparator<Metric> MLFLOW_HISTORY_ORDER = Comparator.comparingLong(Metric::timestamp)
            .thenComparingLong(Metric::step).thenComparingDouble(Metric::value);

    private Object metricHistory(Request r) {
        // In MLflow's order (its SQL store's: timestamp, step, value), not Runlog's step order, so that pages and a
        // client's last element are the ones MLflow would give.
        List<Metric> points = new ArrayList<>(tracker.metricHistory(runId(r), r.text("metric_key")));
        points.sort(MLFLOW_HISTORY_ORDER);
        // Clamped before the cast: 2^32 + 1 cast to int is 1, a page of one point.
        int max = (int) Math.min(Integer.MAX_VALUE, r.integer("max_results", 25_000));
        if (max < 1) {
            throw MlflowException.invalid("Invalid value " + max + " for parameter 'max_results': it must be at least 1");
        }
        int from = Tokens.offset(r.optionalText("page_token").orElse(""));
        int to = (int) Math.min(points.size(), (long) from + max);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("metrics", points.subList(Math.min(from, points.size()), to).stream().map(Shapes::metric).toList());
        if (to < points.size()) {
            json.put("next_page_token", Tokens.of(to));
        }
        return json;
    }

    private Object listArtifacts(Request r) {
        String runId = runId(r);
        Run run = tracker.getRun(runId);
        String path = ArtifactPaths.normalize(r.optionalText("path").orElse(""));
        List<Object> files = new ArrayList<>();
        for (ArtifactEntry entry : tracker.listArtifacts(runId, path)) {
            files.add(MlflowArtifacts.fileInfo(entry.path(), entry));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("root_uri", MlflowArtifacts.runUri(run.info().experimentId(), runId));
        json.put("files", files);
        return json;
    }
}
