package dev.runlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry writes and the CSRF defence, through HTTP as a browser page would send them. */
class ServerWritesTest {
    static final String MODEL = "iris";

    private final HttpTestClient http = new HttpTestClient();
    private Tracker tracker;
    private ModelRegistry registry;
    private RunlogServer server;
    private String csrf;

    @BeforeEach
    void start() throws Exception {
        tracker = Tracker.inMemory();
        registry = ModelRegistry.of(tracker);
        for (double accuracy : new double[] {0.90, 0.95}) {
            tracker.run("iris", r -> {
                r.logMetric("accuracy", accuracy);
                registry.register(MODEL, r.logModel("model", List.of(1)).uri());
            });
        }
        server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true));
        csrf = json(get("api/session")).get("csrf_token").asText();
    }

    @AfterEach
    void stop() {
        server.close();
        tracker.close();
    }

    @Test
    void theSessionTellsWhetherWritesAreServedAndGivesTheSecretOnlyThen() throws Exception {
        JsonNode session = json(get("api/session"));

        assertTrue(session.get("writes").asBoolean());
        assertTrue(csrf.length() >= 32, "at least 128 bits, hex: " + csrf);
        assertFalse(session.get("token_required").asBoolean());
        try (RunlogServer readOnly = RunlogServer.start(tracker, ServerOptions.defaults())) {
            JsonNode none = json(send(HttpRequest.newBuilder(readOnly.uri().resolve("api/session"))));
            assertFalse(none.get("writes").asBoolean());
            assertTrue(none.get("csrf_token").isNull());
        }
        try (RunlogServer other = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            String secret = json(send(HttpRequest.newBuilder(other.uri().resolve("api/session")))).get("csrf_token").asText();
            assertFalse(secret.equals(csrf), "each server has its own secret");
        }
    }

    @Test
    void aTransitionMovesTheVersionAndTheAuditTrailRecordsCommentAndUser() throws Exception {
        HttpResponse<String> response = post("api/models/iris/versions/1/stage",
                "{\"stage\":\"Staging\",\"archive_existing\":false,\"comment\":\"looks good\"}");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("STAGING", version(json(response), 1).get("stage").asText());
        assertEquals("STAGING", version(json(get("api/models/iris")), 1).get("stage").asText());
        ModelEvent event = lastEvent();
        assertEquals(ModelEvent.Action.STAGE_CHANGED, event.action());
        assertEquals("looks good", event.comment());
        assertEquals(System.getProperty("user.name") + " (web)", event.user());
        JsonNode history = json(get("api/models/iris/history")).get("events");
        assertEquals("looks good", history.get(history.size() - 1).get("comment").asText());
    }

    @Test
    void archiveExistingMovesTheHolderToArchived() throws Exception {
        registry.transition(MODEL, 1, Stage.PRODUCTION);

        post("api/models/iris/versions/2/stage", "{\"stage\":\"production\",\"archive_existing\":true}");

        assertEquals(Stage.ARCHIVED, registry.getVersion(MODEL, 1).stage());
        assertEquals(Stage.PRODUCTION, registry.getVersion(MODEL, 2).stage());
    }

    @Test
    void aPromotionThroughPassingGatesArchivesTheHolderWhenAsked() throws Exception {
        registry.transition(MODEL, 1, Stage.PRODUCTION);

        HttpResponse<String> kept = post("api/models/iris/versions/2/stage", "{\"stage\":\"Staging\","
                + "\"gates\":[\"metrics.accuracy >= 0.9\"]}");
        assertEquals(200, kept.statusCode(), kept.body());
        assertEquals(Stage.PRODUCTION, registry.getVersion(MODEL, 1).stage(), "no archive_existing: the holder of Production stays");
        HttpResponse<String> response = post("api/models/iris/versions/2/stage", "{\"stage\":\"Production\","
                + "\"gates\":[\"metrics.accuracy >= 0.9\"],\"beats_current\":\"accuracy\",\"comment\":\"gated\","
                + "\"archive_existing\":true}");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("PRODUCTION", version(json(response), 2).get("stage").asText());
        assertEquals(Stage.ARCHIVED, registry.getVersion(MODEL, 1).stage());
        ModelEvent promoted = registry.history(MODEL).stream().filter(e -> e.version() == 2
                && e.action() == ModelEvent.Action.STAGE_CHANGED).reduce((a, b) -> b).orElseThrow();
        assertEquals("gated", promoted.comment());
        assertEquals("Production", promoted.to());
        assertEquals(List.of("metrics.accuracy >= 0.9", "metrics.accuracy beats the current production version"),
                promoted.gates().stream().map(g -> g.gate()).toList());
    }

    @Test
    void beatsCurrentTakesMinForAMetricWhereLowerIsBetter() throws Exception {
        registry.transition(MODEL, 2, Stage.PRODUCTION);
        // Version 1's accuracy is below version 2's: worse as higher-is-better, better as :min.
        HttpResponse<String> higher = post("api/models/iris/versions/1/stage",
                "{\"stage\":\"Production\",\"beats_current\":\"accuracy\"}");
        assertEquals(409, higher.statusCode(), higher.body());
        HttpResponse<String> unknown = post("api/models/iris/versions/1/stage",
                "{\"stage\":\"Production\",\"beats_current\":\"accuracy:best\"}");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("KEY:min (lower is better)"), unknown.body());
        HttpResponse<String> lower = post("api/models/iris/versions/1/stage",
                "{\"stage\":\"Production\",\"beats_current\":\"accuracy:min\",\"archive_existing\":true}");
        assertEquals(200, lower.statusCode(), lower.body());
        assertEquals(Stage.PRODUCTION, registry.getVersion(MODEL, 1).stage());
        assertEquals(Stage.ARCHIVED, registry.getVersion(MODEL, 2).stage());
    }

    @Test
    void aPromotionAGateRejectsGets409WithEveryFailureAndChangesNothing() throws Exception {
        registry.transition(MODEL, 2, Stage.PRODUCTION);
        int events = registry.history(MODEL).size();

        HttpResponse<String> response = post("api/models/iris/versions/1/stage", "{\"stage\":\"Production\","
                + "\"gates\":[\"metrics.accuracy >= 0.99\", \"tags.validated = 'true'\"],\"beats_current\":\"accuracy\"}");

        assertEquals(409, response.statusCode());
        JsonNode body = json(response);
        assertEquals("promotion_rejected", body.get("error").asText());
        JsonNode failures = body.get("failures");
        assertEquals(3, failures.size(), body.toString());
        assertEquals("metrics.accuracy >= 0.99", failures.get(0).get("gate").asText());
        assertFalse(failures.get(0).get("passed").asBoolean());
        assertEquals("0.9", failures.get(0).get("actual").asText());
        assertEquals(">= 0.99", failures.get(0).get("required").asText());
        assertEquals(Stage.NONE, registry.getVersion(MODEL, 1).stage());
        assertEquals(events, registry.history(MODEL).size());
    }

    @Test
    void aliasesAreSetAndDeletedWithTheAuditTrailRecordingBoth() throws Exception {
        HttpResponse<String> set = post("api/models/iris/aliases", "{\"alias\":\"champion\",\"version\":2}");

        assertEquals(200, set.statusCode(), set.body());
        assertEquals("champion", version(json(set), 2).get("aliases").get(0).asText());
        assertEquals(2, registry.getByAlias(MODEL, "champion").version());
        assertEquals(ModelEvent.Action.ALIAS_SET, lastEvent().action());

        HttpResponse<String> deleted = post("api/models/iris/aliases/delete", "{\"alias\":\"champion\"}");

        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(0, version(json(get("api/models/iris")), 2).get("aliases").size());
        assertEquals(ModelEvent.Action.ALIAS_DELETED, lastEvent().action());
    }

    @Test
    void runTagsAndTheNoteAreSetAndDeletedOnAFinishedRun() throws Exception {
        String runId = registry.getVersion(MODEL, 1).runId();
        String base = "api/runs/" + runId;

        HttpResponse<String> set = post(base + "/tags", "{\"key\":\"verdict\",\"value\":\"<b>ok</b>\"}");
        HttpResponse<String> note = post(base + "/note", "{\"text\":\"## Why\\nbest so far\"}");

        assertEquals(200, set.statusCode(), set.body());
        assertEquals("<b>ok</b>", json(set).get("tags").get("verdict").asText());
        assertEquals("FINISHED", json(set).get("status").asText());
        assertEquals("## Why\nbest so far", json(note).get("tags").get("mlflow.note.content").asText());
        assertEquals("<b>ok</b>", tracker.getRun(runId).data().tags().get("verdict"));
        assertEquals("## Why\nbest so far", json(get(base)).get("tags").get("mlflow.note.content").asText());

        HttpResponse<String> deleted = post(base + "/tags/delete", "{\"key\":\"verdict\"}");

        assertEquals(200, deleted.statusCode(), deleted.body());
        assertFalse(json(get(base)).get("tags").has("verdict"));
        assertFalse(tracker.getRun(runId).data().tags().containsKey("verdict"));
    }

    @Test
    void aRunTagWriteToAnUnknownRunIs404AndToADeletedRun409() throws Exception {
        String runId = registry.getVersion(MODEL, 1).runId();
        tracker.deleteRun(runId);

        HttpResponse<String> deletedRun = post("api/runs/" + runId + "/tags", "{\"key\":\"a\",\"value\":\"b\"}");

        assertEquals(409, deletedRun.statusCode(), deletedRun.body());
        assertEquals(404, post("api/runs/0123456789abcdef0123456789abcdef/note", "{\"text\":\"x\"}").statusCode());
        String live = registry.getVersion(MODEL, 2).runId();
        assertEquals(404, post("api/runs/" + live + "/tags/delete", "{\"key\":\"never-set\"}").statusCode());
        assertEquals(400, post("api/runs/" + live + "/tags", "{\"key\":\"a\"}").statusCode(), "value is required");
        assertEquals(400, post("api/runs/" + live + "/note", "{\"text\":\"x\",\"key\":\"y\"}").statusCode());
        assertEquals(404, post("api/runs/" + live + "/params", "{}").statusCode());
    }

    @Test
    void eachCsrfCheckAloneRefusesTheWriteWith403NamingIt() throws Exception {
        String body = "{\"stage\":\"Staging\"}";
        URI uri = server.uri().resolve("api/models/iris/versions/1/stage");
        String origin = "http://127.0.0.1:" + server.port();
        Map<String, HttpRequest.Builder> refused = Map.of(
                "csrf_token", HttpRequest.newBuilder(uri).header("Content-Type", "application/json"),
                "csrf_token ", valid(uri).setHeader("X-Runlog-CSRF", (csrf.charAt(0) == '0' ? "1" : "0") + csrf.substring(1)),
                "content_type", HttpRequest.newBuilder(uri).header("X-Runlog-CSRF", csrf)
                        .header("Content-Type", "text/plain"),
                "origin", valid(uri).header("Origin", "http://evil.example"),
                "sec_fetch_site", valid(uri).header("Sec-Fetch-Site", "cross-site"),
                "sec_fetch_site ", valid(uri).header("Sec-Fetch-Site", "same-site"));

        for (Map.Entry<String, HttpRequest.Builder> entry : refused.entrySet()) {
            HttpResponse<String> response = send(entry.getValue().POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(403, response.statusCode(), entry.getKey());
            assertEquals(entry.getKey().trim(), json(response).get("check").asText(), response.body());
        }
        assertEquals(Stage.NONE, registry.getVersion(MODEL, 1).stage(), "no refused write landed");
        HttpResponse<String> sameOrigin = send(valid(uri).header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, sameOrigin.statusCode(), sameOrigin.body());
        assertTrue(sameOrigin.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control")));
    }

    @Test
    void aRebindingHostNameGetsNeitherTheSecretNorAWrite() throws Exception {
        // A page at evil.example whose name now resolves to 127.0.0.1 is same-origin to the browser;
        // only the Host header it sends tells it apart. (The JDK client will not set Host: a socket does.)
        String session = "GET /api/session HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n";
        String write = "POST /api/models/iris/versions/1/stage HTTP/1.1\r\nHost: %s\r\nX-Runlog-CSRF: " + csrf
                + "\r\nContent-Type: application/json\r\nContent-Length: 19\r\nConnection: close\r\n\r\n"
                + "{\"stage\":\"Staging\"}";

        String rebound = "evil.example:" + server.port();
        assertTrue(raw(session, rebound).startsWith("HTTP/1.1 403"));
        assertTrue(raw(session, rebound).contains("\"check\":\"host\""));
        assertTrue(raw(write, rebound).startsWith("HTTP/1.1 403"));
        assertEquals(Stage.NONE, registry.getVersion(MODEL, 1).stage());
        for (String odd : List.of("localhost:1@evil.example", "127.999.0.1:" + server.port(), "[::1]x", "localhost:80:81")) {
            assertTrue(raw(session, odd).startsWith("HTTP/1.1 403"), odd);
        }
        for (String loopback : List.of("localhost", "127.0.0.1:" + server.port(), "127.255.1.9", "[::1]:" + server.port())) {
            assertTrue(raw(session, loopback).startsWith("HTTP/1.1 200"), loopback);
        }
        assertTrue(raw(session, "localhost:" + server.port()).startsWith("HTTP/1.1 200"));
        assertTrue(raw(write, "localhost:" + server.port()).startsWith("HTTP/1.1 200"));
        assertEquals(Stage.STAGING, registry.getVersion(MODEL, 1).stage());
    }

    @Test
    void aRebindingHostNameReadsNothingFromALoopbackServerReadOnlyOrNot() throws Exception {
        try (RunlogServer readOnly = RunlogServer.start(tracker, ServerOptions.defaults())) {
            for (RunlogServer target : List.of(readOnly, server)) {
                for (String path : List.of("/api/experiments", "/api/session", "/")) {
                    String read = "GET " + path + " HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n";
                    String response = raw(target, read, "evil.example:" + target.port());
                    assertTrue(response.startsWith("HTTP/1.1 403") && response.contains("\"check\":\"host\""),
                            path + " -> " + response);
                    assertTrue(raw(target, read, "127.0.0.1:" + target.port()).startsWith("HTTP/1.1 200"), path);
                }
            }
        }
    }

    /** The whole response to {@code request} with its {@code %s} replaced by the Host header's value. */
    private String raw(String request, String host) throws IOException {
        return raw(server, request, host);
    }

    private static String raw(RunlogServer server, String request, String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write(String.format(request, host).getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void withoutWritesAllowedEveryPostGets405() throws Exception {
        try (RunlogServer readOnly = RunlogServer.start(tracker, ServerOptions.defaults())) {
            HttpResponse<String> response = send(valid(readOnly.uri().resolve("api/models/iris/aliases"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"alias\":\"champion\",\"version\":1}")));
            assertEquals(405, response.statusCode());
            assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
        }
        HttpResponse<String> put = send(valid(server.uri().resolve("api/models/iris/aliases"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(405, put.statusCode());
        assertEquals("GET, HEAD, POST", put.headers().firstValue("Allow").orElseThrow());
        assertTrue(registry.getModel(MODEL).aliases().isEmpty());
    }

    @Test
    void anOversizeBodyGets413AndAMalformedOneGets400NamingTheField() throws Exception {
        String stage = "api/models/iris/versions/1/stage";
        assertEquals(413, post(stage, "{\"stage\":\"Staging\",\"comment\":\"" + "x".repeat(70_000) + "\"}").statusCode());
        Map<String, String> named = Map.of(
                "{\"stage\":\"Staging\",\"archiveExisting\":true}", "archiveExisting",
                "{\"stage\":1}", "stage",
                "{\"comment\":\"no stage\"}", "stage",
                "{\"stage\":\"Staging\",\"gates\":\"metrics.a >= 1\"}", "gates",
                "{\"stage\":\"Staging\",\"archive_existing\":\"yes\"}", "archive_existing");
        for (Map.Entry<String, String> entry : named.entrySet()) {
            HttpResponse<String> response = post(stage, entry.getKey());
            assertEquals(400, response.statusCode(), entry.getKey());
            assertTrue(json(response).get("message").asText().contains("'" + entry.getValue() + "'"), response.body());
        }
        for (String malformed : List.of("", "[]", "{\"stage\":", "{\"stage\":\"Staging\"} {}",
                "{\"stage\":\"Staging\",\"stage\":\"None\"}", "{\"stage\":\"Shipping\"}",
                "{\"stage\":\"Production\",\"gates\":[\"accuracy > 1\"]}")) {
            assertEquals(400, post(stage, malformed).statusCode(), malformed);
        }
        assertEquals(400, post("api/models/iris/aliases", "{\"alias\":\"a\",\"version\":1.5}").statusCode());
        HttpResponse<String> beyond = post("api/models/iris/aliases", "{\"alias\":\"a\",\"version\":99999999999999}");
        assertEquals(400, beyond.statusCode());
        assertTrue(beyond.body().contains("is 99999999999999; it must be a whole number from -2147483648 to 2147483647"),
                beyond.body());
        assertEquals(400, post("api/models/iris/versions/one/stage", "{\"stage\":\"Staging\"}").statusCode());
        assertEquals(Stage.NONE, registry.getVersion(MODEL, 1).stage());
    }

    @Test
    void writesToUnknownModelsVersionsAndRoutesGet404() throws Exception {
        assertEquals(404, post("api/models/nope/versions/1/stage", "{\"stage\":\"Staging\"}").statusCode());
        assertEquals(404, post("api/models/iris/versions/9/stage", "{\"stage\":\"Staging\"}").statusCode());
        assertEquals(404, post("api/models/nope/aliases", "{\"alias\":\"a\",\"version\":1}").statusCode());
        assertEquals(404, post("api/models/iris/aliases/delete", "{\"alias\":\"none\"}").statusCode());
        assertEquals(404, post("api/models", "{}").statusCode());
        assertEquals(404, post("api/experiments", "{}").statusCode());
    }

    // ---- helpers

    private ModelEvent lastEvent() {
        List<ModelEvent> events = registry.history(MODEL);
        return events.get(events.size() - 1);
    }

    private static JsonNode version(JsonNode model, int number) {
        for (JsonNode v : model.get("versions")) {
            if (v.get("version").asInt() == number) {
                return v;
            }
        }
        throw new AssertionError("no version " + number + " in " + model);
    }

    /** A request passing every check, to which a test adds the one it breaks. */
    private HttpRequest.Builder valid(URI uri) {
        return HttpRequest.newBuilder(uri).header("X-Runlog-CSRF", csrf).header("Content-Type", "application/json");
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(valid(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.get(server.uri().resolve(path));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return HttpTestClient.json(response);
    }
}
