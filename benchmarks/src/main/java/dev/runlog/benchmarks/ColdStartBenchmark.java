package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a command-line tool pays, in new JVMs started from what users run: the shaded
 * {@code cli/target/runlog.jar} (every store, one jar; build it first, {@code -am package} does).
 *
 * <ul>
 *   <li>A child JVM opens {@code sqlite:FILE} with {@code Tracker.open} and reads one 1,000-point
 *       series with {@code metricHistory}; it reports the time of the open and the read inside it
 *       (the library's share, the target), and the parent times it from {@code start()} to that
 *       report. Beside it, a JVM that only prints a line (what any Java command pays).</li>
 *   <li>The same child in a JVM started with {@code -XX:SharedArchiveFile}, an archive of the
 *       classes an earlier launch loaded ({@code -XX:ArchiveClassesAtExit}), as the launcher runs
 *       the CLI; the child's class is put in a jar of its own, since only jars are archived.</li>
 *   <li>{@code runlog metric RUN loss} through the launcher script, timed to the command's exit,
 *       with the class archive the launcher wrote on a first run of {@code runlog --version}, as
 *       a new user's would be, beside the same without it ({@code RUNLOG_CDS=off}).</li>
 * </ul>
 * Medians of {@link #LAUNCHES}, after launches that warm the disk cache, extract SQLite's native
 * library and write the class archive.
 */
final class ColdStartBenchmark {
    private static final int LAUNCHES = 7;

    private ColdStartBenchmark() {
    }

    static void run(Path work, Consumer<Figure> out) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("runlog.jar", "../cli/target/runlog.jar")).toAbsolutePath().normalize();
        Path script = jar.getParent().resolve("../src/main/dist/runlog").normalize();
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(script)) {
            throw new IllegalStateException("no " + jar + " or " + script + ": package the cli module first");
        }
        String classes = ownClasses();
        String classPath = jar + File.pathSeparator + classes;
        // The JVM archives classes of jars only, so the child gets a jar of its own for the archived runs.
        String jarPath = jar + File.pathSeparator + childJar(work, classes);
        Path archive = work.resolve("child.jsa");
        Path db = work.resolve("cold.db");
        String runId;
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("cold")) {
            for (int step = 0; step < 1_000; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
            runId = run.id();
        }
        Map<String, String> cache = Map.of("XDG_CACHE_HOME", work.resolve("cache").toString());
        List<String> command = List.of("sh", script.toString(), "--store", "sqlite:" + db, "metric", runId, "loss");
        launch(classPath, Child.class, db.toString(), runId);
        launch(jarPath, List.of("-XX:ArchiveClassesAtExit=" + archive), Child.class, db.toString(), runId);
        launch(classPath, JvmOnly.class);
        // The launcher writes its archive on its first run; a user's first command is often --version.
        timeCommand(List.of("sh", script.toString(), "--version"), cache, 1);
        timeCommand(command, Map.of("RUNLOG_CDS", "off"));
        double[] total = new double[LAUNCHES];
        double[] inside = new double[LAUNCHES];
        double[] open = new double[LAUNCHES];
        double[] read = new double[LAUNCHES];
        double[] archived = new double[LAUNCHES];
        double[] jvm = new double[LAUNCHES];
        double[] cli = new double[LAUNCHES];
        double[] cliPlain = new double[LAUNCHES];
        for (int i = 0; i < LAUNCHES; i++) {
            // Interleaved, so a change in the machine's load touches every figure alike.
            double[] child = launch(classPath, Child.class, db.toString(), runId);
            total[i] = child[0];
            open[i] = child[1];
            read[i] = child[2];
            inside[i] = child[1] + child[2];
            double[] withArchive = launch(jarPath, List.of("-XX:SharedArchiveFile=" + archive), Child.class, db.toString(), runId);
            archived[i] = withArchive[1] + withArchive[2];
            jvm[i] = launch(classPath, JvmOnly.class)[0];
            cli[i] = timeCommand(command, cache);
            cliPlain[i] = timeCommand(command, Map.of("RUNLOG_CDS", "off"));
        }
        String conditions = "java -XX:+UseSerialGC -cp runlog.jar (the shaded CLI jar), sqlite:FILE, first metricHistory of"
                + " 1000 points, median of " + LAUNCHES + " interleaved launches, " + load();
        out.accept(new Figure("cold_start_open_and_first_read_inside_new_jvm", median(inside), "ms", 150, false, null,
                conditions + "; open " + round(median(open)) + " ms + read " + round(median(read)) + " ms"));
        out.accept(new Figure("cold_start_open_and_first_read_inside_new_jvm_with_class_archive", median(archived), "ms", 150,
                false, median(inside), conditions + "; the JVM started with -XX:SharedArchiveFile, an archive of the classes"
                        + " one earlier launch loaded (what the runlog launcher keeps for the CLI); baseline: the same without it"));
        out.accept(new Figure("cold_start_new_jvm_until_first_read", median(total), "ms", 150, false, median(jvm),
                conditions + "; baseline: a JVM that only prints a line, from start() to that line"));
        out.accept(new Figure("cold_start_cli_runlog_metric_whole_command", median(cli), "ms", 150, false, median(cliPlain),
                "sh cli/src/main/dist/runlog --store sqlite:FILE metric RUN loss, with the class archive the launcher wrote"
                        + " on a first run of runlog --version, from"
                        + " start() to exit, 1000 points printed; baseline: the same with RUNLOG_CDS=off; median of "
                        + LAUNCHES + ", " + load()));
    }

    private static String ownClasses() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry)) && Files.exists(Path.of(entry, ColdStartBenchmark.class.getName()
                    .replace('.', '/') + ".class"))) {
                return entry;
            }
        }
        throw new IllegalStateException("the benchmarks' classes are not a directory on the class path");
    }

    /** A jar holding only the child's class (from the {@code classes} directory), written under {@code work}. */
    private static Path childJar(Path work, String classes) throws IOException {
        String entry = Child.class.getName().replace('.', '/') + ".class";
        Path jar = work.resolve("cold-child.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             java.io.InputStream in = Files.newInputStream(Path.of(classes, entry))) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** Wall milliseconds of a command, from start() to exit, its output checked. */
    private static double timeCommand(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        return timeCommand(command, environment, 1_000);
    }

    private static double timeCommand(List<String> command, Map<String, String> environment, int minLines)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove("RUNLOG_JAVA_OPTS");
        builder.environment().putAll(environment);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        Process process = builder.start();
        long lines;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines = in.lines().count();
        }
        int code = process.waitFor();
        double wall = (System.nanoTime() - t0) / 1e6;
        if (code != 0 || lines < minLines) {
            throw new IllegalStateException(command + " exited " + code + " after " + lines + " lines");
        }
        return wall;
    }

    /** Wall milliseconds from start() to the child's first line, then the numbers on that line. */
    private static double[] launch(String classPath, Class<?> main, String... args) throws IOException, InterruptedException {
        return launch(classPath, List.of(), main, args);
    }

    private static double[] launch(String classPath, List<String> options, Class<?> main, String... args)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC"));
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
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
        double[] result = new double[3];
        result[0] = wall;
        String[] parts = line.split(" ");
        for (int i = 0; i < parts.length && i < 2; i++) {
            result[i + 1] = Double.parseDouble(parts[i]);
        }
        return result;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The machine's one-minute load average, as the conditions of a figure measured now. */
    private static String load() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(java.util.Locale.ROOT, "load average %.1f on %d cores", load,
                Runtime.getRuntime().availableProcessors());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
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

    /** The baseline child: a JVM that prints one line and exits. */
    static final class JvmOnly {
        private JvmOnly() {
        }

        public static void main(String[] args) {
            System.out.println("0 0");
        }
    }
}
