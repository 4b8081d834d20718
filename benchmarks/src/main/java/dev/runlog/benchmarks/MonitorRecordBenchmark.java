package dev.runlog.benchmarks;

import dev.runlog.monitoring.ModelMonitor;
import dev.runlog.monitoring.MonitorOptions;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@code ModelMonitor.record} call costs the serving thread: 30 features and an output
 * ({@link #record}: 30 numbers; {@link #recordMixed}: 27 numbers and 3 categories as an
 * {@code Object[]}, checked and copied),
 * with the monitor's thread evaluating windows of 1,000 predictions against a sketched reference
 * and logging them to a SQLite store meanwhile. Sample mode times single calls, as
 * {@link LogMetricBenchmark} does, so the two medians compare. When the evaluating thread falls
 * behind, calls find the buffer full and drop: that path is timed too, as serving would pay it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MonitorRecordBenchmark {
    private Path dir;
    private Tracker tracker;
    private ModelMonitor monitor;
    private ModelMonitor mixed;
    private double[][] rows;
    private Object[][] mixedRows;
    private int next;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("runlog-jmh-monitor");
        tracker = Tracker.builder().uri("sqlite:" + dir.resolve("bench.db")).shutdownHook(false).build();
        monitor = ModelMonitor.forReference(tracker, "bench", MonitorBenchmark.reference(10_000, 1),
                MonitorOptions.defaults().window(1_000));
        rows = MonitorBenchmark.rows(4_096, 2);
        mixed = ModelMonitor.forReference(tracker, "bench-mixed", MonitorBenchmark.mixedReference(10_000, 1),
                MonitorOptions.defaults().window(1_000));
        mixedRows = MonitorBenchmark.mixedRows(4_096, 2);
    }

    @Benchmark
    public long record() {
        return monitor.record(rows[next++ & 4_095], 1.0);
    }

    @Benchmark
    public long recordMixed() {
        return mixed.record(mixedRows[next++ & 4_095], 1.0);
    }

    @TearDown
    public void close() throws IOException {
        monitor.close();
        mixed.close();
        tracker.close();
        BenchmarkSuite.deleteTree(dir);
    }
}
