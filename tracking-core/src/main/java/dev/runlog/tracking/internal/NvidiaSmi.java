package dev.runlog.tracking.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** NVIDIA GPUs through {@code nvidia-smi}'s CSV query output: utilisation and memory per GPU. */
final class NvidiaSmi {
    static final String QUERY = "--query-gpu=index,utilization.gpu,memory.used,memory.total";
    static final String FORMAT = "--format=csv,noheader,nounits";

    private NvidiaSmi() {
    }

    /** The {@code nvidia-smi} on the {@code PATH}, if any: machines without NVIDIA GPUs have none. */
    static Optional<Path> find() {
        return SystemMetricsSampler.onPath("nvidia-smi");
    }

    /**
     * The metrics in the output of {@code nvidia-smi} run with {@link #QUERY} and {@link #FORMAT}:
     * one line per GPU, {@code index, utilization %, memory used MiB, memory total MiB}. A field
     * the GPU does not report ({@code [N/A]}, {@code [Not Supported]}) or a line that does not
     * parse is left out.
     */
    static Map<String, Double> parse(String output) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            String[] fields = line.split(",");
            if (fields.length != 4) {
                continue;
            }
            String gpu = fields[0].trim();
            if (gpu.isEmpty() || !gpu.chars().allMatch(Character::isDigit)) {
                continue;
            }
            String prefix = "system/gpu_" + gpu + "_";
            put(metrics, prefix + "utilization_percentage", fields[1]);
            put(metrics, prefix + "memory_usage_megabytes", fields[2]);
            put(metrics, prefix + "memory_total_megabytes", fields[3]);
        }
        return metrics;
    }

    private static void put(Map<String, Double> metrics, String key, String field) {
        try {
            metrics.put(key, Double.parseDouble(field.trim()));
        } catch (NumberFormatException notReported) {
            // "[N/A]" or "[Not Supported]": this GPU has no such figure.
        }
    }
}
