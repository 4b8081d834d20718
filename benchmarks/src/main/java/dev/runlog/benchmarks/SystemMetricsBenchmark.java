package dev.runlog.benchmarks;

import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * What system metrics cost the training thread: {@code logMetric}'s median with the sampler off
 * (the baseline, measured in the same run) and on. The sampler samples every 10 ms, a hundred
 * times more often than anyone would, so that its interference, if any, shows; the store is
 * SQLite: it is {@link LogMetricBenchmark} with the option added, so the figures compare.
 */
@State(Scope.Benchmark)
public class SystemMetricsBenchmark extends LogMetricBenchmark {
    @Param({"off", "10ms"})
    public String sampling;

    @Override
    Tracker.Builder configure(Tracker.Builder builder) {
        return sampling.equals("off") ? builder : builder.systemMetrics(Duration.ofMillis(10));
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
