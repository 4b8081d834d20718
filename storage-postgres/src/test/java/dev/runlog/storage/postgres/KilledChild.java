package dev.runlog.storage.postgres;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.util.List;

/**
 * A training process for {@link PgFaultTest}, killed with kill -9 at some point: logs to the store
 * URI of its argument round after round, forever, and prints what it was told is stored, each line
 * complete only after the call returned: {@code RUN id}, then per round {@code METRICS n ok} (steps
 * 0..n-1 of metric {@code m} flushed) and {@code PARAM i ok} (param {@code p<i>} = i logged).
 */
public final class KilledChild {
    static final int POINTS_PER_ROUND = 2_000;

    private KilledChild() {
    }

    /** How many rounds a child's output reports complete. */
    static long rounds(List<String> lines) {
        return lines.stream().filter(l -> l.matches("PARAM \\d+ ok")).count();
    }

    public static void main(String[] args) {
        Tracker tracker = Tracker.builder().uri(args[0]).shutdownHook(false).build();
        ActiveRun run = tracker.startRun("killed");
        System.out.println("RUN " + run.id());
        long step = 0;
        for (int round = 0; ; round++) {
            for (int i = 0; i < POINTS_PER_ROUND; i++, step++) {
                run.logMetric("m", step, step);
            }
            run.flush();
            System.out.println("METRICS " + step + " ok");
            run.logParam("p" + round, round);
            System.out.println("PARAM " + round + " ok");
        }
    }
}
