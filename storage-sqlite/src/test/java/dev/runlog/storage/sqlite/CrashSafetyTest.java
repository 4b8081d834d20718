package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: a process killed with SIGKILL while logging hard leaves a database that is intact,
 * and every point a returned {@code flush()} acknowledged is in it.
 */
class CrashSafetyTest {
    private static final int RUNS = 3;
    private static final int STEPS_PER_ROUND = 5_000;
    /** Flush rounds to wait for before the kill, each RUNS × 2 keys × STEPS_PER_ROUND points: about 1 s of logging. */
    private static final int ROUNDS_BEFORE_KILL = 60;

    private Process child;

    @TempDir
    Path dir;

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Series(String runId, String key) {
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void killedWhileLoggingLosesNoAcknowledgedPointAndLeavesAnIntactFile() throws Exception {
        Path file = dir.resolve("crash.db");
        child = ChildJvm.start(CrashChild.class, file.toString(), Integer.toString(RUNS), Integer.toString(STEPS_PER_ROUND));
        ChildJvm.Lines out = new ChildJvm.Lines("crash child stdout", child.getInputStream());
        ChildJvm.Lines err = new ChildJvm.Lines("crash child stderr", child.getErrorStream());

        String lastRound = "ROUND " + ROUNDS_BEFORE_KILL;
        out.await(lastRound::equals, lastRound, Duration.ofSeconds(60));
        // The child is by now logging the next round, its writer thread committing batches. SIGKILL
        // it through its handle: Process.destroyForcibly() would also close our end of its pipes,
        // losing lines it printed but we have not read yet; this way the pipe drains to its end.
        assertTrue(child.toHandle().destroyForcibly(), "could not kill the child");
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not go away");
        assertFalse(child.isAlive());
        List<String> lines = out.awaitEnd(Duration.ofSeconds(30));
        List<String> errors = err.awaitEnd(Duration.ofSeconds(30));
        String output = "child stdout:\n" + String.join("\n", lines) + "\nstderr:\n" + String.join("\n", errors);
        for (String line : errors) {
            String lower = line.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("exception") || lower.contains("warning") || lower.contains("locked"),
                    "the child reported trouble before it was killed:\n" + output);
        }

        Map<String, Integer> runIndex = new LinkedHashMap<>();
        Map<Series, Long> acknowledged = new LinkedHashMap<>();
        int acks = 0;
        for (String line : lines) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "RUN" -> {
                    assertEquals(3, parts.length, line);
                    runIndex.put(parts[1], Integer.parseInt(parts[2]));
                }
                case "ACK" -> {
                    assertEquals(4, parts.length, line);
                    assertTrue(runIndex.containsKey(parts[1]), "ACK for a run never announced: " + line);
                    assertTrue(CrashChild.KEYS.contains(parts[2]), line);
                    acknowledged.merge(new Series(parts[1], parts[2]), Long.parseLong(parts[3]), Math::max);
                    acks++;
                }
                case "ROUND" -> assertEquals(2, parts.length, line);
                default -> throw new AssertionError("unexpected line '" + line + "' in " + output);
            }
        }
        assertEquals(RUNS, runIndex.size(), output);
        assertTrue(acks >= ROUNDS_BEFORE_KILL * RUNS * CrashChild.KEYS.size(), "only " + acks + " ACK lines");
        assertEquals(RUNS * CrashChild.KEYS.size(), acknowledged.size(), acknowledged.toString());

        // 1. The file as SQLite sees it, before Runlog touches it again (plain JDBC recovers the WAL).
        assertTrue(Files.size(file) > 0);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            List<String> result = new ArrayList<>();
            while (rs.next()) {
                result.add(rs.getString(1));
            }
            assertEquals(List.of("ok"), result);
        }

        // 2. Every announced run, and every acknowledged point, exactly as logged.
        try (Tracker tracker = Tracker.open("sqlite:" + file)) {
            for (Map.Entry<String, Integer> entry : runIndex.entrySet()) {
                Run run = tracker.getRun(entry.getKey());
                assertEquals(RunStatus.KILLED, run.info().status(), "opening the store ends the killed child's runs");
                assertTrue(run.data().tags().containsKey(Tracker.KILLED_REASON_TAG), run.data().tags().toString());
                assertEquals(LifecycleStage.ACTIVE, run.info().lifecycleStage());
                assertEquals(Map.of("index", Integer.toString(entry.getValue())), run.data().params());
            }
            for (Map.Entry<Series, Long> entry : acknowledged.entrySet()) {
                Series series = entry.getKey();
                long count = entry.getValue();
                int index = runIndex.get(series.runId());
                List<Metric> history = tracker.metricHistory(series.runId(), series.key());
                String where = "run " + index + " (" + series.runId() + ") key " + series.key();
                assertTrue(history.size() >= count, where + ": " + count + " points acknowledged but only "
                        + history.size() + " stored");
                // The acknowledged points, and beyond them whatever the writer committed before the
                // kill: always a gap-free prefix of what was logged, never a torn batch.
                for (int step = 0; step < history.size(); step++) {
                    Metric point = history.get(step);
                    double expected = CrashChild.value(index, series.key(), step);
                    if (point.step() != step || Double.compare(point.value(), expected) != 0) {
                        throw new AssertionError(where + ": point " + step + " of " + history.size() + " (acknowledged "
                                + count + ") is " + point + ", expected step " + step + " value " + expected);
                    }
                }
            }
        }
    }
}
