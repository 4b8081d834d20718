package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The table's number rules, checked against the slow definitions they replace. */
class TextTest {
    /** What Text.number promises for the plain range: BigDecimal's rounding of Java's decimal. */
    private static String reference(double value) {
        return BigDecimal.valueOf(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    @Test
    void numberRoundsToSixSignificantDigitsLikeBigDecimal() {
        double[] edges = {1, -1, 0.5, 100, 1e-6, 1.0000005e-6, 999_999.5, 999_999.4999, 9.999995, 0.0009999995,
                123_456_789_012.0, 999_999_999_999.9, 1.0 / 3, 2.0 / 3, 0.1 + 0.2, 12_345_650, 1.2345650, 7e-5, 5e11,
                Math.nextUp(1e-6), Math.nextDown(1e12), 0.30000000000000004, 1_000_000};
        for (double value : edges) {
            assertEquals(reference(value), Text.number(value), "number(" + value + ")");
            assertEquals(reference(-value), Text.number(-value), "number(" + -value + ")");
        }
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 50_000; i++) {
            // Spread over the whole plain range, 1e-6 to 1e12, and over short decimals (0.25, 1.5e-3).
            double value = i % 2 == 0 ? Math.pow(10, random.nextDouble(-6, 12))
                    : random.nextInt(1, 100_000) / Math.pow(10, random.nextInt(0, 12));
            String expected = value < 1e-6 ? String.format(java.util.Locale.ROOT, "%.5e", value) : reference(value);
            assertEquals(expected, Text.number(value), "number(" + value + ")");
        }
    }

    @Test
    void numberWritesZeroAndTheOutsideRangesItsOwnWay() {
        assertEquals("0", Text.number(0.0));
        assertEquals("0", Text.number(-0.0));
        assertEquals("NaN", Text.number(Double.NaN));
        assertEquals("-Infinity", Text.number(Double.NEGATIVE_INFINITY));
        assertEquals("1.00000e+12", Text.number(1e12));
        assertEquals("-9.99999e-07", Text.number(-9.99999e-7));
    }

    @Test
    void instantIsWrittenAsInstantToStringWritesIt() {
        long[] edges = {0, 1, -1, 999, 1_000, 1_500, 86_399_999, -62_167_219_200_000L, -62_167_219_200_001L,
                253_402_300_799_999L, 253_402_300_800_000L, Long.MIN_VALUE, Long.MAX_VALUE, 951_782_400_000L};
        for (long millis : edges) {
            assertEquals(Instant.ofEpochMilli(millis).toString(), Text.instant(millis), "instant(" + millis + ")");
        }
        SplittableRandom random = new SplittableRandom(1_000);
        for (int i = 0; i < 50_000; i++) {
            // Mostly within the years written out (0 to 9999), some anywhere a long reaches.
            long millis = i % 10 == 0 ? random.nextLong() : random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
            assertEquals(Instant.ofEpochMilli(millis).toString(), Text.instant(millis), "instant(" + millis + ")");
        }
    }

    @Test
    void aCellIsNumericExactlyWhenTheOldPatternMatchedIt() {
        String pattern = "-?[0-9][0-9.,eE+-]*|NaN|-?Infinity";
        String[] cells = {"0", "-1", "1,234.5", "1e-5", "2E+10", "NaN", "Infinity", "-Infinity", "-", "", "--1", "-NaN",
                "+1", "1a", "a1", ".5", "1 2", "٣", "1-2-3", "Infinityx", "nan", "12:30", "2026-12-01"};
        for (String cell : cells) {
            assertEquals(cell.matches(pattern), Text.Table.isNumber(cell), "isNumber(\"" + cell + "\")");
        }
        assertTrue(Text.Table.isNumber("0.001"));
        assertFalse(Text.Table.isNumber("0.001 "));
    }
}
