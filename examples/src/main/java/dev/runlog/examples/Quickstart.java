package dev.runlog.examples;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;

/**
 * The README's quickstart, runnable: {@code mvn -B -q -pl examples -am compile exec:java}.
 *
 * <p>{@link #main} opens the default store ({@code sqlite:runlog.db}, or the URI in
 * {@code RUNLOG_TRACKING_URI}); {@link #readmeQuickstart()} is the code the README shows, kept
 * identical by {@code QuickstartTest}.
 */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) {
        Tracker tracker;
        try {
            tracker = Tracker.open();
        } catch (InvalidInputException noStore) {
            System.out.println("The embedded default store (sqlite:runlog.db) is coming with the storage-sqlite module;");
            System.out.println("until it lands, this example runs on the in-memory store.");
            System.out.println("(" + noStore.getMessage() + ")");
            System.out.println();
            readmeQuickstart();
            return;
        }
        try (tracker) {
            Run run = train(tracker);
            System.out.println("Stored run " + run.info().id() + " in " + Tracker.DEFAULT_URI);
        }
    }

    /** The README's quickstart, verbatim between the markers. */
    public static void readmeQuickstart() {
        // README:quickstart:begin
        try (Tracker tracker = Tracker.inMemory()) {     // or Tracker.open("sqlite:runs.db")
            Run run = tracker.run("quickstart", r -> {
                r.logParam("learning_rate", 0.1).logParam("epochs", 20);
                double loss = 1.0;
                for (int epoch = 0; epoch < 20; epoch++) {
                    loss *= 0.8;                         // your training step here
                    r.logMetric("loss", loss, epoch);
                }
            });
            System.out.printf("run %s %s, final loss %.4f%n",
                    run.info().name(), run.info().status(), run.data().metrics().get("loss"));
            System.out.println(tracker.metricHistory(run.info().id(), "loss").size() + " loss points stored");
        }
        // README:quickstart:end
    }

    private static Run train(Tracker tracker) {
        return tracker.run("quickstart", r -> {
            r.logParam("learning_rate", 0.1).logParam("epochs", 20);
            double loss = 1.0;
            for (int epoch = 0; epoch < 20; epoch++) {
                loss *= 0.8;
                r.logMetric("loss", loss, epoch);
            }
        });
    }
}
