package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
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
 * {@link Durability#SYNC}, each once on a quiet disk and once while another thread writes and
 * fsyncs a big file in the same directory.
 */
final class IngestShapesBenchmark {
    private static final int KEYS = 10;
    private static final int RUNS = 8;
    private static final int STEPS = 50_000;
    private static final int TAIL_CALLS = 2_000;
    private static final int TAIL_WARMUP = 300;

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
     * ASYNC, or {@code logMetric} alone with SYNC; with {@code busy}, while a disk writer runs.
     */
    private static void tails(Path work, String name, Durability durability, boolean busy, String version,
                              Consumer<Figure> out) throws Exception {
        Path db = work.resolve("tails-" + name + (busy ? "-busy" : "-quiet") + ".db");
        double[] millis = new double[TAIL_CALLS];
        double[] offCpu = new double[TAIL_CALLS];
        double[] runQueue = new double[TAIL_CALLS];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long gcBefore = gcMillis();
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).durability(durability).shutdownHook(false).build();
             DiskWriter writer = busy ? new DiskWriter(work.resolve("disk-load.bin")) : null;
             ActiveRun run = tracker.startRun("tails")) {
            for (int i = 0; i < TAIL_WARMUP + TAIL_CALLS; i++) {
                long q0 = runQueueNanos();
                long c0 = cpu.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                run.logMetric("loss", 1.0 / (i + 1), i);
                if (durability == Durability.ASYNC) {
                    run.flush();
                }
                if (i >= TAIL_WARMUP) {
                    long wall = System.nanoTime() - t0;
                    millis[i - TAIL_WARMUP] = wall / 1e6;
                    offCpu[i - TAIL_WARMUP] = (wall - (cpu.getCurrentThreadCpuTime() - c0)) / 1e6;
                    runQueue[i - TAIL_WARMUP] = (runQueueNanos() - q0) / 1e6;
                }
            }
        }
        long gc = gcMillis() - gcBefore;
        // Where the slowest 2 % spent their time: waiting (I/O, the scheduler, another thread) or computing.
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
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
                        + " slowest 2 pct %.0f pct off the caller's CPU (%.0f pct waiting for a core), GC %d ms, %s, SQLite %s",
                p50, p99, sorted[TAIL_CALLS - 1], TAIL_CALLS, 100 * slowOff / slowWall, 100 * slowQueued / slowWall, gc, busy ? "while a thread writes and fsyncs a file beside the database"
                        : "quiet disk", version);
        String figure = "tail_" + name + (busy ? "_busy_disk" : "_quiet");
        out.accept(new Figure(figure + "_p50", p50, "ms", 1, false, null, conditions));
        // The caller's p99 should stay within a small multiple of its median.
        out.accept(new Figure(figure + "_p99_over_p50", p99 / p50, "x", 5, false, null, conditions));
    }

    /** Time the calling thread has waited for a core (Linux schedstat); 0 where unknown. */
    private static long runQueueNanos() {
        try {
            String[] fields = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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

    /** Another program loading the same disk: writes 1 MB blocks, fsyncing every 8 MB, until closed. */
    private static final class DiskWriter implements AutoCloseable {
        private static final long WRAP_BYTES = 256L << 20;
        private final Path file;
        private final Thread thread;
        private volatile boolean running = true;

        DiskWriter(Path file) {
            this.file = file;
            this.thread = new Thread(this::write, "disk-load");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void write() {
            ByteBuffer block = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < block.capacity(); i++) {
                block.put(i, (byte) (i * 31));
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                long written = 0;
                while (running) {
                    block.clear();
                    while (block.hasRemaining()) {
                        channel.write(block, written % WRAP_BYTES + block.position());
                    }
                    written += block.capacity();
                    if (written % (8 << 20) == 0) {
                        channel.force(false);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("the disk writer failed: " + e, e);
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join();
            Files.deleteIfExists(file);
        }
    }
}
