package dev.runlog.storage.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One Runlog database on a PostgreSQL server: a small connection pool, transactions, error
 * translation and the schema migration run on open.
 *
 * <p>Writes run in READ COMMITTED transactions that lock the rows they decide on (the run being
 * written, the model being changed), so concurrent writers from any number of hosts serialize per
 * run or model and never see a half-made change. Reads run in REPEATABLE READ, READ ONLY
 * transactions: every query of one call sees the same snapshot. Work that is one statement (a
 * run's start or end, a registration, a look-up by key) runs in autocommit instead
 * ({@link #writeOne}, {@link #readOne}): a statement is atomic and sees one snapshot of its own, and
 * its commit then costs no round trip of its own. A transaction PostgreSQL aborts
 * as a deadlock or serialization failure is retried a few times, and so is one whose connection
 * was lost before it asked to commit (the server rolled it back: a pooled connection that died
 * while the server restarted). A transaction lost while committing is not retried (it may have
 * committed); that, and a database that cannot be reached within {@link #waitForConnection}, is a
 * {@link StoreException} that says the database is unreachable and names its host and port.
 */
final class PgDatabase implements AutoCloseable {
    /**
     * JIT compilation off: a search that sorts many runs otherwise spends some 300 ms compiling its
     * plan on servers built with LLVM, each time, more than the query itself; Runlog's queries are
     * short. {@code options=-c jit=on} in the URI turns it back on.
     */
    static final String DEFAULT_OPTIONS = "-c jit=off";
    private static final System.Logger LOG = System.getLogger(PgDatabase.class.getName());
    /** A training process writes from one thread and reads now and then: a few connections serve it. */
    static final int POOL_SIZE = 4;
    private static final int ATTEMPTS = 5;
    /** pgjdbc's own default for {@code connectTimeout}, in seconds. */
    private static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    /** A unit of work on a connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final PgUri uri;
    private final HikariDataSource pool;

    private PgDatabase(PgUri uri, HikariDataSource pool) {
        this.uri = uri;
        this.pool = pool;
    }

    /**
     * Connects, then migrates the schema (see {@link PgSchema#migrate}); unless {@code create},
     * only a database that holds Runlog's tables already.
     *
     * @throws StoreException    if the server cannot be reached or refuses the login, or the schema
     *                           is newer than this Runlog
     * @throws NotFoundException if not {@code create} and the database holds no Runlog tables
     */
    static PgDatabase open(PgUri uri, boolean create) {
        HikariConfig config = poolConfig(uri);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw unreachable(uri, e);
        }
        PgDatabase db = new PgDatabase(uri, pool);
        try {
            PgSchema.migrate(db, create);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * The pool's configuration. The driver gets its settings through a data source made here, not
     * as the pool's properties: the pool logs those at DEBUG, masking only one named
     * {@code password}, so {@code sslpassword} (the TLS key's) appeared there in clear.
     */
    static HikariConfig poolConfig(PgUri uri) {
        long waitMillis = waitForConnection(uri);
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(uri.jdbcUrl());
        driver.setUser(uri.user());
        // An empty password when the rules found none: pgjdbc would otherwise read ~/.pgpass itself, without
        // libpq's check that the file is private, and the password rules are PgUri's alone.
        driver.setPassword(uri.password().orElse(""));
        try {
            for (Map.Entry<String, String> p : uri.driverParameters().entrySet()) {
                driver.setProperty(p.getKey(), p.getValue());
            }
            driver.setProperty(PgUri.OPTIONS, sessionOptions(uri));
            if (uri.driverParameters().keySet().stream().noneMatch("loginTimeout"::equalsIgnoreCase)) {
                // connectTimeout bounds only the TCP connect: a server that accepts and never answers
                // (hung, or a half-open link) held the start-up exchange for minutes. loginTimeout
                // bounds the whole login, so an unreachable database fails in about the same time.
                driver.setProperty("loginTimeout", Long.toString((waitMillis + 999) / 1000));
            }
        } catch (SQLException e) {
            // PgUri takes only options the driver knows; a driver that knows fewer says which.
            throw new InvalidInputException("The PostgreSQL driver refuses an option of " + uri.redacted() + ": " + e.getMessage());
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(driver);
        config.setPoolName("runlog-postgres-" + uri.database());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setConnectionTimeout(waitMillis);
        return config;
    }

    /**
     * The server options of every session: {@link #DEFAULT_OPTIONS}, then the URI's {@code options}
     * (libpq's), whose settings win since PostgreSQL applies the last {@code -c} of a name.
     */
    static String sessionOptions(PgUri uri) {
        String given = uri.driverParameters().get(PgUri.OPTIONS);
        return given == null ? DEFAULT_OPTIONS : DEFAULT_OPTIONS + " " + given;
    }

    /**
     * How long a call waits for a connection, in milliseconds, before it fails as unreachable: the
     * URI's {@code connectTimeout} (seconds, which the driver also applies to each attempt to
     * connect), else the driver's default of 10 s. One setting for both, so that a call fails about
     * when its last attempt to connect does, and not after a wait of the pool's own.
     */
    static long waitForConnection(PgUri uri) {
        String seconds = uri.driverParameters().get("connectTimeout");
        long millis = DEFAULT_CONNECT_TIMEOUT_SECONDS * 1000L;
        if (seconds != null) {
            long parsed;
            try {
                parsed = Long.parseLong(seconds.trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("connectTimeout=" + seconds
                        + " is not a whole number of seconds");
            }
            if (parsed < 0 || parsed > 3_600) {
                throw new InvalidInputException("connectTimeout=" + seconds + " is not 0 to 3600 seconds");
            }
            millis = parsed * 1000L;
        }
        return Math.max(millis, 250); // the pool's minimum; 0 (the driver's "no limit") is not one for a call
    }

    private static RunlogException unreachable(PgUri uri, Throwable e) {
        SQLException refusal = PgErrors.refusing(e);
        if (refusal != null) {
            return refused(uri, refusal, e);
        }
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            // A server setting the URI's options= gives that the server rejects at login: an invalid
            // value (22023) or an unknown parameter (42704). No retry helps until the URI changes.
            if (cause instanceof SQLException sql && ("22023".equals(sql.getSQLState()) || "42704".equals(sql.getSQLState()))) {
                return new InvalidInputException("The Runlog database " + uri.redacted() + ": the server refuses a setting"
                        + " the URI's options give (" + sql.getMessage() + "); correct options=", e);
            }
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // An unknown host's exception says only the host's name.
        String reason = cause instanceof java.net.UnknownHostException ? "no such host: " + cause.getMessage() : cause.getMessage();
        return new StoreException("Cannot reach the Runlog database " + uri.redacted() + ": " + reason, e);
    }

    /** Not a StoreException: retrying will not help until the URI, the password or the grants change. */
    private static InvalidInputException refused(PgUri uri, SQLException e, Throwable thrown) {
        return new InvalidInputException("The Runlog database " + uri.redacted() + " (server " + uri.host() + ":" + uri.port()
                + ", user " + uri.user() + "): " + PgErrors.refusal(e) + " (" + e.getMessage() + "); check the user name,"
                + " the password (in the URI, PGPASSWORD or the password file), the database name and the user's grants", thrown);
    }

    PgUri uri() {
        return uri;
    }

    /** How a unit of work runs. */
    private enum Mode {
        /** A read-committed transaction, committed after the work. */
        WRITE,
        /** A repeatable-read, read-only transaction: every statement sees one snapshot. */
        READ,
        /** One statement in autocommit: the server commits it as it runs, in the round trip of the statement. */
        WRITE_ONE,
        /** One query in autocommit, which is its own snapshot. */
        READ_ONE
    }

    /** Runs {@code work} in a read-committed write transaction, retried whole on a deadlock or serialization failure. */
    <T> T write(Work<T> work) {
        return transaction(Mode.WRITE, ATTEMPTS, work);
    }

    /** As {@link #write}, never retried: for work that consumes what it writes, such as an upload's stream. */
    <T> T writeOnce(Work<T> work) {
        return transaction(Mode.WRITE, 1, work);
    }

    /**
     * Runs {@code work}, whose change is ONE statement, in autocommit: the statement and its commit
     * cost one round trip instead of three (BEGIN with the statement, then COMMIT). A statement
     * PostgreSQL aborted as a deadlock or serialization failure is retried; one whose connection
     * was lost is not (it may have committed). Statements the work runs after a change that did not
     * happen (to say why) are each committed on their own too, so they must not change anything.
     */
    <T> T writeOne(Work<T> work) {
        return transaction(Mode.WRITE_ONE, ATTEMPTS, work);
    }

    /** Runs {@code work} in a read-only transaction on one snapshot. */
    <T> T read(Work<T> work) {
        return transaction(Mode.READ, ATTEMPTS, work);
    }

    /**
     * Runs {@code work}, ONE query, outside a transaction block: a statement sees one snapshot of its
     * own, so the query costs one round trip instead of four (SET TRANSACTION, the query, COMMIT).
     */
    <T> T readOne(Work<T> work) {
        return transaction(Mode.READ_ONE, ATTEMPTS, work);
    }

    private <T> T transaction(Mode mode, int attempts, Work<T> work) {
        boolean autocommit = mode == Mode.WRITE_ONE || mode == Mode.READ_ONE;
        for (int attempt = 1; ; attempt++) {
            boolean committing = false;
            try (Connection c = connection()) {
                try {
                    if (autocommit) {
                        c.setAutoCommit(true); // no transaction is open on a pooled connection: no round trip
                    } else if (mode == Mode.READ) {
                        execute(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    }
                    committing = mode == Mode.WRITE_ONE; // the statement commits as it runs
                    T result = work.apply(c);
                    if (!autocommit) {
                        committing = true;
                        c.commit();
                    }
                    return result;
                } catch (SQLException | RuntimeException e) {
                    if (!autocommit) {
                        try {
                            c.rollback();
                        } catch (SQLException rollback) {
                            e.addSuppressed(rollback); // the connection is likely gone; the pool drops it
                        }
                    }
                    throw e;
                }
                // The pool sets autocommit back off as it takes the connection back: no round trip either.
            } catch (SQLException e) {
                // Lost before the commit was asked for: the server rolled the work back, so it may run again.
                boolean lostUncommitted = !committing && PgErrors.isConnectionLoss(e);
                if (attempt < attempts && (PgErrors.isTransient(e) || lostUncommitted)) {
                    LOG.log(System.Logger.Level.DEBUG, "Retrying a transaction PostgreSQL aborted: {0}", e.getMessage());
                    pause(attempt);
                    continue;
                }
                RunlogException failure = translate(e);
                if (committing && PgErrors.isConnectionLoss(e)) {
                    throw new CommitLost(failure.getMessage(), e);
                }
                throw failure;
            }
        }
    }

    /**
     * The connection was lost while the transaction committed: it may have committed or not, which
     * only a look at what it wrote can tell (see {@link PgOnceWrites}).
     */
    static final class CommitLost extends StoreException {
        private final String reason;

        CommitLost(String message, Throwable cause) {
            super(message + " (the connection was lost while committing: the change may have been stored)", cause);
            this.reason = message;
        }

        /** The failure once it is known that the change was not stored, as a plain {@link StoreException}. */
        StoreException notStored() {
            return new StoreException(reason + " (the connection was lost while committing, and the change was not"
                    + " stored)", getCause());
        }
    }

    /** A pooled connection, not in autocommit: the caller commits or rolls back, then closes it. */
    Connection connection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            SQLException refusal = PgErrors.refusing(e);
            throw refusal != null ? refused(uri, refusal, e) : new StoreException(unreachableMessage() + e.getMessage(), e);
        }
    }

    /** Names the server by host and port, whatever the URI leaves out, and never the password. */
    private String unreachableMessage() {
        return "The Runlog database " + uri.redacted() + " is unreachable (server " + uri.host() + ":" + uri.port() + "): ";
    }

    RunlogException translate(SQLException e) {
        SQLException refusal = PgErrors.refusing(e);
        if (refusal != null) {
            return refused(uri, refusal, e);
        }
        if (PgErrors.isConnectionLoss(e)) {
            return new StoreException(unreachableMessage() + e.getMessage(), e);
        }
        return new StoreException("The Runlog database " + uri.redacted() + " failed: " + e.getMessage(), e);
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Reads one row of a result into a value. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs an INSERT, UPDATE or DELETE with {@code args} bound in order; returns the rows it changed. */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** Every row of a query with {@code args} bound in order, each read by {@code row}. */
    static <T> List<T> list(Connection c, Row<T> row, String sql, Object... args) throws SQLException {
        List<T> values = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(row.read(rs));
            }
        }
        return values;
    }

    /** The first row of a query, read by {@code row}, if there is one. */
    static <T> Optional<T> first(Connection c, Row<T> row, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
        }
    }

    /** Whether a query with {@code args} bound returns a row. */
    static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        return first(c, rs -> Boolean.TRUE, sql, args).isPresent();
    }

    /** Runs {@code sql} once per row of arguments, as one JDBC batch; nothing for no rows. */
    static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, storable(row[i]));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A statement with {@code args} bound in order: null as SQL NULL, a {@code String[]} or
     * {@code Long[]} as a PostgreSQL array (for {@code = ANY (?)} and {@code unnest}).
     */
    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, storable(args[i]));
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /**
     * {@code arg}, once it is known to hold no NUL character: PostgreSQL cannot store one in text,
     * nor compare with one, and fails the whole statement. Values written are refused earlier by
     * the input rules; this catches an id, name or key given to a lookup or an edit, which no
     * stored value can match, with an error that says so instead of a store failure.
     */
    static Object storable(Object arg) {
        if (arg instanceof String text && text.indexOf('\0') >= 0
                || arg instanceof String[] texts && java.util.Arrays.stream(texts).anyMatch(t -> t != null && t.indexOf('\0') >= 0)) {
            String shown = arg instanceof String text ? text : String.join(", ", (String[]) arg);
            throw new InvalidInputException("A value given holds a NUL character (U+0000), which the PostgreSQL store"
                    + " cannot hold, so nothing stored has it: '" + shown.replace("\0", "\\u0000") + "'");
        }
        return arg;
    }

    /** {@link #storable(Object)} for a statement's own {@code setString}. */
    static String storable(String text) {
        storable((Object) text);
        return text;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5L << attempt, 20L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while retrying a database transaction", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
