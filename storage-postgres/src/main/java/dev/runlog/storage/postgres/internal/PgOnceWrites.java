package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes that must not be stored twice although their commit may be lost: metric appends, which the
 * tracker's writer retries after a {@link StoreException}. Each transaction also writes a random
 * token into {@code runlog_write_tokens}; when the connection is lost while it commits, the token
 * says whether it committed. If it did, the write counts as done; if not, it failed and is retried
 * as any other. Only when the database cannot be reached to look does the failure stand (the
 * retry may then store the points a second time, if the lost commit had stored them).
 *
 * <p>A token is deleted by the next write of this process once its own commit was confirmed, in the
 * same statement that writes the next token, and the last ones as the store closes, so the table
 * holds a row or so per writing process; tokens a process left behind (it died) are deleted after
 * a day by {@link #forgetOld}.
 */
final class PgOnceWrites {
    private static final Duration KEEP = Duration.ofDays(1);

    private final PgDatabase db;
    private final Clock clock;
    private final Queue<UUID> confirmed = new ConcurrentLinkedQueue<>();

    PgOnceWrites(PgDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Runs {@code work} in a write transaction (as {@link PgDatabase#write}) that is stored at most once. */
    void write(PgDatabase.Work<?> work) {
        UUID token = UUID.randomUUID();
        List<UUID> done = new ArrayList<>();
        for (UUID old; done.size() < 64 && (old = confirmed.poll()) != null; ) {
            done.add(old);
        }
        try {
            db.write(c -> {
                work.apply(c);
                try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM runlog_write_tokens"
                        + " WHERE token = ANY (?)) INSERT INTO runlog_write_tokens (token, written) VALUES (?, ?)")) {
                    ps.setArray(1, c.createArrayOf("uuid", done.toArray()));
                    ps.setObject(2, token);
                    ps.setLong(3, clock.millis());
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (PgDatabase.CommitLost lost) {
            if (!landed(token, lost)) {
                confirmed.addAll(done); // their delete did not commit either
                throw lost.notStored(); // known now: "may have been stored" would mislead a caller into not retrying
            }
        } catch (RuntimeException e) {
            confirmed.addAll(done);
            throw e;
        }
        confirmed.add(token);
    }

    /** Whether the transaction of {@code token} committed; throws {@code lost} when that cannot be known. */
    private boolean landed(UUID token, PgDatabase.CommitLost lost) {
        try {
            return db.readOne(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM runlog_write_tokens WHERE token = ?)")) {
                    ps.setObject(1, token);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }
            });
        } catch (StoreException unreachable) {
            StoreException unknown = new StoreException(lost.getMessage(), lost.getCause());
            unknown.addSuppressed(unreachable);
            throw unknown;
        }
    }

    /**
     * Deletes this process's tokens of confirmed writes, as a store closes. Best effort: a database
     * that cannot be reached now leaves them to {@link #forgetOld}.
     */
    void forgetConfirmed() {
        List<UUID> done = new ArrayList<>(confirmed);
        if (done.isEmpty()) {
            return;
        }
        try {
            db.writeOne(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM runlog_write_tokens WHERE token = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("uuid", done.toArray()));
                    return ps.executeUpdate();
                }
            });
            confirmed.removeAll(done);
        } catch (StoreException e) {
            System.getLogger(PgOnceWrites.class.getName()).log(System.Logger.Level.DEBUG,
                    "Could not delete {0} write tokens at close; a later open deletes them after a day", done.size());
        }
    }

    /** Deletes the tokens of writes older than a day: those of processes that died before deleting theirs. */
    void forgetOld(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM runlog_write_tokens WHERE written < ?")) {
            ps.setLong(1, clock.millis() - KEEP.toMillis());
            ps.executeUpdate();
        }
    }
}
