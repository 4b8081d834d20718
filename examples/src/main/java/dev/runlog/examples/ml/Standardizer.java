package dev.runlog.examples.ml;

import java.util.Arrays;

/**
 * Rescales each feature to mean 0 and standard deviation 1, as scikit-learn's
 * {@code StandardScaler} does. Gradient descent needs it: with raw features on different scales
 * (an area in the thousands next to a smoothness near 0.1) one learning rate cannot suit them all.
 *
 * <p>It is part of the model: predictions must scale new rows with the training data's means and
 * standard deviations, so the classifiers store it and it is logged with them.
 *
 * @param means the training mean of each feature
 * @param stds  the training (population) standard deviation of each feature; 1 for a constant one
 */
public record Standardizer(double[] means, double[] stds) {
    public Standardizer {
        if (means.length != stds.length) {
            throw new IllegalArgumentException(means.length + " means but " + stds.length + " standard deviations");
        }
        means = means.clone();
        stds = stds.clone();
    }

    /** Learns the means and standard deviations of {@code rows}' columns. */
    public static Standardizer fit(double[][] rows) {
        int d = rows[0].length;
        double[] means = new double[d];
        double[] stds = new double[d];
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (double[] row : rows) {
                sum += row[j];
            }
            means[j] = sum / rows.length;
            double squares = 0;
            for (double[] row : rows) {
                squares += (row[j] - means[j]) * (row[j] - means[j]);
            }
            double std = Math.sqrt(squares / rows.length);
            // A constant column carries no information; dividing by 1 keeps it at 0 instead of NaN.
            stds[j] = std > 0 ? std : 1;
        }
        return new Standardizer(means, stds);
    }

    /** One row, standardized. */
    public double[] apply(double[] row) {
        double[] scaled = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            scaled[j] = (row[j] - means[j]) / stds[j];
        }
        return scaled;
    }

    /** Every row, standardized. */
    public double[][] apply(double[][] rows) {
        return Arrays.stream(rows).map(this::apply).toArray(double[][]::new);
    }

    // Records compare arrays by identity; a model read back from JSON must equal the one logged.
    @Override
    public boolean equals(Object other) {
        return other instanceof Standardizer s && Arrays.equals(means, s.means) && Arrays.equals(stds, s.stds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(stds);
    }

    @Override
    public String toString() {
        return "Standardizer[means=" + Arrays.toString(means) + ", stds=" + Arrays.toString(stds) + "]";
    }
}
