package dev.runlog.examples.ml;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A trained binary logistic regression: everything needed to predict, so it is what the examples
 * log as a model (through Runlog's {@code json} flavor). {@link LogisticRegression} trains it.
 *
 * @param featureNames the features a row must hold, in this order
 * @param classNames   two classes: the negative one (index 0), then the positive one (index 1)
 * @param standardizer the training data's feature scaling, applied to every row first
 * @param weights      one weight per feature
 * @param bias         the intercept
 */
public record LogisticClassifier(List<String> featureNames, List<String> classNames, Standardizer standardizer,
                                 double[] weights, double bias) implements Classifier {
    public LogisticClassifier {
        featureNames = List.copyOf(featureNames);
        classNames = List.copyOf(classNames);
        if (classNames.size() != 2) {
            throw new IllegalArgumentException("a binary classifier has two classes, got " + classNames);
        }
        weights = weights.clone();
    }

    /** The probability of the positive class, {@code classNames().get(1)}, for a row of raw feature values. */
    public double probability(double[] features) {
        return sigmoid(logit(weights, bias, standardizer.apply(features)));
    }

    @Override
    public int predictClass(double[] features) {
        return probability(features) >= 0.5 ? 1 : 0;
    }

    @Override
    public double logLoss(LabeledData data) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            sum += logLoss(logit(weights, bias, standardizer.apply(data.features()[i])), data.labels()[i]);
        }
        return sum / data.size();
    }

    /** {@code bias + weights · x} for a standardized row {@code x}. */
    static double logit(double[] weights, double bias, double[] x) {
        double z = bias;
        for (int j = 0; j < x.length; j++) {
            z += weights[j] * x[j];
        }
        return z;
    }

    static double sigmoid(double z) {
        // StrictMath gives the same bits on every JVM and CPU, so training is reproducible.
        return 1 / (1 + StrictMath.exp(-z));
    }

    /** The log loss of logit {@code z} for label {@code y} (0 or 1): {@code log(1 + e^z) - y z}, overflow-free. */
    static double logLoss(double z, int y) {
        double softplus = z > 0 ? z + StrictMath.log1p(StrictMath.exp(-z)) : StrictMath.log1p(StrictMath.exp(z));
        return softplus - y * z;
    }

    // Records compare arrays by identity; a model read back from JSON must equal the one logged.
    @Override
    public boolean equals(Object other) {
        return other instanceof LogisticClassifier m && featureNames.equals(m.featureNames)
                && classNames.equals(m.classNames) && standardizer.equals(m.standardizer)
                && Arrays.equals(weights, m.weights) && Double.compare(bias, m.bias) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(featureNames, classNames, standardizer, Arrays.hashCode(weights), bias);
    }

    @Override
    public String toString() {
        return "LogisticClassifier[" + featureNames.size() + " features -> " + classNames.get(1) + " or not]";
    }
}
