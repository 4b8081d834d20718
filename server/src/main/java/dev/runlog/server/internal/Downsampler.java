package dev.runlog.server.internal;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Chooses which points of a metric series a chart gets: every point of the x range when there are
 * at most {@code maxPoints}, else the lowest and the highest finite point of each of
 * {@code maxPoints / 2} equal-width x buckets (min/max per pixel bucket), so a single spike survives
 * any reduction. NaN and the infinities, which the chart leaves out of its line, never take a
 * bucket's place of a finite extreme (a spike right before a loss diverges to NaN was lost so); a
 * bucket holding none but them keeps its first.
 */
final class Downsampler {
    private Downsampler() {
    }

    /**
     * The indices of the points to draw, in ascending x order (ties keep their order in the input).
     *
     * @param xs        each point's x (step or timestamp); need not be sorted
     * @param ys        each point's value; a bucket's extremes are its finite ones
     * @param from      the smallest x to include
     * @param to        the largest x to include
     * @param maxPoints at most this many indices are returned; at least 2
     */
    static int[] select(long[] xs, double[] ys, long from, long to, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints " + maxPoints + " is below 2");
        }
        int[] inRange = IntStream.range(0, xs.length).filter(i -> xs[i] >= from && xs[i] <= to).toArray();
        if (!isSorted(xs, inRange)) {
            inRange = Arrays.stream(inRange).boxed()
                    .sorted((a, b) -> Long.compare(xs[a], xs[b]))
                    .mapToInt(Integer::intValue).toArray();
        }
        if (inRange.length <= maxPoints) {
            return inRange;
        }
        int buckets = maxPoints / 2;
        long first = xs[inRange[0]];
        // Unsigned and exact: the distance between two steps may not fit a long's positive half, and
        // a double loses the low bits of it (a point near one end then fell into its neighbour's bucket).
        // Buckets are ceil((range + 1) / buckets) wide, which is range / buckets + 1.
        long width = Long.divideUnsigned(xs[inRange[inRange.length - 1]] - first, buckets) + 1;
        int[] out = new int[buckets * 2];
        int n = 0;
        int bucket = -1;
        int lowest = -1;
        int highest = -1;
        int nonFinite = -1;
        for (int index : inRange) {
            int b = (int) Math.min(buckets - 1, Long.divideUnsigned(xs[index] - first, width));
            if (b != bucket) {
                n = emit(xs, out, n, lowest >= 0 ? lowest : nonFinite, lowest >= 0 ? highest : nonFinite);
                bucket = b;
                lowest = -1;
                highest = -1;
                nonFinite = -1;
            }
            if (!Double.isFinite(ys[index])) {
                nonFinite = nonFinite >= 0 ? nonFinite : index;
            } else if (lowest < 0) {
                lowest = index;
                highest = index;
            } else {
                if (Double.compare(ys[index], ys[lowest]) < 0) {
                    lowest = index;
                }
                if (Double.compare(ys[index], ys[highest]) > 0) {
                    highest = index;
                }
            }
        }
        n = emit(xs, out, n, lowest >= 0 ? lowest : nonFinite, lowest >= 0 ? highest : nonFinite);
        return Arrays.copyOf(out, n);
    }

    private static boolean isSorted(long[] xs, int[] indices) {
        for (int i = 1; i < indices.length; i++) {
            if (xs[indices[i]] < xs[indices[i - 1]]) {
                return false;
            }
        }
        return true;
    }

    /** Appends a bucket's lowest and highest point in x order (then input order), once when the same. */
    private static int emit(long[] xs, int[] out, int n, int lowest, int highest) {
        if (lowest < 0) {
            return n;
        }
        if (lowest == highest) {
            out[n++] = lowest;
            return n;
        }
        boolean lowestFirst = xs[lowest] != xs[highest] ? xs[lowest] < xs[highest] : lowest < highest;
        out[n++] = lowestFirst ? lowest : highest;
        out[n++] = lowestFirst ? highest : lowest;
        return n;
    }
}
