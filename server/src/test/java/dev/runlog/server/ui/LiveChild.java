package dev.runlog.server.ui;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Run in a child JVM by {@link LiveUpdateTest}: the training process that writes the SQLite file
 * the server reads. Argument: the database file. Prints {@code STARTED <runId> <experimentId>}
 * once its run has logged step 0; then, line by line from stdin, {@code LOG n} logs steps 1..n and
 * answers {@code LOGGED n}; {@code END} ends the run (FINISHED), prints {@code ENDED} and exits.
 */
public final class LiveChild {
    private LiveChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Tracker tracker = Tracker.open("sqlite:" + args[0])) {
            try (ActiveRun run = tracker.newRun("live").name("training").start()) {
                run.logParam("lr", 0.1).logMetric("loss", 1.0, 0);
                run.flush();
                System.out.println("STARTED " + run.id() + " " + run.experimentId());
                String line;
                while ((line = stdin.readLine()) != null && !line.equals("END")) {
                    if (line.startsWith("LOG ")) {
                        int to = Integer.parseInt(line.substring(4));
                        for (int step = 1; step <= to; step++) {
                            run.logMetric("loss", 1.0 / (step + 1), step);
                        }
                        run.flush();
                        System.out.println("LOGGED " + to);
                    }
                }
            }
        }
        System.out.println("ENDED");
    }
}
