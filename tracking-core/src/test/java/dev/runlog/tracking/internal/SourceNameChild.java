package dev.runlog.tracking.internal;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;

/** A user's training program, started through a launcher by {@link SourceNameTest}. */
public final class SourceNameChild {
    private SourceNameChild() {
    }

    public static void main(String[] args) {
        try (Tracker tracker = Tracker.inMemory()) {
            Run run = tracker.run("e", r -> r.logMetric("loss", 1.0));
            System.out.println("SOURCE " + run.data().tags().get(SystemTags.SOURCE_NAME));
        }
    }
}
