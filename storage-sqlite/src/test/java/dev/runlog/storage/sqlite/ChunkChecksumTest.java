package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.TrackerAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage inside a metric chunk's bytes, which SQLite's integrity check does not see: the read that
 * meets it fails naming it, and the store check finds it, instead of returning wrong numbers. Chunks
 * written before checksums (no frame) still read as they were written.
 */
class ChunkChecksumTest {
    private static final int POINTS = 2_000;

    @TempDir
    Path dir;
    private String uri;
    private String runId;

    @BeforeEach
    void logASeries() {
        uri = "sqlite:" + dir.resolve("chunks.db");
        try (Tracker tracker = Tracker.open(uri); ActiveRun run = tracker.startRun("chunks")) {
            for (int step = 0; step < POINTS; step++) {
                run.logMetric("loss", step * 0.5, step);
            }
            runId = run.id();
        }
    }

    /** Replaces the bytes of the series' first chunk with what {@code change} makes of them. */
    private void rewriteFirstChunk(UnaryOperator<byte[]> change) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + uri)) {
            byte[] data;
            try (PreparedStatement select = c.prepareStatement("SELECT data FROM metric_chunks WHERE chunk_no = 0");
                 ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next(), "a chunk");
                data = rs.getBytes(1);
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE metric_chunks SET data = ? WHERE chunk_no = 0")) {
                update.setBytes(1, change.apply(data));
                assertEquals(1, update.executeUpdate());
            }
        }
    }

    @Test
    void aFlippedBitInAValueFailsTheReadAndTheStoreCheckNamesTheSeries() throws SQLException {
        rewriteFirstChunk(data -> {
            byte[] damaged = data.clone();
            damaged[damaged.length - 20] ^= 0x10; // inside the last values, where no decoding rule would notice
            return damaged;
        });
        try (Tracker tracker = Tracker.open(uri)) {
            IntegrityException read = assertThrows(IntegrityException.class, () -> tracker.metricHistory(runId, "loss"));
            assertTrue(read.getMessage().contains("corrupt") && read.getMessage().contains("checksum"), read.getMessage());
            StoreCheck check = TrackerAccess.of(tracker).stores().tracking().checkStore();
            assertEquals(1, check.problems().size(), check.problems().toString());
            assertTrue(check.problems().get(0).contains("metric 'loss' of run " + runId), check.problems().toString());
        }
    }

    @Test
    void aChunkWrittenBeforeChecksumsReadsAsItWasWritten() throws SQLException {
        // The frame is a 0 byte before the layout and 4 bytes of CRC after it: without them, an older chunk.
        rewriteFirstChunk(data -> Arrays.copyOfRange(data, 1, data.length - 4));
        try (Tracker tracker = Tracker.open(uri)) {
            List<Metric> points = tracker.metricHistory(runId, "loss");
            assertEquals(POINTS, points.size());
            for (int step = 0; step < POINTS; step++) {
                assertEquals(step * 0.5, points.get(step).value());
                assertEquals(step, points.get(step).step());
            }
            assertEquals(List.of(), TrackerAccess.of(tracker).stores().tracking().checkStore().problems());
        }
    }
}
