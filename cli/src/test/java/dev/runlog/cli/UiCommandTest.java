package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Tracker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UiCommandTest {
    /** Captures output and says when the command flushed it: ui flushes once it listens. */
    static final class Flushed extends StringWriter {
        final CountDownLatch flushed = new CountDownLatch(1);

        @Override
        public void flush() {
            flushed.countDown();
        }
    }

    @Test
    void uiServesTheStoreUntilStopped() throws Exception {
        String session = serve(false, "api/experiments", body -> assertTrue(body.contains("\"name\":\"iris\""), body));
        assertTrue(session.contains("\"writes\":false"), session);
    }

    @Test
    void allowWritesMakesTheServerTakeWrites() throws Exception {
        String session = serve(true, "api/experiments", body -> assertTrue(body.contains("\"name\":\"iris\""), body));
        assertTrue(session.contains("\"writes\":true") && session.contains("\"csrf_token\":\""), session);
    }

    @Test
    void allowWritesAlsoServesMlflowsRestApiAndPrintsTheTrackingUri() throws Exception {
        String output = serve(true, "api/2.0/mlflow/experiments/get-by-name?experiment_name=iris",
                body -> assertTrue(body.contains("\"name\":\"iris\"") && body.contains("\"experiment_id\""), body), true);
        assertTrue(Pattern.compile("MLflow clients: MLFLOW_TRACKING_URI=http://127\\.0\\.0\\.1:\\d+\n").matcher(output).find(), output);
    }

    private static String serve(boolean allowWrites, String path, java.util.function.Consumer<String> check) throws Exception {
        return serve(allowWrites, path, check, false);
    }

    /**
     * Runs {@code runlog ui}, checks one GET through {@code check}, and returns what {@code /api/session}
     * says, or with {@code output} what the command printed.
     */
    private static String serve(boolean allowWrites, String path, java.util.function.Consumer<String> check, boolean output)
            throws Exception {
        try (Tracker tracker = Tracker.inMemory()) {
            tracker.run("iris", run -> run.logParam("lr", 0.1));
            Flushed out = new Flushed();
            StringWriter err = new StringWriter();
            Context ctx = Context.forTest(new PrintWriter(out), new PrintWriter(err), Clock.systemUTC(), tracker);
            String[] args = allowWrites ? new String[] {"ui", "--port", "0", "--allow-writes"} : new String[] {"ui", "--port", "0"};
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> RunlogCli.execute(ctx, args));
            assertTrue(out.flushed.await(30, TimeUnit.SECONDS), () -> "ui never said where it listens: " + err);
            Matcher url = Pattern.compile("Runlog UI at (http://127\\.0\\.0\\.1:\\d+/) serving ").matcher(out.toString());
            assertTrue(url.find(), out.toString());
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url.group(1) + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            check.accept(response.body());
            String session = client.send(HttpRequest.newBuilder(URI.create(url.group(1) + "api/session")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            ctx.stop.countDown();
            assertEquals(0, code.get(30, TimeUnit.SECONDS), err::toString);
            return output ? out.toString() : session;
        }
    }

    @Test
    void aBadPortOrTokenIsAUsageError() {
        try (Tracker tracker = Tracker.inMemory()) {
            for (String[] args : new String[][] {{"ui", "--port", "99999"}, {"ui", "--port", "-1"}, {"ui", "--token", "short"}}) {
                StringWriter err = new StringWriter();
                Context ctx = Context.forTest(new PrintWriter(new StringWriter()), new PrintWriter(err), Clock.systemUTC(), tracker);
                assertEquals(2, RunlogCli.execute(ctx, args), String.join(" ", args) + ": " + err);
                assertTrue(err.toString().startsWith("runlog: "), err.toString());
            }
        }
    }

    @Test
    void onlyAServerTakingWritesStartsOnANewStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String store = "sqlite:" + dir.resolve("new.db");
        StringWriter refusedErr = new StringWriter();
        Context readOnly = Context.forTest(new PrintWriter(new StringWriter()), new PrintWriter(refusedErr), Clock.systemUTC(), null);
        assertEquals(1, RunlogCli.execute(readOnly, "--store", store, "ui", "--port", "0"));
        readOnly.close();
        assertTrue(refusedErr.toString().startsWith("runlog: no store at " + dir.resolve("new.db")), refusedErr.toString());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("new.db")));

        Flushed out = new Flushed();
        StringWriter err = new StringWriter();
        Context ctx = Context.forTest(new PrintWriter(out), new PrintWriter(err), Clock.systemUTC(), null);
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                () -> RunlogCli.execute(ctx, "--store", store, "ui", "--port", "0", "--allow-writes"));
        assertTrue(out.flushed.await(30, TimeUnit.SECONDS), () -> "ui never said where it listens: " + err);
        assertTrue(out.toString().contains("serving " + store + " (writes allowed)"), out.toString());
        ctx.stop.countDown();
        assertEquals(0, code.get(30, TimeUnit.SECONDS), err::toString);
        ctx.close();
        assertTrue(java.nio.file.Files.exists(dir.resolve("new.db")));
    }

    /** On every interface it printed MLFLOW_TRACKING_URI=http://0.0.0.0:PORT, which no other machine can use. */
    @Test
    void onEveryInterfaceTheTrackingUriAsksForThisMachinesAddress() throws Exception {
        try (Tracker tracker = Tracker.inMemory()) {
            Flushed out = new Flushed();
            StringWriter err = new StringWriter();
            Context ctx = Context.forTest(new PrintWriter(out), new PrintWriter(err), Clock.systemUTC(), tracker);
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                    () -> RunlogCli.execute(ctx, "ui", "--host", "0.0.0.0", "--port", "0", "--allow-writes"));
            assertTrue(out.flushed.await(30, TimeUnit.SECONDS), () -> "ui never said where it listens: " + err);
            assertTrue(Pattern.compile("MLflow clients: MLFLOW_TRACKING_URI=http://<this machine's address>:\\d+"
                    + " MLFLOW_TRACKING_TOKEN=<the access token>\n").matcher(out.toString()).find(), out.toString());
            ctx.stop.countDown();
            assertEquals(0, code.get(30, TimeUnit.SECONDS), err::toString);
        }
    }

    @Test
    void aPortInUseExitsOne() throws Exception {
        try (Tracker tracker = Tracker.inMemory(); java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Context ctx = Context.forTest(new PrintWriter(out), new PrintWriter(err), Clock.systemUTC(), tracker);
            assertEquals(1, RunlogCli.execute(ctx, "ui", "--port", Integer.toString(taken.getLocalPort())));
            ctx.close();
            assertTrue(err.toString().startsWith("runlog: cannot listen on 127.0.0.1:" + taken.getLocalPort()), err.toString());
        }
    }
}
