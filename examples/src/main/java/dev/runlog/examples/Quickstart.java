package dev.runlog.examples;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;

/**
 * The README's quickstart, runnable:
 * {@code mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.runlog.examples.Quickstart}
 * (without {@code -Dexec.mainClass}, exec:java runs {@link IrisPipeline}).
 *
 * <p>It logs a run into the default store, {@code sqlite:runlog.db} in the working directory (or
 * the URI in the system property {@code runlog.tracking.uri} or the environment variable
 * {@code RUNLOG_TRACKING_URI}). {@link #readmeQuickstart()} is the code the README shows, kept
 * identical by {@code QuickstartTest}.
 */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) {
        readmeQuickstart();
        System.out.println("stored in " + Tracker.defaultUri() + "; run again to add another run to it");
    }

    /** The README's quickstart, verbatim between the markers. */
    public static void readmeQuickstart() {
        // README:quickstart:begin
        try (Tracker tracker = Tracker.open()) {         // sqlite:runlog.db in the working directory
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
}
