package dev.runlog.cli;

import static dev.runlog.cli.CommandsContract.assertFailed;
import static dev.runlog.cli.CommandsContract.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.cli.CliHarness.Result;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.spi.TrackerStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gc and doctor on a SQLite store, where files can go missing or change behind Runlog's back. */
class HealthCommandsTest {
    @TempDir
    Path dir;
    CliHarness h;

    @BeforeEach
    void open() {
        h = new CliHarness("sqlite:" + dir.resolve("runs.db")).withFixture();
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Path artifact(String runId, String path) {
        return dir.resolve("runs.db.artifacts").resolve(runId).resolve("artifacts").resolve(path);
    }

    private String scratchRun(String text) {
        try (ActiveRun run = h.tracker.startRun("scratch")) {
            run.logMetric("loss", 0.5).logText(text, "notes.txt");
            return run.id();
        }
    }

    @Test
    void doctorFindsAHealthyStoreHealthy() throws Exception {
        Result r = h.run("doctor");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.lines();
        assertEquals("check      result  summary", lines.get(0));
        assertTrue(lines.get(1).startsWith("store      ok      SQLite schema 11, "), lines.get(1));
        assertEquals("runs       ok      2 runs, 0 running; 0 ended as KILLED because their process died", lines.get(2));
        assertTrue(lines.get(3).startsWith("artifacts  ok      4 files ("), lines.get(3));
        assertEquals("models     ok      2 versions of 1 model checked against their model's digest", lines.get(4));
        assertEquals("healthy", lines.get(5));
        assertTrue(json(h.run("doctor", "--format", "json").out()).get("healthy").asBoolean());
    }

    @Test
    void doctorNamesEveryChangedOrMissingFileAndTheVersionsTheyBreak() throws Exception {
        Files.writeString(artifact(h.runA, "model/MLmodel.json"), "{}");
        Path payload;
        try (var files = Files.list(artifact(h.runB, "model/data"))) {
            payload = files.findFirst().orElseThrow();
        }
        Files.delete(payload);
        Files.writeString(artifact(h.runA, "planted.txt"), "put there by hand");

        Result r = h.run("doctor");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("artifacts: run " + h.runA + ": model/MLmodel.json: changed: SHA-256 "), r.out());
        assertTrue(r.out().contains("artifacts: run " + h.runB + ": model/data/" + payload.getFileName() + ": missing"), r.out());
        assertTrue(r.out().contains("artifacts: run " + h.runA + ": planted.txt: not recorded (left by a logArtifacts cut short,"), r.out());
        assertTrue(r.out().contains("models: iris-classifier version 1 (Production): "), r.out());
        // A payload file gone breaks the version registered from it, not only its run.
        assertTrue(r.out().contains("models: iris-classifier version 2 (None): its file model/data/" + payload.getFileName()
                + " is changed or missing (see artifacts); it no longer loads"), r.out());
        assertTrue(r.out().endsWith("unhealthy: 5 problems\n"), r.out());

        JsonNode json = json(h.run("doctor", "--format", "json").out());
        assertFalse(json.get("healthy").asBoolean());
        assertEquals(3, json.get("checks").get(2).get("problems").size());
    }

    /**
     * doctor is healthy, run while {@code path} of a running run holds new bytes whose record comes
     * half a second after doctor starts: as a job logging the file at that moment leaves it.
     */
    private void healthyWhileRecordFollows(ActiveRun run, String logged, String path) throws Exception {
        run.logText("logged before", logged);
        String content = "stored, its record not yet written";
        Files.writeString(artifact(run.id(), path), content);
        java.util.concurrent.CompletableFuture<Result> doctor = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> h.run("doctor"));
        Thread.sleep(500);
        run.logText(content, path); // the record follows
        Result r = doctor.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, r.code(), r::toString);
    }

    /**
     * A file is stored just before its record, so a run logging one while doctor looks has a file
     * without a record for a moment: doctor of a busy store said "unhealthy" every time. Such a file
     * of a running run is looked at again for a few seconds; one that gets its record passes, one
     * that does not is reported (a file planted in a run that stays RUNNING must not hide).
     */
    @Test
    void aRunningRunsFileIsReportedOnlyIfItStaysWithoutARecord() throws Exception {
        try (ActiveRun run = h.tracker.startRun("busy")) {
            healthyWhileRecordFollows(run, "progress/0.txt", "progress/1.txt");

            Files.writeString(artifact(run.id(), "planted.txt"), "put there by hand");
            Result planted = h.run("doctor");
            assertEquals(1, planted.code(), planted::toString);
            assertTrue(planted.out().contains("artifacts: run " + run.id() + ": planted.txt: not recorded (left by a"
                    + " logArtifacts cut short,"), planted.out());
            assertTrue(planted.out().contains("its run is running, so if a job is logging it now on a busy store, run"
                    + " doctor again)"), planted.out());
        }
    }

    /**
     * A running run logging a file again at the same path: its new bytes are stored just before its
     * new record, so doctor may read the old record and the new bytes (on PostgreSQL 4 runs in 5
     * while a job rewrote a file every 20 ms). The record is read again before the file is called changed.
     */
    @Test
    void aFileLoggedAgainWhileDoctorReadsItIsNotCalledChanged() throws Exception {
        try (ActiveRun run = h.tracker.startRun("rewriting")) {
            healthyWhileRecordFollows(run, "same.txt", "same.txt"); // logged, then logged again
        }
    }

    /**
     * A corrupt run record stopped the runs and artifacts checks at that run ("could not finish"),
     * hiding the other runs' damaged files; each check now goes on past it, naming it.
     */
    @Test
    void aCorruptRunRecordIsNamedAndTheOtherRunsAreStillChecked() throws Exception {
        String runA = h.runA;
        String runB = h.runB;
        Path payload;
        try (var files = Files.list(artifact(runB, "model/data"))) {
            payload = files.findFirst().orElseThrow();
        }
        Files.writeString(payload, "changed by hand");
        h.close();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runs.db"));
             var s = c.createStatement()) {
            s.executeUpdate("UPDATE run_data SET data = x'00112233' WHERE run_id = '" + runA + "'");
        }
        h = new CliHarness("sqlite:" + dir.resolve("runs.db"));
        Result r = h.run("doctor");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("runs: Run " + runA + ": The stored data record of a run is corrupt (retrying will not"
                + " help): it ends before its last field"), r.out());
        assertTrue(r.out().contains("artifacts: run " + runA + ": its record cannot be read, so its files were not checked"), r.out());
        assertTrue(r.out().contains("artifacts: run " + runB + ": model/data/" + payload.getFileName() + ": changed"), r.out());
        assertFalse(r.out().contains("could not finish"), r.out());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("runs ") && l.contains("2 runs, 0 running")), r.out());
    }

    /** A purge cannot be undone: on a store whose own check finds damage, gc purges nothing and says why. */
    @Test
    void gcPurgesNothingFromADamagedStore() throws Exception {
        String deleted = scratchRun("to purge");
        h.tracker.deleteRun(deleted);
        Path notes = artifact(deleted, "notes.txt");
        String runA = h.runA;
        h.close();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runs.db"));
             var s = c.createStatement()) {
            s.executeUpdate("UPDATE run_data SET data = x'00112233' WHERE run_id = '" + runA + "'");
        }
        h = new CliHarness("sqlite:" + dir.resolve("runs.db"));
        h.clock.advance(Duration.ofDays(1)); // the deleted run is old enough to purge

        Result r = h.run("gc", "--older-than", "0");

        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("the store's own check found 1 problem (") && r.err().contains("so gc purged nothing"),
                r.toString());
        assertTrue(Files.exists(notes), "the deleted run's files are kept");
        assertEquals(dev.runlog.tracking.LifecycleStage.DELETED,
                TrackerStores.of(h.tracker).tracking().getRun(deleted).orElseThrow().info().lifecycleStage(),
                "the deleted run is kept");
    }

    /** The artifact directory away (not mounted, moved): purging now would leave the runs' files behind for good. */
    @Test
    void gcPurgesNothingWhileTheArtifactStoreHoldsNoneOfTheFilesToPurge() throws Exception {
        String deleted = scratchRun("to purge");
        h.tracker.deleteRun(deleted);
        h.clock.advance(Duration.ofDays(1));
        Path artifacts = dir.resolve("runs.db.artifacts");
        Path away = Files.move(artifacts, dir.resolve("unmounted"));

        Result refused = h.run("gc", "--older-than", "0");
        assertEquals(1, refused.code(), refused::toString);
        assertTrue(refused.err().contains("none of the 1 run to purge that recorded files, nor any other run, has any in"
                + " the artifact store"), refused.toString());
        Result dry = h.run("gc", "--older-than", "0", "--dry-run");
        assertEquals(1, dry.code(), "a dry run says what gc would do, the refusal too: " + dry);

        Files.move(away, artifacts);
        Result gc = h.run("gc", "--older-than", "0");
        assertEquals(0, gc.code(), gc::toString);
        assertTrue(gc.out().startsWith("purged 1 run"), gc.out());
        assertFalse(Files.exists(artifacts.resolve(deleted)), "the purged run's files are deleted with it");

        // Files deleted by hand from the runs to purge, while other runs' files are there: purged as usual.
        String handCleaned = scratchRun("deleted by hand");
        h.tracker.deleteRun(handCleaned);
        h.clock.advance(Duration.ofDays(1));
        try (Stream<Path> files = Files.walk(artifacts.resolve(handCleaned))) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Result cleaned = h.run("gc", "--older-than", "0");
        assertEquals(0, cleaned.code(), cleaned::toString);
        assertTrue(cleaned.out().startsWith("purged 1 run"), cleaned.out());
    }

    @Test
    void doctorNamesAnExperimentOfAnMlflowImportThatWasStoppedBeforeItFinished() {
        String experiment = h.tracker.getRun(h.runA).info().experimentId();
        h.tracker.setExperimentTag(experiment, "runlog.mlflowImport", "unfinished"); // as import-mlflow leaves it when killed
        Result r = h.run("doctor");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("runs: experiment 'iris' (id " + experiment + ") holds an MLflow import that was stopped"),
                r.out());
    }

    /** Pages overwritten behind Runlog's back: each check SQLite's damage stops says so, and the report still comes. */
    @Test
    void doctorReportsAStoreWithDamagedPagesInsteadOfFailingOnIt() throws Exception {
        h.close();
        Path db = dir.resolve("runs.db");
        try (Tracker tracker = Tracker.open("sqlite:" + db)) {
            for (int r = 0; r < 40; r++) {
                try (ActiveRun run = tracker.startRun("pages")) {
                    run.setTag("note", "x".repeat(500)).logParam("p", r);
                }
            }
        }
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] noise = new byte[4096 * 4];
            new java.util.Random(7).nextBytes(noise);
            file.write(java.nio.ByteBuffer.wrap(noise), file.size() / 4096 / 2 * 4096);
        }
        h = new CliHarness("sqlite:" + db);

        Result r = h.run("doctor");
        assertEquals(1, r.code(), r::toString);
        // Which of the two SQLite reports depends on the pages the noise hit (run ids are random).
        assertTrue(r.out().contains("store: the integrity check could not finish: [SQLITE_CORRUPT]")
                || r.out().contains("store: integrity check: *** in database main ***"), r.out());
        assertTrue(r.out().contains("unhealthy: "), r.out());
        assertFalse(json(h.run("doctor", "--format", "json").out()).get("healthy").asBoolean());
    }

    /** Free pages a gc stopped before compacting left (killed, or out of disk): a later gc gives them back though it purges nothing. */
    @Test
    void gcCompactsPagesAnEarlierGcLeftFreeThoughItPurgesNothing() throws Exception {
        try (ActiveRun run = h.tracker.startRun("bulk")) {
            for (int step = 0; step < 300_000; step++) {
                run.logMetric("noise", Math.random(), step);
            }
        }
        h.close();
        Path db = dir.resolve("runs.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.Statement s = c.createStatement()) {
            s.execute("DELETE FROM metric_chunks"); // as a purge committed before its compaction
        }
        long before = Files.size(db);
        h = new CliHarness("sqlite:" + db);

        Result r = h.run("gc", "--older-than", "0d");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("purged 0 runs"), r.out());
        assertFalse(r.out().contains("compacting the store gave back 0 B"), r.out());
        assertTrue(Files.size(db) < before / 2, before + " -> " + Files.size(db));
    }

    @Test
    void gcPurgesRunsDeletedLongEnoughAgoWithTheirFilesAndKeepsRegisteredOnes() throws Exception {
        String old = scratchRun("twelve bytes");
        String recent = scratchRun("recent");
        h.tracker.deleteRun(old);
        h.tracker.deleteRun(h.runA);
        h.clock.advance(Duration.ofDays(31));
        h.tracker.deleteRun(recent);
        assertTrue(Files.exists(artifact(old, "notes.txt")));

        Result dry = h.run("gc", "--dry-run");
        assertEquals(0, dry.code(), dry::toString);
        assertEquals(List.of(
                "would purge 1 run and 0 experiments deleted before 2026-03-03 09:11, with 12 B of artifacts (dry run: nothing changed)",
                "  run " + old,
                "kept 1 deleted run whose models are registered"), dry.lines());
        assertTrue(Files.exists(artifact(old, "notes.txt")));
        h.tracker.getRun(old);

        Result gc = h.run("gc");
        assertEquals(0, gc.code(), gc::toString);
        assertEquals("purged 1 run and 0 experiments deleted before 2026-03-03 09:11", gc.lines().get(0));
        assertTrue(gc.lines().get(1).startsWith("freed 12 B of artifacts and 0 temporary files; compacting the store gave back "),
                gc.lines().get(1));
        assertThrows(NotFoundException.class, () -> h.tracker.getRun(old));
        assertFalse(Files.exists(dir.resolve("runs.db.artifacts").resolve(old)));
        assertTrue(Files.exists(artifact(recent, "notes.txt")));
        assertEquals(0, h.run("model", "iris-classifier").code(), "the registered run is still there");

        JsonNode all = json(h.run("gc", "--older-than", "0", "--format", "json").out());
        assertEquals(List.of(recent), List.of(all.get("runs").get(0).asText()));
        assertEquals(6, all.get("artifact_bytes").asLong());
        assertEquals(1, all.get("kept_registered_runs").asLong());
        assertEquals(0, h.run("doctor").code());
    }

    @Test
    void gcDeletesTheFilesAnEarlierGcPurgedButStoppedBeforeDeleting() throws Exception {
        String run = scratchRun("left behind");
        h.tracker.deleteRun(run);
        // What a gc killed between its two steps did: the rows are purged, the files are still there.
        TrackerStores.of(h.tracker).tracking().purgeDeleted(h.clock.instant(), Set.of(), false);
        assertThrows(NotFoundException.class, () -> h.tracker.getRun(run));
        assertTrue(Files.exists(artifact(run, "notes.txt")));

        Result dry = h.run("gc", "--dry-run");
        assertEquals(0, dry.code(), dry::toString);
        assertEquals(List.of("would purge 0 runs and 0 experiments deleted before 2026-01-31 09:11, with 0 B of artifacts"
                + " (dry run: nothing changed)", "would delete the files an earlier gc left of 1 purged run", "  run " + run),
                dry.lines());
        assertTrue(Files.exists(artifact(run, "notes.txt")));

        Result gc = h.run("gc");
        assertEquals(0, gc.code(), gc::toString);
        assertEquals("deleted the files an earlier gc left of 1 purged run", gc.lines().get(1));
        assertTrue(gc.lines().get(2).startsWith("freed 11 B of artifacts"), gc.lines().get(2));
        assertFalse(Files.exists(dir.resolve("runs.db.artifacts").resolve(run)));
        JsonNode again = json(h.run("gc", "--format", "json").out());
        assertEquals(0, again.get("leftover_runs").size());
        assertEquals(0, again.get("artifact_bytes").asLong());
    }

    @Test
    void gcPurgesADeletedExperimentWithItsRunsOnTheMemoryStoreToo() throws Exception {
        try (CliHarness memory = new CliHarness(null).withFixture()) {
            String run;
            try (ActiveRun active = memory.tracker.startRun("scratch")) {
                run = active.logText("x", "a.txt").id();
            }
            memory.tracker.deleteExperiment(memory.tracker.getExperimentByName("scratch").orElseThrow().id());
            JsonNode gc = json(memory.run("gc", "--older-than", "0s", "--format", "json").out());
            assertEquals(run, gc.get("runs").get(0).asText());
            assertEquals(1, gc.get("experiments").size());
            assertEquals(1, gc.get("artifact_bytes").asLong());
            assertFalse(memory.tracker.getExperimentByName("scratch").isPresent());
        }
    }

    @Test
    void aBadAgeIsAUsageError() {
        assertFailed(h.run("gc", "--older-than", "30"), 2, "not an age such as 30d");
        assertFailed(h.run("gc", "--older-than", "a week"), 2, "not an age");
        assertFailed(h.run("gc", "--older-than", "700000d"), 2, "older than any run could be; the largest age is 36500d");
        assertFailed(h.run("gc", "--older-than", "3153600001s"), 2, "older than any run could be");
        assertEquals(0, h.run("gc", "--older-than", "36500d", "--dry-run").code());
    }
}
