package dev.runlog.storage.sqlite;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;

/**
 * Runs in a JVM whose class path lacks the registry module (SqliteWithoutRegistryTest): checks that
 * it is absent, then uses a {@code sqlite:} tracker in full and prints what it stored.
 */
public final class SqliteWithoutRegistryChild {
    private SqliteWithoutRegistryChild() {
    }

    public static void main(String[] args) {
        try {
            Class.forName("dev.runlog.registry.ModelRegistry");
            System.out.println("REGISTRY ON THE CLASS PATH");
            System.exit(2);
        } catch (ClassNotFoundException expected) {
            System.out.println("NO REGISTRY");
        }
        try (Tracker tracker = Tracker.open("sqlite:" + args[0])) {
            Run run = tracker.run("no-registry", r -> r.logParam("lr", 0.1).logMetric("loss", 0.5, 0)
                    .logText("trained", "notes.txt"));
            Run found = tracker.searchRuns().filter("params.lr = '0.1' and user_id != ''").list().get(0);
            tracker.killOrphanedRuns();
            System.out.println("RUN " + found.info().id() + " " + found.info().status() + " "
                    + found.data().metrics().get("loss") + " " + run.info().id().equals(found.info().id()));
        }
    }
}
