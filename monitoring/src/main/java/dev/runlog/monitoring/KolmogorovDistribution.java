package dev.runlog.monitoring;

import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/**
 * The p-value of a two-sample Kolmogorov–Smirnov statistic against a sketched reference. Commons
 * Statistics computes the asymptotic two-sample p-value as the one-sample Kolmogorov distribution's
 * survival at the statistic with the effective size round(nm/(n+m)) (scipy's {@code ks_2samp} with
 * {@code method='asymp'} does the same), but only from two raw samples. So the same distribution
 * is evaluated through Commons' one-sample test, on a sample of the effective size built so that
 * its statistic against the uniform distribution is exactly d.
 */
final class KolmogorovDistribution {
    private KolmogorovDistribution() {
    }

    /** P(D ≥ d) for samples of sizes n and m, as Commons' asymptotic two-sample p-value. */
    static double twoSampleAsymptotic(double d, long n, long m) {
        int size = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round((double) n * m / (n + m))));
        if (size == 1) {
            // Commons' one-sample test takes 2 values or more. With one, D = max(U, 1 − U) for U
            // uniform, so P(D ≥ d) = 2(1 − d) from d = 1/2 up, and 1 below.
            return Math.min(1, 2 * (1 - d));
        }
        if (d < 0.5 / size) {
            // One-sample statistics of this size are never smaller: every such statistic is reached.
            return 1;
        }
        // x_i = i/size − d against F(t) = t clipped to [0, 1]: D+ = max(i/size − F(x_i)) = d and
        // D− = max(F(x_i) − (i−1)/size) = 1/size − d ≤ d, so the statistic is d.
        double[] sample = new double[size];
        for (int i = 1; i <= size; i++) {
            sample[i - 1] = (double) i / size - d;
        }
        return KolmogorovSmirnovTest.withDefaults().test(sample, t -> Math.min(1, Math.max(0, t))).getPValue();
    }
}
