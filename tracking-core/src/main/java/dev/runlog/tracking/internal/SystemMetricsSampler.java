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

    private final ActiveRun run;
    private final Duration interval;
    private final Optional<Path> nvidiaSmi;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private SystemMetricsSampler(ActiveRun run, Duration interval) {
        this.run = run;
        this.interval = interval;
        this.nvidiaSmi = NvidiaSmi.find();
        this.thread = new Thread(this::sampleUntilStopped, THREAD_PREFIX + run.id());
        thread.setDaemon(true);
    }

    static SystemMetricsSampler start(ActiveRun run, Duration interval) {
        SystemMetricsSampler sampler = new SystemMetricsSampler(run, interval);
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
            metrics.put("system/system_memory_usage_megabytes",
                    (os.getTotalMemorySize() - os.getFreeMemorySize()) / MB);
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
        nvidiaSmi.ifPresent(executable -> metrics.putAll(NvidiaSmi.parse(query(executable))));
        return metrics;
    }

    /** A load the JVM reports as a fraction, or negative when it has no figure yet (the first call). */
    private static void putLoad(Map<String, Double> metrics, String key, double fraction) {
        if (fraction >= 0 && !Double.isNaN(fraction)) {
            metrics.put(key, fraction * 100.0);
        }
    }

    private static String query(Path executable) {
        try {
            Process process = new ProcessBuilder(executable.toString(), NvidiaSmi.QUERY, NvidiaSmi.FORMAT)
                    .redirectErrorStream(true).start();
            try (InputStream out = process.getInputStream()) {
                String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
                return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0 ? text : "";
            } finally {
                process.destroy();
            }
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
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
