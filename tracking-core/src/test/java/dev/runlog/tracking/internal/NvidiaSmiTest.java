package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** nvidia-smi's CSV query output, as captured on a two-GPU machine (no GPU here to run it on). */
class NvidiaSmiTest {
    @Test
    void oneSetOfMetricsPerGpuAndFiguresAGpuDoesNotReportLeftOut() {
        String captured = "0, 87, 10240, 81920\n1, [N/A], 512, 81920\r\nNVIDIA-SMI has failed\n\n";
        assertEquals(Map.of(
                "system/gpu_0_utilization_percentage", 87.0,
                "system/gpu_0_memory_usage_megabytes", 10240.0,
                "system/gpu_0_memory_total_megabytes", 81920.0,
                "system/gpu_1_memory_usage_megabytes", 512.0,
                "system/gpu_1_memory_total_megabytes", 81920.0), NvidiaSmi.parse(captured));
    }

    @Test
    void noOutputNoMetrics() {
        assertEquals(Map.of(), NvidiaSmi.parse(""));
    }
}
