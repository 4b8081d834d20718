package dev.runlog.cli;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.tck.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code runlog} command lines in-process against one store and captures what they print.
 * The fixture store holds experiment {@code iris} with two finished runs, each with a model, and
 * registered model {@code iris-classifier} (version 1 from run A in Production, version 2 from B).
 */
final class CliHarness implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** A model as the json flavor stores it. */
    record Weights(double[] w) {
    }

    final MutableClock clock = new MutableClock(START);
    final Tracker tracker;
    final ModelRegistry registry;
    /** With a store URI, every command opens the store itself, as the jar does; else it uses {@link #tracker}. */
    private final String storeUri;
    String runA;
    String runB;

    CliHarness(String storeUri) {
        this.storeUri = storeUri;
        this.tracker = Tracker.builder().uri(storeUri == null ? "memory:" : storeUri).clock(clock).build();
        this.registry = ModelRegistry.of(tracker);
    }

    CliHarness withFixture() {
        runA = run("lr-0.1", "0.1", new double[] {0.5, 0.8, 0.91}, 0.3, "vision");
        runB = run("lr-0.01", "0.01", new double[] {0.4, 0.7, 0.85}, 0.4, "speech");
        registry.register("iris-classifier", "runs:/" + runA + "/model");
        clock.advance(Duration.ofMinutes(1));
        registry.register("iris-classifier", "runs:/" + runB + "/model");
        registry.transition("iris-classifier", 1, Stage.PRODUCTION);
        clock.advance(Duration.ofMinutes(10));
        return this;
    }

    private String run(String name, String lr, double[] accuracy, double loss, String team) {
        try (ActiveRun run = tracker.newRun("iris").name(name).tag("team", team).start()) {
            run.logParam("lr", lr).logParam("epochs", 10);
            for (int step = 0; step < accuracy.length; step++) {
                clock.advance(Duration.ofSeconds(4));
                run.logMetric("acc", accuracy[step], step);
            }
            run.logMetric("loss", loss);
            run.logModel("model", new Weights(new double[] {1, 2}));
            clock.advance(Duration.ofSeconds(3));
            return run.id();
        }
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> line = new ArrayList<>();
        if (storeUri != null) {
            line.add("--store");
            line.add(storeUri);
        }
        line.addAll(List.of(args));
        try (Context ctx = Context.forTest(new PrintWriter(out), new PrintWriter(err), clock,
                storeUri == null ? tracker : null)) {
            int code = RunlogCli.execute(ctx, line.toArray(String[]::new));
            ctx.close();
            return new Result(code, out.toString(), err.toString());
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
