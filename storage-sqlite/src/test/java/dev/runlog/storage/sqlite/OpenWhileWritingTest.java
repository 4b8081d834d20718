package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store whose schema is current takes no write lock: a reader (a CLI command, a
 * dashboard, a second training job looking up a baseline) opens the file and reads it while
 * another process is in the middle of a long write transaction, as a bulk import is, instead of
 * waiting for that transaction to end.
 */
class OpenWhileWritingTest {
    @TempDir
    Path dir;

    @Test
    void aStoreOpensAndReadsWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
        Path file = dir.resolve("busy.db");
        String runId;
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + file).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("held")) {
            run.logMetric("loss", 0.5, 0);
            runId = run.id();
        }
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = writer.createStatement()) {
            s.execute("BEGIN IMMEDIATE"); // the write lock, held until rollback
            s.execute("UPDATE runs SET name = 'renamed meanwhile'");
            try {
                Tracker reader = assertTimeoutPreemptively(Duration.ofSeconds(20),
                        () -> Tracker.builder().uri("sqlite:" + file).shutdownHook(false).build(),
                        "opening the store waited for another connection's write transaction");
                List<Metric> points;
                try {
                    assertEquals("held", reader.getExperimentByName("held").orElseThrow().name());
                    points = reader.metricHistory(runId, "loss");
                } finally {
                    // Its close folds the WAL in only if the file is free: it wrote nothing of its own
                    // to wait for. (Waiting would take the driver's whole busy timeout, 5 s.)
                    assertTimeoutPreemptively(Duration.ofMillis(4_500), reader::close,
                            "closing a tracker that only read waited for another connection's write transaction");
                }
                assertEquals(1, points.size());
                assertEquals(0.5, points.get(0).value());
            } finally {
                s.execute("ROLLBACK");
            }
        }
    }
}
