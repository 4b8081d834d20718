package dev.runlog.storage.sqlite;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link CrashSafetyTest}, which kills it. Arguments: database file, runs,
 * steps per round.
 *
 * <p>Prints {@code RUN <runId> <index>} right after starting each run, then logs forever, in
 * rounds: every run logs keys {@code loss} and {@code acc} at the round's steps (run 0 point by
 * point, the others through {@code logMetrics}), then each run is flushed and, once
 * {@code flush()} has returned, {@code ACK <runId> <key> <count>} is printed for both keys:
 * steps {@code 0..count-1} were all logged before that flush. {@code ROUND <n>} follows each
 * round's acknowledgements.
 */
public final class CrashChild {
    static final List<String> KEYS = List.of("loss", "acc");

    private CrashChild() {
    }

    /** The value run {@code run} logs for {@code key} at {@code step}. */
    static double value(int run, String key, long step) {
        double base = key.equals("loss") ? 1.0 / (step + 1) : step / 3.0;
        return base + run * 1_000.0;
    }

    public static void main(String[] args) {
        String file = args[0];
        int runCount = Integer.parseInt(args[1]);
        int stepsPerRound = Integer.parseInt(args[2]);
        Tracker tracker = Tracker.open("sqlite:" + file); // never closed: the parent kills this JVM
        List<ActiveRun> runs = new ArrayList<>();
        for (int i = 0; i < runCount; i++) {
            ActiveRun run = tracker.startRun("crash");
            run.logParam("index", i);
            runs.add(run);
            System.out.println("RUN " + run.id() + " " + i);
        }
        long steps = 0;
        for (int round = 1; ; round++) {
            for (long step = steps; step < steps + stepsPerRound; step++) {
                for (int i = 0; i < runCount; i++) {
                    ActiveRun run = runs.get(i);
                    if (i == 0) {
                        run.logMetric("loss", value(i, "loss", step), step);
                        run.logMetric("acc", value(i, "acc", step), step);
                    } else {
                        run.logMetrics(Map.of("loss", value(i, "loss", step), "acc", value(i, "acc", step)), step);
                    }
                }
            }
            steps += stepsPerRound;
            for (ActiveRun run : runs) {
                run.flush();
                run.setTag("flushed", Long.toString(steps));
                for (String key : KEYS) {
                    System.out.println("ACK " + run.id() + " " + key + " " + steps);
                }
            }
            System.out.println("ROUND " + round);
        }
    }
}
