package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.RunSpec;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs and temporary files of processes that died without cleaning up (kill -9): the SQLite store
 * records which process owns each running run, and opening it ends the runs, and removes the
 * temporary files, of owners on this machine that are gone, and nothing of a live process.
 */
class DeadProcessRunsTest {
    private static final Instant OPENED = Instant.parse("2030-01-02T03:04:05.678Z");

    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A child that owns a RUNNING run and is in the middle of writing an artifact. */
    private record Child(Process process, String runId) {
        long pid() {
            return process.pid();
        }
    }

    private Child startChild(Path db) throws Exception {
        Process process = ChildJvm.start(OwnerChild.class, db.toString());
        children.add(process);
        ChildJvm.Lines out = new ChildJvm.Lines("owner child stdout", process.getInputStream());
        new ChildJvm.Lines("owner child stderr", process.getErrorStream());
        String runId = out.await(line -> line.startsWith("RUN "), "RUN <id>", Duration.ofSeconds(60)).substring(4);
        out.await("STREAMING"::equals, "STREAMING", Duration.ofSeconds(60));
        return new Child(process, runId);
    }

    private static void kill(Child child) throws InterruptedException {
        // Through the handle: SIGKILL, no shutdown hook, nothing cleaned up.
        assertTrue(child.process().toHandle().destroyForcibly(), "could not kill the child");
        assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "the killed child did not go away");
    }

    /** The names of the temporary files in the artifact store's directory for them. */
    private static List<String> tempFiles(Path db) throws IOException {
        Path temp = db.resolveSibling(db.getFileName() + ".artifacts").resolve(".runlog-tmp");
        if (!Files.isDirectory(temp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean ownedBy(List<String> tempFiles, Child child) {
        return tempFiles.stream().anyMatch(name -> name.contains("-" + child.pid() + "-"));
    }

    /** One dead run's damaged record failed the whole clean-up, at every open: the others stayed RUNNING for good. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDeadRunWhoseRecordIsDamagedDoesNotKeepTheOthersRunning() throws Exception {
        Path db = dir.resolve("damaged.db");
        Child damaged = startChild(db);
        Child healthy = startChild(db);
        kill(damaged);
        kill(healthy);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run_data SET data = x'00112233' WHERE run_id = '" + damaged.runId() + "'");
        }
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            assertEquals(RunStatus.KILLED, tracker.getRun(healthy.runId()).info().status());
            assertEquals(List.of(), tracker.killOrphanedRuns(), "the damaged run is left as it is, for doctor to name");
            assertTrue(dev.runlog.tracking.spi.TrackerStores.of(tracker).tracking().checkStore().problems().stream()
                    .anyMatch(p -> p.startsWith("Run " + damaged.runId())), "doctor names it");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void openingEndsTheRunsOfAKilledProcessAndRemovesItsTempFilesButNotALiveOnes() throws Exception {
        Path db = dir.resolve("owners.db");
        Child dead = startChild(db);
        Child live = startChild(db);
        assertTrue(ownedBy(tempFiles(db), dead) && ownedBy(tempFiles(db), live), tempFiles(db).toString());
        kill(dead);

        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).clock(Clock.fixed(OPENED, ZoneOffset.UTC))
                .shutdownHook(false).build()) {
            Run killed = tracker.getRun(dead.runId());
            assertEquals(RunStatus.KILLED, killed.info().status());
            // Its last stored point, not the opening's time (years later on this clock): a duration says how long it ran.
            Instant lastPoint = Instant.ofEpochMilli(killed.data().latestMetrics().get("alive").timestamp());
            assertEquals(Optional.of(lastPoint), killed.info().endTime(), "ended at its last sign of life");
            String reason = killed.data().tags().get(Tracker.KILLED_REASON_TAG);
            assertTrue(reason != null && reason.contains("pid " + dead.pid()), "reason: " + reason);
            assertEquals(Long.toString(dead.pid()), killed.data().params().get("pid"), "the run's data is kept");
            assertFalse(ownedBy(tempFiles(db), dead), "the dead writer's temp file is gone: " + tempFiles(db));

            assertEquals(RunStatus.RUNNING, tracker.getRun(live.runId()).info().status(), "a live process's run is untouched");
            assertTrue(ownedBy(tempFiles(db), live), "a live writer's temp file is kept: " + tempFiles(db));
            assertEquals(List.of(), tracker.killOrphanedRuns(), "nothing more to do while the other child lives");

            // The explicit call, for a long-lived process: the same, without reopening.
            kill(live);
            assertEquals(List.of(live.runId()), tracker.killOrphanedRuns());
            assertEquals(RunStatus.KILLED, tracker.getRun(live.runId()).info().status());
            assertEquals(List.of(), tempFiles(db));
        }
    }

    /** A run an MLflow client logs through the server: the server's restart ended it as orphaned. */
    @Test
    void aRunCreatedUnownedIsNeverEndedAsOrphaned() throws Exception {
        Path db = dir.resolve("unowned.db");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            ActiveRun owned = tracker.startRun("owners");
            TrackerStores stores = TrackerStores.of(tracker);
            String clientRun = "c1".repeat(16);
            stores.tracking().createUnownedRun(new RunSpec(clientRun, tracker.getRun(owned.id()).info().experimentId(),
                    "client", RunStatus.RUNNING, Instant.now(), stores.artifacts().artifactUri(clientRun), Map.of("k", "v")));
            // Every recorded owner now reads as a process gone (a pid reused since): only the owned run has one.
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 PreparedStatement gone = c.prepareStatement("UPDATE run_owners SET process_start = 0")) {
                assertEquals(1, gone.executeUpdate());
            }
            assertEquals(List.of(owned.id()), tracker.killOrphanedRuns());
            Run client = tracker.getRun(clientRun);
            assertEquals(RunStatus.RUNNING, client.info().status(), "its client, not this process, ends it");
            assertEquals("v", client.data().tags().get("k"));
            stores.tracking().endRun(clientRun, RunStatus.FINISHED, Instant.now());
            assertEquals(RunStatus.FINISHED, tracker.getRun(clientRun).info().status());
        }
    }

    @Test
    void runsOfAnotherMachineAreNeverTouchedAndAReusedPidIsNoOwner() throws Exception {
        Path db = dir.resolve("owners.db");
        try (Tracker owner = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            ActiveRun elsewhere = owner.startRun("owners");
            ActiveRun reused = owner.startRun("owners");
            ActiveRun mine = owner.startRun("owners");
            ActiveRun unknownStart = owner.startRun("owners");
            // What another machine, and a process whose pid this one now has, would have recorded;
            // and this live process with no start time recorded (where the JDK cannot tell one).
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 PreparedStatement host = c.prepareStatement("UPDATE run_owners SET host = 'another-machine', pid = ? WHERE run_id = ?");
                 PreparedStatement start = c.prepareStatement("UPDATE run_owners SET process_start = ? WHERE run_id = ?")) {
                host.setLong(1, Integer.MAX_VALUE); // no such pid here, which must not matter
                host.setString(2, elsewhere.id());
                assertEquals(1, host.executeUpdate());
                start.setLong(1, 0);
                start.setString(2, reused.id());
                assertEquals(1, start.executeUpdate());
                start.setNull(1, java.sql.Types.INTEGER);
                start.setString(2, unknownStart.id());
                assertEquals(1, start.executeUpdate());
            }
            try (Tracker opened = Tracker.open("sqlite:" + db)) {
                assertEquals(RunStatus.RUNNING, opened.getRun(elsewhere.id()).info().status());
                assertEquals(RunStatus.KILLED, opened.getRun(reused.id()).info().status());
                assertEquals(RunStatus.RUNNING, opened.getRun(mine.id()).info().status());
                assertEquals(RunStatus.RUNNING, opened.getRun(unknownStart.id()).info().status(),
                        "a live process whose start time is unknown was taken for gone");
            }
        }
    }

    @Test
    void openingDoesNotWaitForAnotherProcesssWriteToEndADeadProcesssRun() throws Exception {
        Path db = dir.resolve("busy.db");
        String orphan;
        try (Tracker owner = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            orphan = owner.startRun("owners").id();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 PreparedStatement start = c.prepareStatement("UPDATE run_owners SET process_start = 0 WHERE run_id = ?")) {
                start.setString(1, orphan); // this pid, another start time: its owner is gone
                assertEquals(1, start.executeUpdate());
            }
            try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + db);
                 java.sql.Statement s = writer.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // another process's long write transaction
                try {
                    try (Tracker opened = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                            java.time.Duration.ofSeconds(20), () -> Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build(),
                            "opening waited for another connection's write transaction")) {
                        assertEquals(RunStatus.RUNNING, opened.getRun(orphan).info().status(), "left for later");
                    }
                } finally {
                    s.execute("ROLLBACK");
                }
            }
            try (Tracker later = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
                assertEquals(RunStatus.KILLED, later.getRun(orphan).info().status(), "the next open ends it");
            }
        }
    }

    @Test
    void endRunEndsARunAnotherTrackerStarted() {
        Path db = dir.resolve("owners.db");
        try (Tracker starter = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
             Tracker ender = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            ActiveRun run = starter.startRun("owners");
            run.logParam("lr", 0.1);
            ender.endRun(run.id(), RunStatus.FAILED);
            assertEquals(RunStatus.FAILED, ender.getRun(run.id()).info().status());
            assertEquals(RunStatus.FAILED, starter.getRun(run.id()).info().status());
        }
    }
}
