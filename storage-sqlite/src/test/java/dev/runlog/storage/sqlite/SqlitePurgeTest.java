package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.Purge;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.tck.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite store does about purging: migration 8 and the runs deleted before it, compaction, its self-check. */
class SqlitePurgeTest {
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    private Tracker open(MutableClock clock) {
        return Tracker.builder().uri("sqlite:" + dir.resolve("runlog.db")).clock(clock).shutdownHook(false).build();
    }

    @Test
    void aRunDeletedBeforeMigration8CountsAsDeletedWhenItEnded() throws Exception {
        MutableClock clock = new MutableClock(START);
        String runId;
        try (Tracker tracker = open(clock)) {
            try (ActiveRun run = tracker.startRun("old")) {
                runId = run.id();
                clock.advance(Duration.ofHours(1));
            }
            clock.advance(Duration.ofDays(10));
            tracker.deleteRun(runId);
        }
        // A database of schema 7: no deleted_time column, so no record of when the run was deleted.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runlog.db"));
             Statement s = c.createStatement()) {
            s.execute("ALTER TABLE runs DROP COLUMN deleted_time");
            s.execute("DROP TABLE purged_runs");
            s.execute("PRAGMA user_version = 7");
        }
        try (Tracker tracker = open(clock)) {
            var store = TrackerStores.of(tracker).tracking();
            assertEquals(List.of(), store.purgeDeleted(START.plus(Duration.ofMinutes(59)), Set.of(), true).runIds());
            Purge purge = store.purgeDeleted(START.plus(Duration.ofHours(1)), Set.of(), false);
            assertEquals(List.of(runId), purge.runIds());
            assertTrue(purge.bytesReclaimed() >= 0);
            StoreCheck check = store.checkStore();
            assertEquals(List.of(), check.problems());
            assertEquals("SQLite schema 11, " + dir.resolve("runlog.db").toAbsolutePath(), check.description());
        }
    }

    @Test
    void purgingManyRunsCompactsTheFile() {
        MutableClock clock = new MutableClock(START);
        try (Tracker tracker = open(clock)) {
            for (int r = 0; r < 200; r++) {
                try (ActiveRun run = tracker.startRun("bulk")) {
                    for (int step = 0; step < 500; step++) {
                        run.logMetric("loss", Math.random(), step);
                    }
                    run.logParam("note", "x".repeat(2000));
                }
            }
            tracker.searchRuns().list().forEach(run -> tracker.deleteRun(run.info().id()));
            Purge purge = TrackerStores.of(tracker).tracking().purgeDeleted(clock.instant(), Set.of(), false);
            assertEquals(200, purge.runIds().size());
            assertTrue(tracker.getExperimentByName("bulk").isPresent(), "an active experiment is never purged");
            assertTrue(purge.bytesReclaimed() > 200 * 2000, "compaction gave back " + purge.bytesReclaimed() + " bytes");
        }
    }
}
