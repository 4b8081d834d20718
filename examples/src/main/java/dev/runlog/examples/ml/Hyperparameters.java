package dev.runlog.examples.ml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of full-batch gradient descent, shared by {@link SoftmaxRegression} and
 * {@link LogisticRegression}.
 *
 * @param learningRate the step size of each update
 * @param l2           the strength of the L2 penalty {@code l2/2 * |weights|^2} added to the mean
 *                     log loss (biases are not penalized)
 * @param maxIter      how many epochs (full passes, one update each) to run
 */
public record Hyperparameters(double learningRate, double l2, int maxIter) {
    public Hyperparameters {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("l2 must be zero or positive, got " + l2);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("maxIter must be at least 1, got " + maxIter);
        }
    }

    /** As run params, under the names scikit-learn users know. */
    public Map<String, Object> asParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("learning_rate", learningRate);
        params.put("l2", l2);
        params.put("max_iter", maxIter);
        return params;
    }
}
