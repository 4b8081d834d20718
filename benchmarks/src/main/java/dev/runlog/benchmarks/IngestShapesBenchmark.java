package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The metric write path in the shapes training code has, not only the one the suite's ingest figure
 * chose ({@code -Dbenchmarks=shapes}):
 *
 * <ul>
 *   <li>threads: 8 threads, each logging its own run's 10 keys (the suite's shape);</li>
 *   <li>interleaved: one thread logging 8 runs × 10 keys step by step (a sweep in one process);</li>
 *   <li>one run: one thread, one run, 10 keys.</li>
 * </ul>
 *
 * Each logs the same number of points, then flushes and closes the tracker (which checkpoints the
 * WAL), and reports points per second and bytes on disk per point. Then the caller's latency
 * tails, p50 and p99 of 2,000 calls: {@code flush()} after every point, and {@code logMetric} with
 * {@link Durability#SYNC}, each once on a quiet disk and once while another process writes and
 * fsyncs a big file in the same directory ({@link DiskLoad}).
 */
final class IngestShapesBenchmark {
    private static final int KEYS = 10;
    private static final int RUNS = 8;
    private static final int STEPS = 50_000;
    private static final int TAIL_CALLS = 2_000;
    /**
     * Warm-up before the 2,000 calls measured: blocks of 2,000 calls, timed as the measured ones
     * are, until the JIT compiled for at most {@link #SETTLED_JIT_MS} during one (at least
     * {@link #WARMUP_MIN} calls, at most {@link #WARMUP_MAX}). The JIT compiles the write path
     * over the first several thousand calls; after a fixed 300 the measured calls shared the two
     * cores with the compiler threads, and its compilations, not the writes, made the p99
     * (session 10: 150-1,000 ms of compiling inside the measured window, flush p99 2.0-2.4 ms
     * beside the disk load). Each figure prints the warm-up calls made and the compiling during
     * its measured calls.
     */
    private static final int WARMUP_MIN = 4_000;
    private static final int WARMUP_MAX = 30_000;
    private static final long SETTLED_JIT_MS = 2;

    private IngestShapesBenchmark() {
    }

    static void run(Path work, NaiveBaseline naive, Consumer<Figure> out) throws Exception {
        shapes(work, naive, out);
        tails(work, out);
    }

    static void shapes(Path work, NaiveBaseline naive, Consumer<Figure> out) throws Exception {
        double naiveRate = naive.pointsPerSecondOneByOne(2);
        double naiveBytes = naive.bytesPerPoint(200_000);
        String version = sqliteVersion(work);
        String[] keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "metric_" + k;
        }
        // Unmeasured: the first shape would otherwise pay for compiling the write path.
        shape(work, "warmup", RUNS, true, STEPS / 5, keys, naiveRate, naiveBytes, version, figure -> { });
        shape(work, "threads", RUNS, true, STEPS, keys, naiveRate, naiveBytes, version, out);
        shape(work, "interleaved", RUNS, false, STEPS, keys, naiveRate, naiveBytes, version, out);
        shape(work, "one_run", 1, false, STEPS * RUNS, keys, naiveRate, naiveBytes, version, out);
    }

    /** The caller's latency tails; {@code -Dbenchmarks=tails} runs only these. */
    static void tails(Path work, Consumer<Figure> out) throws Exception {
        String version = sqliteVersion(work);
        for (boolean busy : new boolean[] {false, true}) {
            tails(work, "flush_each_point", Durability.ASYNC, busy, version, out);
            tails(work, "sync_logMetric", Durability.SYNC, busy, version, out);
        }
    }

    /**
     * Logs {@code runs} runs × the keys × {@code steps} steps: from one thread per run, or from one
     * thread stepping every run in turn; then flush and close.
     */
    private static void shape(Path work, String name, int runs, boolean threadPerRun, int steps, String[] keys,
                              double naiveRate, double naiveBytes, String version, Consumer<Figure> out)
            throws Exception {
        Path db = work.resolve("shape-" + name + ".db");
        long points = (long) runs * keys.length * steps;
        List<String> runIds = new ArrayList<>();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            List<ActiveRun> active = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                active.add(tracker.startRun(name));
            }
            if (threadPerRun) {
                List<Thread> threads = new ArrayList<>();
                for (ActiveRun run : active) {
                    threads.add(new Thread(() -> {
                        for (int step = 0; step < steps; step++) {
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
            } else {
                for (int step = 0; step < steps; step++) {
                    for (ActiveRun run : active) {
                        for (int k = 0; k < keys.length; k++) {
                            run.logMetric(keys[k], Math.exp(-step * 1e-5) + k, step);
                        }
                    }
                }
            }
            active.get(0).flush();
            for (ActiveRun run : active) {
                run.close();
                runIds.add(run.id());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // CPU time per point does not depend on what else the machine runs, unlike points per second.
        double cpuPerPoint = (double) (processCpuNanos() - cpuStart) / points;
        String conditions = String.format(Locale.ROOT, "%d runs x %d keys x %d steps, %s, SQLite %s, ASYNC, flush and close,"
                        + " %.0f ns of CPU per point (all threads)",
                runs, keys.length, steps, threadPerRun ? "a thread per run" : "one thread", version, cpuPerPoint);
        out.accept(new Figure("shape_" + name + "_points_per_second", points / seconds, "points/s", 2_000_000, true,
                naiveRate, conditions));
        long bytes = Files.size(db) + sizeIfExists(Path.of(db + "-wal"));
        out.accept(new Figure("shape_" + name + "_bytes_per_point", (double) bytes / points, "bytes", 12, false,
                naiveBytes, conditions + ", WAL checkpointed, " + chunkStats(db)));
        verify(db, runIds, keys, steps);
    }

    /** How the points lie: chunk rows, points and blob bytes per row; explains a bytes/point figure. */
    private static String chunkStats(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), avg(point_count), avg(length(data)),"
                     + " (SELECT page_count FROM pragma_page_count), (SELECT page_size FROM pragma_page_size)"
                     + " FROM metric_chunks")) {
            rs.next();
            return String.format(Locale.ROOT, "%d chunk rows of %.0f points and %.0f bytes on average, %d pages of %d bytes",
                    rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5));
        }
    }

    private static void verify(Path db, List<String> runIds, String[] keys, int steps) {
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            for (String runId : runIds) {
                for (String key : keys) {
                    MetricSeries series = tracker.metricSeries(runId, key);
                    if (series.size() != steps || series.steps()[steps - 1] != steps - 1) {
                        throw new IllegalStateException("run " + runId + " key " + key + " holds " + series.size()
                                + " points, expected " + steps);
                    }
                }
            }
        }
    }

    /**
     * p50 and p99 of the caller's time for one point: {@code logMetric} then {@code flush()} with
     * ASYNC, or {@code logMetric} alone with SYNC; with {@code busy}, while {@link DiskLoad} runs.
     */
    private static void tails(Path work, String name, Durability durability, boolean busy, String version,
                              Consumer<Figure> out) throws Exception {
        Path db = work.resolve("tails-" + name + (busy ? "-busy" : "-quiet") + ".db");
        double[] millis = new double[TAIL_CALLS];
        double[] offCpu = new double[TAIL_CALLS];
        double[] runQueue = new double[TAIL_CALLS];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long gcBefore = gcMillis();
        long jitBefore;
        int warmUp = 0;
        double computeTail;
        double[] sorted;
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).durability(durability).shutdownHook(false).build();
             DiskLoad load = busy ? DiskLoad.start(work.resolve("disk-load.bin")) : null;
             RunQueue queued = new RunQueue();
             ActiveRun run = tracker.startRun("tails")) {
            // The warm-up runs the very loop that is measured, so that what the JIT compiles for
            // it (the loop, the timing around each call) is compiled before the measured block.
            long compiled;
            do {
                compiled = jitMillis();
                timeCalls(run, durability, warmUp, cpu, queued, millis, offCpu, runQueue);
                warmUp += TAIL_CALLS;
            } while (warmUp < WARMUP_MAX && (warmUp < WARMUP_MIN || jitMillis() - compiled > SETTLED_JIT_MS));
            jitBefore = jitMillis();
            timeCalls(run, durability, warmUp, cpu, queued, millis, offCpu, runQueue);
            sorted = millis.clone();
            Arrays.sort(sorted);
            computeTail = ComputeTail.ratio(sorted[TAIL_CALLS / 2]);
        }
        long gc = gcMillis() - gcBefore;
        long jit = jitMillis() - jitBefore;
        // Where the slowest 2 % spent their time: waiting (I/O, the scheduler, another thread) or computing.
        double p50 = sorted[TAIL_CALLS / 2];
        double p99 = sorted[TAIL_CALLS * 99 / 100];
        double slowWall = 0;
        double slowOff = 0;
        double slowQueued = 0;
        for (int i = 0; i < TAIL_CALLS; i++) {
            if (millis[i] >= sorted[TAIL_CALLS * 98 / 100]) {
                slowWall += millis[i];
                slowOff += offCpu[i];
                slowQueued += runQueue[i];
            }
        }
        String conditions = String.format(Locale.ROOT, "p50 %.3f ms, p99 %.3f ms, max %.3f ms of %d calls,"
                        + " after %d warm-up calls, slowest 2 pct %.0f pct off the caller's CPU"
                        + " (%.0f pct waiting for a core), GC %d ms, JIT compiling %d ms during the measured calls, %s, SQLite %s",
                p50, p99, sorted[TAIL_CALLS - 1], TAIL_CALLS, warmUp, 100 * slowOff / slowWall,
                100 * slowQueued / slowWall, gc, jit, busy ? "while another process writes and fsyncs a file beside the database"
                        : "quiet disk", version);
        String figure = "tail_" + name + (busy ? "_busy_disk" : "_quiet");
        out.accept(new Figure(figure + "_p50", p50, "ms", 1, false, null, conditions));
        // The caller's p99 should stay within a small multiple of its median.
        out.accept(new Figure(figure + "_p99_over_p50", p99 / p50, "x", 5, false, computeTail, conditions
                + "; baseline: p99/p50 of 2,000 slices of pure computation as long as the median call, timed right after"
                + " under the same conditions (ComputeTail)"));
    }

    /**
     * Logs {@link #TAIL_CALLS} points from step {@code firstStep}, flushing each with ASYNC, and
     * records each call's wall time, time off the caller's CPU and time waiting for a core.
     */
    private static void timeCalls(ActiveRun run, Durability durability, long firstStep, ThreadMXBean cpu,
                                  RunQueue queued, double[] millis, double[] offCpu, double[] runQueue) {
        for (int i = 0; i < TAIL_CALLS; i++) {
            long step = firstStep + i;
            long q0 = queued.nanos();
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            run.logMetric("loss", 1.0 / (step + 1), step);
            if (durability == Durability.ASYNC) {
                run.flush();
            }
            long wall = System.nanoTime() - t0;
            millis[i] = wall / 1e6;
            offCpu[i] = (wall - (cpu.getCurrentThreadCpuTime() - c0)) / 1e6;
            runQueue[i] = (queued.nanos() - q0) / 1e6;
        }
    }

    /**
     * Time the thread that opened it has waited for a core (Linux schedstat: run time, wait time,
     * slices); 0 where unknown. Opened once and read again in place: reading it through a new
     * file, a string and a regular expression at every call made garbage and work for the JIT
     * around the calls measured.
     */
    private static final class RunQueue implements AutoCloseable {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(128);

        RunQueue() {
            FileChannel opened;
            try {
                opened = FileChannel.open(Path.of("/proc/thread-self/schedstat"), StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                opened = null;
            }
            this.channel = opened;
        }

        long nanos() {
            if (channel == null) {
                return 0;
            }
            try {
                buffer.clear();
                channel.read(buffer, 0);
                int i = 0;
                while (i < buffer.position() && buffer.get(i) != ' ') {
                    i++; // skip the time run
                }
                long waited = 0;
                for (i++; i < buffer.position() && buffer.get(i) >= '0' && buffer.get(i) <= '9'; i++) {
                    waited = waited * 10 + buffer.get(i) - '0';
                }
                return waited;
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The JIT compilers' time so far (all compiler threads); 0 where the JVM does not count it. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static String sqliteVersion(Path work) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long sizeIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
