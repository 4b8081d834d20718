package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM that exits with a run still going: the hook stores buffered points and marks the run KILLED. */
class ShutdownHookTest {
    @Test
    void exitWithOpenTrackerFlushesPointsAndKillsRunningRuns() throws IOException, InterruptedException {
        int points = 200_000;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ShutdownHookChild.class.getName(), Integer.toString(points))
                .redirectErrorStream(true)
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, child.exitValue(), String.join("\n", lines));

        String runId = lines.stream().filter(l -> l.startsWith("LOGGED ")).findFirst()
                .orElseThrow(() -> new AssertionError("child output: " + lines)).substring(7);
        assertTrue(lines.contains("ENDED " + runId + " KILLED " + points),
                "expected the hook to store all " + points + " points, then end the run KILLED; child output: " + lines);
    }
}
