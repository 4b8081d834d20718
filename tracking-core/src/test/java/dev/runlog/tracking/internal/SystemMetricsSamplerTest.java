package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemMetricsSamplerTest {
    @TempDir
    Path dir;

    @Test
    void aHungNvidiaSmiIsKilledAndLeftOutSoTheRunStillEnds() throws Exception {
        // A wedged GPU driver makes nvidia-smi hang; ending the run waited for it without limit.
        Path pidFile = dir.resolve("pid");
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 120\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        try (Tracker tracker = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = tracker.startRun("sampler")) {
                runId = run.id();
                SystemMetricsSampler sampler = SystemMetricsSampler.start(run, Duration.ofMillis(50), Optional.of(fake),
                        Duration.ofMillis(500));
                Thread.sleep(1_000);
                long start = System.nanoTime();
                sampler.stop();
                long stopMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(stopMillis < 5_000, "stop took " + stopMillis + " ms");
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung nvidia-smi is killed");
            // Sampling went on without the GPUs: one sample waited for the query, the rest did not.
            assertTrue(tracker.metricHistory(runId, "system/threads").size() >= 5,
                    () -> "samples: " + tracker.metricHistory(runId, "system/threads"));
            assertTrue(tracker.getRun(runId).data().metrics().keySet().stream().noneMatch(k -> k.contains("gpu")));
        }
    }

    @Test
    void memoryInUseLeavesOutWhatLinuxCanGiveBack() {
        String meminfo = "MemTotal:       24683648 kB\nMemFree:          739512 kB\nMemAvailable:   23261504 kB\n"
                + "Buffers:           12345 kB\nCached:         21000000 kB\n";
        assertArrayEquals(new long[] {24683648L * 1024, 23261504L * 1024}, SystemMetricsSampler.meminfo(meminfo));
        assertNull(SystemMetricsSampler.meminfo("MemTotal: 100 kB\nMemFree: 50 kB\n"), "no MemAvailable (Linux before 3.14)");
        assertEquals(2, SystemMetricsSampler.meminfo(meminfo).length);
    }
}
