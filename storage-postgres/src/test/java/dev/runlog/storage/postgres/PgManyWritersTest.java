package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four training JVMs on one database, as four hosts of a team would be ({@link WriterChild}), each
 * step started in all of them at once: metric points from two threads each, every count exact;
 * registrations of one model, numbered exactly 1..100; promotions of different versions to
 * Production with archive-existing, after which never two versions hold the stage, by a read of each
 * child after each of its steps and by a watcher in this JVM reading the table in one statement.
 * One set of children does the three steps, so the JVMs start once.
 */
@ExtendWith(TestPostgres.class)
class PgManyWritersTest {
    private static final int CHILDREN = 4;
    private static final String MODEL = "shared";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    /** A child JVM: its stdin to give steps, its stdout as lines. */
    private record Child(Process process, PrintWriter in, BlockingQueue<String> out, StringBuilder all) {
        /** The lines it prints before {@code last}, which it must print within the step timeout. */
        List<String> until(String last) throws InterruptedException {
            List<String> lines = new ArrayList<>();
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (true) {
                String line = out.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertTrue(line != null, "no " + last + " within " + STEP_TIMEOUT + "; printed:\n" + all);
                assertTrue(!line.equals("EOF"), "the child ended before " + last + "; printed:\n" + all);
                if (line.equals(last)) {
                    return lines;
                }
                lines.add(line);
            }
        }
    }

    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Child child : children) {
            child.in().println("exit");
            child.in().flush();
            if (!child.process().waitFor(10, TimeUnit.SECONDS)) {
                child.process().destroyForcibly();
            }
        }
    }

    @Test
    void fourJvmsWriteMetricsRegisterAndPromoteInOneDatabaseAndEveryCountIsExact() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.freshDatabase(temp.resolve("store"));
        String uri = pg.uri(database);
        // Migrated before the children open it, so that they race on the work, not on the schema.
        PgDeployTest.open(uri).close();
        for (int c = 0; c < CHILDREN; c++) {
            children.add(spawn(uri, c));
        }
        for (int c = 0; c < CHILDREN; c++) {
            assertEquals(List.of(), children.get(c).until("READY " + c), "child " + c + " starting");
        }

        List<List<String>> metrics = all("metrics");
        List<List<String>> registered = all("register");
        ProductionWatcher watcher = new ProductionWatcher(pg, database);
        List<List<String>> promoted;
        try {
            promoted = all("promote");
        } finally {
            watcher.stop();
        }
        watcher.check();

        try (Tracker tracker = PgDeployTest.open(uri)) {
            for (int c = 0; c < CHILDREN; c++) {
                String runId = only(metrics.get(c), "RUN " + c + " ").trim();
                for (int t = 0; t < WriterChild.THREADS; t++) {
                    MetricSeries series = tracker.metricSeries(runId, "t" + t);
                    assertEquals(WriterChild.POINTS, series.size(), "points of child " + c + " thread " + t);
                    long[] steps = LongStream.range(0, WriterChild.POINTS).toArray();
                    assertArrayEquals(steps, series.steps(), "each step once, child " + c + " thread " + t);
                    assertArrayEquals(LongStream.of(steps).asDoubleStream().toArray(), series.values());
                }
            }

            ModelRegistry registry = ModelRegistry.of(tracker);
            Map<Integer, Integer> childOf = new TreeMap<>();
            for (int c = 0; c < CHILDREN; c++) {
                for (String line : registered.get(c)) {
                    String[] parts = line.split(" ");
                    assertEquals("VERSION " + c, parts[0] + " " + parts[1], line);
                    Integer previous = childOf.put(Integer.parseInt(parts[2]), c);
                    assertEquals(null, previous, "version " + parts[2] + " given to child " + previous + " and " + c);
                }
            }
            int total = CHILDREN * WriterChild.VERSIONS;
            List<Integer> oneToHundred = IntStream.rangeClosed(1, total).boxed().toList();
            assertEquals(oneToHundred, List.copyOf(childOf.keySet()), "the numbers the children were given");
            assertEquals(oneToHundred, registry.searchVersions("name = '" + MODEL + "'").stream()
                    .map(ModelVersion::version).sorted().toList(), "the versions in the database");

            int steps = 0;
            for (int c = 0; c < CHILDREN; c++) {
                for (String line : promoted.get(c)) {
                    assertTrue(line.startsWith("STEP " + c + " "), "child " + c + ": " + line);
                    steps++;
                }
            }
            assertEquals(CHILDREN * WriterChild.STEPS, steps);
            assertEquals(1, registry.searchVersions("name = '" + MODEL + "' AND stage = 'Production'").size());
            long promotions = registry.history(MODEL).stream().filter(e -> e.action() == ModelEvent.Action.STAGE_CHANGED
                    && Stage.parse(e.to()) == Stage.PRODUCTION).count();
            assertEquals(steps, promotions, "every promotion in the trail");
        }
    }

    /** Tells every child {@code step} at once and collects what each printed for it. */
    private List<List<String>> all(String step) throws InterruptedException {
        for (Child child : children) {
            child.in().println(step);
            child.in().flush();
        }
        List<List<String>> lines = new ArrayList<>();
        for (Child child : children) {
            lines.add(child.until("DONE " + step));
        }
        return lines;
    }

    private static String only(List<String> lines, String prefix) {
        List<String> matching = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, matching.size(), prefix + " in " + lines);
        return matching.get(0).substring(prefix.length());
    }

    private static Child spawn(String uri, int c) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // No hsperfdata file: a pid reused while another JVM's file of that pid is still locked makes the JVM
                // print a warning into the output this test reads line by line.
                "-Xmx256m", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), WriterChild.class.getName(), uri,
                Integer.toString(c), MODEL).redirectErrorStream(true);
        builder.environment().remove("RUNLOG_TRACKING_URI");
        Process process = builder.start();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        StringBuilder all = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    if (!line.startsWith("SLF4J(")) { // HikariCP's logging finding no binding, as in every JVM here
                        out.add(line);
                    }
                }
            } catch (IOException e) {
                // the child is gone: EOF below says so
            }
            out.add("EOF");
        }, "child-" + c);
        reader.setDaemon(true);
        reader.start();
        return new Child(process, new PrintWriter(process.getOutputStream(), false, StandardCharsets.UTF_8), out, all);
    }

    /** Counts the versions in Production in one statement, over and over, while the children promote. */
    private static final class ProductionWatcher {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicInteger reads = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();
        private final Thread thread;

        ProductionWatcher(TestPostgres pg, String database) {
            thread = new Thread(() -> {
                try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
                    while (running.get()) {
                        most.accumulateAndGet(production(s), Math::max);
                        reads.incrementAndGet();
                        Thread.sleep(2); // the children need the cores more
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "production-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        private static int production(Statement s) throws SQLException {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM runlog_versions WHERE name = '" + MODEL
                    + "' AND stage = 'PRODUCTION'")) {
                rs.next();
                return rs.getInt(1);
            }
        }

        void check() {
            assertEquals(null, failure.get(), "the watcher failed");
            assertTrue(reads.get() > 0, "the watcher never read");
            assertTrue(most.get() <= 1, "the watcher saw " + most.get() + " versions in Production at once");
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
