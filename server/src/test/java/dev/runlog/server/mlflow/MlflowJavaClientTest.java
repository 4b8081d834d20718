package dev.runlog.server.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * MLflow's own Java client ({@code org.mlflow:mlflow-client}) against the server's MLflow API, each
 * result read back through Runlog's Tracker and ModelRegistry API. What the client sends through
 * the Python CLI (artifact upload and download) goes through the artifact proxy with the JDK's
 * HTTP client instead.
 */
class MlflowJavaClientTest {
    private static Tracker tracker;
    private static ModelRegistry registry;
    private static RunlogServer server;
    private static MlflowClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        tracker = Tracker.inMemory();
        registry = ModelRegistry.of(tracker);
        server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true));
        client = new MlflowClient("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        tracker.close();
    }

    @Test
    void experimentsCreatedTaggedDeletedAndRestoredByTheClientAreRunlogExperiments() {
        String id = client.createExperiment("client-experiments");
        client.setExperimentTag(id, "team", "vision");

        Experiment stored = tracker.getExperimentByName("client-experiments").orElseThrow();
        assertEquals(id, stored.id());
        assertEquals(Map.of("team", "vision"), stored.tags());
        assertEquals("client-experiments", client.getExperiment(id).getName());
        assertEquals(id, client.getExperimentByName("client-experiments").orElseThrow().getExperimentId());
        assertTrue(client.searchExperiments("name = 'client-experiments'").getItems().stream()
                .anyMatch(e -> e.getExperimentId().equals(id)));

        client.deleteExperiment(id);
        assertEquals(LifecycleStage.DELETED, tracker.getExperiment(id).lifecycleStage());
        client.restoreExperiment(id);
        assertEquals(LifecycleStage.ACTIVE, tracker.getExperiment(id).lifecycleStage());

        MlflowHttpException taken = assertThrows(MlflowHttpException.class, () -> client.createExperiment("client-experiments"));
        assertEquals(400, taken.getStatusCode());
        assertTrue(taken.getBodyMessage().contains("RESOURCE_ALREADY_EXISTS"), taken.getBodyMessage());
        assertTrue(client.getExperimentByName("no such experiment").isEmpty());

        client.renameExperiment(id, "client-experiments-renamed");
        assertEquals("client-experiments-renamed", tracker.getExperiment(id).name());
        assertTrue(tracker.getExperimentByName("client-experiments").isEmpty());
        String other = client.createExperiment("client-experiments");
        MlflowHttpException clash = assertThrows(MlflowHttpException.class, () -> client.renameExperiment(other, "client-experiments-renamed"));
        assertTrue(clash.getBodyMessage().contains("RESOURCE_ALREADY_EXISTS"), clash.getBodyMessage());
        assertEquals("client-experiments", tracker.getExperiment(other).name());
    }

    @Test
    void paramsMetricsBatchesAndTagsLoggedByTheClientReadBackThroughTheTracker() {
        String experiment = client.createExperiment("client-runs");
        Service.RunInfo info = client.createRun(experiment);
        String runId = info.getRunId();
        client.logParam(runId, "lr", "0.1");
        client.logMetric(runId, "loss", 0.5, 1_000L, 1);
        client.logMetric(runId, "loss", 0.25, 2_000L, 2);
        client.logBatch(runId,
                List.of(Service.Metric.newBuilder().setKey("acc").setValue(0.9).setTimestamp(3_000L).setStep(3).build(),
                        Service.Metric.newBuilder().setKey("acc").setValue(Double.NaN).setTimestamp(4_000L).setStep(4).build()),
                List.of(Service.Param.newBuilder().setKey("depth").setValue("3").build()),
                List.of(Service.RunTag.newBuilder().setKey("stage").setValue("dev").build()));
        client.setTag(runId, "drop", "me");
        client.deleteTag(runId, "drop");
        long end = info.getStartTime() + 5_000L;
        client.setTerminated(runId, Service.RunStatus.FINISHED, end);

        Run run = tracker.getRun(runId);
        assertEquals(Map.of("lr", "0.1", "depth", "3"), run.data().params());
        assertEquals("dev", run.data().tags().get("stage"));
        assertTrue(!run.data().tags().containsKey("drop"));
        assertEquals(RunStatus.FINISHED, run.info().status());
        assertEquals(end, run.info().endTime().orElseThrow().toEpochMilli());
        // An end before the start (MLflow stores it as sent) is recorded as the start.
        String early = client.createRun(experiment).getRunId();
        client.setTerminated(early, Service.RunStatus.FINISHED, 5_000L);
        assertEquals(tracker.getRun(early).info().startTime(), tracker.getRun(early).info().endTime().orElseThrow());
        assertEquals(List.of(new Metric("loss", 0.5, 1, 1_000L), new Metric("loss", 0.25, 2, 2_000L)),
                tracker.metricHistory(runId, "loss"));
        assertTrue(Double.isNaN(tracker.metricHistory(runId, "acc").get(1).value()));

        Service.Run read = client.getRun(runId);
        assertEquals(Service.RunStatus.FINISHED, read.getInfo().getStatus());
        assertEquals(List.of(0.5, 0.25), client.getMetricHistory(runId, "loss").stream().map(Service.Metric::getValue).toList());
        assertTrue(Double.isNaN(client.getMetricHistory(runId, "acc").get(1).getValue()));
        List<Service.Run> found = client.searchRuns(List.of(experiment), "params.lr = '0.1' and metrics.loss < 0.3",
                Service.ViewType.ACTIVE_ONLY, 10).getItems();
        assertEquals(List.of(runId), found.stream().map(r -> r.getInfo().getRunId()).toList());

        MlflowHttpException changed = assertThrows(MlflowHttpException.class, () -> client.logParam(runId, "lr", "0.2"));
        assertEquals(400, changed.getStatusCode());
        assertTrue(changed.getBodyMessage().contains("INVALID_PARAMETER_VALUE"), changed.getBodyMessage());
        MlflowHttpException missing = assertThrows(MlflowHttpException.class, () -> client.getRun("0".repeat(32)));
        assertEquals(404, missing.getStatusCode());
        assertTrue(missing.getBodyMessage().contains("RESOURCE_DOES_NOT_EXIST"), missing.getBodyMessage());
    }

    @Test
    void searchPagesRoundTripTheirTokens() {
        String experiment = client.createExperiment("client-pages");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.createRun(experiment).getRunId());
        }
        List<String> seen = new ArrayList<>();
        var page = client.searchRuns(List.of(experiment), "", Service.ViewType.ACTIVE_ONLY, 2);
        while (true) {
            page.getItems().forEach(r -> seen.add(r.getInfo().getRunId()));
            if (!page.hasNextPage()) {
                break;
            }
            page = (org.mlflow.tracking.RunsPage) page.getNextPage();
        }
        assertEquals(ids.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    void artifactsUploadedThroughTheProxyAreListedByTheClientAndDownloaded() throws Exception {
        String experiment = client.createExperiment("client-artifacts");
        Service.RunInfo info = client.createRun(experiment);
        String base = "http://127.0.0.1:" + server.port() + "/api/2.0/mlflow-artifacts/artifacts/"
                + info.getArtifactUri().substring("mlflow-artifacts:/".length());
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/plots/loss.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("0.25\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());

        assertEquals("0.25\n", new String(tracker.openArtifact(info.getRunId(), "plots/loss.txt").readAllBytes(), StandardCharsets.UTF_8));
        // The client's listArtifacts runs MLflow's Python CLI for mlflow-artifacts: URIs; its REST call does not.
        assertTrue(client.sendGet("artifacts/list?run_id=" + info.getRunId() + "&path=plots")
                .contains("\"path\":\"plots/loss.txt\""));
        HttpResponse<byte[]> get = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/plots/loss.txt")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals("0.25\n".getBytes(StandardCharsets.UTF_8), get.body());
        HttpResponse<String> escape = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/plots/%2E%2E/%2E%2E/x"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, escape.statusCode(), escape.body());
    }

    @Test
    void versionsRegisteredAndTransitionedByTheClientAreInRunlogsRegistryAndAuditTrail() {
        String modelUri;
        String runId;
        try (ActiveRun run = tracker.startRun("client-registry")) {
            runId = run.id();
            modelUri = run.logModel("model", List.of(1, 2)).uri();
        }
        client.sendPost("registered-models/create", "{\"name\": \"client-model\", \"tags\": [{\"key\": \"team\", \"value\": \"ml\"}]}");
        client.sendPost("model-versions/create", "{\"name\": \"client-model\", \"source\": \"" + modelUri
                + "\", \"run_id\": \"" + runId + "\"}");
        client.sendPost("model-versions/transition-stage", "{\"name\": \"client-model\", \"version\": \"1\","
                + " \"stage\": \"Production\", \"archive_existing_versions\": false}");

        ModelVersion version = registry.getVersion("client-model", 1);
        assertEquals(Stage.PRODUCTION, version.stage());
        assertEquals(runId, version.runId());
        assertEquals(Map.of("team", "ml"), registry.getModel("client-model").tags());
        assertTrue(registry.history("client-model", 1).stream().anyMatch(e -> e.action() == ModelEvent.Action.STAGE_CHANGED
                && e.user().endsWith("(mlflow api)")), registry.history("client-model", 1).toString());

        assertEquals("Production", client.getModelVersion("client-model", "1").getCurrentStage());
        assertEquals(List.of("1"), client.getLatestVersions("client-model", List.of("Production")).stream()
                .map(org.mlflow.api.proto.ModelRegistry.ModelVersion::getVersion).toList());
        assertEquals("client-model", client.getRegisteredModel("client-model").getName());
        assertEquals(1, client.searchModelVersions("name = 'client-model'").getItems().size());
        assertTrue(client.getModelVersionDownloadUri("client-model", "1").endsWith(runId + "/artifacts/model"));

        MlflowHttpException unknown = assertThrows(MlflowHttpException.class, () -> client.getModelVersion("client-model", "9"));
        assertEquals(404, unknown.getStatusCode());
    }

    @Test
    void sixteenClientsLoggingAtOnceKeepEveryPoint() throws Exception {
        String experiment = client.createExperiment("client-concurrent");
        int clients = 16;
        int batches = 3;
        int perBatch = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<String>> runs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            runs.add(pool.submit(() -> {
                try (MlflowClient own = new MlflowClient("http://127.0.0.1:" + server.port())) {
                    String runId = own.createRun(experiment).getRunId();
                    for (int b = 0; b < batches; b++) {
                        List<Service.Metric> points = new ArrayList<>();
                        for (int i = 0; i < perBatch; i++) {
                            int step = b * perBatch + i;
                            points.add(Service.Metric.newBuilder().setKey("loss").setValue(step).setStep(step)
                                    .setTimestamp(step).build());
                        }
                        own.logBatch(runId, points, List.of(), List.of());
                        own.logMetric(runId, "single", b, b, b);
                    }
                    return runId;
                }
            }));
        }
        pool.shutdown();
        for (Future<String> run : runs) {
            String runId = run.get();
            assertEquals(batches * perBatch, tracker.metricHistory(runId, "loss").size());
            assertEquals(batches, tracker.metricHistory(runId, "single").size());
        }
        assertEquals(clients, tracker.searchRuns().experiments("client-concurrent").list().size());
    }
}
