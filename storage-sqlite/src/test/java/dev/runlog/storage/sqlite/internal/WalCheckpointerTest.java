package dev.runlog.storage.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the background checkpoint runs: once commits come in, then at most once an interval, or
 * sooner when {@link WalCheckpointer#COMMITS_PER_CHECKPOINT} commits await it. What a checkpoint
 * has done shows in the database file: each row committed here fills a page of its own, which the
 * file gains only when a checkpoint copies it out of the WAL.
 */
class WalCheckpointerTest {
    private static final int ROW_BYTES = 3_000;

    @TempDir
    Path dir;

    @Test
    void commitsStartACheckpointWithoutWaitingOutTheIntervalOnceEnoughAwaitIt() throws Exception {
        Path file = dir.resolve("wal.db");
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE t (x BLOB)");
            }
            // An interval no test outlives: only the first commit and the count start a checkpoint.
            try (WalCheckpointer checkpointer = WalCheckpointer.start(file, writer, () -> connect(file),
                    Duration.ofHours(1).toMillis())) {
                long empty = Files.size(file);
                commit(writer, checkpointer, 1);
                long afterFirst = awaitGrowth(file, empty);

                commit(writer, checkpointer, WalCheckpointer.COMMITS_PER_CHECKPOINT - 1);
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
                assertEquals(afterFirst, Files.size(file),
                        "one commit short of the count, the next checkpoint waits for the interval");

                commit(writer, checkpointer, 1);
                long afterCount = awaitGrowth(file, afterFirst);
                long pages = (afterCount - empty) / 4096;
                assertTrue(pages >= WalCheckpointer.COMMITS_PER_CHECKPOINT,
                        "the checkpoint copied every committed row out of the WAL: the file gained " + pages + " pages");
            }
        }
    }

    private static void commit(Connection writer, WalCheckpointer checkpointer, int commits) throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO t (x) VALUES (randomblob(?))")) {
            for (int i = 0; i < commits; i++) {
                insert.setInt(1, ROW_BYTES);
                insert.executeUpdate(); // autocommit: one transaction each, as the store's writes are
                checkpointer.committed(writer);
            }
        }
    }

    /** The file's size once it exceeds {@code size}; fails after 30 s. */
    private static long awaitGrowth(Path file, long size) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.size(file) <= size && System.nanoTime() < deadline) {
            // Polls the file the checkpoint thread writes; nothing to wait on instead.
            LockSupport.parkNanos(2_000_000);
        }
        long now = Files.size(file);
        assertTrue(now > size, "no checkpoint reached the database file in 30 s");
        // A checkpoint may still be copying: let the size settle.
        long settled;
        do {
            settled = now;
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            now = Files.size(file);
        } while (now != settled);
        return now;
    }

    private static Connection connect(Path file) {
        try {
            return DriverManager.getConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
