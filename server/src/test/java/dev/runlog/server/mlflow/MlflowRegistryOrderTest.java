package dev.runlog.server.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.tck.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry searches of MLflow's API rank as MLflow's stores do, with their defaults and tie-breakers. */
class MlflowRegistryOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void versionsRankByLastUpdateThenNameThenVersionAndModelsByName() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Tracker tracker = Tracker.builder().uri("memory:").clock(clock).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            try (ActiveRun run = tracker.startRun("order")) {
                String uri = run.logModel("model", List.of(1)).uri();
                for (int i = 0; i < 3; i++) {
                    clock.advance(Duration.ofSeconds(1));
                    registry.register("b-model", uri);
                }
                clock.advance(Duration.ofSeconds(1));
                registry.register("a-model", uri);
            }
            clock.advance(Duration.ofSeconds(1));
            registry.updateDescription("b-model", 1, "updated last");

            // MLflow's default: last_updated_timestamp DESC, then name ASC, then version DESC.
            assertEquals(List.of("b-model/1", "a-model/1", "b-model/3", "b-model/2"), versions(server, ""));
            // After the order asked for, ties go by name ASC, then version DESC.
            assertEquals(List.of("a-model/1", "b-model/3", "b-model/2", "b-model/1"),
                    versions(server, "?order_by=creation_timestamp%20DESC&order_by=name"));
            assertEquals(List.of("b-model/3", "b-model/2", "b-model/1", "a-model/1"),
                    versions(server, "?order_by=name%20DESC"));
            assertEquals(List.of("a-model", "b-model"), names(get(server, "registered-models/search"), "registered_models"));

            HttpResponse<String> twice = http.send(HttpRequest.newBuilder(api(server, "model-versions/search?order_by=name&order_by=name%20DESC")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, twice.statusCode(), twice.body());
            assertEquals("INVALID_PARAMETER_VALUE", JSON.readTree(twice.body()).path("error_code").asText());
        }
    }

    private List<String> versions(RunlogServer server, String query) throws Exception {
        List<String> found = new ArrayList<>();
        for (JsonNode version : get(server, "model-versions/search" + query).path("model_versions")) {
            found.add(version.path("name").asText() + "/" + version.path("version").asText());
        }
        return found;
    }

    private static List<String> names(JsonNode reply, String field) {
        List<String> found = new ArrayList<>();
        reply.path(field).forEach(model -> found.add(model.path("name").asText()));
        return found;
    }

    private JsonNode get(RunlogServer server, String path) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(api(server, path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        return JSON.readTree(reply.body());
    }

    private static URI api(RunlogServer server, String path) {
        return server.uri().resolve("api/2.0/mlflow/" + path);
    }
}
