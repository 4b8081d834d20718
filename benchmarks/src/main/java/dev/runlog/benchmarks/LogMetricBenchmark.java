package dev.runlog.benchmarks;

import dev.runlog.tracking.ActiveRun;
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
 * What one {@code logMetric} call costs the training thread, with the SQLite store and its
 * background writer running. Sample mode times single calls, so the median is the cost of the
 * common call. The loop flushes every 32,768 points, as a training loop does at the end of an
 * epoch, so the buffer never fills: the figure is the cost of handing a point over, not the
 * store's throughput (that is the ingest figure).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LogMetricBenchmark {
    private Path dir;
    private Tracker tracker;
    private ActiveRun run;
    private long step;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("runlog-jmh");
        tracker = configure(Tracker.builder().uri("sqlite:" + dir.resolve("bench.db")).shutdownHook(false)).build();
        run = tracker.startRun("jmh");
    }

    /** The tracker's options beyond the store; a subclass measuring an option adds it here. */
    Tracker.Builder configure(Tracker.Builder builder) {
        return builder;
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
}
