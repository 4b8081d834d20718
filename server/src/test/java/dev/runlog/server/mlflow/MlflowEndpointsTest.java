package dev.runlog.server.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every MLflow endpoint the server serves, over raw HTTP: one call that works and one that fails
 * with MLflow's error code and HTTP status, in order (a case may use what an earlier one made).
 * {@code ${E}}, {@code ${R}} and the like stand for the fixture's ids.
 */
class MlflowEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NO_RUN = "0".repeat(32);
    private static Tracker tracker;
    private static RunlogServer server;
    private static final Map<String, String> ids = new HashMap<>();

    /** A call: method, path after {@code /api/2.0/}, JSON body (or null), expected status and a text the reply holds. */
    record Case(String method, String path, String body, int status, String expected) {
        @Override
        public String toString() {
            return method + " " + path + " -> " + status;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        tracker = Tracker.inMemory();
        ModelRegistry registry = ModelRegistry.of(tracker);
        server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true));
        ids.put("E", tracker.createExperiment("fx").id());
        ids.put("EDEL", tracker.createExperiment("fx-del").id());
        ids.put("EREN", tracker.createExperiment("fx-ren").id());
        for (String run : List.of("R", "RFIN", "RDEL")) {
            HttpResponse<String> created = call("POST", "mlflow/runs/create", "{\"experiment_id\": \"" + ids.get("E") + "\"}");
            ids.put(run, JSON.readTree(created.body()).at("/run/info/run_id").asText());
        }
        try (ActiveRun run = tracker.startRun("fx-models")) {
            ids.put("RM", run.id());
            ids.put("EM", run.experimentId());
            registry.register("rm", run.logModel("model", List.of(1)).uri());
        }
        registry.createModel("rm-ren");
        registry.createModel("rm-del");
    }

    @AfterAll
    static void stop() {
        server.close();
        tracker.close();
    }

    static Stream<Case> cases() {
        String batch = IntStream.range(0, 1_001).mapToObj(i -> "{\"key\": \"b\", \"value\": 1, \"timestamp\": 1, \"step\": " + i + "}")
                .collect(Collectors.joining(", ", "[", "]"));
        String dataset = "{\"name\": \"d\", \"digest\": \"abc\", \"source_type\": \"local\", \"source\": \"file:/d.csv\","
                + " \"schema\": \"{\\\"mlflow_colspec\\\": [{\\\"name\\\": \\\"x\\\", \\\"type\\\": \\\"double\\\"}]}\","
                + " \"profile\": \"{\\\"num_rows\\\": 3}\"}";
        return Stream.of(
                new Case("POST", "mlflow/experiments/create", "{\"name\": \"t-new\"}", 200, "experiment_id"),
                new Case("POST", "mlflow/experiments/create", "{\"name\": \"fx\"}", 400, "RESOURCE_ALREADY_EXISTS"),
                // As protobuf's JSON reader in MLflow's server: a string field takes a string only, and
                // a body is one object with each field once.
                new Case("POST", "mlflow/experiments/create", "{\"name\": 123}", 400, "must be a string, not number"),
                new Case("POST", "mlflow/experiments/create", "{\"name\": [\"a\"]}", 400, "must be a string, not array"),
                new Case("POST", "mlflow/experiments/create", "{\"name\": true}", 400, "must be a string, not boolean"),
                new Case("POST", "mlflow/experiments/create", "{\"name\": \"tg1\"} xyz", 400, "not valid JSON"),
                new Case("POST", "mlflow/experiments/create", "{\"name\": \"dk1\", \"name\": \"dk2\"}", 400, "Duplicate field 'name'"),
                new Case("DELETE", "mlflow/model-versions/delete", "{\"name\": \"rm\", \"version\": [1]}", 400, "not array"),
                new Case("GET", "mlflow/experiments/get?experiment_id=${E}", null, 200, "\"name\":\"fx\""),
                new Case("GET", "mlflow/experiments/get?experiment_id=99999", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/experiments/get-by-name?experiment_name=fx", null, 200, "\"experiment_id\":\"${E}\""),
                new Case("GET", "mlflow/experiments/get-by-name?experiment_name=nope", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/experiments/search", "{\"filter\": \"name = 'fx'\", \"max_results\": 10}", 200, "\"name\":\"fx\""),
                new Case("POST", "mlflow/experiments/search", "{\"filter\": \"name ===\"}", 400, "INVALID_PARAMETER_VALUE"),
                new Case("POST", "mlflow/experiments/update", "{\"experiment_id\": \"${E}\", \"new_name\": \"fx\"}", 200, "{}"),
                new Case("POST", "mlflow/experiments/update", "{\"experiment_id\": \"${EREN}\", \"new_name\": \"fx-renamed\"}", 200, "{}"),
                new Case("GET", "mlflow/experiments/get?experiment_id=${EREN}", null, 200, "\"name\":\"fx-renamed\""),
                new Case("POST", "mlflow/experiments/update", "{\"experiment_id\": \"${EREN}\", \"new_name\": \"fx\"}", 400, "RESOURCE_ALREADY_EXISTS"),
                new Case("POST", "mlflow/experiments/update", "{\"experiment_id\": \"${EREN}\", \"new_name\": \" \"}", 400, "blank"),
                new Case("POST", "mlflow/experiments/delete", "{\"experiment_id\": \"${EDEL}\"}", 200, "{}"),
                // As MLflow: only an active experiment is deleted, only a deleted one restored, and a deleted one takes no tag.
                new Case("POST", "mlflow/experiments/delete", "{\"experiment_id\": \"${EDEL}\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/experiments/set-experiment-tag", "{\"experiment_id\": \"${EDEL}\", \"key\": \"k\", \"value\": \"v\"}", 400, "must be in the 'active' state"),
                new Case("POST", "mlflow/experiments/delete", "{\"experiment_id\": \"0\"}", 400, "Cannot delete the default experiment"),
                new Case("POST", "mlflow/experiments/update", "{\"experiment_id\": \"${EDEL}\", \"new_name\": \"x\"}", 400, "non-active"),
                new Case("POST", "mlflow/experiments/delete", "{\"experiment_id\": \"99999\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/experiments/restore", "{\"experiment_id\": \"${EDEL}\"}", 200, "{}"),
                new Case("POST", "mlflow/experiments/restore", "{\"experiment_id\": \"${EDEL}\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/experiments/restore", "{\"experiment_id\": \"99999\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/experiments/set-experiment-tag", "{\"experiment_id\": \"${E}\", \"key\": \"k\", \"value\": \"v\"}", 200, "{}"),
                new Case("POST", "mlflow/experiments/set-experiment-tag", "{\"experiment_id\": \"${E}\", \"key\": \"bad key!\", \"value\": \"v\"}", 400, "INVALID_PARAMETER_VALUE"),
                // Runlog's marker of experiment 0: set elsewhere, it would hand id 0 and its delete guard to another experiment.
                new Case("POST", "mlflow/experiments/set-experiment-tag", "{\"experiment_id\": \"${E}\", \"key\": \"runlog.mlflowDefault\", \"value\": \"true\"}", 400, "is Runlog's to set"),
                new Case("POST", "mlflow/experiments/create", "{\"name\": \"evil\", \"tags\": [{\"key\": \"runlog.mlflowDefault\", \"value\": \"true\"}]}", 400, "is Runlog's to set"),
                new Case("GET", "mlflow/experiments/get-by-name?experiment_name=evil", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/runs/create", "{\"experiment_id\": \"${E}\", \"run_name\": \"r-new\", \"user_id\": \"ana\"}", 200, "\"user_id\":\"ana\""),
                new Case("POST", "mlflow/runs/create", "{\"experiment_id\": \"99999\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/runs/create", "{\"experiment_id\": \"${E}\", \"run_name\": \"a\", \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"b\"}]}", 400, "Both 'run_name' argument and 'mlflow.runName' tag"),
                new Case("GET", "mlflow/runs/get?run_id=deadbeef", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/runs/get?run_id=${R}", null, 200, "\"artifact_uri\":\"mlflow-artifacts:/${E}/${R}/artifacts\""),
                new Case("GET", "mlflow/runs/get?run_id=" + NO_RUN, null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/runs/update", "{\"run_id\": \"${RFIN}\", \"status\": \"FINISHED\", \"end_time\": 4102444800000}", 200, "\"end_time\":4102444800000"),
                new Case("POST", "mlflow/runs/update", "{\"run_id\": \"${RFIN}\", \"status\": \"BOGUS\"}", 400, "INVALID_PARAMETER_VALUE"),
                // An ended run keeps its first end: the same status again succeeds and changes nothing; another is refused.
                new Case("POST", "mlflow/runs/update", "{\"run_id\": \"${RFIN}\", \"status\": \"FINISHED\", \"end_time\": 4102444900000}", 200, "\"end_time\":4102444800000"),
                new Case("POST", "mlflow/runs/update", "{\"run_id\": \"${RFIN}\", \"status\": \"FAILED\"}", 400, "keeps a run's first end"),
                new Case("GET", "mlflow/runs/get?run_id=${RFIN}", null, 200, "\"status\":\"FINISHED\""),
                new Case("POST", "mlflow/runs/log-metric", "{\"run_id\": \"${RFIN}\", \"key\": \"m\", \"value\": 1}", 400, "stricter than MLflow"),
                // Tags only, as MLflow's clients send set_tags: an ended run takes them through log-batch as through set-tag.
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${RFIN}\", \"tags\": [{\"key\": \"late\", \"value\": \"1\"}, {\"key\": \"later\", \"value\": \"2\"}]}", 200, "{}"),
                new Case("GET", "mlflow/runs/get?run_id=${RFIN}", null, 200, "{\"key\":\"later\",\"value\":\"2\"}"),
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${RFIN}\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${RFIN}\", \"params\": [{\"key\": \"p\", \"value\": \"1\"}], \"tags\": [{\"key\": \"t\", \"value\": \"1\"}]}", 400, "stricter than MLflow"),
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${RFIN}\", \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"late-name\"}]}", 200, "{}"),
                new Case("GET", "mlflow/runs/get?run_id=${RFIN}", null, 200, "\"run_name\":\"late-name\""),
                new Case("POST", "mlflow/runs/update", "{\"run_id\": \"${RFIN}\", \"run_name\": \"r-renamed\"}", 200, "\"run_name\":\"r-renamed\""),
                new Case("GET", "mlflow/runs/get?run_id=${RFIN}", null, 200, "{\"key\":\"mlflow.runName\",\"value\":\"r-renamed\"}"),
                new Case("POST", "mlflow/runs/update", "{\"run_id\": \"${RFIN}\", \"run_name\": \" \"}", 400, "blank"),
                // As in MLflow, the mlflow.runName tag is the run's name: setting it renames the run.
                new Case("POST", "mlflow/runs/set-tag", "{\"run_id\": \"${RFIN}\", \"key\": \"mlflow.runName\", \"value\": \"via-tag\"}", 200, "{}"),
                new Case("GET", "mlflow/runs/get?run_id=${RFIN}", null, 200, "\"run_name\":\"via-tag\""),
                new Case("POST", "mlflow/runs/set-tag", "{\"run_id\": \"${RFIN}\", \"key\": \"mlflow.runName\", \"value\": \" \"}", 400, "blank"),
                new Case("POST", "mlflow/runs/delete", "{\"run_id\": \"${RDEL}\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/update", "{\"run_id\": \"${RDEL}\", \"run_name\": \"x\"}", 400, "deleted"),
                new Case("POST", "mlflow/runs/delete", "{\"run_id\": \"" + NO_RUN + "\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/runs/restore", "{\"run_id\": \"${RDEL}\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/restore", "{\"run_id\": \"" + NO_RUN + "\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/runs/log-metric", "{\"run_id\": \"${R}\", \"key\": \"m\", \"value\": 1.5, \"timestamp\": 1, \"step\": 1}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-metric", "{\"run_id\": \"${R}\", \"key\": \"m\"}", 400, "'value'"),
                new Case("POST", "mlflow/runs/log-metric", "{\"run_uuid\": \"${R}\", \"key\": \"n\", \"value\": \"NaN\", \"step\": \"2\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-metric", "{\"run_id\": \"${R}\", \"value\": 1}", 400, "'key'"),
                new Case("POST", "mlflow/runs/log-metric", "{\"key\": \"m\", \"value\": 1}", 400, "'run_id'"),
                new Case("POST", "mlflow/runs/log-parameter", "{\"run_id\": \"${R}\", \"key\": \"p\", \"value\": \"1\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-parameter", "{\"run_id\": \"${R}\", \"key\": \"p\", \"value\": \"2\"}", 400, "immutable"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"filter\": \"params.p = '1'\"}", 200, "\"run_id\":\"${R}\""),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"filter\": \"params.p ==\"}", 400, "INVALID_PARAMETER_VALUE"),
                // As MLflow's stores, which filter runs by the ids: an id of no experiment adds nothing.
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\", \"99999\"], \"filter\": \"params.p = '1'\"}", 200, "\"run_id\":\"${R}\""),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"99999\"]}", 200, "{\"runs\":[]}"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"order_by\": [\"metrics.m DESC\", \"metrics.`m` ASC\"]}", 400, "duplicate fields: metrics.`m` ASC"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"order_by\": [\"metric.m DESC\", \"metrics.m ASC\"]}", 400, "duplicate fields: metrics.m ASC"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"order_by\": [\"parameter.p\", \"params.p\"]}", 400, "duplicate fields"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"order_by\": [\"`metrics.m` DESC\", \"metrics.m ASC\"]}", 400, "duplicate fields: metrics.m ASC"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"order_by\": [\"attributes.`Run name` DESC\", \"run_name\"]}", 400, "duplicate fields: run_name"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"order_by\": [\"created\", \"start_time\"]}", 400, "duplicate fields"),
                // One id repeated is looked up once; more distinct ids than a search names are refused.
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [" + "\"${E}\", ".repeat(20_000) + "\"${E}\"]}", 200, "\"run_id\":\"${R}\""),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": ["
                        + IntStream.range(0, 10_001).mapToObj(i -> "\"" + i + "\"").collect(Collectors.joining(", ")) + "]}", 400, "at most 10000"),
                new Case("POST", "mlflow/runs/set-tag", "{\"run_id\": \"${R}\", \"key\": \"t\", \"value\": \"v\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/set-tag", "{\"run_id\": \"" + NO_RUN + "\", \"key\": \"t\", \"value\": \"v\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/runs/delete-tag", "{\"run_id\": \"${R}\", \"key\": \"t\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/delete-tag", "{\"run_id\": \"${R}\", \"key\": \"t\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${R}\", \"metrics\": [{\"key\": \"b\", \"value\": \"NaN\", \"timestamp\": 2, \"step\": 2}]}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${R}\", \"metrics\": " + batch + "}", 400, "at most 1000 metrics"),
                // As set-tag: the mlflow.runName tag renames the run.
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${R}\", \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"via-batch\"}]}", 200, "{}"),
                new Case("GET", "mlflow/runs/get?run_id=${R}", null, 200, "\"run_name\":\"via-batch\""),
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${R}\", \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \" \"}]}", 400, "blank"),
                new Case("POST", "mlflow/runs/log-inputs", "{\"run_id\": \"${R}\", \"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\", \"value\": \"training\"}], \"dataset\": " + dataset + "}]}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-inputs", "{\"run_id\": \"${R}\", \"datasets\": [{\"tags\": []}]}", 400, "datasets.dataset"),
                new Case("GET", "mlflow/runs/get?run_id=${R}", null, 200, "\"source_type\":\"local\""),
                new Case("POST", "mlflow/runs/log-inputs", "{\"run_id\": \"${R}\", \"datasets\": [{\"dataset\": "
                        + dataset.replace("\"name\": \"d\"", "\"name\": \"s3d\"").replace("\"file:/d.csv\"",
                                "\"{\\\"uri\\\": \\\"s3://bucket/key.csv\\\"}\"") + "}]}", 200, "{}"),
                new Case("GET", "mlflow/runs/get?run_id=${R}", null, 200, "\"source_type\":\"s3\""),
                // What MLflow's numpy and Spark datasets send, and a dataset with no profile: no row count, kept as unknown.
                new Case("POST", "mlflow/runs/log-inputs", "{\"run_id\": \"${R}\", \"datasets\": [{\"dataset\": "
                        + dataset.replace("\"name\": \"d\"", "\"name\": \"np\"").replace("{\\\"num_rows\\\": 3}",
                                "{\\\"features_shape\\\": [150, 4]}") + "}]}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-inputs", "{\"run_id\": \"${R}\", \"datasets\": [{\"dataset\": "
                        + "{\"name\": \"bare\", \"digest\": \"b1\", \"source\": \"file:/b.csv\"}}]}", 200, "{}"),
                // No schema, or one that is not JSON: kept as none, and read back with no schema (not an empty colspec).
                new Case("GET", "mlflow/runs/get?run_id=${R}", null, 200, "\"name\":\"bare\",\"digest\":\"b1\",\"source_type\":\"local\","
                        + "\"source\":\"file:/b.csv\",\"profile\":\"{}\""),
                new Case("POST", "mlflow/runs/log-inputs", "{\"run_id\": \"${R}\", \"datasets\": [{\"dataset\": "
                        + "{\"name\": \"nojs\", \"digest\": \"n1\", \"source\": \"file:/n.csv\", \"schema\": \"not json\"}}]}", 200, "{}"),
                new Case("GET", "mlflow/runs/get?run_id=${R}", null, 200, "\"name\":\"nojs\",\"digest\":\"n1\",\"source_type\":\"local\","
                        + "\"source\":\"file:/n.csv\",\"profile\":\"{}\""),
                new Case("POST", "mlflow/runs/log-model", "{\"run_id\": \"${R}\", \"model_json\": \"{\\\"artifact_path\\\": \\\"model\\\"}\"}", 200, "{}"),
                new Case("POST", "mlflow/runs/log-model", "{\"run_id\": \"${R}\", \"model_json\": \"not json\"}", 400, "not JSON"),
                new Case("POST", "mlflow/runs/log-model", "{\"run_id\": \"${R}\", \"model_json\": \"[1, 2]\"}", 400, "must be a JSON object"),
                new Case("POST", "mlflow/runs/log-inputs", "{\"run_id\": \"${R}\", \"datasets\": [{\"dataset\": "
                        + dataset.replace("\"digest\": \"abc\"", "\"digest\": \"" + "d".repeat(37) + "\"") + "}]}", 400, "1 to 36 characters"),
                new Case("GET", "mlflow/runs/get?run_id=${R}", null, 200, "mlflow.log-model.history"),
                new Case("GET", "mlflow/metrics/get-history?run_id=${R}&metric_key=m", null, 200, "\"value\":1.5"),
                new Case("GET", "mlflow/metrics/get-history?run_id=${R}&metric_key=m&page_token=bogus", null, 400, "page token"),
                // In MLflow's order: timestamp, step, value (Runlog's own is by step).
                new Case("POST", "mlflow/runs/log-batch", "{\"run_id\": \"${R}\", \"metrics\": [{\"key\": \"o\", \"value\": 1, \"timestamp\": 9, \"step\": 0},"
                        + " {\"key\": \"o\", \"value\": 2, \"timestamp\": 3, \"step\": 1}]}", 200, "{}"),
                new Case("GET", "mlflow/metrics/get-history?run_id=${R}&metric_key=o", null, 200,
                        "[{\"key\":\"o\",\"value\":2.0,\"timestamp\":3,\"step\":1},{\"key\":\"o\",\"value\":1.0,\"timestamp\":9,\"step\":0}]"),
                // 2^32 + 1 points at most, not the 1 its cast to an int made of it.
                new Case("GET", "mlflow/metrics/get-history?run_id=${R}&metric_key=o&max_results=4294967297", null, 200,
                        "[{\"key\":\"o\",\"value\":2.0,\"timestamp\":3,\"step\":1},{\"key\":\"o\",\"value\":1.0,\"timestamp\":9,\"step\":0}]"),
                new Case("GET", "mlflow/artifacts/list?run_id=${R}", null, 200, "\"root_uri\""),
                new Case("GET", "mlflow/artifacts/list?run_id=${R}&path=../x", null, 400, "'..'"),
                new Case("POST", "mlflow/registered-models/create", "{\"name\": \"rm-new\", \"description\": \"new\"}", 200, "\"description\":\"new\""),
                new Case("POST", "mlflow/registered-models/create", "{\"name\": \"rm\"}", 400, "RESOURCE_ALREADY_EXISTS"),
                // A refused tag leaves no model behind, as MLflow's one transaction does.
                new Case("POST", "mlflow/registered-models/create", "{\"name\": \"rm-bad\", \"tags\": [{\"key\": \"bad:key\", \"value\": \"x\"}]}", 400, "INVALID_PARAMETER_VALUE"),
                new Case("GET", "mlflow/registered-models/get?name=rm-bad", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/registered-models/get?name=rm", null, 200, "\"latest_versions\""),
                new Case("GET", "mlflow/registered-models/get?name=nope", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/registered-models/rename", "{\"name\": \"rm-ren\", \"new_name\": \"rm-ren2\"}", 200, "\"name\":\"rm-ren2\""),
                new Case("POST", "mlflow/registered-models/rename", "{\"name\": \"nope\", \"new_name\": \"x\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/registered-models/rename", "{\"name\": \"rm-ren2\", \"new_name\": \"rm\"}", 400, "RESOURCE_ALREADY_EXISTS"),
                new Case("PATCH", "mlflow/registered-models/update", "{\"name\": \"rm\", \"description\": \"d\"}", 200, "\"description\":\"d\""),
                new Case("PATCH", "mlflow/registered-models/update", "{\"name\": \"nope\", \"description\": \"d\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("DELETE", "mlflow/registered-models/delete", "{\"name\": \"rm-del\"}", 200, "{}"),
                new Case("DELETE", "mlflow/registered-models/delete", "{\"name\": \"rm-del\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/registered-models/search?filter=name%3D%27rm%27", null, 200, "\"name\":\"rm\""),
                new Case("GET", "mlflow/registered-models/search?max_results=0", null, 400, "max_results"),
                new Case("POST", "mlflow/registered-models/get-latest-versions", "{\"name\": \"rm\", \"stages\": [\"None\"]}", 200, "\"version\":\"1\""),
                new Case("POST", "mlflow/registered-models/get-latest-versions", "{\"name\": \"rm\", \"stages\": [\"Bogus\"]}", 400, "unknown stage"),
                new Case("POST", "mlflow/registered-models/set-tag", "{\"name\": \"rm\", \"key\": \"k\", \"value\": \"v\"}", 200, "{}"),
                new Case("POST", "mlflow/registered-models/set-tag", "{\"name\": \"nope\", \"key\": \"k\", \"value\": \"v\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("DELETE", "mlflow/registered-models/delete-tag", "{\"name\": \"rm\", \"key\": \"k\"}", 200, "{}"),
                new Case("DELETE", "mlflow/registered-models/delete-tag", "{\"name\": \"nope\", \"key\": \"k\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/registered-models/alias", "{\"name\": \"rm\", \"alias\": \"champion\", \"version\": \"1\"}", 200, "{}"),
                new Case("POST", "mlflow/registered-models/alias", "{\"name\": \"rm\", \"alias\": \"champion\", \"version\": \"99\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/registered-models/alias?name=rm&alias=champion", null, 200, "\"aliases\":[\"champion\"]"),
                new Case("GET", "mlflow/registered-models/alias?name=rm&alias=nope", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("DELETE", "mlflow/registered-models/alias", "{\"name\": \"rm\", \"alias\": \"champion\"}", 200, "{}"),
                new Case("DELETE", "mlflow/registered-models/alias", "{\"name\": \"rm\", \"alias\": \"champion\"}", 200, "{}"),
                new Case("DELETE", "mlflow/registered-models/alias", "{\"name\": \"nope\", \"alias\": \"champion\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/model-versions/create", "{\"name\": \"rm\", \"source\": \"mlflow-artifacts:/${EM}/${RM}/artifacts/model\", \"run_id\": \"${RM}\"}", 200, "\"version\":\"2\""),
                new Case("POST", "mlflow/model-versions/create", "{\"name\": \"rm\", \"source\": \"mlflow-artifacts:/${EM}/${RM}/artifacts/model\", \"run_id\": \"${RM}\","
                        + " \"tags\": [{\"key\": \"bad:key\", \"value\": \"x\"}]}", 400, "INVALID_PARAMETER_VALUE"),
                new Case("GET", "mlflow/model-versions/get?name=rm&version=3", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/model-versions/create", "{\"name\": \"rm\", \"source\": \"mlflow-artifacts:/${E}/${RM}/artifacts/model\"}", 404, "is not in experiment"),
                new Case("POST", "mlflow/model-versions/create", "{\"name\": \"rm\", \"source\": \"s3://bucket/model\"}", 400, "not supported"),
                new Case("POST", "mlflow/model-versions/create", "{\"name\": \"nope\", \"source\": \"mlflow-artifacts:/${EM}/${RM}/artifacts/model\", \"run_id\": \"${RM}\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/model-versions/get?name=rm&version=1", null, 200, "\"source\":\"runs:/${RM}/model\""),
                new Case("GET", "mlflow/model-versions/get?name=rm&version=99", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/model-versions/get?name=rm&version=99999999999999", null, 400, "from 1 to 2147483647"),
                new Case("POST", "mlflow/runs/search", "{\"experiment_ids\": [\"${E}\"], \"max_results\": -99999999999999999999}", 400,
                        "within a 64-bit integer's range"),
                new Case("PATCH", "mlflow/model-versions/update", "{\"name\": \"rm\", \"version\": \"1\", \"description\": \"vd\"}", 200, "\"description\":\"vd\""),
                new Case("PATCH", "mlflow/model-versions/update", "{\"name\": \"rm\", \"version\": \"x\", \"description\": \"vd\"}", 400, "whole number"),
                new Case("DELETE", "mlflow/model-versions/delete", "{\"name\": \"rm\", \"version\": \"2\"}", 200, "{}"),
                new Case("DELETE", "mlflow/model-versions/delete", "{\"name\": \"rm\", \"version\": \"99\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/model-versions/create", "{\"name\": \"rm\", \"source\": \"runs:/${R}/model\"}", 400, "logged through Runlog's API"),
                new Case("GET", "mlflow/model-versions/search?filter=name%3D%27rm%27", null, 200, "\"model_versions\""),
                new Case("GET", "mlflow/model-versions/search?filter=name%3D%3D%3D", null, 400, "INVALID_PARAMETER_VALUE"),
                new Case("POST", "mlflow/model-versions/transition-stage", "{\"name\": \"rm\", \"version\": \"1\", \"stage\": \"Staging\", \"archive_existing_versions\": false}", 200, "\"current_stage\":\"Staging\""),
                new Case("POST", "mlflow/model-versions/transition-stage", "{\"name\": \"rm\", \"version\": \"1\", \"stage\": \"Bogus\"}", 400, "unknown stage"),
                new Case("POST", "mlflow/model-versions/transition-stage", "{\"name\": \"rm\", \"version\": \"1\", \"stage\": \"Archived\", \"archive_existing_versions\": true}", 400, "INVALID_PARAMETER_VALUE"),
                new Case("GET", "mlflow/model-versions/get-download-uri?name=rm&version=1", null, 200, "/${RM}/artifacts/model"),
                new Case("GET", "mlflow/model-versions/get-download-uri?name=rm&version=99", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("POST", "mlflow/model-versions/set-tag", "{\"name\": \"rm\", \"version\": \"1\", \"key\": \"k\", \"value\": \"v\"}", 200, "{}"),
                new Case("POST", "mlflow/model-versions/set-tag", "{\"name\": \"rm\", \"version\": \"99\", \"key\": \"k\", \"value\": \"v\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("DELETE", "mlflow/model-versions/delete-tag", "{\"name\": \"rm\", \"version\": \"1\", \"key\": \"k\"}", 200, "{}"),
                new Case("DELETE", "mlflow/model-versions/delete-tag", "{\"name\": \"rm\", \"version\": \"99\", \"key\": \"k\"}", 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("PUT", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/dir/a.txt", "hello", 200, "{}"),
                new Case("PUT", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/%2E%2E/%2E%2E/x", "x", 400, "'..'"),
                new Case("PUT", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/a%5Cb.txt", "x", 400, "holds a backslash"),
                // Stored under U+FFFD names, and as one file under two names, before.
                new Case("PUT", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/%c0%ae%c0%ae/x.txt", "x", 400, "is not %-encoded UTF-8"),
                new Case("PUT", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/dir//a.txt", "x", 400, "has an empty or '.' part"),
                new Case("PUT", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/dir/%2e/a.txt", "x", 400, "has an empty or '.' part"),
                new Case("PUT", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/dir/caf%C3%A9+1.txt", "x", 200, "{}"),
                new Case("GET", "mlflow-artifacts/artifacts?path=${E}/${R}/artifacts/dir", null, 200, "\"path\":\"caf\u00e9+1.txt\""),
                new Case("GET", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/dir/a.txt", null, 200, "hello"),
                // HEAD is a GET without the body, as MLflow's (Flask's) routes answer it.
                new Case("HEAD", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/dir/a.txt", null, 200, ""),
                new Case("HEAD", "mlflow/experiments/get-by-name?experiment_name=fx", null, 200, ""),
                // Looked up as U+FFFD before, as a JSON body with those bytes is refused.
                new Case("GET", "mlflow/experiments/get-by-name?experiment_name=%ff%fe", null, 400, "is not %-encoded UTF-8"),
                new Case("GET", "mlflow-artifacts/artifacts/${E}/${R}/artifacts/dir/none.txt", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow-artifacts/artifacts?path=${E}/${R}/artifacts/dir", null, 200, "\"path\":\"a.txt\""),
                new Case("GET", "mlflow-artifacts/artifacts?path=${E}/" + NO_RUN + "/artifacts", null, 404, "RESOURCE_DOES_NOT_EXIST"),
                new Case("GET", "mlflow/no/such/endpoint", null, 404, "ENDPOINT_NOT_FOUND"),
                new Case("GET", "mlflow/runs/log-metric", null, 405, "use POST"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachEndpointAnswersInMlflowsShapesAndErrors(Case c) throws Exception {
        HttpResponse<String> response = call(c.method(), fill(c.path()), c.body() == null ? null : fill(c.body()));

        assertEquals(c.status(), response.statusCode(), response.body());
        assertTrue(response.body().contains(fill(c.expected())), response.body());
        if (c.method().equals("HEAD")) {
            assertEquals("", response.body(), "a HEAD reply has no body");
            return;
        }
        if (c.status() != 200) {
            assertTrue(JSON.readTree(response.body()).has("error_code"), response.body());
        }
        if (c.path().startsWith("mlflow/")) {
            String timing = response.headers().firstValue("Server-Timing").orElse("none");
            assertTrue(timing.matches("app;dur=\\d+\\.\\d{3}, cpu;dur=\\d+\\.\\d{3}(, read;dur=\\d+\\.\\d{3})?"), timing);
        }
    }

    @Test
    void logBatchReadsEveryShapeProtobufsJsonAllowsAndStoresThePointsExactly() throws Exception {
        String run = JSON.readTree(call("POST", "mlflow/runs/create", "{\"experiment_id\": \"" + ids.get("E") + "\"}").body())
                .at("/run/info/run_id").asText();
        // run_uuid for run_id, a lone object for a list, numbers as strings, NaN bare and quoted, unknown fields skipped.
        String body = "{\"run_uuid\": \"" + run + "\", \"extra\": {\"a\": [1, {}]}, \"metrics\": [{\"key\": \"m\", \"value\": \"-Infinity\","
                + " \"timestamp\": \"7\", \"step\": 3.0}, {\"key\": \"m\", \"value\": NaN, \"timestamp\": 8, \"step\": \"4\", \"x\": null},"
                + " {\"key\": \"m\", \"value\": 1e-3, \"timestamp\": 9}], \"params\": {\"key\": \"p\", \"value\": \"1\"}, \"tags\": null}";
        HttpResponse<String> ok = call("POST", "mlflow/runs/log-batch", body);

        assertEquals(200, ok.statusCode(), ok.body());
        List<dev.runlog.tracking.Metric> history = tracker.metricHistory(run, "m");
        assertEquals(List.of(0L, 3L, 4L), history.stream().map(dev.runlog.tracking.Metric::step).toList());
        assertEquals(List.of(9L, 7L, 8L), history.stream().map(dev.runlog.tracking.Metric::timestamp).toList());
        assertEquals(0.001, history.get(0).value());
        assertEquals(Double.NEGATIVE_INFINITY, history.get(1).value());
        assertTrue(Double.isNaN(history.get(2).value()));
        assertEquals(Map.of("p", "1"), tracker.getRun(run).data().params());

        Map<String, String> refused = Map.of(
                "{\"run_id\": \"" + run + "\", \"metrics\": [{\"value\": 1}]}", "'metrics.key'",
                "{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"m\", \"value\": 1, \"step\": \"x\"}]}", "'step'",
                "{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"m\", \"value\": [1]}]}", "'value'",
                "{\"run_id\": \"" + run + "\", \"metrics\": [1]}", "'metrics'",
                "{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"bad key!\", \"value\": 1}]}", "bad key!",
                "{\"run_id\": \"" + run + "\", \"params\": [{\"key\": \"q\", \"value\": \"1\"}, {\"key\": \"q\", \"value\": \"2\"}]}", "Duplicate",
                "{\"metrics\": []}", "'run_id'",
                "{\"run_id\": \"" + run + "\", \"metrics\": [", "not valid JSON",
                "{\"run_id\": \"" + run + "\"} {}", "there is more after the JSON value",
                "{\"x\": " + "[".repeat(1001) + "]".repeat(1001) + "}", "it nests deeper than 1000 levels");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            HttpResponse<String> response = call("POST", "mlflow/runs/log-batch", bad.getKey());
            assertEquals(400, response.statusCode(), bad.getKey() + " -> " + response.body());
            assertTrue(response.body().contains(bad.getValue()) && response.body().contains("INVALID_PARAMETER_VALUE"), response.body());
            assertTrue(!response.body().contains("jackson") && !response.body().contains("Feature"), "parser internals: " + response.body());
        }
        // A number beyond a double's range is refused, not stored as infinite; and only decimals are numbers.
        for (String value : List.of("1e400", "-1e400", "\"1e400\"", "\"0x1p3\"", "\"1d\"", "\" 1\"")) {
            for (String endpoint : List.of("log-batch", "log-metric")) {
                String request = endpoint.equals("log-batch")
                        ? "{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"m\", \"value\": " + value + ", \"timestamp\": 1}]}"
                        : "{\"run_id\": \"" + run + "\", \"key\": \"m\", \"value\": " + value + ", \"timestamp\": 1}";
                HttpResponse<String> response = call("POST", "mlflow/runs/" + endpoint, request);
                assertEquals(400, response.statusCode(), endpoint + " " + value + " -> " + response.body());
                assertTrue(response.body().contains("'value'") || response.body().contains("parameter 'value'"), response.body());
            }
        }
        assertEquals(3, tracker.metricHistory(run, "m").size(), "a refused batch stores nothing");
    }

    @Test
    void theArtifactProxyKeepsLoggedModelsImmutableAndAForeignDescriptorBreaksNoRunPage() throws Exception {
        try (ActiveRun run = tracker.startRun("fx")) {
            String uri = run.logModel("model", List.of(1, 2)).uri();
            String base = "mlflow-artifacts/artifacts/" + run.experimentId() + "/" + run.id() + "/artifacts/";
            byte[] descriptor = tracker.openArtifact(run.id(), "model/MLmodel.json").readAllBytes();

            // As logArtifact refuses them: a logged model's files, and new files in its directory.
            for (String path : List.of("model/MLmodel.json", "model/data/model.json", "model/data/new.bin")) {
                HttpResponse<String> put = call("PUT", base + path, "tamper");
                assertEquals(400, put.statusCode(), path + ": " + put.body());
                assertTrue(put.body().contains(path.endsWith("MLmodel.json") ? "(logModel)" : "a logged model is immutable"),
                        put.body());
            }
            assertArrayEquals(descriptor, tracker.openArtifact(run.id(), "model/MLmodel.json").readAllBytes());
            assertEquals(List.of(1, 2), tracker.loadModel(uri, List.class));

            // A client cannot make files pass for a logged model: no descriptor is taken through the proxy,
            // not even a logged model's own copied elsewhere, in any letter case.
            assertEquals(200, call("PUT", base + "fake/data/model.json", "[1,2]").statusCode());
            for (String path : List.of("fake/MLmodel.json", "MLmodel.json", "fake/mlmodel.JSON")) {
                HttpResponse<String> forged = call("PUT", base + path, new String(descriptor, StandardCharsets.UTF_8));
                assertEquals(400, forged.statusCode(), path + ": " + forged.body());
                assertTrue(forged.body().contains("INVALID_PARAMETER_VALUE") && forged.body().contains("logModel"), forged.body());
            }
            assertThrows(NotFoundException.class, () -> tracker.openArtifact(run.id(), "fake/MLmodel.json").close());

            // A file named like a descriptor that is not one, written by code holding the tracker.
            run.logText("junk", "other/MLmodel.json");
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/api/runs/" + run.id())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            JsonNode json = JSON.readTree(page.body());
            assertEquals(1, json.get("models").size());
            assertEquals("other", json.at("/unreadable_models/0/artifact_path").asText());
            assertTrue(json.at("/unreadable_models/0/error").asText().contains("not a valid MLmodel.json"), page.body());

            // Registering it is a client error naming the file, not a 5xx MLflow's clients would retry.
            call("POST", "mlflow/registered-models/create", "{\"name\": \"foreign\"}");
            HttpResponse<String> create = call("POST", "mlflow/model-versions/create",
                    "{\"name\": \"foreign\", \"source\": \"runs:/" + run.id() + "/other\"}");
            assertEquals(400, create.statusCode(), create.body());
            assertTrue(create.body().contains("INVALID_PARAMETER_VALUE") && create.body().contains("MLmodel.json"), create.body());
        }
    }

    @Test
    void thePreviewPrefixesOlderClientsCallAreServedAsThePlainOnes() throws Exception {
        for (String prefix : List.of("api/2.0/preview/mlflow/", "ajax-api/2.0/preview/mlflow/")) {
            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + prefix
                    + "experiments/get-by-name?experiment_name=fx")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, read.statusCode(), read.body());
            assertTrue(read.body().contains("\"experiment_id\":\"" + ids.get("E") + "\""), read.body());
        }
        HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri()
                + "api/2.0/preview/mlflow/experiments/create")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"fx-preview\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, write.statusCode(), write.body());
        assertTrue(tracker.getExperimentByName("fx-preview").isPresent());
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri()
                + "api/2.0/preview/mlflow/no/such")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("ENDPOINT_NOT_FOUND"), unknown.body());
    }

    @Test
    void aReadOnlyServerRefusesMlflowsApiAndSaysHowToAllowIt() throws Exception {
        try (RunlogServer readOnly = RunlogServer.start(tracker, ServerOptions.defaults())) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(readOnly.uri() + "api/2.0/mlflow/experiments/search")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(403, response.statusCode());
            assertTrue(response.body().contains("PERMISSION_DENIED") && response.body().contains("allowWrites"), response.body());
        }
    }

    @Test
    void browserRequestsFromOtherSitesAndFormBodiesAreRefused() throws Exception {
        String path = "api/2.0/mlflow/experiments/create";
        HttpResponse<String> fromElsewhere = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                .header("Content-Type", "application/json").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"evil\"}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"evil\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(403, fromElsewhere.statusCode(), fromElsewhere.body());
        assertTrue(fromElsewhere.body().contains("origin"), fromElsewhere.body());
        assertEquals(403, form.statusCode(), form.body());
        assertTrue(tracker.getExperimentByName("evil").isEmpty());
    }

    @Test
    void theAjaxAliasAnswersAndATokenServerWantsTheTokenMlflowClientsSendAsBearer() throws Exception {
        HttpResponse<String> ajax = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri()
                + "ajax-api/2.0/mlflow/experiments/get-by-name?experiment_name=fx")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ajax.statusCode(), ajax.body());
        assertTrue(ajax.body().contains("\"experiment_id\":\"" + ids.get("E") + "\""), ajax.body());

        String token = "mlflow-test-token-0123456789";
        try (RunlogServer guarded = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true).token(token))) {
            URI uri = URI.create(guarded.uri() + "api/2.0/mlflow/experiments/get-by-name?experiment_name=fx");
            HttpResponse<String> without = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> with = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(401, without.statusCode(), without.body());
            assertEquals(200, with.statusCode(), with.body());
        }
    }

    private static String fill(String template) {
        String out = template;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            out = out.replace("${" + id.getKey() + "}", id.getValue());
        }
        return out;
    }

    /** A body announced over the limit was waited for: the worker held until the client gave up, then no reply. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aBodyAnnouncedOverTheLimitGets413AtOnce() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/2.0/mlflow/runs/set-tag HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            assertTrue(status != null && status.startsWith("HTTP/1.1 413"), String.valueOf(status));
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + "api/2.0/" + path));
        if (body != null) {
            request.header("Content-Type", method.equals("PUT") ? "application/octet-stream" : "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
