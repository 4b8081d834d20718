package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link DriftTests} at the edges of its input: bin counts out of range, null categories, counts
 * whose total overflows a long, and infinite values are refused or computed, never a raw JDK
 * exception or NaN.
 */
class DriftTestsLimitsTest {
    private static final double[] REFERENCE = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final double[] CURRENT = {3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void binCountsAreBoundedClearly() {
        for (int bins : new int[] {Integer.MAX_VALUE, DriftTests.MAX_BINS + 1, 2, 0, -1}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> DriftTests.populationStabilityIndex(REFERENCE, CURRENT, bins));
            assertTrue(e.getMessage().contains("3 to 10000 bins; got " + bins), e.getMessage());
            assertThrows(InvalidInputException.class, () -> DriftTests.jensenShannon(REFERENCE, CURRENT, bins));
            assertThrows(InvalidInputException.class, () -> DriftOptions.defaults().bins(bins));
        }
        assertEquals(DriftTests.MAX_BINS, DriftOptions.defaults().bins(DriftTests.MAX_BINS).bins());
        assertTrue(DriftTests.populationStabilityIndex(REFERENCE, CURRENT, DriftTests.MAX_BINS) > 0);
    }

    @Test
    void aNullCategoryIsRefusedByName() {
        Map<String, Long> nullKey = new HashMap<>();
        nullKey.put(null, 3L);
        nullKey.put("a", 1L);
        InvalidInputException chi = assertThrows(InvalidInputException.class,
                () -> DriftTests.chiSquared(nullKey, Map.of("a", 1L)));
        assertTrue(chi.getMessage().contains("reference counts hold a null category"), chi.getMessage());
        InvalidInputException js = assertThrows(InvalidInputException.class,
                () -> DriftTests.jensenShannon(Map.of("a", 1L), nullKey));
        assertTrue(js.getMessage().contains("current counts hold a null category"), js.getMessage());
    }

    @Test
    void jensenShannonOfCountsWhoseTotalOverflowsALongIsComputed() {
        double js = DriftTests.jensenShannon(Map.of("a", Long.MAX_VALUE, "b", 2L), Map.of("a", 1L, "b", 1L));
        // p = (1, ~0), q = (1/2, 1/2): the distance of a point mass from a fair coin.
        double m = 0.75;
        double expected = Math.sqrt((Math.log(1 / m) / Math.log(2) + 0.5 * Math.log(0.5 / m) / Math.log(2)
                + 0.5 * Math.log(0.5 / 0.25) / Math.log(2)) / 2);
        assertEquals(expected, js, 1e-9);
        assertEquals(0, DriftTests.jensenShannon(Map.of("a", Long.MAX_VALUE, "b", Long.MAX_VALUE),
                Map.of("a", 1L, "b", 1L)), 1e-12);
    }

    @Test
    void infiniteValuesAreRefusedLikeNaN() {
        double[] withInfinity = {1, 2, Double.POSITIVE_INFINITY};
        InvalidInputException w = assertThrows(InvalidInputException.class,
                () -> DriftTests.wasserstein(withInfinity, withInfinity));
        assertTrue(w.getMessage().contains("the reference sample holds Infinity"), w.getMessage());
        InvalidInputException ks = assertThrows(InvalidInputException.class,
                () -> DriftTests.kolmogorovSmirnov(REFERENCE, new double[] {Double.NEGATIVE_INFINITY}));
        assertTrue(ks.getMessage().contains("the current sample holds -Infinity"), ks.getMessage());
        assertThrows(InvalidInputException.class, () -> DriftTests.populationStabilityIndex(withInfinity, CURRENT, 10));
        assertThrows(InvalidInputException.class, () -> DriftTests.jensenShannon(REFERENCE, withInfinity, 10));
    }

    @Test
    void aShiftOfAConstantReferenceIsSeenUpAndDownAlike() {
        double[] five = constant(100, 5);
        double up = DriftTests.populationStabilityIndex(five, constant(100, 1000), 10);
        double down = DriftTests.populationStabilityIndex(five, constant(100, -1000), 10);
        double expected = 2 * (1 - DriftTests.PSI_EMPTY_BIN_FRACTION) * Math.log(1 / DriftTests.PSI_EMPTY_BIN_FRACTION);
        assertEquals(expected, up, 1e-9);
        assertEquals(expected, down, 1e-9);
        // However small the move, and with the fewest bins.
        assertEquals(expected, DriftTests.populationStabilityIndex(five, constant(10, 5.05), 3), 1e-9);
        assertEquals(expected, DriftTests.populationStabilityIndex(five, constant(10, 4.95), 3), 1e-9);
        assertEquals(0, DriftTests.populationStabilityIndex(five, constant(10, 5), 10), 1e-12);
        assertEquals(1, DriftTests.jensenShannon(five, constant(100, 1000), 10), 1e-9);
        assertEquals(1, DriftTests.jensenShannon(five, constant(100, -1000), 10), 1e-9);
        assertEquals(0, DriftTests.jensenShannon(five, constant(100, 5), 10), 1e-12);
    }

    @Test
    void aPointMassInsideAReferenceIsItsOwnBin() {
        // Half zeros, half ones: edges 0, ..., 0, 0.5, 1, ..., 1. The ones moving up no longer stay in
        // their bin (left-closed bins put 1 and 1.5 together); the zeros moving down are seen alike.
        double[] reference = new double[100];
        Arrays.fill(reference, 50, 100, 1);
        double[] onesUp = reference.clone();
        Arrays.fill(onesUp, 50, 100, 1.5);
        double[] zerosDown = reference.clone();
        Arrays.fill(zerosDown, 0, 50, -0.5);
        double up = DriftTests.populationStabilityIndex(reference, onesUp, 10);
        double down = DriftTests.populationStabilityIndex(reference, zerosDown, 10);
        assertTrue(up > 1, "PSI " + up);
        assertEquals(up, down, 1e-9);
        assertEquals(0, DriftTests.populationStabilityIndex(reference, reference, 10), 1e-12);
    }

    @Test
    void wassersteinOfAConstantReferenceIsTheShareOfValuesOffIt() {
        double[] five = constant(100, 5);
        assertEquals(1, DriftTests.wasserstein(five, new double[] {5.05}), 1e-12);
        assertEquals(1, DriftTests.wasserstein(five, new double[] {4.95, 1000}), 1e-12);
        assertEquals(0.25, DriftTests.wasserstein(five, new double[] {5, 5, 5, 6}), 1e-12);
        assertEquals(0, DriftTests.wasserstein(five, five), 1e-12);
        // A reference of a constant that a sum does not hold exactly is still constant.
        assertEquals(0, DriftTests.wasserstein(constant(499, 0.1), constant(3, 0.1)), 1e-12);
    }

    private static double[] constant(int n, double value) {
        double[] values = new double[n];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void aOneValueSampleGetsTheExactPValueScipyGives() {
        // A quiet window may hold one prediction. scipy.stats.ks_2samp(range(150), [2.5]): statistic
        // 0.98, p 0.052980132450331126 (8 of the 151 places for the one value reach 0.98): no drift.
        double[] reference = new double[150];
        Arrays.setAll(reference, i -> i);
        DriftTests.Result one = DriftTests.kolmogorovSmirnov(reference, new double[] {2.5});
        assertEquals(0.98, one.statistic(), 1e-12);
        assertEquals(8.0 / 151, one.pValue(), 1e-12);
        // Either side may be the one value: ks_2samp([1], [2, 3]) is 1.0, p 0.6666666666666666; ks_2samp([1], [2]) 1.0, 1.0.
        assertEquals(new DriftTests.Result(1.0, 2.0 / 3), DriftTests.kolmogorovSmirnov(new double[] {1}, new double[] {2, 3}));
        assertEquals(new DriftTests.Result(1.0, 1.0), DriftTests.kolmogorovSmirnov(new double[] {1}, new double[] {2}));
        // A value among ties: ks_2samp([1, 2, 2, 3], [2]) is 0.25, p 1.0.
        assertEquals(new DriftTests.Result(0.25, 1.0), DriftTests.kolmogorovSmirnov(new double[] {1, 2, 2, 3}, new double[] {2}));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DriftTests.kolmogorovSmirnov(new double[0], new double[] {2, 3}));
        assertTrue(e.getMessage().contains("reference"), e.getMessage());
    }

    @Test
    void aWindowOfOneValueAgainstASmallReferenceGetsTheExactPValue() {
        double[] reference = new double[150];
        Arrays.setAll(reference, i -> i);
        DriftTests.Result result = Reference.of(Map.of("x", reference), Map.of()).kolmogorovSmirnov("x", new double[] {2.5});
        assertEquals(8.0 / 151, result.pValue(), 1e-12, "the asymptotic formula gave 0.04, a drift alert");
    }

    @Test
    void theWassersteinDistanceOfFiniteValuesNearTheLargestDoubleIsFinite() {
        // Sums and differences overflowed to Infinity - Infinity: NaN for finite input.
        double big = DriftTests.wasserstein(new double[] {-1e308, 1e308}, new double[] {1e308, 1e308});
        double small = DriftTests.wasserstein(new double[] {-1, 1}, new double[] {1, 1});
        assertEquals(small, big, 1e-12);
    }
}
