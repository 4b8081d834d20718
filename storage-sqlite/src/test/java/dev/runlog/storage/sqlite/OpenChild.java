package dev.runlog.storage.sqlite;

import dev.runlog.tracking.Tracker;

/**
 * Run in a child JVM, in a working directory of the test's choosing, by {@link DatabaseFileTest}:
 * opens each tracking URI given, creates an experiment in it, closes it, and prints
 * {@code OPENED <uri>}. Given no URI, it does the same with {@code Tracker.open()}, the default.
 */
public final class OpenChild {
    private OpenChild() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            try (Tracker tracker = Tracker.open()) {
                tracker.createExperiment("opened");
            }
            System.out.println("OPENED " + Tracker.defaultUri());
        }
        for (String uri : args) {
            try (Tracker tracker = Tracker.open(uri)) {
                tracker.createExperiment("opened");
            }
            System.out.println("OPENED " + uri);
        }
    }
}
