package dev.runlog.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The MLflow API's write figures: {@code runs/log-metric} and a 1,000-point {@code runs/log-batch}
 * over HTTP on loopback against a {@link RunlogServer} over SQLite, each the time to the full
 * response as the client measures it (the server's time plus loopback and the JDK client's). The
 * baseline is the same points logged in-process through the Tracker API and made durable
 * ({@code ActiveRun.logMetric} then {@code flush()}), what the HTTP request adds to.
 */
final class MlflowApiBenchmark {
    private static final int WARMUP = 300;
    private static final int REQUESTS = 1_000;
    private static final int BATCH = 1_000;
    private static final int BATCH_WARMUP = 30;
    private static final int BATCHES = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private MlflowApiBenchmark() {
    }

    static void run(Path work, Consumer<Figure> print) throws Exception {
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + work.resolve("mlflow-api.db")).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults().allowWrites(true))) {
            String experiment = tracker.createExperiment("mlflow-api").id();
            String runId = MAPPER.readTree(post(server, "runs/create", "{\"experiment_id\": \"" + experiment + "\"}"))
                    .at("/run/info/run_id").asText();
            long[] step = {0};
            double metric = median(WARMUP, REQUESTS, () -> post(server, "runs/log-metric", "{\"run_id\": \"" + runId
                    + "\", \"key\": \"loss\", \"value\": 0.5, \"timestamp\": 1, \"step\": " + step[0]++ + "}"));
            double batch = median(BATCH_WARMUP, BATCHES, () -> {
                long first = step[0];
                step[0] += BATCH;
                return post(server, "runs/log-batch", batchJson(runId, first));
            });
            double[] baselines = new double[2];
            try (ActiveRun run = tracker.startRun("mlflow-api-baseline")) {
                long[] s = {0};
                baselines[0] = median(WARMUP, REQUESTS, () -> {
                    run.logMetric("loss", 0.5, s[0]++).flush();
                    return "";
                });
                baselines[1] = median(BATCH_WARMUP, BATCHES, () -> {
                    for (int i = 0; i < BATCH; i++) {
                        run.logMetric("loss", 0.5, s[0]++);
                    }
                    run.flush();
                    return "";
                });
            }
            String conditions = "SQLite store; over HTTP on loopback with the JDK HttpClient, one connection; median of %d"
                    + " after %d warm-ups; baseline: the Tracker API in-process, logMetric then flush()";
            print.accept(new Figure("mlflow_log_metric", metric, "ms", 0.5, false, baselines[0],
                    String.format(conditions, REQUESTS, WARMUP)));
            print.accept(new Figure("mlflow_log_batch_1000_points", batch, "ms", 2, false, baselines[1],
                    String.format(conditions, BATCHES, BATCH_WARMUP)));
        }
    }

    /** The JSON of a log-batch of {@value #BATCH} points from step {@code first}. */
    private static String batchJson(String runId, long first) {
        return IntStream.range(0, BATCH).mapToObj(i -> "{\"key\": \"batch\", \"value\": " + i * 0.001
                        + ", \"timestamp\": " + (first + i) + ", \"step\": " + (first + i) + "}")
                .collect(Collectors.joining(", ", "{\"run_id\": \"" + runId + "\", \"metrics\": [", "]}"));
    }

    private interface Call {
        String call() throws Exception;
    }

    /** The median time of {@code count} calls after {@code warmup} untimed ones, in milliseconds. */
    private static double median(int warmup, int count, Call call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.call();
        }
        double[] times = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            call.call();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[count / 2];
    }

    private static String post(RunlogServer server, String endpoint, String body) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(server.uri() + "api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
