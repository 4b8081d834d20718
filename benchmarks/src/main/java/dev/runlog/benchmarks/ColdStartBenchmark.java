package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a command-line tool pays: a new JVM that opens {@code sqlite:FILE} with {@code Tracker.open}
 * and reads one 1,000-point series with {@code metricHistory}, timed by the parent from
 * {@code ProcessBuilder.start()} until the child reports the read done; median of
 * {@link #LAUNCHES}, after one launch that warms the disk cache and extracts SQLite's native
 * library. The child also reports how long the open and the read took inside it (the library's
 * share). Then the same read as a user types it, {@code runlog metric}, timed to the command's exit.
 */
final class ColdStartBenchmark {
    private static final int LAUNCHES = 5;

    private ColdStartBenchmark() {
    }

    static void run(Path work, Consumer<Figure> out) throws IOException, InterruptedException {
        Path db = work.resolve("cold.db");
        String runId;
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("cold")) {
            for (int step = 0; step < 1_000; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
            runId = run.id();
        }
        launch(db, runId);
        double[] total = new double[LAUNCHES];
        double[] open = new double[LAUNCHES];
        double[] read = new double[LAUNCHES];
        for (int i = 0; i < LAUNCHES; i++) {
            double[] child = launch(db, runId);
            total[i] = child[0];
            open[i] = child[1];
            read[i] = child[2];
        }
        double[] cli = new double[LAUNCHES];
        for (int i = 0; i < LAUNCHES; i++) {
            cli[i] = launchCli(db, runId);
        }
        String conditions = "new JVM (java -cp, default flags), Tracker.open + first metricHistory of 1000 points, median of "
                + LAUNCHES;
        out.accept(new Figure("cold_start_open_and_first_read_new_jvm", median(total), "ms", 150, false, null, conditions));
        out.accept(new Figure("cold_start_inside_jvm_Tracker_open", median(open), "ms", 100, false, null, conditions));
        out.accept(new Figure("cold_start_inside_jvm_first_metricHistory", median(read), "ms", 50, false, null, conditions));
        out.accept(new Figure("cold_start_cli_runlog_metric_whole_command", median(cli), "ms", 150, false, null,
                "runlog --store sqlite:FILE metric RUN loss (the CLI's main class on the class path, the launcher's"
                        + " -XX:+UseSerialGC), from start() to exit, 1000 points printed, median of " + LAUNCHES));
    }

    /** Wall milliseconds of the {@code runlog metric} command, from start() to exit, its output checked. */
    private static double launchCli(Path db, String runId) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.runlog.cli.RunlogCli", "--store", "sqlite:" + db, "metric", runId, "loss"))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        Process process = builder.start();
        long lines;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines = in.lines().count();
        }
        int code = process.waitFor();
        double wall = (System.nanoTime() - t0) / 1e6;
        if (code != 0 || lines < 1_000) {
            throw new IllegalStateException("runlog metric exited " + code + " after " + lines + " lines");
        }
        return wall;
    }

    /** Returns wall milliseconds from start() to the child's report, then the child's open and read times. */
    private static double[] launch(Path db, String runId) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), db.toString(), runId)).redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        Process process = builder.start();
        String line;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = in.readLine();
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        if (process.waitFor() != 0 || line == null) {
            throw new IllegalStateException("cold-start child failed: " + line);
        }
        String[] parts = line.split(" ");
        return new double[] {wall, Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The child: open, read, print "openMs readMs", exit. */
    static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            long t0 = System.nanoTime();
            try (Tracker tracker = Tracker.open("sqlite:" + args[0])) {
                long t1 = System.nanoTime();
                int points = tracker.metricHistory(args[1], "loss").size();
                long t2 = System.nanoTime();
                if (points != 1_000) {
                    throw new IllegalStateException("read " + points + " points");
                }
                System.out.println((t1 - t0) / 1e6 + " " + (t2 - t1) / 1e6);
                System.out.flush();
            }
        }
    }
}
