package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark behind the README's figures and prints one JSON object per figure:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests exec:exec
 * </pre>
 *
 * Each figure runs against a fresh SQLite file in a temporary directory, through the public API.
 * {@code -Dbenchmarks=ingest,series} runs only the figures named (ingest, size, shapes, tails, series,
 * latest, run, search, registry, ui, cli, logMetric, server, durability, bulk, cold, s3, monitor, pg, pgdeploy, pgsearch; pg
 * runs the ingest, size, run, search, registry and deployment figures on an embedded PostgreSQL server, pgdeploy and pgsearch
 * only the deployment's or the search's, see {@link PgBenchmark}). The server figures keep their database under
 * {@code target/server-bench/} (the working directory is the benchmarks module under exec:exec),
 * since building it takes most of their time.
 */
public final class BenchmarkSuite {
    static final int INGEST_RUNS = 8;
    static final int INGEST_KEYS = 10;
    static final int INGEST_STEPS = 250_000;
    static final int SERIES_POINTS = 1_000_000;
    static final int TABLE_RUNS = 10_000;
    static final int TABLE_KEYS = 10;

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> only = args.length == 0 || args[0].equals("all") ? Set.of() : Set.of(args[0].split(","));
        Path work = Files.createTempDirectory("runlog-bench");
        try {
            NaiveBaseline naive = new NaiveBaseline(work.resolve("naive.db"));
            try (naive) {
                if (only.isEmpty() || only.contains("ingest") || only.contains("size")) {
                    ingestAndSize(work, naive, only);
                }
                if (only.isEmpty() || only.contains("shapes")) {
                    IngestShapesBenchmark.run(work, naive, BenchmarkSuite::print);
                } else if (only.contains("tails")) {
                    IngestShapesBenchmark.tails(work, BenchmarkSuite::print);
                }
                if (only.isEmpty() || only.contains("series")) {
                    print(new Figure("metricSeries_1M_points", seriesMillis(work), "ms", 100, false, null));
                }
                if (only.isEmpty() || only.contains("latest")) {
                    print(new Figure("latest_10_keys_of_10000_runs", latestMillis(work), "ms", 100, false, null));
                }
                if (only.isEmpty() || only.contains("run")) {
                    double baseline = naive.startEndRunMillis(200);
                    print(new Figure("start_and_end_empty_run", startEndMillis("sqlite:" + work.resolve("runs.db")), "ms", 1, false,
                            baseline));
                }
            }
            if (only.isEmpty() || only.contains("search")) {
                search(work);
            }
            if (only.isEmpty() || only.contains("cli")) {
                CliExportBenchmark.run(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("registry")) {
                RegistryBenchmark.run(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("ui")) {
                UiBenchmark.run(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("server")) {
                ServerBenchmark.run(Path.of("target", "server-bench"), BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("mlflow")) {
                MlflowApiBenchmark.run(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("durability")) {
                WritePathBenchmark.durability(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("bulk")) {
                WritePathBenchmark.bulk(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("cold")) {
                ColdStartBenchmark.run(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("s3")) {
                S3Benchmark.run(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("pg") || only.contains("pgdeploy") || only.contains("pgsearch")) {
                boolean all = only.isEmpty() || only.contains("pg");
                PgBenchmark.run(work, BenchmarkSuite::print, all || only.contains("pgdeploy"), all,
                        all || only.contains("pgsearch"));
            }
            if (only.isEmpty() || only.contains("monitor")) {
                MonitorBenchmark.run(work, BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("sysmetrics")) {
                SystemMetricsBenchmark.run(BenchmarkSuite::print);
            }
            if (only.isEmpty() || only.contains("logMetric")) {
                print(new Figure("logMetric_calling_thread_median", logMetricMedianNanos(), "ns", 200, false, null));
            }
        } finally {
            deleteTree(work);
        }
    }

    /** 8 runs × 10 keys × 250,000 steps from 8 threads, then flush and close (WAL checkpointed). */
    private static void ingestAndSize(Path work, NaiveBaseline naive, Set<String> only) throws Exception {
        double baselineRate = naive.pointsPerSecondOneByOne(3);
        double baselineBytes = naive.bytesPerPoint(200_000);
        Path db = work.resolve("ingest.db");
        long points = (long) INGEST_RUNS * INGEST_KEYS * INGEST_STEPS;
        String[] keys = ingestKeys();
        long start = System.nanoTime();
        List<String> runIds = ingest("sqlite:" + db, keys);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (only.isEmpty() || only.contains("ingest")) {
            print(new Figure("ingest_points_per_second", points / seconds, "points/s", 2_000_000, true, baselineRate));
        }
        long bytes = Files.size(db) + sizeIfExists(work.resolve("ingest.db-wal"));
        if (only.isEmpty() || only.contains("size")) {
            print(new Figure("bytes_per_point_on_disk", (double) bytes / points, "bytes", 16, false, baselineBytes));
        }
        verifyIngest("sqlite:" + db, runIds, keys);
    }

    static String[] ingestKeys() {
        String[] keys = new String[INGEST_KEYS];
        for (int k = 0; k < INGEST_KEYS; k++) {
            keys[k] = "metric_" + k;
        }
        return keys;
    }

    /**
     * The ingest shape of the suite on the store at {@code uri}: {@link #INGEST_RUNS} runs, each
     * logging {@link #INGEST_STEPS} steps of every key from a thread of its own, then one flush and
     * every run closed. Returns the run ids.
     */
    static List<String> ingest(String uri, String[] keys) throws InterruptedException {
        List<String> runIds = new ArrayList<>();
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            List<Thread> threads = new ArrayList<>();
            List<ActiveRun> runs = new ArrayList<>();
            for (int r = 0; r < INGEST_RUNS; r++) {
                ActiveRun run = tracker.startRun("ingest");
                runs.add(run);
                threads.add(new Thread(() -> {
                    for (int step = 0; step < INGEST_STEPS; step++) {
                        for (int k = 0; k < keys.length; k++) {
                            run.logMetric(keys[k], Math.exp(-step * 1e-5) + k, step);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            runs.get(0).flush();
            for (ActiveRun run : runs) {
                run.close();
                runIds.add(run.id());
            }
        }
        return runIds;
    }

    /** A figure for a store that lost points would be a lie: every series must be complete. */
    static void verifyIngest(String uri, List<String> runIds, String[] keys) {
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            for (String runId : runIds) {
                for (String key : keys) {
                    MetricSeries series = tracker.metricSeries(runId, key);
                    if (series.size() != INGEST_STEPS || series.steps()[INGEST_STEPS - 1] != INGEST_STEPS - 1) {
                        throw new IllegalStateException("run " + runId + " key " + key + " holds " + series.size()
                                + " points after ingest, expected " + INGEST_STEPS);
                    }
                }
            }
        }
    }

    /** 100,000 runs × 10 params × 10 metrics; the filters of the issue, on a warm file. */
    private static void search(Path work) {
        search("sqlite:" + work.resolve("search.db"), "", null);
    }

    private static void search(String uri, String prefix, String conditions) {
        SearchBenchmark.populate(uri, SearchBenchmark.RUNS);
        searchFigures(uri, prefix, conditions);
    }

    /** The search figures on the store at {@code uri}, already populated, named with {@code prefix}, with {@code conditions} (or null). */
    static void searchFigures(String uri, String prefix, String conditions) {
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            print(new Figure(prefix + "search_first_100_of_100000_runs", SearchBenchmark.firstPageMillis(tracker), "ms", 20,
                    false, null, conditions));
            int[] matches = new int[1];
            double all = SearchBenchmark.streamAllMillis(tracker, matches);
            String streamed = "median of 7 after " + SearchBenchmark.STREAM_WARM_UPS + " warm-up streams"
                    + (conditions == null ? "" : "; " + conditions);
            print(new Figure(prefix + "search_stream_all_" + matches[0] + "_matches", all, "ms", 500, false, null, streamed));
            print(new Figure(prefix + "search_tag_like_first_100", SearchBenchmark.tagLikeMillis(tracker), "ms", 50, false,
                    null, conditions));
        }
    }

    private static double seriesMillis(Path work) {
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + work.resolve("series.db")).shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = tracker.startRun("series")) {
                for (int step = 0; step < SERIES_POINTS; step++) {
                    run.logMetric("loss", 1.0 / (step + 1), step);
                }
                runId = run.id();
            }
            double[] times = new double[15];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                MetricSeries series = tracker.metricSeries(runId, "loss");
                times[i] = (System.nanoTime() - t0) / 1e6;
                if (series.size() != SERIES_POINTS) {
                    throw new IllegalStateException("expected " + SERIES_POINTS + " points, read " + series.size());
                }
            }
            return median(Arrays.copyOfRange(times, 5, times.length));
        }
    }

    private static double latestMillis(Path work) {
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + work.resolve("table.db")).shutdownHook(false).build()) {
            List<String> ids = new ArrayList<>();
            Map<String, Double> values = new LinkedHashMap<>();
            for (int k = 0; k < TABLE_KEYS; k++) {
                values.put("metric_" + k, (double) k);
            }
            for (int r = 0; r < TABLE_RUNS; r++) {
                try (ActiveRun run = tracker.startRun("table")) {
                    for (int step = 0; step < 3; step++) {
                        run.logMetrics(values, step);
                    }
                    ids.add(run.id());
                }
            }
            double[] times = new double[15];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                var latest = tracker.latestMetrics(ids);
                times[i] = (System.nanoTime() - t0) / 1e6;
                if (latest.size() != TABLE_RUNS || latest.get(ids.get(0)).size() != TABLE_KEYS) {
                    throw new IllegalStateException("latestMetrics returned " + latest.size() + " runs");
                }
            }
            return median(Arrays.copyOfRange(times, 5, times.length));
        }
    }

    /** Mean milliseconds to start and end an empty run on the store at {@code uri}, after 200 warm-up runs. */
    static double startEndMillis(String uri) {
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            for (int i = 0; i < 200; i++) {
                tracker.startRun("warmup").close();
            }
            int runs = 2_000;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                tracker.startRun("empty").close();
            }
            return (System.nanoTime() - start) / 1e6 / runs;
        }
    }

    private static double logMetricMedianNanos() throws Exception {
        var options = new OptionsBuilder().include(LogMetricBenchmark.class.getName())
                .verbosity(VerboseMode.SILENT).build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getStatistics().getPercentile(50);
    }

    static void print(Figure figure) {
        System.out.println(figure.toJson());
        System.out.flush();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long sizeIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
