package dev.runlog.benchmarks;

import java.util.Arrays;

/**
 * The baseline of a latency tail: p99 over p50 of slices of pure computation, no I/O and no
 * allocation, each about as long as the calls being measured, timed under the same conditions
 * right after them. What of a tail the machine alone makes (a neighbour taking the cores, the
 * host of a VM) shows here as well; what the measured code adds does not.
 */
final class ComputeTail {
    private static final int SLICES = 2_000;
    private static double sink;

    private ComputeTail() {
    }

    /** p99 / p50 of {@value #SLICES} slices of computation whose median lasts about {@code sliceMillis}. */
    static double ratio(double sliceMillis) {
        int work = 1_000;
        double[] millis = new double[SLICES];
        // Calibrates the slice (and lets the JIT compile the loop) on a few hundred slices first.
        for (int round = 0; round < 8; round++) {
            time(work, millis, 200);
            double median = RegistryBenchmark.percentile(Arrays.copyOf(millis, 200), 0.5);
            work = (int) Math.max(100, Math.min(100_000_000, work * sliceMillis / Math.max(median, 1e-6)));
        }
        time(work, millis, SLICES);
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[SLICES * 99 / 100] / sorted[SLICES / 2];
    }

    /** Times {@code slices} slices of {@code work} steps each into the start of {@code millis}. */
    private static void time(int work, double[] millis, int slices) {
        double x = sink;
        for (int s = 0; s < slices; s++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < work; i++) {
                x += Math.sqrt(i + x);
            }
            millis[s] = (System.nanoTime() - t0) / 1e6;
        }
        sink = x; // keeps the loop from being optimized away
    }
}
