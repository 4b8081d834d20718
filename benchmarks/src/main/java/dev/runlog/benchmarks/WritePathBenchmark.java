package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.RunRecord;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What durability costs, and how fast runs can be created, on SQLite through the public API.
 *
 * <p>{@code durability}: start and end of an empty run, and {@code logMetric} + {@code flush()}
 * per point (p50, p99), with the default {@code synchronous=normal} and with
 * {@code ?synchronous=full} (every commit fsyncs, as MLflow's SQLite store), interleaved in one
 * process on fresh files in the same directory.
 *
 * <p>{@code bulk}: 100,000 runs × 10 params × 10 metrics. The per-call path (startRun, ten
 * logParam, ten logMetric, close: each param its own transaction) is measured on
 * {@link #PER_CALL_RUNS} runs and extrapolated to 100,000; {@code recordRuns} writes all 100,000
 * in calls of {@link #RECORD_BATCH}. The ratio is the per-call time over the recordRuns time.
 */
final class WritePathBenchmark {
    static final int BULK_RUNS = 100_000;
    static final int PER_CALL_RUNS = 3_000;
    static final int RECORD_BATCH = 1_000;
    private static final int FLUSHED_POINTS = 2_000;
    private static final int EMPTY_RUNS = 1_000;

    private WritePathBenchmark() {
    }

    static void durability(Path work, Consumer<Figure> out) {
        double[][] startEnd = new double[2][];
        double[][] flush = new double[2][];
        String[] modes = {"normal", "full"};
        for (int round = 0; round < 2; round++) {
            for (int m = 0; m < 2; m++) {
                String uri = "sqlite:" + work.resolve("durability-" + modes[m] + round + ".db") + "?synchronous=" + modes[m];
                try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
                    startEnd[m] = startEndMillis(tracker);
                    flush[m] = flushMillis(tracker);
                }
            }
        }
        for (int m = 0; m < 2; m++) {
            String conditions = "synchronous=" + modes[m] + ", WAL, second of two interleaved rounds";
            // Fsyncing two commits cannot take under 1 ms on most disks; with synchronous=full the line
            // is MLflow's SQLite store, which fsyncs every commit too: 9 ms for a run's start and end.
            out.accept(new Figure("start_and_end_empty_run_synchronous_" + modes[m], RegistryBenchmark.mean(startEnd[m]), "ms",
                    m == 0 ? 1 : 9, false, null, conditions + ", mean of " + EMPTY_RUNS));
            out.accept(new Figure("logMetric_then_flush_synchronous_" + modes[m] + "_p50", RegistryBenchmark.percentile(flush[m], 0.50), "ms",
                    m == 0 ? 1 : 20, false, null, conditions + ", " + FLUSHED_POINTS + " points"));
            out.accept(new Figure("logMetric_then_flush_synchronous_" + modes[m] + "_p99", RegistryBenchmark.percentile(flush[m], 0.99), "ms",
                    m == 0 ? 5 : 50, false, null, conditions + ", " + FLUSHED_POINTS + " points"));
        }
    }

    private static double[] startEndMillis(Tracker tracker) {
        for (int i = 0; i < 100; i++) {
            tracker.startRun("warmup").close();
        }
        double[] times = new double[EMPTY_RUNS];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            tracker.startRun("empty").close();
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        return times;
    }

    private static double[] flushMillis(Tracker tracker) {
        double[] times = new double[FLUSHED_POINTS];
        try (ActiveRun run = tracker.startRun("flush")) {
            for (int i = 0; i < 200; i++) {
                run.logMetric("warmup", i, i).flush();
            }
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                run.logMetric("loss", 1.0 / (i + 1), i).flush();
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return times;
    }

    static void bulk(Path work, Consumer<Figure> out) {
        double perCallSeconds;
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + work.resolve("bulk-per-call.db")).shutdownHook(false).build()) {
            long t0 = System.nanoTime();
            for (int r = 0; r < PER_CALL_RUNS; r++) {
                try (ActiveRun run = tracker.startRun("bulk")) {
                    for (int k = 0; k < 10; k++) {
                        run.logParam("p" + k, r + k);
                    }
                    for (int k = 0; k < 10; k++) {
                        run.logMetric("m" + k, r * 0.5 + k, 0);
                    }
                }
            }
            perCallSeconds = (System.nanoTime() - t0) / 1e9 * BULK_RUNS / PER_CALL_RUNS;
        }
        double recordSeconds;
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + work.resolve("bulk-record.db")).shutdownHook(false).build()) {
            long t0 = System.nanoTime();
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            List<String> ids = new ArrayList<>();
            for (int from = 0; from < BULK_RUNS; from += RECORD_BATCH) {
                List<RunRecord> batch = new ArrayList<>(RECORD_BATCH);
                for (int r = from; r < from + RECORD_BATCH; r++) {
                    Instant started = start.plusMillis(r * 1000L);
                    Map<String, String> params = new LinkedHashMap<>();
                    List<Metric> metrics = new ArrayList<>(10);
                    for (int k = 0; k < 10; k++) {
                        params.put("p" + k, Integer.toString(r + k));
                        metrics.add(new Metric("m" + k, r * 0.5 + k, 0, started.toEpochMilli()));
                    }
                    batch.add(new RunRecord("run-" + r, RunStatus.FINISHED, started, started.plusMillis(500), params,
                            Map.of(), metrics));
                }
                ids.addAll(tracker.recordRuns("bulk", batch));
            }
            recordSeconds = (System.nanoTime() - t0) / 1e9;
            var last = tracker.getRun(ids.get(BULK_RUNS - 1));
            if (ids.size() != BULK_RUNS || last.data().params().size() != 10 || last.data().metrics().size() != 10) {
                throw new IllegalStateException("recordRuns stored " + ids.size() + " runs; the last has " + last.data());
            }
        }
        out.accept(new Figure("create_100000_runs_x10_params_x10_metrics_per_call_extrapolated", perCallSeconds, "s",
                240, false, null, "startRun, 10 logParam, 10 logMetric, close; " + PER_CALL_RUNS + " runs timed, times "
                + BULK_RUNS / PER_CALL_RUNS));
        out.accept(new Figure("create_100000_runs_x10_params_x10_metrics_recordRuns", recordSeconds, "s", 24, false,
                perCallSeconds, "Tracker.recordRuns, " + RECORD_BATCH + " runs a call, all " + BULK_RUNS
                + " timed; baseline is the per-call path above"));
    }
}
