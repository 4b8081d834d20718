package dev.runlog.benchmarks;

import dev.runlog.monitoring.DriftTests;
import dev.runlog.monitoring.ModelMonitor;
import dev.runlog.monitoring.MonitorOptions;
import dev.runlog.monitoring.Reference;
import dev.runlog.monitoring.WindowReport;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The {@code monitor} figures: the cost of {@code record} on the serving thread (JMH, beside
 * {@code logMetric}'s median measured in the same run), and the time to evaluate a window of
 * 10,000 predictions × 30 features, beside a naive exact computation (the full sorted training
 * sample kept, the exact two-sample Kolmogorov–Smirnov test per feature).
 */
final class MonitorBenchmark {
    static final int FEATURES = 30;
    static final int WINDOW = 10_000;
    static final int TRAINING_ROWS = 10_000;
    private static final int REPEATS = 15;

    private MonitorBenchmark() {
    }

    static void run(Path work, Consumer<Figure> out) throws Exception {
        double logMetric = median(LogMetricBenchmark.class);
        double record = median(MonitorRecordBenchmark.class, "record");
        out.accept(new Figure("monitor_record_calling_thread_median", record, "ns", 1_000, false, null,
                "ModelMonitor.record of 30 features with windows of 1000 evaluated and logged to SQLite meanwhile; "
                        + "logMetric median in the same run: " + Math.round(logMetric) + " ns"));
        double mixed = median(MonitorRecordBenchmark.class, "recordMixed");
        out.accept(new Figure("monitor_record_mixed_calling_thread_median", mixed, "ns", 1_000, false, null,
                "ModelMonitor.record of an Object[] of 27 numbers and 3 categories, as above; "
                        + "logMetric median in the same run: " + Math.round(logMetric) + " ns"));
        double[] window = windowMillis(work);
        out.accept(new Figure("monitor_window_10000x30_evaluation", window[0], "ms", 50, false,
                naiveMillis(), "flush of 10000 recorded predictions x 30 features: drift per feature against KLL "
                        + "sketches of 10000 training rows (Wasserstein, Evidently's default above 1000 rows), "
                        + "metrics and the JSON report logged to SQLite; median of " + REPEATS + ", "
                        + Math.round(window[1] / 1e4) / 100.0 + " MB allocated by the flushing thread per window (median)"
                        + "; baseline: exact KS per feature against the full sorted training sample"));
    }

    private static double median(Class<?> benchmark) throws Exception {
        return median(benchmark.getName());
    }

    private static double median(Class<?> benchmark, String method) throws Exception {
        return median(benchmark.getName().replace(".", "\\.") + "\\." + method + "$");
    }

    private static double median(String include) throws Exception {
        RunResult result = new Runner(new OptionsBuilder().include(include)
                .verbosity(VerboseMode.SILENT).build()).runSingle();
        return result.getPrimaryResult().getStatistics().getPercentile(50);
    }

    /**
     * Median time of one full window (the drain of 10,000 recorded predictions, their evaluation and
     * logging) and median bytes the flushing thread allocated for it: on a VM, where touching fresh
     * memory is costly, what a window allocates is much of what it takes.
     */
    private static double[] windowMillis(Path work) {
        Reference reference = reference(TRAINING_ROWS, 1);
        double[][] rows = rows(WINDOW, 2);
        double[] times = new double[REPEATS];
        double[] allocated = new double[REPEATS];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + work.resolve("monitor.db")).shutdownHook(false).build();
             ModelMonitor monitor = ModelMonitor.forReference(tracker, "bench", reference,
                     MonitorOptions.defaults().window(WINDOW).pollInterval(Duration.ofHours(1)))) {
            for (int r = -3; r < REPEATS; r++) {   // 3 rounds of warm-up
                for (double[] row : rows) {
                    monitor.record(row, 1.0);
                }
                long bytes = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                List<WindowReport> reports = monitor.flush();
                long elapsed = System.nanoTime() - start;
                bytes = threads.getCurrentThreadAllocatedBytes() - bytes;
                if (reports.size() != 1 || reports.get(0).drift().orElseThrow().features().size() != FEATURES) {
                    throw new IllegalStateException("expected one window of " + FEATURES + " features: " + reports);
                }
                if (r >= 0) {
                    times[r] = elapsed / 1e6;
                    allocated[r] = bytes;
                }
            }
        }
        return new double[] {medianOf(times), medianOf(allocated)};
    }

    /** The same comparison done exactly: every training value kept, sorted, and Commons' exact-or-asymptotic KS. */
    private static double naiveMillis() {
        double[][] training = columns(rows(TRAINING_ROWS, 1));
        double[][] current = columns(rows(WINDOW, 2));
        double[] times = new double[REPEATS];
        for (int r = -3; r < REPEATS; r++) {
            long start = System.nanoTime();
            double sink = 0;
            for (int f = 0; f < FEATURES; f++) {
                double[] sorted = training[f].clone();
                Arrays.sort(sorted);
                sink += DriftTests.kolmogorovSmirnov(sorted, current[f]).pValue();
            }
            long elapsed = System.nanoTime() - start;
            if (Double.isNaN(sink)) {
                throw new IllegalStateException("a NaN p-value");
            }
            if (r >= 0) {
                times[r] = elapsed / 1e6;
            }
        }
        return medianOf(times);
    }

    /** Rows of 30 normal features, feature f with mean f and standard deviation 1 + f / 10. */
    static double[][] rows(int count, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[count][FEATURES];
        for (double[] row : rows) {
            for (int f = 0; f < FEATURES; f++) {
                row[f] = f + (1 + f / 10.0) * random.nextGaussian();
            }
        }
        return rows;
    }

    static Reference reference(int trainingRows, long seed) {
        double[][] columns = columns(rows(trainingRows, seed));
        Map<String, double[]> numeric = new LinkedHashMap<>();
        for (int f = 0; f < FEATURES; f++) {
            numeric.put("f" + f, columns[f]);
        }
        return Reference.of(numeric, Map.of());
    }

    /** The last 3 of the 30 features categorical: 4 categories each, drawn with uneven weights. */
    static Reference mixedReference(int trainingRows, long seed) {
        double[][] columns = columns(rows(trainingRows, seed));
        Map<String, double[]> numeric = new LinkedHashMap<>();
        Map<String, List<String>> categorical = new LinkedHashMap<>();
        for (int f = 0; f < FEATURES; f++) {
            if (f < FEATURES - 3) {
                numeric.put("f" + f, columns[f]);
            } else {
                categorical.put("f" + f, Arrays.stream(columns[f]).mapToObj(MonitorBenchmark::category).toList());
            }
        }
        return Reference.of(numeric, categorical);
    }

    /** Rows for {@link #mixedReference}: numbers as Double, the last 3 features as categories. */
    static Object[][] mixedRows(int count, long seed) {
        double[][] numbers = rows(count, seed);
        Object[][] rows = new Object[count][FEATURES];
        for (int i = 0; i < count; i++) {
            for (int f = 0; f < FEATURES; f++) {
                rows[i][f] = f < FEATURES - 3 ? (Object) numbers[i][f] : category(numbers[i][f] - f);
            }
        }
        return rows;
    }

    private static String category(double value) {
        return "c" + Math.floorMod((long) Math.floor(value), 4);
    }

    private static double[][] columns(double[][] rows) {
        double[][] columns = new double[FEATURES][rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int f = 0; f < FEATURES; f++) {
                columns[f][i] = rows[i][f];
            }
        }
        return columns;
    }

    private static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
