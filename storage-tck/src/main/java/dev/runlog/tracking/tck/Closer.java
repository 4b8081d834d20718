package dev.runlog.tracking.tck;

import java.util.Deque;

/** Closes what a kit test opened, newest first, so that one failing close neither hides another nor leaks the rest. */
final class Closer {
    private Closer() {
    }

    /** Pops and closes each of {@code open}; throws the first failure with the later ones suppressed. */
    static void closeAll(Deque<? extends AutoCloseable> open) throws Exception {
        Exception failure = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
