package dev.runlog.tracking.internal;

import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;

/**
 * The failures of closing several things one after another: every step runs whatever the steps
 * before it did, and the first failure is thrown at the end with the others suppressed in it, so
 * that a store failing to close still lets the artifact store close, and no failure goes unseen.
 */
final class CloseFailures {
    /** A closing step, as {@link AutoCloseable#close()} is. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private RunlogException first;

    void add(RunlogException failure) {
        if (first == null) {
            first = failure;
        } else {
            first.addSuppressed(failure);
        }
    }

    /** Runs {@code step}; a failure becomes a {@link StoreException} saying "{@code what} failed: ...". */
    void attempt(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            add(new StoreException(what + " failed: " + e.getMessage(), e));
        }
    }

    /**
     * The message of the failure at the bottom of {@code failure}'s causes: what went wrong, without
     * the wrappers' words, such as a flush's "they stay buffered", which a close that gives up
     * would contradict.
     */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    void throwIfAny() {
        if (first != null) {
            throw first;
        }
    }
}
