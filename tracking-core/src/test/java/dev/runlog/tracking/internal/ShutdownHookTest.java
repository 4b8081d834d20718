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
        List<String> lines = child(points, "slow");
        String runId = loggedRun(lines);
        assertTrue(lines.contains("ENDED " + runId + " KILLED " + points),
                "expected the hook to store all " + points + " points, then end the run KILLED; child output: " + lines);
        assertTrue(lines.contains("REASON " + runId + " the JVM shut down before the run ended (main returned, System.exit, a signal, Ctrl-C)"),
                "the run says why it was killed, as one of a process killed outright does: " + lines);
    }

    /** A store its trackers' close leaves open, so a test reads what they left in it. */
    private static FlakyStore keptOpen() {
        return new FlakyStore() {
            @Override
            public void close() {
                // kept open, to read the runs after their tracker closed
            }
        };
    }

    private static dev.runlog.tracking.Tracker trackerOn(FlakyStore store) {
        return dev.runlog.tracking.Tracker.builder()
                .store(store, dev.runlog.tracking.spi.ArtifactStore.inMemory()).shutdownHook(false).build();
    }

    /** Not at shutdown: a run still going when its tracker is closed ends KILLED, tagged with why. */
    @Test
    void aRunStillGoingWhenItsTrackerClosesEndsKilledAndSaysWhy() {
        FlakyStore store = keptOpen();
        dev.runlog.tracking.Tracker tracker = trackerOn(store);
        String id = tracker.startRun("iris").id();
        tracker.close();
        dev.runlog.tracking.Run killed = store.getRun(id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(dev.runlog.tracking.RunStatus.KILLED, killed.info().status());
        org.junit.jupiter.api.Assertions.assertEquals("its tracker was closed before the run ended",
                killed.data().tags().get(dev.runlog.tracking.Tracker.KILLED_REASON_TAG));
    }

    /**
     * A run another tracker (or process) ended already keeps that record when its own tracker
     * closes: no killed-reason tag blames the close for an end that was someone else's.
     */
    @Test
    void aRunEndedElsewhereIsNotTaggedAsKilledByItsTrackersClose() {
        FlakyStore store = keptOpen(); // shared by both trackers
        dev.runlog.tracking.Tracker mine = trackerOn(store);
        dev.runlog.tracking.Tracker other = trackerOn(store);
        dev.runlog.tracking.ActiveRun run = mine.startRun("iris");
        run.logMetric("loss", 0.5, 0);
        run.flush();
        other.endRun(run.id(), dev.runlog.tracking.RunStatus.KILLED); // an operator's kill
        try {
            mine.close();
        } catch (RuntimeException refusedEnd) {
            // the close may say that the run it found running had been ended meanwhile
        }
        other.close();
        dev.runlog.tracking.Run killed = store.getRun(run.id()).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(dev.runlog.tracking.RunStatus.KILLED, killed.info().status());
        org.junit.jupiter.api.Assertions.assertNull(killed.data().tags().get(dev.runlog.tracking.Tracker.KILLED_REASON_TAG),
                "the operator's kill is not blamed on the tracker's close");
    }

    /**
     * A batch still being written when the flush's wait runs out (the store held by another
     * process) lands before the run is marked KILLED: ended first, the run refused it.
     */
    @Test
    void aBatchStillBeingWrittenAtTheFlushTimeoutIsStoredBeforeTheRunEnds() throws IOException, InterruptedException {
        int points = 50_000;
        List<String> lines = child(points, "held");
        assertTrue(lines.contains("ENDED " + loggedRun(lines) + " KILLED " + points), "child output: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("runlog:")), "nothing was lost, so nothing is said: " + lines);
    }

    /** Points the store would not take at exit are reported on standard error, which outlives java.util.logging. */
    @Test
    void pointsLostAtExitAreSaidOnStandardError() throws IOException, InterruptedException {
        List<String> lines = child(1_000, "failing");
        assertTrue(lines.contains("ENDED " + loggedRun(lines) + " KILLED 0"), "child output: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("runlog:") && l.contains("1000 metric points") && l.contains("lost")),
                "child output: " + lines);
    }

    /**
     * A model load that never ends (a hostile java-serialized model, a huge copy) held the lock
     * the shutdown's close waited on with no limit: Ctrl-C and SIGTERM could not end the JVM.
     */
    @Test
    void theShutdownDoesNotWaitForAModelLoadThatNeverEnds() throws Exception {
        DefaultTracker tracker = (DefaultTracker) dev.runlog.tracking.Tracker.builder().uri("memory:").shutdownHook(false).build();
        java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        Thread load = new Thread(() -> {
            Path dir = tracker.modelCopies().startLoad();
            loading.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tracker.modelCopies().endLoad(dir, false);
        });
        load.start();
        assertTrue(loading.await(10, TimeUnit.SECONDS));
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> tracker.closeOnShutdown(java.time.Duration.ofMillis(200)));
        finish.countDown();
        load.join(10_000);
    }

    private static List<String> child(int points, String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ShutdownHookChild.class.getName(), Integer.toString(points), mode)
                .redirectErrorStream(true)
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, child.exitValue(), String.join("\n", lines));
        return lines;
    }

    private static String loggedRun(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("LOGGED ")).findFirst()
                .orElseThrow(() -> new AssertionError("child output: " + lines)).substring(7);
    }
}
