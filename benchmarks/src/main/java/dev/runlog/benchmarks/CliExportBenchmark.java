package dev.runlog.benchmarks;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code runlog runs --format csv} of 100,000 runs × 10 params × 10 metrics from SQLite, in a JVM of
 * its own capped at {@code -Xmx256m} (so finishing proves the heap bound) with the launcher script's
 * options, timed from launch to exit,
 * beside a naive export that loads every run into a list before writing (uncapped: it needs more).
 */
final class CliExportBenchmark {
    static final String PEAK = "peak_heap_bytes=";

    private CliExportBenchmark() {
    }

    static void run(Path work, Consumer<Figure> print) throws Exception {
        Path db = work.resolve("search.db");
        if (Files.notExists(db)) {
            SearchBenchmark.populate(db);
        }
        String store = "sqlite:" + db;
        Measured cli = child(work, List.of("-Xmx256m", "-XX:+UseSerialGC"),
                "dev.runlog.cli.RunlogCli", "--store", store, "runs", "--format", "csv");
        Measured naive = child(work, List.of("-Xmx4g", "-XX:+UseSerialGC"),
                NaiveCsvExport.class.getName(), store);
        if (cli.lines != SearchBenchmark.RUNS + 1 || naive.lines != SearchBenchmark.RUNS + 1) {
            throw new IllegalStateException("the exports wrote " + cli.lines + " and " + naive.lines + " lines, expected "
                    + (SearchBenchmark.RUNS + 1));
        }
        print.accept(new Figure("cli_runs_csv_100000_runs_seconds", cli.seconds, "s", 5, false, naive.seconds));
        print.accept(new Figure("cli_runs_csv_100000_runs_peak_heap", cli.peakHeapMb, "MB", 256, false, naive.peakHeapMb));
    }

    record Measured(double seconds, double peakHeapMb, long lines) {
    }

    /**
     * Runs {@code mainClass} through {@link HeapProbe} in a child JVM with the options of the
     * launcher script (and a heap cap), its stdout to a file.
     */
    private static Measured child(Path work, List<String> jvmOptions, String... mainAndArgs) throws Exception {
        Path out = work.resolve("export.csv");
        Path err = work.resolve("export.err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(1, jvmOptions);
        command.add(HeapProbe.class.getName());
        command.addAll(List.of(mainAndArgs));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> errors = Files.readAllLines(err);
        if (code != 0) {
            throw new IllegalStateException(mainAndArgs[0] + " " + jvmOptions + " exited " + code + ": " + errors);
        }
        long peak = errors.stream().filter(line -> line.startsWith(PEAK)).mapToLong(line -> Long.parseLong(line.substring(PEAK.length())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no peak heap reported: " + errors));
        long lines;
        try (Stream<String> csv = Files.lines(out)) {
            lines = csv.count();
        }
        Files.delete(out);
        return new Measured(seconds, peak / (1024.0 * 1024.0), lines);
    }

    /**
     * Runs a main class and, when the JVM exits (System.exit included), prints the peak heap it
     * used to stderr: the sum of the heap pools' peaks, an upper bound of the true peak.
     */
    public static final class HeapProbe {
        private HeapProbe() {
        }

        public static void main(String[] args) throws Throwable {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long peak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                System.err.println(PEAK + peak);
            }));
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) rest);
        }
    }

    /** The naive export: every run in a list first, then the same columns as runlog writes. */
    public static final class NaiveCsvExport {
        private NaiveCsvExport() {
        }

        public static void main(String[] args) throws IOException {
            try (Tracker tracker = Tracker.builder().uri(args[0]).shutdownHook(false).build()) {
                List<Run> runs = tracker.searchRuns().maxResults(1000).list();
                TreeSet<String> params = new TreeSet<>();
                TreeSet<String> metrics = new TreeSet<>();
                for (Run run : runs) {
                    params.addAll(run.data().params().keySet());
                    metrics.addAll(run.data().latestMetrics().keySet());
                }
                BufferedWriter out = new BufferedWriter(new java.io.OutputStreamWriter(System.out), 1 << 16);
                List<String> header = new ArrayList<>(List.of("run_id", "run_name", "status", "start_time"));
                params.forEach(k -> header.add("params." + k));
                metrics.forEach(k -> header.add("metrics." + k));
                out.write(String.join(",", header));
                out.newLine();
                for (Run run : runs) {
                    StringBuilder line = new StringBuilder().append(run.info().id()).append(',').append(run.info().name())
                            .append(',').append(run.info().status()).append(',').append(run.info().startTime());
                    params.forEach(k -> line.append(',').append(run.data().params().getOrDefault(k, "")));
                    metrics.forEach(k -> line.append(',').append(run.data().metrics().getOrDefault(k, Double.NaN)));
                    out.write(line.toString());
                    out.newLine();
                }
                out.flush();
            }
        }
    }
}
