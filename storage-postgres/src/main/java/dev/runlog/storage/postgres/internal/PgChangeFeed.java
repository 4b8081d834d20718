package dev.runlog.storage.postgres.internal;

import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.spi.InputRules;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The registry's changes as other processes commit them, through PostgreSQL's LISTEN/NOTIFY: every
 * registry transaction that can move a stage or alias calls {@link #announce} (a {@code NOTIFY},
 * which PostgreSQL delivers only if and when the transaction commits), and one daemon thread per
 * store, started by the first subscriber and running until the store closes, listens on a
 * connection of its own (outside the pool: a pooled connection would be taken from the writers for
 * good) and calls every subscriber. A process that deploys nothing opens no such connection.
 *
 * <p>When that connection drops (the server restarts, the network fails) the thread reconnects
 * with a growing pause, up to {@link #MAX_PAUSE_MS}; meanwhile the subscribers' polls keep them
 * current. Each time it starts listening it calls every subscriber once, since whatever committed
 * while it was not listening was never announced to it.
 */
final class PgChangeFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PgChangeFeed.class.getName());
    /** One channel per database (NOTIFY is per database): every Runlog store on it hears the same changes. */
    static final String CHANNEL = "runlog_registry";
    /** How long one wait for notifications lasts at most: how late the thread sees that the feed closed. */
    private static final int WAIT_MS = 500;
    private static final long MIN_PAUSE_MS = 100;
    static final long MAX_PAUSE_MS = 5_000;

    private final PgUri uri;
    private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    // Guarded by lock.
    private Thread thread;
    private volatile boolean closed;

    PgChangeFeed(PgUri uri) {
        this.uri = uri;
    }

    /** In a registry transaction: tells every listener of the database, once the transaction commits. */
    static void announce(Connection c, String modelName) throws SQLException {
        try (PreparedStatement ps = PgDatabase.prepare(c, "SELECT pg_notify(?, ?)", CHANNEL, modelName)) {
            ps.execute();
        }
    }

    /** See {@link RegistryStore#subscribe}: the listening thread starts with the first subscriber. */
    RegistryStore.Subscription subscribe(Runnable onChange) {
        InputRules.notNull("onChange", onChange);
        synchronized (lock) {
            if (closed) {
                return () -> { };
            }
            subscribers.add(onChange);
            if (thread == null) {
                thread = new Thread(this::listen, "runlog-postgres-listen " + uri.database());
                thread.setDaemon(true);
                thread.start();
            }
        }
        return () -> subscribers.remove(onChange);
    }

    private void listen() {
        long pause = MIN_PAUSE_MS;
        String lastFailure = null;
        while (!closed) {
            try (Connection c = connect()) {
                PgDatabase.execute(c, "LISTEN " + CHANNEL); // a constant of ours, not input
                if (lastFailure != null) {
                    LOG.log(System.Logger.Level.INFO, "Listening for registry changes on {0} again", uri.redacted());
                }
                lastFailure = null;
                pause = MIN_PAUSE_MS;
                tellSubscribers(); // what committed before this LISTEN was not announced to this connection
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MS);
                    if (notifications != null && notifications.length > 0) {
                        tellSubscribers(); // one refresh covers any number of changes
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                    // Once per kind of failure, not at every reconnect attempt of a long outage.
                    LOG.log(System.Logger.Level.WARNING, "Not hearing registry changes on {0} (deployments keep polling):"
                            + " {1}", uri.redacted(), e.getMessage());
                }
                lastFailure = String.valueOf(e.getMessage());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = Math.min(pause * 2, MAX_PAUSE_MS);
            }
        }
    }

    private void tellSubscribers() {
        for (Runnable subscriber : subscribers) {
            try {
                subscriber.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A registry change subscriber failed", e);
            }
        }
    }

    /** A connection of the feed's own, in autocommit (a LISTEN takes effect when it commits). */
    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        for (Map.Entry<String, String> p : uri.driverParameters().entrySet()) {
            properties.setProperty(p.getKey(), p.getValue());
        }
        properties.setProperty("user", uri.user());
        properties.setProperty("password", uri.password().orElse(""));
        properties.putIfAbsent("ApplicationName", "runlog-listen");
        return DriverManager.getConnection(uri.jdbcUrl(), properties);
    }

    /** Stops the thread: it closes its connection within {@link #WAIT_MS}; nothing waits for it. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            subscribers.clear();
            if (thread != null) {
                thread.interrupt(); // ends a pause between reconnects at once
            }
        }
    }
}
