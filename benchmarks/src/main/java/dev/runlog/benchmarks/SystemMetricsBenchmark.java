package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * What system metrics cost the training thread: {@code logMetric}'s median with the sampler off
 * (the baseline, measured in the same run) and on. The sampler samples every 10 ms, a hundred
 * times more often than anyone would, so that its interference, if any, shows; the store is
 * SQLite, as in {@link LogMetricBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SystemMetricsBenchmark {
    @Param({"off", "10ms"})
    public String sampling;

    private Path dir;
    private Tracker tracker;
    private ActiveRun run;
    private long step;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("runlog-jmh-sys");
        Tracker.Builder builder = Tracker.builder().uri("sqlite:" + dir.resolve("bench.db")).shutdownHook(false);
        if (!sampling.equals("off")) {
            builder.systemMetrics(Duration.ofMillis(10));
        }
        tracker = builder.build();
        run = tracker.startRun("jmh");
    }

    @Benchmark
    public ActiveRun logMetric() {
        long s = step++;
        if ((s & 0x7FFF) == 0) {
            run.flush();
        }
        return run.logMetric("loss", 1.0 / (s + 1), s);
    }

    @TearDown
    public void close() throws IOException {
        run.close();
        tracker.close();
        BenchmarkSuite.deleteTree(dir);
    }

    /** Runs both settings and prints the median with sampling on, beside the median with it off. */
    static void run(Consumer<Figure> print) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(SystemMetricsBenchmark.class.getName())
                .verbosity(VerboseMode.SILENT).build()).run();
        double off = Double.NaN;
        double on = Double.NaN;
        for (RunResult result : results) {
            double median = result.getPrimaryResult().getStatistics().getPercentile(50);
            if (result.getParams().getParam("sampling").equals("off")) {
                off = median;
            } else {
                on = median;
            }
        }
        print.accept(new Figure("logMetric_median_with_system_metrics", on, "ns", 200, false, off,
                "SQLite store, sampler every 10 ms; baseline: the same benchmark with system metrics off"));
    }
}
