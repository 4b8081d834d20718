package dev.runlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunlogServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String IMG = "\"><img src=x onerror=alert(1)>";

    private final HttpTestClient http = new HttpTestClient();
    private final HttpClient client = HttpClient.newHttpClient();
    private Tracker tracker;
    private RunlogServer server;

    @BeforeEach
    void start() {
        tracker = Tracker.inMemory();
        server = RunlogServer.start(tracker, ServerOptions.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
        tracker.close();
    }

    @Test
    void experimentsListRunCountsAndDeletedOnesOnRequest() throws Exception {
        tracker.run("iris", r -> r.logParam("lr", 0.1));
        tracker.run("iris", r -> r.logParam("lr", 0.2));
        tracker.deleteRun(tracker.run("iris", r -> r.logParam("lr", 0.3)).info().id());
        tracker.deleteExperiment(tracker.run("old", r -> { }).info().experimentId());

        JsonNode active = json(get("api/experiments"));
        JsonNode all = json(get("api/experiments?view=all"));

        assertEquals(1, active.get("experiments").size());
        JsonNode iris = active.get("experiments").get(0);
        assertEquals("iris", iris.get("name").asText());
        assertEquals(2, iris.get("run_count").asInt());
        assertEquals(1, iris.get("deleted_run_count").asInt());
        assertEquals("ACTIVE", iris.get("lifecycle_stage").asText());
        assertTrue(iris.get("last_activity").asLong() >= iris.get("creation_time").asLong());
        assertEquals(2, all.get("experiments").size());
        assertEquals(400, get("api/experiments?view=some").statusCode());
    }

    @Test
    void runsPageWithKeysetTokensSkippingAndRepeatingNoRun() throws Exception {
        assertPagingVisitsEveryRunOnce(tracker, server);
        assertEquals(400, get("api/runs?experiment=sweep&max_results=0").statusCode());
        HttpResponse<String> beyond = get("api/runs?experiment=sweep&max_results=-99999999999999999999");
        assertEquals(400, beyond.statusCode());
        assertTrue(beyond.body().contains("is -99999999999999999999; the minimum is 1"), "as written: " + beyond.body());
        assertEquals(400, get("api/runs").statusCode(), "experiment is required");
        for (String huge : List.of("999999", "99999999999999999999")) {
            HttpResponse<String> capped = get("api/runs?experiment=sweep&max_results=" + huge);
            assertEquals(200, capped.statusCode(), huge + ": a larger N is read as 1,000, not refused: " + capped.body());
        }
        assertEquals(400, get("api/runs?experiment=sweep&max_results=1e3").statusCode());
    }

    @Test
    void runsPageOverSqliteToo(@TempDir Path dir) throws Exception {
        try (Tracker sqlite = Tracker.open("sqlite:" + dir.resolve("runs.db"));
             RunlogServer onSqlite = RunlogServer.start(sqlite, ServerOptions.defaults())) {
            assertPagingVisitsEveryRunOnce(sqlite, onSqlite);
        }
    }

    /** 250 runs with tied sort values, read in pages of 100 by following next_page_token. */
    private void assertPagingVisitsEveryRunOnce(Tracker store, RunlogServer at) throws Exception {
        Set<String> logged = new HashSet<>();
        for (int i = 0; i < 250; i++) {
            int loss = i % 7;
            logged.add(store.run("sweep", r -> r.logMetric("loss", loss)).info().id());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = json(send(HttpRequest.newBuilder(at.uri().resolve("api/runs?experiment=sweep&max_results=100"
                    + "&order_by=" + encode("metrics.loss ASC") + (token == null ? "" : "&page_token=" + encode(token))))));
            page.get("runs").forEach(run -> seen.add(run.get("id").asText()));
            token = page.get("next_page_token").isNull() ? null : page.get("next_page_token").asText();
            pages++;
        } while (token != null);

        assertEquals(3, pages);
        assertEquals(250, seen.size(), "no run repeated");
        assertEquals(logged, new HashSet<>(seen), "no run skipped");
    }

    @Test
    void aFilterThatDoesNotParseGets400WithTheColumn() throws Exception {
        tracker.run("iris", r -> { });

        HttpResponse<String> response = get("api/runs?experiment=iris&filter=" + encode("metrics.acc >> 1"));

        assertEquals(400, response.statusCode());
        JsonNode error = json(response);
        assertEquals("invalid_filter", error.get("error").asText());
        assertTrue(error.get("column").asInt() > 0, error.toString());
        assertFalse(error.get("message").asText().isBlank());
    }

    @Test
    void aRunComesWithItsDataInputsAndLoggedModels(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("data.csv"), "x,y\n1,2\n3,4\n");
        Run run = tracker.run("iris", r -> {
            r.logParam("lr", 0.1).logMetric("acc", 0.9, 3).setTag("team", "vision");
            r.logInput(Dataset.fromCsv(csv, "tiny"), "training");
            r.logModel("model", List.of(1, 2));
        });

        JsonNode json = json(get("api/runs/" + run.info().id()));

        assertEquals(run.info().name(), json.get("name").asText());
        assertEquals("FINISHED", json.get("status").asText());
        assertEquals("0.1", json.get("params").get("lr").asText());
        assertEquals(0.9, json.get("metrics").get("acc").get("value").asDouble());
        assertEquals(3, json.get("metrics").get("acc").get("step").asLong());
        assertEquals("vision", json.get("tags").get("team").asText());
        JsonNode input = json.get("inputs").get(0);
        assertEquals("tiny", input.get("name").asText());
        assertEquals("training", input.get("context").asText());
        assertEquals(run.inputs().get(0).dataset().digest(), input.get("digest").asText());
        assertEquals(2, input.get("row_count").asLong());
        assertEquals(1, json.get("models").size());
        assertEquals("runs:/" + run.info().id() + "/model", json.get("models").get(0).get("uri").asText());
    }

    @Test
    void unknownRunsModelsAndRoutesGet404Json() throws Exception {
        for (String path : List.of("api/runs/0123456789abcdef0123456789abcdef", "api/models/nope",
                "api/models/nope/history", "api/nothing", "index.html")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("not_found", json(response).get("error").asText(), path);
        }
    }

    @Test
    void aMetricIsDownsampledKeepingItsSpikeAndZoomingReturnsTheFinerRange() throws Exception {
        Run run = tracker.run("iris", r -> {
            for (int step = 0; step < 5_000; step++) {
                r.logMetric("val/loss", step == 4_321 ? 100 : 1, step);
            }
        });
        String series = "api/runs/" + run.info().id() + "/metrics/val/loss";

        JsonNode coarse = json(get(series + "?points=100"));
        JsonNode zoom = json(get(series + "?x=step&min=4300&max=4339&points=100"));

        assertEquals(5_000, coarse.get("total_points").asInt());
        assertTrue(coarse.get("downsampled").asBoolean());
        assertTrue(coarse.get("value").size() <= 100);
        assertTrue(Arrays.stream(JSON.convertValue(coarse.get("value"), double[].class)).anyMatch(v -> v == 100));
        assertFalse(zoom.get("downsampled").asBoolean());
        assertEquals(40, zoom.get("step").size());
        assertEquals(4300, zoom.get("step").get(0).asLong());
        assertEquals(400, get(series + "?x=epoch").statusCode());
        assertEquals(400, get(series + "?points=1").statusCode());
    }

    @Test
    void artifactsAreListedAndServedWithSafeTypesAndTraversalIsRefused() throws Exception {
        Run run = tracker.run("iris", r -> r.logText("hello", "notes/readme.txt")
                .logText("<svg onload=alert(1)/>", "plots/p.svg")
                .logText(SCRIPT, "report.html"));
        String base = "api/runs/" + run.info().id() + "/artifacts";

        JsonNode root = json(get(base));
        HttpResponse<String> text = get(base + "/file?path=notes/readme.txt");
        HttpResponse<String> svg = get(base + "/file?path=plots/p.svg");
        HttpResponse<String> html = get(base + "/file?path=report.html");

        assertEquals(3, root.get("entries").size());
        assertEquals(1, json(get(base + "?path=notes")).get("entries").size());
        assertEquals("hello", text.body());
        assertEquals("text/plain; charset=utf-8", text.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(text.headers().firstValue("Content-Disposition").isEmpty());
        for (HttpResponse<String> download : List.of(svg, html)) {
            assertEquals("application/octet-stream", download.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
        }
        assertEquals(400, get(base + "/file?path=" + encode("../../etc/passwd")).statusCode());
        assertEquals(400, get(base + "?path=" + encode("notes/../../x")).statusCode());
    }

    @Test
    void modelsShowVersionsWithStageAliasAndSourceRunAndTheirHistory() throws Exception {
        ModelRegistry registry = ModelRegistry.of(tracker);
        Run run = tracker.run("iris", r -> registry.register("it's", r.logModel("model", List.of(1)).uri()));
        registry.transition("it's", 1, Stage.STAGING);
        registry.setAlias("it's", "champion", 1);
        tracker.setTag(run.info().id(), "validated", "true");
        registry.promote("it's", 1, Stage.PRODUCTION, Gates.parse("tags.validated = 'true'"));

        JsonNode models = json(get("api/models"));
        JsonNode model = json(get("api/models/" + encode("it's")));
        JsonNode history = json(get("api/models/" + encode("it's") + "/history"));

        assertEquals("it's", models.get("models").get(0).get("name").asText());
        JsonNode version = model.get("versions").get(0);
        assertEquals(1, version.get("version").asInt());
        assertEquals("PRODUCTION", version.get("stage").asText());
        assertEquals("champion", version.get("aliases").get(0).asText());
        assertEquals(run.info().id(), version.get("run_id").asText());
        assertTrue(history.get("events").size() >= 4, history.toString());
        JsonNode promotion = history.get("events").get(history.get("events").size() - 1);
        assertEquals("STAGE_CHANGED", promotion.get("action").asText(), history.toString());
        assertEquals("Production", promotion.get("to").asText());
        assertEquals(1, promotion.get("gates").size());
        assertTrue(promotion.get("gates").get(0).get("passed").asBoolean());
        assertEquals(0, history.get("events").get(0).get("gates").size());
    }

    @Test
    void userStringsComeBackAsEscapedJsonStrings() throws Exception {
        tracker.newRun("xss").name(SCRIPT).tag("note", IMG).run(r -> r.logParam("quoted", "a\"b'c"));

        HttpResponse<String> response = get("api/runs?experiment=xss");

        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertFalse(response.body().contains("<"), "no raw '<' in " + response.body());
        JsonNode run = json(response).get("runs").get(0);
        assertEquals(SCRIPT, run.get("name").asText());
        assertEquals(IMG, run.get("tags").get("note").asText());
        assertEquals("a\"b'c", run.get("params").get("quoted").asText());
    }

    @Test
    void onlyReadsAreServedAndEveryResponseCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(server.uri().resolve("api/experiments"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ok = get("api/experiments");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(server.uri().resolve("api/experiments"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        assertEquals(200, head.statusCode());
        for (HttpResponse<String> response : List.of(post, ok, head, get("api/nothing"))) {
            assertEquals("default-src 'self'", response.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
        }
        assertEquals(414, get("api/experiments?view=" + "a".repeat(9_000)).statusCode());
    }

    @Test
    void aClosedTrackerIsRefusedAndClosingTheTrackerStopsItsServer() throws Exception {
        Tracker closed = Tracker.inMemory();
        closed.close();
        dev.runlog.tracking.RunlogException e = assertThrows(dev.runlog.tracking.RunlogException.class,
                () -> RunlogServer.start(closed, ServerOptions.defaults()));
        assertTrue(e.getMessage().contains("tracker is closed"), e.getMessage());

        Tracker own = Tracker.inMemory();
        RunlogServer served = RunlogServer.start(own, ServerOptions.defaults());
        URI uri = served.uri().resolve("/api/experiments");
        assertEquals(200, send(HttpRequest.newBuilder(uri)).statusCode());
        own.close();
        assertThrows(IOException.class, () -> send(HttpRequest.newBuilder(uri)), "nothing listens once the tracker closed");
        served.close(); // after the tracker closed it: nothing left to do, no failure
        served.close();
    }

    @Test
    void aTrackerClosingWhileItsServerStartsLeavesNoServerListening() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            Tracker closing = Tracker.inMemory();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread closer = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closing.close();
            });
            closer.start();
            RunlogServer started = null;
            go.countDown();
            try {
                started = RunlogServer.start(closing, ServerOptions.defaults());
            } catch (dev.runlog.tracking.RunlogException refused) {
                assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
            }
            closer.join(10_000);
            if (started != null) {
                URI uri = started.uri().resolve("/api/experiments");
                assertThrows(IOException.class, () -> send(HttpRequest.newBuilder(uri)),
                        "attempt " + attempt + ": a server whose tracker closed answers nothing");
                started.close();
            }
        }
    }

    @Test
    void anotherInterfaceThanLoopbackRequiresTheGeneratedTokenOnEveryRequest() throws Exception {
        // Bound to all interfaces, but spoken to only through 127.0.0.1.
        try (RunlogServer open = RunlogServer.start(tracker, ServerOptions.defaults().host("0.0.0.0"))) {
            String token = open.token().orElseThrow();
            URI uri = URI.create("http://127.0.0.1:" + open.port() + "/api/experiments");

            HttpResponse<String> none = send(HttpRequest.newBuilder(uri));
            HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer x" + token));
            HttpResponse<String> bearer = send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token));
            HttpResponse<String> cookie = send(HttpRequest.newBuilder(uri).header("Cookie", "a=b; token=" + token));

            assertTrue(token.length() >= ServerOptions.MIN_TOKEN_LENGTH);
            assertEquals(401, none.statusCode());
            assertEquals("unauthorized", json(none).get("error").asText());
            assertEquals(401, wrong.statusCode());
            assertEquals(200, bearer.statusCode());
            assertEquals(200, cookie.statusCode());
        }
        assertTrue(server.token().isEmpty(), "loopback without a token given: none required");
    }

    @Test
    void clientsThatNeverFinishARequestDoNotStopTheServer() throws Exception {
        // Before: 4 workers, no time limit; four half-sent requests stopped every other client.
        List<java.net.Socket> halfSent = new ArrayList<>();
        try (RunlogServer served = RunlogServer.start(tracker, ServerOptions.defaults())) {
            assertEquals(RunlogServer.MAX_REQUEST_SECONDS, System.getProperty("sun.net.httpserver.maxReqTime"),
                    "the JDK then closes a request that takes longer");
            for (int i = 0; i < 10; i++) {
                java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), served.port());
                socket.getOutputStream().write("GET /api/experiments HTTP/1.1\r\nHost: 127.0".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                halfSent.add(socket);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(served.uri()
                    .resolve("api/experiments")).timeout(java.time.Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        } finally {
            for (java.net.Socket socket : halfSent) {
                socket.close();
            }
        }
    }

    @Test
    void aTokenGivenIsCheckedOnLoopbackToo() throws Exception {
        String token = "0123456789abcdef-given";
        try (RunlogServer guarded = RunlogServer.start(tracker, ServerOptions.defaults().token(token))) {
            URI uri = guarded.uri().resolve("api/models");
            assertEquals(401, send(HttpRequest.newBuilder(uri)).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)).statusCode());
            // Without the token nothing is told, not even which methods a page takes.
            assertEquals(401, send(HttpRequest.newBuilder(guarded.uri()).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
            assertEquals(405, send(HttpRequest.newBuilder(guarded.uri()).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheProblem() {
        ServerOptions defaults = ServerOptions.defaults();
        assertEquals("127.0.0.1", defaults.host());
        assertEquals(0, defaults.port());
        assertFalse(defaults.allowWrites());
        assertTrue(assertThrows(InvalidInputException.class, () -> defaults.port(70_000)).getMessage().contains("70000"));
        assertTrue(assertThrows(InvalidInputException.class, () -> defaults.host(" ")).getMessage().contains("host"));
        assertTrue(assertThrows(InvalidInputException.class, () -> defaults.token("short")).getMessage().contains("token"));
        assertTrue(assertThrows(InvalidInputException.class, () -> defaults.token("0123456789abcdef;x")).getMessage()
                .contains("token"));
        assertTrue(defaults.allowWrites(true).allowWrites());
        assertEquals(5000, defaults.port(5000).port());
        assertEquals(0, defaults.port(), "setters return copies");
    }

    @Test
    void anUnexpectedFailureGets500WithoutItsMessageOrTrace() throws Exception {
        Tracker broken = (Tracker) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Tracker.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listExperiments")) {
                        throw new IllegalStateException("secret /home/me/file");
                    }
                    return method.getName().equals("hashCode") ? 0 : null;
                });
        try (RunlogServer failing = RunlogServer.start(broken, ServerOptions.defaults())) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(failing.uri().resolve("api/experiments")));
            assertEquals(500, response.statusCode());
            assertEquals("internal", json(response).get("error").asText());
            assertFalse(response.body().contains("secret") || response.body().contains("IllegalState"), response.body());
        }
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
