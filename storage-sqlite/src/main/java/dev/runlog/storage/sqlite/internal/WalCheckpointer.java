package dev.runlog.storage.sqlite.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * Folds the WAL back into the database file off the writer's path.
 *
 * <p>SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, on the
 * committing connection: one {@code flush()} in a thousand copied megabytes and fsynced the
 * database file, a p99 of 3 to 7 ms against a median of 0.1 ms, worse on a busy disk. Here the
 * writer's automatic checkpoint is off and a daemon thread, on a connection of its own, runs a
 * {@code PASSIVE} checkpoint (which never waits for readers or the writer) while commits come in:
 * at most once a {@link #INTERVAL_MS second}, sooner once {@link #COMMITS_PER_CHECKPOINT} commits
 * await it.
 *
 * <p>Not more often: a checkpoint fsyncs the WAL and the database file, and the writer's commits
 * made while those fsyncs run wait for them in the kernel. Checkpointing every 100 ms, as this did
 * before, put those waits on one {@code flush()} in a few hundred of a caller flushing each point:
 * a p99 of 2 to 6 times the median on a quiet disk, 1.5 to 1.9 times with its fsyncs taken out
 * (an experiment of session 10). A training loop flushing each step now meets one checkpoint a
 * second.
 *
 * <p>The WAL stays bounded: it is truncated to {@link #WAL_LIMIT_BYTES} whenever it restarts, so
 * a WAL file larger than that means checkpoints fall behind the writer (a disk slower than the
 * writes, or readers pinning old snapshots); the writer then checkpoints on its own path after
 * each commit until the WAL restarts. That is the old behaviour, kept only as back pressure.
 */
final class WalCheckpointer implements AutoCloseable {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(WalCheckpointer.class.getName());
    }
    /** How often at most the background checkpoint runs while commits come in, unless many do. */
    static final long INTERVAL_MS = 1_000;
    /**
     * This many commits since the last checkpoint start the next one without waiting out the
     * interval, so that a writer committing small transactions back to back (a flush per point
     * writes some 12 KB of WAL) keeps the WAL to tens of megabytes.
     */
    static final int COMMITS_PER_CHECKPOINT = 2_000;
    /** A WAL above this size has outgrown the background checkpoints (see the class comment). */
    static final long WAL_LIMIT_BYTES = 64L << 20;

    /** How often, at most, the writer looks at the WAL's size; it grows a few MB at most meanwhile. */
    private static final long SIZE_CHECK_NANOS = 50_000_000L;

    private final Path wal;
    private final long intervalMs;
    /** When the writer last looked at the WAL's size; only the writer, under the write lock, touches it. */
    private long lastSizeCheck = System.nanoTime() - SIZE_CHECK_NANOS;
    private final Supplier<Connection> connect;
    private final Thread thread;
    private final Object lock = new Object();
    // Guarded by lock: commits since the background checkpoint last started.
    private int commits;
    private boolean closed;
    // Guarded by lock. The thread starts at the first commit: a process that only reads never
    // starts it. close() waits for it to have ended, which no interrupt cuts short.
    private boolean started;
    private boolean ended;
    // Opened by the thread at its first checkpoint, so that opening a store pays for no extra connection.
    private Connection connection;

    private WalCheckpointer(Path file, Supplier<Connection> connect, long intervalMs) {
        this.wal = Path.of(file + "-wal");
        this.intervalMs = intervalMs;
        this.connect = connect;
        this.thread = new Thread(() -> {
            try {
                loop();
            } finally {
                synchronized (lock) {
                    ended = true;
                    lock.notifyAll();
                }
            }
        }, "runlog-wal-checkpoint");
        this.thread.setDaemon(true);
    }

    /**
     * Turns the writer's automatic checkpoint off and checkpoints {@code file} from the first
     * commit on, on a thread and a connection of its own (opened by {@code connect} when first
     * needed), both ended by {@link #close()}.
     */
    static WalCheckpointer start(Path file, Connection writer, Supplier<Connection> connect) throws SQLException {
        return start(file, writer, connect, INTERVAL_MS);
    }

    /** {@link #start(Path, Connection, Supplier)} with another interval; for tests. */
    static WalCheckpointer start(Path file, Connection writer, Supplier<Connection> connect, long intervalMs)
            throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0");
            s.execute("PRAGMA journal_size_limit = " + WAL_LIMIT_BYTES);
        }
        return new WalCheckpointer(file, connect, intervalMs);
    }

    /**
     * Called by the writer after each commit, holding the write lock: wakes the background
     * checkpoint, and checkpoints on {@code writer} itself only if the WAL has outgrown its limit.
     */
    void committed(Connection writer) {
        synchronized (lock) {
            if (!started && !closed) {
                started = true;
                thread.start();
            }
            commits++;
            if (commits == 1 || commits == COMMITS_PER_CHECKPOINT) {
                lock.notifyAll();
            }
        }
        // The size is a stat of the WAL file: at most one every SIZE_CHECK_NANOS, not one per commit,
        // since a flush per point would otherwise pay for it on every call.
        long now = System.nanoTime();
        if (now - lastSizeCheck >= SIZE_CHECK_NANOS) {
            lastSizeCheck = now;
            if (walBytes() > WAL_LIMIT_BYTES) {
                checkpoint(writer);
            }
        }
    }

    private void loop() {
        while (true) {
            synchronized (lock) {
                while (commits == 0 && !closed) {
                    await(0);
                }
                if (closed) {
                    return;
                }
                commits = 0;
            }
            checkpointInBackground();
            synchronized (lock) {
                // Rate limit: commits within the interval are folded in by the next checkpoint.
                long deadline = System.nanoTime() + intervalMs * 1_000_000;
                long left;
                while (!closed && commits < COMMITS_PER_CHECKPOINT
                        && (left = (deadline - System.nanoTime()) / 1_000_000) > 0) {
                    await(left);
                }
            }
        }
    }

    /**
     * Waits on the lock. Nothing of Runlog interrupts this thread (close() notifies); a stray
     * interrupt only ends one wait early, and the loops re-check their condition.
     */
    private void await(long ms) {
        try {
            lock.wait(ms);
        } catch (InterruptedException e) {
            // Cleared by the exception; keep checkpointing until close().
        }
    }

    private void checkpointInBackground() {
        if (connection == null) {
            try {
                connection = connect.get();
            } catch (RuntimeException e) {
                log().log(System.Logger.Level.DEBUG, "Cannot open a connection to checkpoint " + wal + "; the next commit retries", e);
                return;
            }
        }
        checkpoint(connection);
    }

    private void checkpoint(Connection on) {
        try (Statement s = on.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (rs.next() && rs.getInt(1) != 0) {
                log().log(System.Logger.Level.DEBUG, "WAL checkpoint of {0} was busy; the next one continues", wal);
            }
        } catch (SQLException e) {
            // A failed checkpoint loses nothing: the frames stay in the WAL and the next one copies them.
            log().log(System.Logger.Level.DEBUG, "WAL checkpoint of " + wal + " failed; the next one retries", e);
        }
    }

    private long walBytes() {
        try {
            return Files.size(wal);
        } catch (IOException e) {
            return 0; // no WAL file: nothing to checkpoint
        }
    }

    /** Stops the background thread and closes its connection; the caller checkpoints at close. */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            while (started && !ended) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the thread must have ended before its connection is closed
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // The thread has ended: the connection is no longer touched by it.
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log().log(System.Logger.Level.DEBUG, "closing the checkpoint connection failed", e);
            }
        }
    }
}
