package dev.runlog.tracking.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One JVM shutdown hook for all trackers left open: it flushes them and marks their active runs
 * KILLED, so a job stopped by Ctrl-C or {@code System.exit} leaves an honest record.
 */
final class ShutdownHooks {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(ShutdownHooks.class.getName());
    }
    /** How long the hook waits for one tracker's buffered points: the JVM is waiting for us. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<DefaultTracker> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownHooks::closeAll, "runlog-shutdown"));
    }

    private ShutdownHooks() {
    }

    static void register(DefaultTracker tracker) {
        OPEN.add(tracker);
    }

    static void unregister(DefaultTracker tracker) {
        OPEN.remove(tracker);
    }

    private static void closeAll() {
        for (DefaultTracker tracker : OPEN) {
            try {
                tracker.closeOnShutdown(FLUSH_TIMEOUT);
            } catch (RuntimeException e) {
                // java.util.logging closes its handlers in a shutdown hook of its own, which may have
                // run already: a warning logged now could go nowhere. Standard error is still there.
                System.err.println("runlog: closing a tracker at JVM shutdown failed: " + e.getMessage());
                for (Throwable also : e.getSuppressed()) {
                    System.err.println("runlog:   and " + also.getMessage());
                }
                System.err.flush();
                log().log(System.Logger.Level.DEBUG, "Closing a tracker at JVM shutdown failed", e);
            }
        }
    }
}
