package dev.runlog.storage.sqlite;

import java.util.Arrays;

/**
 * A tiny linear classifier, stored with the json flavor by {@link CrossJvmModelChild} and loaded by
 * {@link CrossJvmModelTest}: class scores are {@code weights[k] . x + bias[k]}, the prediction is
 * the class with the highest score (the lowest index on a tie).
 *
 * @param weights one row of feature weights per class
 * @param bias    one bias per class
 */
public record IrisLikeModel(double[][] weights, double[] bias) {

    /** The argmax class of {@code x}. */
    public int predict(double[] x) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < weights.length; k++) {
            double score = bias[k];
            for (int j = 0; j < x.length; j++) {
                score += weights[k][j] * x[j];
            }
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    /**
     * "Trains" a nearest-centroid classifier, written as a linear one: with {@code mu_k} the mean of
     * class {@code k}, {@code weights[k] = mu_k} and {@code bias[k] = -|mu_k|^2 / 2}, so the argmax
     * is the nearest centroid. Deterministic: the same rows give the same bits.
     */
    public static IrisLikeModel train(double[][] rows, int[] labels, int classes) {
        int features = rows[0].length;
        double[][] sums = new double[classes][features];
        int[] counts = new int[classes];
        for (int i = 0; i < rows.length; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < features; j++) {
                sums[labels[i]][j] += rows[i][j];
            }
        }
        double[][] weights = new double[classes][features];
        double[] bias = new double[classes];
        for (int k = 0; k < classes; k++) {
            double norm = 0;
            for (int j = 0; j < features; j++) {
                weights[k][j] = sums[k][j] / counts[k];
                norm += weights[k][j] * weights[k][j];
            }
            bias[k] = -norm / 2;
        }
        return new IrisLikeModel(weights, bias);
    }

    /** Rows of the Iris data set, 4 per species: the training set. */
    static final double[][] TRAIN_ROWS = {
            {5.1, 3.5, 1.4, 0.2}, {4.9, 3.0, 1.4, 0.2}, {4.7, 3.2, 1.3, 0.2}, {5.0, 3.6, 1.4, 0.2},
            {7.0, 3.2, 4.7, 1.4}, {6.4, 3.2, 4.5, 1.5}, {6.9, 3.1, 4.9, 1.5}, {5.5, 2.3, 4.0, 1.3},
            {6.3, 3.3, 6.0, 2.5}, {5.8, 2.7, 5.1, 1.9}, {7.1, 3.0, 5.9, 2.1}, {6.3, 2.9, 5.6, 1.8},
    };
    static final int[] TRAIN_LABELS = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};

    /** Rows both JVMs predict: other Iris rows of all three species, and two made-up ones. */
    static final double[][] QUERY_ROWS = {
            {4.6, 3.1, 1.5, 0.2}, {5.4, 3.9, 1.7, 0.4}, {4.4, 2.9, 1.4, 0.2},
            {6.5, 2.8, 4.6, 1.5}, {5.7, 2.8, 4.5, 1.3}, {6.3, 3.3, 4.7, 1.6},
            {6.5, 3.0, 5.8, 2.2}, {7.6, 3.0, 6.6, 2.1}, {7.7, 3.8, 6.7, 2.2},
            {0.0, 0.0, 0.0, 0.0}, {10.0, 1.0, 9.0, 3.0},
    };

    @Override
    public boolean equals(Object o) {
        return o instanceof IrisLikeModel other && Arrays.deepEquals(weights, other.weights)
                && Arrays.equals(bias, other.bias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(weights) + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "IrisLikeModel[weights=" + Arrays.deepToString(weights) + ", bias=" + Arrays.toString(bias) + "]";
    }
}
