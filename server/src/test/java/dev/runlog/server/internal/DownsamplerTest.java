package dev.runlog.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DownsamplerTest {
    @Test
    void aSingleSpikeInAMillionPointsSurvivesAndTheOutputStaysWithinTheLimit() {
        int n = 1_000_000;
        long[] xs = IntStream.range(0, n).asLongStream().toArray();
        double[] ys = new double[n];
        Arrays.fill(ys, 1.0);
        ys[654_321] = 1e6;
        ys[123_457] = -5;

        int[] chosen = Downsampler.select(xs, ys, Long.MIN_VALUE, Long.MAX_VALUE, 1_000);

        assertTrue(chosen.length <= 1_000, "at most 1,000 points, got " + chosen.length);
        assertTrue(IntStream.of(chosen).anyMatch(i -> i == 654_321), "the spike survives");
        assertTrue(IntStream.of(chosen).anyMatch(i -> i == 123_457), "the dip survives");
        for (int i = 1; i < chosen.length; i++) {
            assertTrue(xs[chosen[i]] >= xs[chosen[i - 1]], "in x order");
        }
    }

    /** A loss that spikes, then diverges to NaN: the NaN took the bucket's highest place and the spike vanished. */
    @Test
    void aSpikeBesideANonFiniteValueSurvivesAndABucketOfOnlyNonFiniteValuesKeepsOne() {
        int n = 20_000;
        long[] xs = IntStream.range(0, n).asLongStream().toArray();
        double[] ys = new double[n];
        Arrays.fill(ys, 1.0);
        ys[5_000] = 100.0;
        ys[5_001] = Double.NaN;
        ys[9_000] = -3.0;
        ys[9_001] = Double.NEGATIVE_INFINITY;
        ys[12_000] = Double.POSITIVE_INFINITY;
        for (int points : new int[] {10, 1_000, 10_000}) {
            int[] chosen = Downsampler.select(xs, ys, Long.MIN_VALUE, Long.MAX_VALUE, points);
            assertTrue(IntStream.of(chosen).anyMatch(i -> i == 5_000), points + " points: the spike survives its NaN");
            assertTrue(IntStream.of(chosen).anyMatch(i -> i == 9_000), points + " points: the dip survives its -Infinity");
            assertTrue(chosen.length <= points);
        }
        // Two buckets, steps 0-2 and 3-5.
        long[] six = {0, 1, 2, 3, 4, 5};
        assertArrayEquals(new int[] {0, 3, 4}, Downsampler.select(six,
                new double[] {Double.NaN, Double.NaN, Double.NaN, 5, 7, Double.NaN}, 0, 5, 4),
                "a bucket of NaN alone keeps its first; the other its finite lowest and highest");
    }

    @Test
    void stepsAtBothEndsOfTheLongRangeFallIntoTheirOwnBuckets() {
        // Two buckets: [MIN, 0) and [0, MAX]. Each keeps its lowest and highest point.
        long[] xs = {Long.MIN_VALUE, -3, 0, 3, Long.MAX_VALUE};
        double[] ys = {1, 9, 2, -7, 4};
        assertArrayEquals(new int[] {0, 1, 3, 4}, Downsampler.select(xs, ys, Long.MIN_VALUE, Long.MAX_VALUE, 4));
        // Near the end of the range a double cannot tell these steps apart; buckets of 3 steps still do.
        long[] high = {Long.MAX_VALUE - 4, Long.MAX_VALUE - 3, Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        assertArrayEquals(new int[] {0, 1, 3, 4}, Downsampler.select(high, new double[] {5, 1, 5, 1, 9}, Long.MIN_VALUE,
                Long.MAX_VALUE, 4));
    }

    @Test
    void aShortSeriesIsReturnedExactlyInXOrder() {
        long[] times = {30, 10, 20};
        assertArrayEquals(new int[] {1, 2, 0}, Downsampler.select(times, new double[] {3, 1, 2}, 0, 100, 1_000));
    }

    @Test
    void theRangeSelectsTheFinerPartWhenZooming() {
        long[] xs = IntStream.range(0, 10_000).asLongStream().toArray();
        double[] ys = new double[10_000];

        int[] chosen = Downsampler.select(xs, ys, 5_000, 5_099, 1_000);

        assertArrayEquals(IntStream.rangeClosed(5_000, 5_099).toArray(), chosen, "every point of the zoomed range");
    }
}
