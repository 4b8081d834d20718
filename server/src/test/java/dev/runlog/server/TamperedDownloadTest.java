package dev.runlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ProcessOwner;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file changed behind the store's back is never served as a complete, successful download: the
 * UI's file endpoint and MLflow's artifact proxy read it whole, and so check it, before they reply.
 * Sent as it was read, the check failed only after the last byte, and clients saw a 200.
 */
class TamperedDownloadTest {
    private final HttpTestClient http = new HttpTestClient();

    @Test
    void bothDownloadEndpointsRefuseAChangedFileAndServeASoundOne(@TempDir Path dir) throws Exception {
        try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("runs.db"));
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            String runId;
            String experimentId;
            try (ActiveRun run = tracker.startRun("tamper")) {
                run.logText("hello", "notes.txt").logText("x".repeat(10_000_000), "big.txt");
                runId = run.id();
                experimentId = run.experimentId();
            }
            String ui = "api/runs/" + runId + "/artifacts/file?path=";
            String proxy = "api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/";
            for (String sound : List.of(ui + "notes.txt", proxy + "notes.txt")) {
                HttpResponse<String> ok = http.get(server.uri().resolve(sound));
                assertEquals(200, ok.statusCode(), sound);
                assertEquals("hello", ok.body());
            }
            HttpResponse<String> large = http.get(server.uri().resolve(proxy + "big.txt"));
            assertEquals(200, large.statusCode());
            assertEquals(10_000_000, large.body().length(), "a file above the in-memory size comes whole too");
            for (String path : List.of(ui + "big.txt", proxy + "big.txt", ui + "none.txt", proxy + "none.txt")) {
                // A HEAD opens the file (a missing one is 404) but does not read it: no 10 MB read for headers.
                HttpResponse<String> head = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
                assertEquals(path.endsWith("none.txt") ? 404 : 200, head.statusCode(), path);
                if (head.statusCode() == 200) {
                    assertEquals(path.startsWith(ui) ? "text/plain; charset=utf-8" : "application/octet-stream",
                            head.headers().firstValue("Content-Type").orElseThrow(), path);
                }
            }

            try (Stream<Path> files = Files.walk(dir.resolve("runs.db.artifacts"))) {
                Path notes = files.filter(p -> p.getFileName().toString().equals("notes.txt")).findFirst().orElseThrow();
                Files.writeString(notes, "tampered");
            }
            HttpResponse<String> refused = http.get(server.uri().resolve(ui + "notes.txt"));
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("changed since it was stored"), refused.body());
            HttpResponse<String> proxied = http.get(server.uri().resolve(proxy + "notes.txt"));
            assertEquals(400, proxied.statusCode(), proxied.body());
            assertTrue(proxied.body().contains("INVALID_PARAMETER_VALUE") && proxied.body().contains("changed since it was stored"),
                    proxied.body());
        }
    }

    @Test
    void aLargeDownloadDeletesTheFilesOfDownloadsAKilledServerLeft(@TempDir Path dir) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String machine = ProcessOwner.current().machineToken();
        long pid = ProcessHandle.current().pid();
        // This pid with another start time: a process that is gone, whose pid this one now has.
        Path left = Files.writeString(tmp.resolve("runlog-download-" + machine + "-" + pid + "-1-42.part"), "left");
        Path live = Files.writeString(tmp.resolve("runlog-download-" + ProcessOwner.current().nameTag() + "-43.part"), "live");
        Path elsewhere = Files.writeString(tmp.resolve("runlog-download-othermachine-" + pid + "-1-44.part"), "other");
        try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("runs.db"));
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults())) {
            String runId;
            try (ActiveRun run = tracker.startRun("sweep")) {
                run.logText("y".repeat(9_000_000), "big.txt");
                runId = run.id();
            }
            HttpResponse<String> large = http.get(server.uri().resolve("api/runs/" + runId + "/artifacts/file?path=big.txt"));
            assertEquals(200, large.statusCode());

            assertFalse(Files.exists(left), "a gone process's download file is deleted");
            assertTrue(Files.exists(live), "a live process's is kept");
            assertTrue(Files.exists(elsewhere), "another machine's is kept");
        } finally {
            Files.deleteIfExists(left);
            Files.deleteIfExists(live);
            Files.deleteIfExists(elsewhere);
        }
    }
}
