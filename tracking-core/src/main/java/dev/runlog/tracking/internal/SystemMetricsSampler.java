package dev.runlog.tracking.internal;

import dev.runlog.tracking.ActiveRun;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Samples the machine into a run's {@code system/*} metrics on one daemon thread of its own, from
 * the run's start until {@link #stop()}: a sample at once, one per interval, and a last one when
 * stopped, each with the sample's index as step. It logs like training code does, through the
 * run's asynchronous writer, so the training thread shares nothing with it but that writer.
 */
final class SystemMetricsSampler {
    private static final System.Logger LOG = System.getLogger(SystemMetricsSampler.class.getName());
    static final String THREAD_PREFIX = "runlog-system-metrics-";
    private static final double MB = 1024.0 * 1024.0;

    /**
     * How long one {@code nvidia-smi} query may take. A GPU whose driver is wedged makes it hang;
     * after one query that does, the run's samples leave the GPUs out, so ending the run waits at most
     * this long for it once.
     */
    static final Duration GPU_QUERY_LIMIT = Duration.ofSeconds(5);

    private final ActiveRun run;
    private final Duration interval;
    /** Cleared, for the rest of the run, by a query that cannot run or hangs. */
    private volatile Optional<Path> nvidiaSmi;
    private final Duration gpuQueryLimit;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private SystemMetricsSampler(ActiveRun run, Duration interval, Optional<Path> nvidiaSmi, Duration gpuQueryLimit) {
        this.run = run;
        this.interval = interval;
        this.nvidiaSmi = nvidiaSmi;
        this.gpuQueryLimit = gpuQueryLimit;
        this.thread = new Thread(this::sampleUntilStopped, THREAD_PREFIX + run.id());
        thread.setDaemon(true);
    }

    static SystemMetricsSampler start(ActiveRun run, Duration interval) {
        return start(run, interval, NvidiaSmi.find(), GPU_QUERY_LIMIT);
    }

    /** As {@link #start(ActiveRun, Duration)}, with the {@code nvidia-smi} to query, if any, and its time limit. */
    static SystemMetricsSampler start(ActiveRun run, Duration interval, Optional<Path> nvidiaSmi, Duration gpuQueryLimit) {
        SystemMetricsSampler sampler = new SystemMetricsSampler(run, interval, nvidiaSmi, gpuQueryLimit);
        sampler.thread.start();
        return sampler;
    }

    /** Takes the last sample and returns once the thread has ended: no sample follows this call. */
    void stop() {
        stopped.countDown();
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the run must end with its sampler gone; keep the flag for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void sampleUntilStopped() {
        long step = 0;
        try {
            run.logMetrics(sample(), step++);
            while (!stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                run.logMetrics(sample(), step++);
            }
            run.logMetrics(sample(), step); // the state at the end of the run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The run ended under us, or the store refused: system metrics are never worth failing training for.
            LOG.log(System.Logger.Level.DEBUG, "system metrics sampling stopped", e);
        }
    }

    private Map<String, Double> sample() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            putLoad(metrics, "system/process_cpu_utilization_percentage", os.getProcessCpuLoad());
            putLoad(metrics, "system/cpu_utilization_percentage", os.getCpuLoad());
            metrics.put("system/system_memory_usage_megabytes", usedMemory(os) / MB);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        metrics.put("system/heap_used_megabytes", memory.getHeapMemoryUsage().getUsed() / MB);
        metrics.put("system/non_heap_used_megabytes", memory.getNonHeapMemoryUsage().getUsed() / MB);
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        metrics.put("system/gc_count", (double) gcCount);
        metrics.put("system/gc_time_milliseconds", (double) gcMillis);
        metrics.put("system/threads", (double) ManagementFactory.getThreadMXBean().getThreadCount());
        Optional<Path> gpus = nvidiaSmi;
        if (gpus.isPresent()) {
            Optional<String> answer = query(gpus.get(), gpuQueryLimit);
            if (answer.isPresent()) {
                metrics.putAll(NvidiaSmi.parse(answer.get()));
            } else {
                nvidiaSmi = Optional.empty();
            }
        }
        return metrics;
    }

    /**
     * Bytes of physical memory in use, as Linux's {@code free} counts "used": the total less what is
     * available, so the page cache the kernel gives back on demand does not count (the JVM's free
     * memory leaves it out, and on a machine that has read much, "in use" was nearly all of it).
     * In a container whose limit the JVM reports, and off Linux, the JVM's own figures.
     */
    private static double usedMemory(com.sun.management.OperatingSystemMXBean os) {
        long total = os.getTotalMemorySize();
        try {
            long[] meminfo = meminfo(Files.readString(Path.of("/proc/meminfo")));
            // Equal but for rounding to kibibytes unless the JVM reports a container's limit.
            if (meminfo != null && Math.abs(meminfo[0] - total) < MB) {
                return total - meminfo[1];
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is not there: the JVM's figure.
        }
        return total - os.getFreeMemorySize();
    }

    /** MemTotal and MemAvailable of a {@code /proc/meminfo}, in bytes; null when either is missing. */
    static long[] meminfo(String text) {
        long total = -1;
        long available = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                total = kibibytes(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kibibytes(line);
            }
        }
        return total < 0 || available < 0 ? null : new long[] {total, available};
    }

    private static long kibibytes(String line) {
        String[] fields = line.trim().split("\\s+");
        return fields.length >= 2 ? Long.parseLong(fields[1]) * 1024 : -1;
    }

    /** A load the JVM reports as a fraction, or negative when it has no figure yet (the first call). */
    private static void putLoad(Map<String, Double> metrics, String key, double fraction) {
        if (fraction >= 0 && !Double.isNaN(fraction)) {
            metrics.put(key, fraction * 100.0);
        }
    }

    /**
     * What {@code nvidia-smi} printed ({@code ""} when it exited with an error), or empty if it
     * could not be run or took over {@code limit}.
     * Its output (a line per GPU) fits in the pipe, so it is read once the process has exited:
     * reading first would wait as long as a hung process holds the pipe open.
     */
    private static Optional<String> query(Path executable, Duration limit) {
        Process process = null;
        try {
            process = new ProcessBuilder(executable.toString(), NvidiaSmi.QUERY, NvidiaSmi.FORMAT)
                    .redirectErrorStream(true).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, executable + " did not answer within " + limit.toMillis()
                        + " ms; this run's system metrics leave the GPUs out from now on");
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                return Optional.of(""); // no figures this time; it may answer next time
            }
            try (InputStream out = process.getInputStream()) {
                return Optional.of(new String(out.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    /** Whether {@code name} is a file on the {@code PATH} that may be run. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
