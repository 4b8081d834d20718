package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: several processes, each with several threads, log into one experiment of one
 * database file at the same time. Nothing is lost, nothing is locked out, and the experiment they
 * all race to create exists once.
 */
class MultiProcessTest {
    private static final int CHILDREN = 4;
    private static final int THREADS = 2;
    private static final int POINTS = 100_000;
    private static final String EXPERIMENT = "multi-process";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    /** Words that must not appear in anything a child prints. */
    private static final List<String> TROUBLE = List.of("database is locked", "locked", "busy", "exception",
            "error", "warning", "severe", "sqlite_");

    private final List<Process> children = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private record Worker(int child, int thread) {
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void fourProcessesOfTwoThreadsLogIntoOneExperimentOfOneFile() throws Exception {
        Path file = dir.resolve("shared.db");
        List<ChildJvm.Lines> outs = new ArrayList<>();
        List<ChildJvm.Lines> errs = new ArrayList<>();
        for (int c = 0; c < CHILDREN; c++) {
            Process child = ChildJvm.start(MultiProcessChild.class, file.toString(), EXPERIMENT, Integer.toString(c),
                    Integer.toString(THREADS), Integer.toString(POINTS));
            children.add(child);
            outs.add(new ChildJvm.Lines("child " + c + " stdout", child.getInputStream()));
            errs.add(new ChildJvm.Lines("child " + c + " stderr", child.getErrorStream()));
        }

        // Every JVM is up before any touches the file, so they all race to create it.
        for (int c = 0; c < CHILDREN; c++) {
            String ready = "READY " + c;
            await(c, outs, errs, ready::equals, ready);
        }
        tell("GO");
        // Every run exists before any point is logged, so all eight runs log at the same time.
        for (int c = 0; c < CHILDREN; c++) {
            for (int t = 0; t < THREADS; t++) {
                String suffix = " " + c + " " + t;
                await(c, outs, errs, l -> l.startsWith("STARTED ") && l.endsWith(suffix), "STARTED <run>" + suffix);
            }
        }
        tell("LOG");

        Map<String, Worker> runs = new LinkedHashMap<>();
        Set<Worker> workers = new HashSet<>();
        for (int c = 0; c < CHILDREN; c++) {
            Process child = children.get(c);
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "child " + c + " did not exit; stdout:\n"
                    + outs.get(c).text() + "\nstderr:\n" + errs.get(c).text());
            List<String> out = outs.get(c).awaitEnd(STEP_TIMEOUT);
            List<String> err = errs.get(c).awaitEnd(STEP_TIMEOUT);
            String output = "child " + c + " stdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
            assertEquals(0, child.exitValue(), output);
            for (String line : concat(out, err)) {
                String lower = line.toLowerCase(Locale.ROOT);
                for (String word : TROUBLE) {
                    assertTrue(!lower.contains(word), "child " + c + " printed '" + word + "':\n" + output);
                }
            }
            for (String line : out) {
                assertTrue(line.matches("(READY|DONE) " + c + "|(STARTED|RUN) [0-9a-f]{32} " + c + " [0-9]+"),
                        "unexpected line '" + line + "' from " + output);
                if (line.startsWith("RUN ")) {
                    String[] parts = line.split(" ");
                    Worker worker = new Worker(Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
                    assertTrue(workers.add(worker), "two runs reported for " + worker + ": " + output);
                    assertEquals(null, runs.put(parts[1], worker), "run id reported twice: " + output);
                }
            }
            assertTrue(out.contains("DONE " + c), output);
        }
        assertEquals(CHILDREN * THREADS, runs.size(), "runs reported: " + runs);

        try (Tracker tracker = Tracker.open("sqlite:" + file)) {
            List<Experiment> all = tracker.listExperiments(ViewType.ALL);
            assertEquals(1, all.size(), "experiments in the file: " + all);
            Experiment experiment = all.get(0);
            assertEquals(EXPERIMENT, experiment.name());
            assertEquals(LifecycleStage.ACTIVE, experiment.lifecycleStage());
            assertEquals(experiment, tracker.getExperimentByName(EXPERIMENT).orElseThrow());

            for (Map.Entry<String, Worker> entry : runs.entrySet()) {
                String runId = entry.getKey();
                Worker w = entry.getValue();
                Run run = tracker.getRun(runId);
                String where = "run " + runId + " of " + w;
                assertEquals(experiment.id(), run.info().experimentId(), where);
                assertEquals(RunStatus.FINISHED, run.info().status(), where);
                assertTrue(run.info().endTime().isPresent(), where);
                assertEquals(LifecycleStage.ACTIVE, run.info().lifecycleStage(), where);
                assertEquals(Map.of("worker", MultiProcessChild.worker(w.child(), w.thread())), run.data().params(), where);
                assertEquals(Integer.toString(w.child()), run.data().tags().get("child"), where);
                Metric latest = run.data().latestMetrics().get("loss");
                assertEquals(POINTS - 1, latest.step(), where);
                assertEquals(MultiProcessChild.value(w.child(), w.thread(), POINTS - 1), latest.value(), where);

                List<Metric> history = tracker.metricHistory(runId, "loss");
                assertEquals(POINTS, history.size(), where);
                for (int step = 0; step < POINTS; step++) {
                    Metric point = history.get(step);
                    double expected = MultiProcessChild.value(w.child(), w.thread(), step);
                    if (point.step() != step || Double.compare(point.value(), expected) != 0 || !point.key().equals("loss")) {
                        throw new AssertionError(where + ": point " + step + " is " + point + ", expected step " + step
                                + " value " + expected);
                    }
                }
            }
        }

        // No run beyond the eight reported ones, and no second experiment row, in the file itself.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            assertEquals(CHILDREN * THREADS, count(s, "SELECT count(*) FROM runs"));
            assertEquals(1, count(s, "SELECT count(*) FROM experiments WHERE name = '" + EXPERIMENT + "'"));
        }
    }

    /** Waits for child {@code c} to print a line; if it dies or hangs instead, fails with its stderr. */
    private void await(int c, List<ChildJvm.Lines> outs, List<ChildJvm.Lines> errs, Predicate<String> wanted,
                       String description) throws InterruptedException {
        try {
            outs.get(c).await(wanted, description, STEP_TIMEOUT);
        } catch (AssertionError e) {
            Process child = children.get(c);
            child.waitFor(10, TimeUnit.SECONDS);
            String exit = child.isAlive() ? "still running" : "exit code " + child.exitValue();
            AssertionError failure = new AssertionError(e.getMessage() + "\nchild " + c + " (" + exit + ") stderr:\n"
                    + errs.get(c).text());
            failure.initCause(e);
            throw failure;
        }
    }

    private void tell(String command) throws IOException {
        for (Process child : children) {
            OutputStream in = child.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }
}
