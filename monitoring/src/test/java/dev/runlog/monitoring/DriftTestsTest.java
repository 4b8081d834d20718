package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each statistic against a reference computation written from its definition or a published example. */
class DriftTestsTest {
    private static final double TOLERANCE = 1e-9;

    @Nested
    @DisplayName("Kolmogorov-Smirnov")
    class KolmogorovSmirnov {
        @Test
        void separatedSamplesMatchScipysPublishedExactValue() {
            // scipy.stats.ks_2samp([1..5], [6..10]): D = 1, exact p = 2 / C(10, 5) = 0.007936507936507936.
            DriftTests.Result r = DriftTests.kolmogorovSmirnov(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});
            assertEquals(1.0, r.statistic(), TOLERANCE);
            assertEquals(2.0 / 252, r.pValue(), TOLERANCE);
        }

        @Test
        void interleavedSamplesMatchThePermutationDistributionEnumerated() {
            double[] x = {0.61, 0.29, 0.06, 0.59, -1.73, -0.74};
            double[] y = {0.49, -0.47, 1.28, 0.55, 1.09, 2.11, 0.87};
            double observed = supremumGap(x, y);
            // The exact p-value by definition: under H0 every split of the pooled values into groups of
            // 6 and 7 is equally likely; p is the share of splits whose statistic reaches the observed one.
            double[] pooled = new double[x.length + y.length];
            System.arraycopy(x, 0, pooled, 0, x.length);
            System.arraycopy(y, 0, pooled, x.length, y.length);
            int splits = 0;
            int extreme = 0;
            for (int mask = 0; mask < 1 << pooled.length; mask++) {
                if (Integer.bitCount(mask) != x.length) {
                    continue;
                }
                double[] a = new double[x.length];
                double[] b = new double[y.length];
                int ia = 0;
                int ib = 0;
                for (int i = 0; i < pooled.length; i++) {
                    if ((mask & 1 << i) != 0) {
                        a[ia++] = pooled[i];
                    } else {
                        b[ib++] = pooled[i];
                    }
                }
                splits++;
                extreme += supremumGap(a, b) >= observed - 1e-12 ? 1 : 0;
            }
            DriftTests.Result r = DriftTests.kolmogorovSmirnov(x, y);
            assertEquals(observed, r.statistic(), TOLERANCE);
            assertEquals((double) extreme / splits, r.pValue(), TOLERANCE);
            // scipy.stats.ks_2samp(x, y) prints the same: statistic 0.5714285714285714, p 0.14685314685314685.
            assertEquals(0.5714285714285714, r.statistic(), TOLERANCE);
            assertEquals(0.14685314685314685, r.pValue(), TOLERANCE);
        }

        @Test
        void emptyOrNaNSamplesAreRefusedByName() {
            InvalidInputException empty = assertThrows(InvalidInputException.class,
                    () -> DriftTests.kolmogorovSmirnov(new double[0], new double[] {1}));
            assertTrue(empty.getMessage().contains("reference sample is empty"), empty.getMessage());
            InvalidInputException nan = assertThrows(InvalidInputException.class,
                    () -> DriftTests.kolmogorovSmirnov(new double[] {1}, new double[] {Double.NaN}));
            assertTrue(nan.getMessage().contains("current sample holds NaN"), nan.getMessage());
        }
    }

    /** sup over x of |F_a(x) − F_b(x)|, the ECDFs counted directly at every pooled value. */
    static double supremumGap(double[] a, double[] b) {
        double d = 0;
        for (double[] sample : new double[][] {a, b}) {
            for (double x : sample) {
                d = Math.max(d, Math.abs(ecdf(a, x) - ecdf(b, x)));
            }
        }
        return d;
    }

    private static double ecdf(double[] sample, double x) {
        return (double) Arrays.stream(sample).filter(v -> v <= x).count() / sample.length;
    }

    @Nested
    @DisplayName("chi-squared")
    class ChiSquared {
        @Test
        void equalReferenceFrequenciesGiveTheTextbookStatisticAndClosedFormPValue() {
            // Expected 10 each: X² = (4 + 4 + 0 + 25 + 25) / 10 = 5.8 on 4 degrees of freedom, whose
            // survival function is exp(−x/2)(1 + x/2).
            DriftTests.Result r = DriftTests.chiSquared(Map.of("a", 20L, "b", 20L, "c", 20L, "d", 20L, "e", 20L),
                    Map.of("a", 8L, "b", 12L, "c", 10L, "d", 15L, "e", 5L));
            assertEquals(5.8, r.statistic(), TOLERANCE);
            assertEquals(Math.exp(-2.9) * 3.9, r.pValue(), TOLERANCE);
        }

        @Test
        void referenceCountsAreScaledToTheCurrentTotal() {
            // Reference 1:2:1 over 100 current rows: expected 25, 50, 25; X² = 1 + 2 + 1 = 4 on 2 degrees
            // of freedom, survival exp(−x/2).
            DriftTests.Result r = DriftTests.chiSquared(Map.of("a", 100L, "b", 200L, "c", 100L),
                    Map.of("a", 30L, "b", 40L, "c", 30L));
            assertEquals(4.0, r.statistic(), TOLERANCE);
            assertEquals(Math.exp(-2), r.pValue(), TOLERANCE);
        }

        @Test
        void aCategoryTheReferenceNeverSawIsDrift() {
            DriftTests.Result r = DriftTests.chiSquared(Map.of("a", 10L, "b", 10L), Map.of("a", 5L, "b", 5L, "new", 1L));
            assertEquals(Double.POSITIVE_INFINITY, r.statistic());
            assertEquals(0.0, r.pValue());
        }

        @Test
        void countsThatAreAllZeroOrNegativeAreRefused() {
            assertThrows(InvalidInputException.class, () -> DriftTests.chiSquared(Map.of("a", 0L), Map.of("a", 1L)));
            assertThrows(InvalidInputException.class, () -> DriftTests.chiSquared(Map.of("a", 1L), Map.of("a", -1L)));
        }
    }

    @Nested
    @DisplayName("PSI, Wasserstein, Jensen-Shannon")
    class Distances {
        // Reference 1..8 in 4 quantile bins: numpy.quantile edges 1, 2.75, 4.5, 6.25, 8, a quarter in each.
        private final double[] reference = {1, 2, 3, 4, 5, 6, 7, 8};
        // Below 2.75: 0, 1 (0.2); [2.75, 4.5): 3, 3.5, 4 (0.3); [4.5, 6.25): 5 (0.1); from 6.25: 9..12 (0.4).
        private final double[] current = {1, 3, 3.5, 4, 5, 9, 10, 11, 12, 0};

        @Test
        void psiSumsOverTheReferencesQuantileBinsCountingValuesBeyondItsRange() {
            double expected = (0.2 - 0.25) * Math.log(0.2 / 0.25) + (0.3 - 0.25) * Math.log(0.3 / 0.25)
                    + (0.1 - 0.25) * Math.log(0.1 / 0.25) + (0.4 - 0.25) * Math.log(0.4 / 0.25);
            assertEquals(expected, DriftTests.populationStabilityIndex(reference, current, 4), TOLERANCE);
        }

        @Test
        void psiRaisesEmptyBinsToEvidentlysEpsilon() {
            double eps = 0.0001;
            double expected = (1 - 0.25) * Math.log(1 / 0.25) + 3 * (eps - 0.25) * Math.log(eps / 0.25);
            assertEquals(expected, DriftTests.populationStabilityIndex(reference, new double[] {1, 2, 1.5}, 4),
                    TOLERANCE);
            assertThrows(InvalidInputException.class, () -> DriftTests.populationStabilityIndex(reference, current, 1));
        }

        @Test
        void wassersteinMatchesScipysExampleDividedByThePopulationStd() {
            // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0; std of [0, 1, 3] = √14 / 3.
            assertEquals(15 / Math.sqrt(14), DriftTests.wasserstein(new double[] {0, 1, 3}, new double[] {5, 6, 8}),
                    TOLERANCE);
        }

        @Test
        void wassersteinOfUnequalSamplesIsTheIntegralOfTheQuantileFunctionsGap() {
            double[] sortedRef = reference.clone();
            double[] sortedCur = current.clone();
            Arrays.sort(sortedCur);
            // W = ∫₀¹ |F⁻¹(u) − G⁻¹(u)| du: both quantile functions are constant between multiples of
            // 1/8 and 1/10, so integrate piecewise over 1/40ths.
            double area = 0;
            for (int i = 0; i < 40; i++) {
                double u = (i + 0.5) / 40;
                area += Math.abs(sortedRef[(int) (u * 8)] - sortedCur[(int) (u * 10)]) / 40;
            }
            double std = Math.sqrt(Arrays.stream(sortedRef).map(v -> (v - 4.5) * (v - 4.5)).sum() / 8);
            assertEquals(area / std, DriftTests.wasserstein(reference, current), TOLERANCE);
        }

        @Test
        void jensenShannonOverTheSharedQuantileBinsInBase2() {
            assertEquals(jsBase2(new double[] {0.25, 0.25, 0.25, 0.25}, new double[] {0.2, 0.3, 0.1, 0.4}),
                    DriftTests.jensenShannon(reference, current, 4), TOLERANCE);
        }

        @Test
        void jensenShannonOfCategoriesMatchesScipysExamples() {
            // scipy.spatial.distance.jensenshannon([1, 0, 0], [0, 1, 0], 2.0) = 1.0
            assertEquals(1.0, DriftTests.jensenShannon(Map.of("a", 3L), Map.of("b", 7L)), TOLERANCE);
            // scipy.spatial.distance.jensenshannon([1.0, 0.0], [0.5, 0.5], 2.0) = 0.5579230452841438
            assertEquals(jsBase2(new double[] {1, 0}, new double[] {0.5, 0.5}),
                    DriftTests.jensenShannon(Map.of("a", 4L), Map.of("a", 1L, "b", 1L)), TOLERANCE);
            assertEquals(0.5579230452841438, DriftTests.jensenShannon(Map.of("a", 4L), Map.of("a", 1L, "b", 1L)), 1e-12);
            assertEquals(0.0, DriftTests.jensenShannon(Map.of("a", 1L, "b", 3L), Map.of("a", 2L, "b", 6L)), TOLERANCE);
        }
    }

    /** √((KL(p‖m) + KL(q‖m)) / 2) in bits, m the average of p and q. */
    private static double jsBase2(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            sum += p[i] > 0 ? p[i] * Math.log(p[i] / m) : 0;
            sum += q[i] > 0 ? q[i] * Math.log(q[i] / m) : 0;
        }
        return Math.sqrt(sum / 2 / Math.log(2));
    }
}
