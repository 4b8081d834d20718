package dev.runlog.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MetricSeries#inHistoryOrder}: the sort every store may use for a series logged out of order. */
class MetricSeriesOrderTest {

    @Test
    void sortsLikeAStableSortOfThePoints() {
        Random random = new Random(42);
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000, 4097}) {
            List<Metric> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // Few distinct steps, timestamps and values, so that ties at every level are common;
                // the index in the value's low bits of a twin makes a wrong tie order visible.
                double value = random.nextInt(4) == 0 ? Double.NaN : random.nextInt(3) - 1 + (random.nextBoolean() ? -0.0 : 0.0);
                points.add(new Metric("loss", value, random.nextInt(Math.max(1, n / 8) + 1), 1000 + random.nextInt(3)));
            }
            long[] steps = points.stream().mapToLong(Metric::step).toArray();
            long[] timestamps = points.stream().mapToLong(Metric::timestamp).toArray();
            double[] values = points.stream().mapToDouble(Metric::value).toArray();
            List<Metric> expected = new ArrayList<>(points);
            expected.sort(Metric.HISTORY_ORDER); // List.sort is stable

            MetricSeries series = MetricSeries.inHistoryOrder("loss", steps, timestamps, values);

            assertSame(steps, series.steps(), "sorted in the given arrays");
            assertEquals(n, series.size());
            for (int i = 0; i < n; i++) {
                Metric want = expected.get(i);
                assertEquals(want.step(), series.steps()[i], "step at " + i + " of " + n);
                assertEquals(want.timestamp(), series.timestamps()[i], "timestamp at " + i + " of " + n);
                assertEquals(Double.doubleToRawLongBits(want.value()), Double.doubleToRawLongBits(series.values()[i]),
                        "value at " + i + " of " + n + " (-0.0 before 0.0, NaN last)");
            }
        }
    }

    @Test
    void equalPointsKeepTheOrderTheyWereGivenIn() {
        // Same step, timestamp and value: told apart only by NaN payloads, which Double.compare treats as equal.
        double first = Double.longBitsToDouble(0x7ff8000000000001L);
        double second = Double.longBitsToDouble(0x7ff8000000000002L);
        double third = Double.longBitsToDouble(0x7ff8000000000003L);
        MetricSeries series = MetricSeries.inHistoryOrder("x",
                new long[] {5, 1, 5, 5}, new long[] {9, 9, 9, 9}, new double[] {first, 0.5, second, third});

        assertArrayEquals(new long[] {1, 5, 5, 5}, series.steps());
        assertEquals(0x7ff8000000000001L, Double.doubleToRawLongBits(series.values()[1]));
        assertEquals(0x7ff8000000000002L, Double.doubleToRawLongBits(series.values()[2]));
        assertEquals(0x7ff8000000000003L, Double.doubleToRawLongBits(series.values()[3]));
    }

    @Test
    void refusesArraysOfDifferentLengthsBeforeTouchingThem() {
        long[] steps = {3, 2, 1};
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MetricSeries.inHistoryOrder("x", steps, new long[3], new double[2]));
        assertTrue(e.getMessage().contains("differ in length"), e.getMessage());
        assertArrayEquals(new long[] {3, 2, 1}, steps);
        assertThrows(InvalidInputException.class, () -> MetricSeries.inHistoryOrder("x", null, new long[0], new double[0]));
    }
}
