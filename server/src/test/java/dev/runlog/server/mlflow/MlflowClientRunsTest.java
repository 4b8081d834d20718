package dev.runlog.server.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs an MLflow client creates through the server belong to the client: a restart of the server
 * leaves them running for the client to go on logging and end them, as with MLflow's server, and
 * the user the reply shows is the one Runlog's searches filter on.
 */
class MlflowClientRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aServerRestartLeavesAClientsRunRunningAndItsUserIsTheOneSearchedOn() throws Exception {
        String store = "sqlite:" + dir.resolve("store.db");
        String runId;
        try (Tracker tracker = Tracker.builder().uri(store).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            JsonNode created = post(server, "runs/create", "{\"experiment_id\": \"0\", \"user_id\": \"bob\","
                    + " \"tags\": [{\"key\": \"mlflow.user\", \"value\": \"alice\"}]}");
            runId = created.at("/run/info/run_id").asText();
            assertEquals("alice", created.at("/run/info/user_id").asText());
            assertEquals(List.of(runId), tracker.searchRuns().experiments(created.at("/run/info/experiment_id").asText()).filter("attributes.user_id = 'alice'")
                    .list().stream().map(r -> r.info().id()).toList(), "the user the reply shows is the one filtered on");
            post(server, "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": 1.0,"
                    + " \"timestamp\": 1, \"step\": 0}");
            try (ActiveRun own = tracker.startRun("the server process's own")) {
                own.logParam("owned", "yes");
            }
        }
        // Every owner recorded in the store now reads as a process gone: the server's, had it owned the run.
        try (Connection c = DriverManager.getConnection("jdbc:" + store); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run_owners SET process_start = 0");
        }

        try (Tracker tracker = Tracker.builder().uri(store).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            assertEquals(RunStatus.RUNNING, tracker.getRun(runId).info().status(), "not ended as orphaned by the restart");
            post(server, "runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": 0.5,"
                    + " \"timestamp\": 2, \"step\": 1}");
            post(server, "runs/update", "{\"run_id\": \"" + runId + "\", \"status\": \"FINISHED\", \"end_time\": 3}");
            Run run = tracker.getRun(runId);
            assertEquals(RunStatus.FINISHED, run.info().status());
            assertEquals(List.of(1.0, 0.5), tracker.metricHistory(runId, "loss").stream().map(Metric::value).toList());
        }
    }

    /**
     * Id 0 was looked up by the name "Default": renaming it sent clients' next runs to a new
     * "Default", let the renamed one be deleted, and made any experiment renamed "Default" id 0.
     * As in MLflow, id 0 is now one experiment, whatever it is called, and a restart keeps it.
     */
    @Test
    void mlflowsExperimentZeroStaysOneExperimentThroughRenames() throws Exception {
        String store = "sqlite:" + dir.resolve("zero.db");
        String zero;
        try (Tracker tracker = Tracker.builder().uri(store).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            zero = post(server, "runs/create", "{\"experiment_id\": \"0\"}").at("/run/info/experiment_id").asText();
            assertEquals("Default", tracker.getExperiment(zero).name());
            post(server, "experiments/update", "{\"experiment_id\": \"" + zero + "\", \"new_name\": \"renamed\"}");
            assertEquals(zero, post(server, "runs/create", "{\"experiment_id\": \"0\"}").at("/run/info/experiment_id").asText());
            String other = tracker.createExperiment("other").id();
            post(server, "experiments/update", "{\"experiment_id\": \"" + other + "\", \"new_name\": \"Default\"}");
            assertEquals(zero, post(server, "runs/create", "{\"experiment_id\": \"0\"}").at("/run/info/experiment_id").asText());
            HttpResponse<String> refused = send(server, "experiments/delete", "{\"experiment_id\": \"" + zero + "\"}");
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals(200, send(server, "experiments/delete", "{\"experiment_id\": \"" + other + "\"}").statusCode());
        }
        try (Tracker tracker = Tracker.builder().uri(store).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            assertEquals(zero, post(server, "runs/create", "{\"experiment_id\": \"0\"}").at("/run/info/experiment_id").asText());
            assertEquals(3 + 1, tracker.searchRuns().experiments(zero).list().size());
        }
    }

    /**
     * A child logged through Runlog's API named its parent and user in Runlog's tags only: MLflow's
     * clients saw user_id "" (though attributes.user_id matched it) and no mlflow.parentRunId.
     */
    @Test
    void aRunLoggedThroughRunlogsApiShowsMlflowsUserAndParentTags() throws Exception {
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + dir.resolve("native.db")).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            String parent;
            String child;
            try (ActiveRun sweep = tracker.startRun("sweep")) {
                parent = sweep.id();
                try (ActiveRun trial = tracker.newRun("sweep").parent(sweep).start()) {
                    child = trial.id();
                }
            }
            String user = tracker.getRun(child).data().tags().get(ActiveRun.USER_TAG);
            HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri()
                    + "api/2.0/mlflow/runs/get?run_id=" + child)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode run = JSON.readTree(got.body()).get("run");
            assertEquals(user, run.at("/info/user_id").asText());
            java.util.Map<String, String> tags = new java.util.HashMap<>();
            run.at("/data/tags").forEach(t -> tags.put(t.get("key").asText(), t.get("value").asText()));
            assertEquals(parent, tags.get("mlflow.parentRunId"));
            assertEquals(user, tags.get("mlflow.user"));
            assertFalse(tags.containsKey(ActiveRun.PARENT_RUN_ID_TAG) || tags.containsKey(ActiveRun.USER_TAG),
                    "Runlog's twins are not listed beside MLflow's: " + tags);
            assertEquals(java.util.Optional.empty(), java.util.Optional.ofNullable(
                    tracker.getRun(child).data().tags().get("mlflow.parentRunId")), "what is stored is unchanged");
            assertEquals(parent, tracker.getRun(child).data().tags().get(ActiveRun.PARENT_RUN_ID_TAG));

            HttpResponse<String> zero = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri()
                    + "api/2.0/mlflow/experiments/get?experiment_id=0")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, zero.statusCode(), zero.body());
            assertFalse(zero.body().contains("runlog.mlflowDefault"), zero.body());
        }
    }

    private static HttpResponse<String> send(RunlogServer server, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + "api/2.0/mlflow/" + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A run with MLflow's user tag but no user of Runlog's own shows the user it is found by: "". */
    @Test
    void aRunsShownUserIsTheOneItsFilterFinds() throws Exception {
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            java.time.Instant start = java.time.Instant.parse("2024-05-01T12:00:00Z");
            String runId = tracker.recordRuns("bulk", List.of(new dev.runlog.tracking.RunRecord("zed's", RunStatus.FINISHED,
                    start, start.plusSeconds(1), java.util.Map.of(), java.util.Map.of("mlflow.user", "zed"), List.of()))).get(0);
            String experimentId = tracker.getRun(runId).info().experimentId();
            JsonNode found = post(server, "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"],"
                    + " \"filter\": \"attributes.user_id = ''\"}");
            assertEquals(runId, found.at("/runs/0/info/run_id").asText(), found.toString());
            assertEquals("", found.at("/runs/0/info/user_id").asText(), "shown as the user it was found by");
            JsonNode byTag = post(server, "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"],"
                    + " \"filter\": \"attributes.user_id = 'zed'\"}");
            assertFalse(byTag.has("runs") && byTag.get("runs").size() > 0, byTag.toString());
        }
    }

    private static JsonNode post(RunlogServer server, String path, String body) throws Exception {
        HttpResponse<String> reply = send(server, path, body);
        assertEquals(200, reply.statusCode(), path + ": " + reply.body());
        return JSON.readTree(reply.body());
    }
}
