package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.JDBC;

/**
 * One Runlog database file: checks it before touching it, migrates its schema, and hands out
 * connections.
 *
 * <p>Writes go through a single connection per process, serialized by a lock, each in a
 * {@code BEGIN IMMEDIATE} transaction: taking the write lock up front is what lets SQLite's busy
 * handler wait for another process instead of failing at once with "database is locked" (a
 * deferred transaction that upgrades from read to write gets SQLITE_BUSY without waiting). If the
 * busy timeout runs out anyway, the transaction is retried with backoff for up to
 * {@link #LOCK_PATIENCE_MS}. Reads use a small pool of other connections: in WAL mode they see the
 * last committed state and never block the writer.
 */
final class SqliteDatabase implements AutoCloseable {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(SqliteDatabase.class.getName());
    }
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int BUSY_TIMEOUT_MS = 5_000;
    static final long LOCK_PATIENCE_MS = 120_000;
    private static final int MAX_IDLE_READERS = 4;

    /**
     * When a commit reaches the disk: SQLite's {@code PRAGMA synchronous} on the writer connection,
     * chosen by the store URI's {@code synchronous=} option.
     */
    enum Synchronous {
        /**
         * The default: in WAL mode a commit is durable against the process being killed, and the
         * WAL is fsynced only at checkpoints, so a power cut can lose the last transactions (never
         * corrupting the file).
         */
        NORMAL,
        /** Every commit fsyncs the WAL before it returns, so it survives a power cut too (as MLflow's SQLite store). */
        FULL
    }

    /** A unit of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private final Path file;
    private final String jdbcUrl;
    private final Synchronous synchronous;
    // Guarded by writeLock, made at the first write (see writer()): a process that only reads
    // opens one connection, the one that checked the file, instead of a writer beside it.
    private Connection writer;
    private WalCheckpointer checkpointer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> idleReaders = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> idleScanners = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    // Written and read under writeLock: whether this tracker committed anything, so that close()
    // waits for the file only to fold in its own writes.
    private boolean wrote;

    private SqliteDatabase(Path file, Synchronous synchronous) {
        this.file = file;
        this.jdbcUrl = "jdbc:sqlite:" + file;
        this.synchronous = synchronous;
    }

    /**
     * Opens (creating if absent) and migrates the database at {@code file}, its writer committing
     * with {@code synchronous}.
     *
     * @throws StoreException if the file is not a Runlog database, is corrupt, or was written by a
     *                        newer Runlog; the file is then left exactly as it was
     */
    static SqliteDatabase open(Path file, Synchronous synchronous) {
        Path absolute = file.toAbsolutePath().normalize();
        checkHeader(absolute);
        NativeLibrary.load();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("Cannot create the directory of the Runlog database " + absolute + ": " + e.getMessage(), e);
        }
        Connection first = connect("jdbc:sqlite:" + absolute, absolute);
        SqliteDatabase db = null;
        try {
            // Another process may be creating this very file: both steps can meet its locks, and
            // switching the journal mode does not wait in SQLite's busy handler, so retry here.
            int version = retryWhileBusy(absolute, () -> inTransaction(first, "BEGIN", c -> checkIdentity(c, absolute)));
            // WAL: readers never block the writer, and a commit appends instead of rewriting pages.
            retryWhileBusy(absolute, () -> {
                execute(first, "PRAGMA journal_mode=WAL");
                return null;
            });
            tune(first, false);
            db = new SqliteDatabase(absolute, synchronous);
            // The connection that checked the file serves the first reads.
            db.idleReaders.offer(first);
            if (version < Schema.latestVersion()) {
                // Versions only grow, so a file read at the latest needs no write transaction: a
                // process that only reads never takes the write lock nor starts the checkpointer.
                db.migrate();
            }
            return db;
        } catch (SQLException e) {
            discard(db, first);
            throw new StoreException("Cannot open the Runlog database " + absolute + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(db, first);
            throw e;
        }
    }

    /**
     * What to add to a failed open's message when the disk holding {@code file} is (nearly) full:
     * SQLite then reports a shared-memory or I/O error that does not say so.
     */
    private static String fullDisk(Path file) {
        try {
            long free = Files.getFileStore(file.getParent()).getUsableSpace();
            return free < 64 * 1024 ? "; the disk holding it is full (" + free + " bytes free): free some space and try again" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** After a failed open: closes what it made, without checkpointing a file it may not have checked. */
    private static void discard(SqliteDatabase db, Connection first) {
        if (db == null) {
            closeQuietly(first);
            return;
        }
        db.closed = true;
        for (Connection reader : db.idleReaders) {
            closeQuietly(reader);
        }
        if (db.checkpointer != null) {
            db.checkpointer.close();
        }
        if (db.writer != null) {
            closeQuietly(db.writer);
        }
    }

    /**
     * The writer connection, made at the first write; call under writeLock. Only the writer
     * commits (and checkpoints), so only its {@code synchronous} setting matters: NORMAL, a commit
     * survives the process being killed, and only a power cut can take the last transactions,
     * never corrupting the file; FULL, a commit survives a power cut too.
     */
    private Connection writer() {
        if (writer == null) {
            Connection made = connect(jdbcUrl, file);
            try {
                execute(made, "PRAGMA synchronous=" + synchronous.name());
                tune(made, true);
                // Checkpoints off the commit path: see WalCheckpointer.
                checkpointer = WalCheckpointer.start(file, made, () -> connect(jdbcUrl, file));
            } catch (SQLException e) {
                closeQuietly(made);
                throw translate(file, e);
            } catch (RuntimeException e) {
                closeQuietly(made);
                throw e;
            }
            writer = made;
        }
        return writer;
    }

    /** Refuses a file that is not SQLite at all without ever handing it to SQLite. */
    private static void checkHeader(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("Cannot use " + file + " as a Runlog database: it is a directory");
        }
        if (!Files.isRegularFile(file)) {
            // A device or FIFO: /dev/null reads as an empty file, and SQLite would then create
            // /dev/null-journal beside it before failing.
            throw new InvalidInputException("Cannot use " + file + " as a Runlog database: it is not a regular file");
        }
        // A FileInputStream, not Files.newInputStream: the channel classes the latter needs are not
        // in the JDK's class archive, and a new JVM opening a store would load two dozen for this.
        try (InputStream in = new FileInputStream(file.toFile())) {
            byte[] head = in.readNBytes(SQLITE_HEADER.length);
            if (head.length == 0) {
                return; // an empty file is a database with nothing in it yet
            }
            if (!Arrays.equals(head, SQLITE_HEADER)) {
                // The URI names the wrong file: retrying does not help, so not a StoreException.
                throw new InvalidInputException(file + " is not a Runlog database (it is not an SQLite file); it was left untouched");
            }
        } catch (IOException e) {
            throw new StoreException("Cannot read the Runlog database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Called in a read transaction, so the three reads see one state of a file being created;
     * returns the schema version read.
     */
    private static int checkIdentity(Connection connection, Path file) throws SQLException {
        int applicationId;
        int version;
        int tables;
        try (Statement s = connection.createStatement()) {
            applicationId = intOf(s, "PRAGMA application_id");
            version = intOf(s, "PRAGMA user_version");
            tables = intOf(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
        } catch (SQLException e) {
            if (isBusy(e)) {
                throw e;
            }
            int primary = e.getErrorCode() & 0xFF;
            if (primary == 14 /* SQLITE_CANTOPEN */ || primary == 8 /* SQLITE_READONLY, of the file or its directory */) {
                // A good file in a directory this process cannot write: SQLite cannot make the -wal and
                // -shm files beside it. Not damage, and nothing to delete or restore.
                throw new StoreException("Cannot open the Runlog database " + file + ": SQLite could not open it or"
                        + " create its -wal and -shm files beside it; check that this user can read and write the"
                        + " file and its directory (" + e.getMessage() + "); it was left untouched", e);
            }
            if (primary == 11 /* SQLITE_CORRUPT */ || primary == 26 /* SQLITE_NOTADB */) {
                throw new IntegrityException(file + " is corrupt or not a database (" + e.getMessage()
                        + "); it was left untouched", e);
            }
            throw new StoreException("Cannot read the Runlog database " + file + " (" + e.getMessage()
                    + "); it was left untouched" + fullDisk(file), e);
        }
        if (applicationId != Schema.APPLICATION_ID && (applicationId != 0 || tables > 0)) {
            throw new InvalidInputException(file + " is an SQLite database of another application, not a Runlog database"
                    + " (application_id " + applicationId + ", " + tables + " tables); it was left untouched");
        }
        if (version < 0 || version == 0 && tables > 0) {
            // Runlog numbers its schema from 1 as it creates the tables: tables at version 0, or a
            // negative version, is a header that was changed, not a store to create or migrate.
            throw new IntegrityException(file + " has a damaged schema header (schema version " + version + " with " + tables
                    + " tables); it is not opened, and was left untouched");
        }
        if (version > Schema.latestVersion()) {
            throw new StoreException("The Runlog database " + file + " has schema version " + version
                    + ", newer than this Runlog knows (" + Schema.latestVersion()
                    + "); it was written by a newer Runlog. Upgrade Runlog to open it; the file was left untouched");
        }
        return version;
    }

    private void migrate() {
        write(connection -> {
            try (Statement s = connection.createStatement()) {
                // Read again inside the write transaction: another process may have migrated meanwhile.
                int version = intOf(s, "PRAGMA user_version");
                for (int next = version + 1; next <= Schema.latestVersion(); next++) {
                    for (String sql : Schema.MIGRATIONS.get(next - 1).split(";\\s*\\n")) {
                        if (!sql.isBlank()) {
                            try {
                                s.execute(sql);
                            } catch (SQLException e) {
                                refuseIfAlreadyMigrated(e, version, next);
                                throw e;
                            }
                        }
                    }
                    log().log(System.Logger.Level.DEBUG, "Migrated Runlog database {0} to schema version {1}", file, next);
                }
                if (version < Schema.latestVersion()) {
                    s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
                    s.execute("PRAGMA user_version = " + Schema.latestVersion());
                }
            }
            return null;
        });
    }

    /**
     * A migration that meets what it would create (a table, index or column) says the recorded
     * version was lowered by hand: the file holds a later schema than its header says. Not a
     * failure to retry; the transaction rolls back, so the file stays as it was.
     */
    private void refuseIfAlreadyMigrated(SQLException e, int recorded, int migration) {
        String message = String.valueOf(e.getMessage());
        if (isBusy(e) || !(message.contains("already exists") || message.contains("duplicate column name"))) {
            return;
        }
        throw new IntegrityException(file + " has a damaged schema header: it records schema version " + recorded
                + ", yet holds what migration " + migration + " creates (" + message + "); it is not opened, and was"
                + " left untouched (if you know its version, 1 to " + Schema.latestVersion() + ", set PRAGMA user_version"
                + " back to it, or restore a backup)", e);
    }

    Path file() {
        return file;
    }

    /**
     * Runs {@code work} in a write transaction on the writer connection, retrying while another
     * process holds the database lock. A {@link RunlogException} thrown by the work rolls back and
     * propagates as is.
     */
    <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            Connection connection = writer();
            T result = retryWhileBusy(file, () -> inTransaction(connection, "BEGIN IMMEDIATE", work));
            wrote = true;
            checkpointer.committed(connection);
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * As {@link #write}, but one attempt that does not wait for another process's write
     * transaction: empty when one holds the file. For housekeeping that can wait for a later
     * call, such as what opening a store does, which must not wait minutes for a bulk import.
     */
    <T> Optional<T> writeIfFree(Work<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            Connection connection = writer();
            execute(connection, "PRAGMA busy_timeout = 0");
            try {
                T result = inTransaction(connection, "BEGIN IMMEDIATE", work);
                wrote = true;
                checkpointer.committed(connection);
                return Optional.of(result);
            } catch (SQLException e) {
                if (isBusy(e)) {
                    return Optional.empty();
                }
                throw e;
            } finally {
                execute(connection, "PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            }
        } catch (SQLException e) {
            throw translate(file, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} on the writer connection outside a transaction, for the statements that
     * cannot run in one (VACUUM), retrying while another process holds the database lock.
     */
    <T> T writeOutsideTransaction(Work<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            Connection connection = writer();
            T result = retryWhileBusy(file, () -> work.apply(connection));
            wrote = true;
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} in a read transaction, so every query in it sees the same snapshot: for
     * reads of a few rows (a run, a version, an artifact list).
     */
    <T> T read(Work<T> work) {
        return read(work, idleReaders, false);
    }

    /**
     * As {@link #read}, for reads that walk much of the file (searches, summaries, long metric
     * series), on connections that map the file into memory.
     *
     * <p>Why two kinds: a mapped connection reads pages without copying them, which a search over
     * hundreds of megabytes needs; but SQLite unmaps the whole file when it starts a read after
     * another connection's commit, and mapping it again costs a point read 0.5 to 2 ms, five to
     * ten times the read itself (a registration, read right after the commit before it, paid
     * that). Point reads therefore go through connections that do not map the file.
     */
    <T> T scan(Work<T> work) {
        return read(work, idleScanners, true);
    }

    private <T> T read(Work<T> work, BlockingQueue<Connection> idle, boolean mapped) {
        checkOpen();
        Connection connection = idle.poll();
        if (connection == null) {
            connection = connect(jdbcUrl, file);
            try {
                tune(connection, mapped);
            } catch (SQLException e) {
                closeQuietly(connection);
                throw translate(file, e);
            }
        }
        Connection reader = connection;
        boolean reusable = false;
        try {
            T result = retryWhileBusy(file, () -> inTransaction(reader, "BEGIN", work));
            reusable = true;
            return result;
        } finally {
            if (reusable && !closed && idle.size() < MAX_IDLE_READERS) {
                idle.offer(reader);
            } else {
                closeQuietly(reader);
            }
        }
    }

    private static <T> T inTransaction(Connection connection, String begin, Work<T> work) throws SQLException {
        execute(connection, begin);
        try {
            T result = work.apply(connection);
            execute(connection, "COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        }
    }

    /**
     * Retries {@code call} while the database is locked by another connection, with backoff, for up
     * to {@link #LOCK_PATIENCE_MS}; other SQL failures become a {@link StoreException}.
     */
    private static <T> T retryWhileBusy(Path file, SqlCall<T> call) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_PATIENCE_MS);
        long backoff = 5;
        while (true) {
            try {
                return call.call();
            } catch (SQLException e) {
                if (!isBusy(e) || System.nanoTime() > deadline) {
                    throw translate(file, e);
                }
                sleep(backoff);
                backoff = Math.min(200, backoff * 2);
            }
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // The writer folds the WAL in; a tracker that never wrote has none, and a reader does it.
            Connection folding = writer != null ? writer : idleReaders.poll();
            Connection reader;
            while ((reader = idleReaders.poll()) != null) {
                closeQuietly(reader);
            }
            while ((reader = idleScanners.poll()) != null) {
                closeQuietly(reader);
            }
            if (checkpointer != null) {
                checkpointer.close();
            }
            if (folding == null) {
                return;
            }
            try (Statement s = folding.createStatement()) {
                if (!wrote) {
                    // Nothing of this tracker's to fold in: fold what is there if the file is free,
                    // but never wait (up to the busy timeout) for another process's transaction.
                    s.execute("PRAGMA busy_timeout = 0");
                }
                // Fold the WAL back into the main file so a copied .db file is complete on its own.
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                log().log(System.Logger.Level.DEBUG, "WAL checkpoint at close skipped", e);
            }
            closeQuietly(folding);
        } finally {
            writeLock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("The Runlog database " + file + " is closed");
        }
    }

    private static Connection connect(String url, Path file) {
        Properties properties = new Properties();
        properties.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        try {
            // The driver itself, not DriverManager: its first use scans the class path for every
            // JDBC driver (a cost each new JVM paid), and it could hand a sqlite: URL to another driver.
            Connection connection = JDBC.createConnection(url, properties);
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw new StoreException("Cannot open the Runlog database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Searches walk indexes over hundreds of megabytes: {@code mapped}, map the file rather than
     * copying every page through a read() call (see {@link #scan}); either way keep a larger page
     * cache. Only for a file already checked: on a foreign file these reads would already create
     * WAL side files.
     */
    private static void tune(Connection connection, boolean mapped) throws SQLException {
        if (mapped) {
            execute(connection, "PRAGMA mmap_size = 1073741824");
        }
        execute(connection, "PRAGMA cache_size = -32768");
    }

    static boolean isBusy(SQLException e) {
        int primary = e.getErrorCode() & 0xFF;
        return primary == 5 /* SQLITE_BUSY */ || primary == 6 /* SQLITE_LOCKED */;
    }

    /** SQLite's SQLITE_CORRUPT and SQLITE_NOTADB: the file is damaged, and no retry will mend it. */
    static boolean isDamaged(SQLException e) {
        int primary = e.getErrorCode() & 0xFF;
        return primary == 11 || primary == 26;
    }

    private static RunlogException translate(Path file, SQLException e) {
        if (isDamaged(e)) {
            return new IntegrityException("The Runlog database " + file + " is damaged (" + e.getMessage() + "); retrying"
                    + " will not help: runlog doctor lists what SQLite finds, and a backup is the way back", e);
        }
        if (isBusy(e)) {
            return new StoreException("The Runlog database " + file + " stayed locked by another process for "
                    + LOCK_PATIENCE_MS / 1000 + " s: " + e.getMessage(), e);
        }
        return new StoreException("The Runlog database " + file + " failed: " + e.getMessage(), e);
    }

    private static int intOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException ignored) {
            // No transaction was open (BEGIN itself failed); nothing to undo.
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log().log(System.Logger.Level.DEBUG, "closing a connection failed", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for the database lock", e);
        }
    }
}
