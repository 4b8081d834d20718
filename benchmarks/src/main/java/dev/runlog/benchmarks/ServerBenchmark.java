package dev.runlog.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.server.RunlogServer;
import dev.runlog.server.ServerOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The JSON API's figures, over HTTP on loopback against a started {@link RunlogServer}: the runs
 * table's first page among 100,000 runs and the chart data of a 1,000,000-point series, each beside
 * the naive path (offset paging; every point serialized). Server time is the time to the full
 * response, measured by the client. The database is built once and kept under
 * {@code benchmarks/target/server-bench/}, so reruns start measuring at once.
 */
final class ServerBenchmark {
    static final int PAGE = 100;
    static final int DEEP_PAGE = 500;
    static final int SERIES_POINTS = 1_000_000;
    private static final int WARMUP = 10;
    private static final int REQUESTS = 50;
    private static final String EXPERIMENT = "search";
    private static final String CONDITIONS = "SQLite, 100,000 runs x 10 params x 10 metrics; over HTTP on loopback,"
            + " median of " + REQUESTS + " requests after " + WARMUP + " warm-ups";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private ServerBenchmark() {
    }

    static void run(Path cache, Consumer<Figure> print) throws Exception {
        Path db = build(cache);
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
             RunlogServer server = RunlogServer.start(tracker, ServerOptions.defaults())) {
            String runs = "api/runs?experiment=" + EXPERIMENT + "&max_results=" + PAGE;
            String byMetric = runs + "&order_by=" + encode("metrics.m0 DESC");
            for (String[] page : new String[][] {{"start_time_desc", runs}, {"metrics_m0_desc", byMetric}}) {
                Timing first = time(server.uri().resolve(page[1]), body -> runCount(body, PAGE));
                print.accept(figure("server_runs_first_page_" + page[0], first, 50, null));
            }
            // Page 500 of the runs by metrics.m0: keyset (the token of page 499 asks for runs after its last)
            // against offset paging, which reads every run before the page to skip it.
            URI deep = server.uri().resolve(byMetric + "&page_token=" + encode(tokenOfPage(server.uri(), byMetric)));
            Timing keyset = time(deep, body -> runCount(body, PAGE));
            Timing offset = timeInProcess(() -> offsetPage(tracker));
            print.accept(figure("server_runs_page_" + DEEP_PAGE + "_metrics_m0_desc", keyset, 50, offset.median()));

            String chartRun = tracker.searchRuns().experiments("chart").page().runs().get(0).info().id();
            URI chart = server.uri().resolve("api/runs/" + chartRun + "/metrics/loss?points=1000");
            Timing downsampled = time(chart, body -> MAPPER.readTree(body).get("value").size());
            int[] naiveBytes = new int[1];
            Timing naive = timeInProcess(() -> naiveBytes[0] = allPoints(tracker, chartRun).length);
            print.accept(figure("server_chart_1M_points_at_1000", downsampled, 100, naive.median()));
            print.accept(new Figure("server_chart_1M_points_at_1000_bytes", downsampled.bytes() / 1000.0, "KB", 100,
                    false, naiveBytes[0] / 1000.0, "on the wire, uncompressed; baseline: every point, same JSON shape"));
        }
    }

    /** 100,000 runs (as the search figures) and one run with a 1,000,000-point series, built once. */
    private static Path build(Path cache) throws IOException {
        Path db = cache.resolve("server.db");
        Path done = cache.resolve("server.db.done");
        if (Files.exists(done)) {
            return db;
        }
        BenchmarkSuite.deleteTree(cache);
        Files.createDirectories(cache);
        SearchBenchmark.populate(db);
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("chart")) {
            for (int step = 0; step < SERIES_POINTS; step++) {
                // A decaying loss with a spike every 100,000 steps, which downsampling must keep.
                run.logMetric("loss", step % 100_000 == 50_000 ? 10 : 1.0 / Math.sqrt(step + 1), step);
            }
        }
        Files.writeString(done, "built\n");
        return db;
    }

    /** The token the API gives after page {@code DEEP_PAGE - 1}, found by following the tokens once. */
    private static String tokenOfPage(URI base, String path) throws Exception {
        String token = null;
        for (int page = 1; page < DEEP_PAGE; page++) {
            String url = path + (token == null ? "" : "&page_token=" + encode(token));
            token = MAPPER.readTree(get(base.resolve(url)).body()).get("next_page_token").asText();
        }
        return token;
    }

    /** The naive deep page: the first {@code DEEP_PAGE * PAGE} runs read, all but the last page skipped, serialized. */
    private static int offsetPage(Tracker tracker) {
        List<Run> runs = tracker.searchRuns().experiments(EXPERIMENT).orderBy("metrics.m0 DESC")
                .maxResults(DEEP_PAGE * PAGE).page().runs();
        List<Object> page = runs.subList((DEEP_PAGE - 1) * PAGE, runs.size()).stream().map(ServerBenchmark::runJson).toList();
        return write(Map.of("runs", page)).length;
    }

    private static Object runJson(Run run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.info().id());
        json.put("name", run.info().name());
        json.put("status", run.info().status().name());
        json.put("start_time", run.info().startTime().toEpochMilli());
        json.put("params", run.data().params());
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, Metric> m : run.data().latestMetrics().entrySet()) {
            metrics.put(m.getKey(), Map.of("value", m.getValue().value(), "step", m.getValue().step(),
                    "timestamp", m.getValue().timestamp()));
        }
        json.put("metrics", metrics);
        json.put("tags", run.data().tags());
        return json;
    }

    /** The naive chart: every point of the series, in the API's column shape. */
    private static byte[] allPoints(Tracker tracker, String runId) {
        MetricSeries series = tracker.metricSeries(runId, "loss");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("step", series.steps());
        json.put("timestamp", series.timestamps());
        json.put("value", series.values());
        return write(json);
    }

    private static byte[] write(Object json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int runCount(byte[] body, int expected) throws IOException {
        JsonNode runs = MAPPER.readTree(body).get("runs");
        if (runs.size() != expected) {
            throw new IllegalStateException("a page held " + runs.size() + " runs, expected " + expected);
        }
        return runs.size();
    }

    /** A check of a response body; it returns a size so that the response is certainly used. */
    private interface Check {
        int apply(byte[] body) throws IOException;
    }

    record Timing(double median, double p95, long bytes) {
    }

    private static Timing time(URI uri, Check check) throws Exception {
        double[] times = new double[REQUESTS];
        long bytes = 0;
        for (int i = -WARMUP; i < REQUESTS; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> response = get(uri);
            double millis = (System.nanoTime() - t0) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            check.apply(response.body());
            bytes = response.body().length;
            if (i >= 0) {
                times[i] = millis;
            }
        }
        return summary(times, bytes);
    }

    private static Timing timeInProcess(java.util.function.IntSupplier work) {
        int requests = REQUESTS / 5;
        double[] times = new double[requests];
        for (int i = -2; i < requests; i++) {
            long t0 = System.nanoTime();
            work.getAsInt();
            if (i >= 0) {
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return summary(times, 0);
    }

    private static Timing summary(double[] times, long bytes) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return new Timing(sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.95) - 1], bytes);
    }

    private static Figure figure(String name, Timing timing, double target, Double baseline) {
        return new Figure(name, timing.median(), "ms", target, false, baseline,
                CONDITIONS + "; p95 " + String.format(java.util.Locale.ROOT, "%.2f", timing.p95()) + " ms, "
                        + timing.bytes() + " bytes" + (baseline == null ? "" : "; baseline in process, no HTTP"));
    }

    private static HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
