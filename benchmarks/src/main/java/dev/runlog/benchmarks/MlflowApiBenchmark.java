package dev.runlog.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The MLflow API's write figures: {@code runs/log-metric} and a 1,000-point {@code runs/log-batch}
 * over HTTP on loopback against a {@link RunlogServer} over SQLite. The figure is the server's time
 * as its {@code Server-Timing} header reports it (from the handler taking the request to the
 * serialized reply handed to the JDK's server: body read, parsed, checked, stored, answered), the
 * issue's target; the conditions add the round trip the client measures (plus loopback and the JDK
 * client's own time). The baseline is the same points logged in-process through the Tracker API and
 * made durable ({@code ActiveRun.logMetric} then {@code flush()}), the store work both share.
 */
final class MlflowApiBenchmark {
    // Enough calls for the JIT to compile the server's request path, as a server that has been up a
    // while runs it; a few hundred left it half interpreted and the medians drifting from run to run.
    private static final int WARMUP = 5_000;
    private static final int REQUESTS = 1_000;
    private static final int BATCH = 1_000;
    private static final int BATCH_WARMUP = 500;
    private static final int BATCHES = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private MlflowApiBenchmark() {
    }

    static void run(Path work, Consumer<Figure> print) throws Exception {
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + work.resolve("mlflow-api.db")).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            String experiment = tracker.createExperiment("mlflow-api").id();
            String runId = MAPPER.readTree(post(server, "runs/create", "{\"experiment_id\": \"" + experiment + "\"}").body())
                    .at("/run/info/run_id").asText();
            long[] step = {0};
            double[] metric = medians(WARMUP, REQUESTS, () -> post(server, "runs/log-metric", "{\"run_id\": \"" + runId
                    + "\", \"key\": \"loss\", \"value\": 0.5, \"timestamp\": 1, \"step\": " + step[0]++ + "}"));
            double[] batch = medians(BATCH_WARMUP, BATCHES, () -> {
                long first = step[0];
                step[0] += BATCH;
                return post(server, "runs/log-batch", batchJson(runId, first));
            });
            double[] baselines = new double[2];
            try (ActiveRun run = tracker.startRun("mlflow-api-baseline")) {
                long[] s = {0};
                baselines[0] = medians(WARMUP, REQUESTS, () -> {
                    run.logMetric("loss", 0.5, s[0]++).flush();
                    return null;
                })[0];
                baselines[1] = medians(BATCH_WARMUP, BATCHES, () -> {
                    for (int i = 0; i < BATCH; i++) {
                        run.logMetric("loss", 0.5, s[0]++);
                    }
                    run.flush();
                    return null;
                })[0];
            }
            String conditions = "SQLite store; server time from the Server-Timing header (medians of its body-read part"
                    + " %.3f ms and of the server thread's CPU time %.3f ms); round trip over HTTP on loopback with the JDK HttpClient (one connection) %.3f ms; median of %d"
                    + " after %d warm-ups; %d cores, load %.2f; baseline: the Tracker API in-process, logMetric then flush()";
            print.accept(new Figure("mlflow_log_metric_server_time", metric[1], "ms", 0.5, false, baselines[0],
                    String.format(Locale.ROOT, conditions, metric[2], metric[3], metric[0], REQUESTS, WARMUP, cores(), load())));
            print.accept(new Figure("mlflow_log_batch_1000_points_server_time", batch[1], "ms", 2, false, baselines[1],
                    String.format(Locale.ROOT, conditions, batch[2], batch[3], batch[0], BATCHES, BATCH_WARMUP, cores(), load())));
        }
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The JSON of a log-batch of {@value #BATCH} points from step {@code first}. */
    private static String batchJson(String runId, long first) {
        return IntStream.range(0, BATCH).mapToObj(i -> "{\"key\": \"batch\", \"value\": " + i * 0.001
                        + ", \"timestamp\": " + (first + i) + ", \"step\": " + (first + i) + "}")
                .collect(Collectors.joining(", ", "{\"run_id\": \"" + runId + "\", \"metrics\": [", "]}"));
    }

    private interface Call {
        /** Makes one call; its response, or null for a call that is not an HTTP request. */
        HttpResponse<String> call() throws Exception;
    }

    /**
     * The median time of {@code count} calls after {@code warmup} untimed ones, in milliseconds, as
     * the caller measures it and (for HTTP calls, else NaN) as the server's Server-Timing says: in
     * all, reading the body, and the CPU time the server's thread spent.
     */
    private static double[] medians(int warmup, int count, Call call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.call();
        }
        double[] times = new double[count];
        double[] server = new double[count];
        double[] read = new double[count];
        double[] cpu = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = call.call();
            times[i] = (System.nanoTime() - start) / 1e6;
            server[i] = response == null ? Double.NaN : serverTime(response, "app");
            read[i] = response == null ? Double.NaN : serverTime(response, "read");
            cpu[i] = response == null ? Double.NaN : serverTime(response, "cpu");
        }
        Arrays.sort(times);
        Arrays.sort(server);
        Arrays.sort(read);
        Arrays.sort(cpu);
        return new double[] {times[count / 2], server[count / 2], read[count / 2], cpu[count / 2]};
    }

    /** The duration {@code metric} ({@code app}, {@code read}) of a response's Server-Timing header, in milliseconds. */
    private static double serverTime(HttpResponse<String> response, String metric) {
        String timing = response.headers().firstValue("Server-Timing")
                .orElseThrow(() -> new IllegalStateException("no Server-Timing header in " + response.headers().map()));
        for (String entry : timing.split(",")) {
            String[] parts = entry.trim().split(";dur=");
            if (parts[0].equals(metric)) {
                return Double.parseDouble(parts[1]);
            }
        }
        throw new IllegalStateException("no " + metric + " in Server-Timing: " + timing);
    }

    private static HttpResponse<String> post(RunlogServer server, String endpoint, String body) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(server.uri() + "api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }
}
