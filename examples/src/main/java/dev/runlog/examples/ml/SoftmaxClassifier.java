package dev.runlog.examples.ml;

import java.util.Arrays;
import java.util.List;

/**
 * A trained multinomial logistic regression: everything needed to predict, and nothing else, so it
 * is what the examples log as a model (Runlog's {@code json} flavor writes and reads records like
 * this one through Jackson). {@link SoftmaxRegression} trains it.
 *
 * @param featureNames the features a row must hold, in this order
 * @param classNames   the classes, in the order of {@code weights}' rows
 * @param standardizer the training data's feature scaling, applied to every row first
 * @param weights      one row of feature weights per class
 * @param biases       one bias per class
 */
public record SoftmaxClassifier(List<String> featureNames, List<String> classNames, Standardizer standardizer,
                                double[][] weights, double[] biases) implements Classifier {
    public SoftmaxClassifier {
        featureNames = List.copyOf(featureNames);
        classNames = List.copyOf(classNames);
        if (weights.length != classNames.size() || biases.length != classNames.size()) {
            throw new IllegalArgumentException("one row of weights and one bias per class: " + classNames.size()
                    + " classes, " + weights.length + " weight rows, " + biases.length + " biases");
        }
        weights = Arrays.stream(weights).map(double[]::clone).toArray(double[][]::new);
        biases = biases.clone();
    }

    /** The probability of each class for a row of raw feature values. */
    public double[] probabilities(double[] features) {
        return softmax(logits(weights, biases, standardizer.apply(features)));
    }

    @Override
    public int predictClass(double[] features) {
        return argMax(logits(weights, biases, standardizer.apply(features)));
    }

    @Override
    public double logLoss(LabeledData data) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            sum += crossEntropy(logits(weights, biases, standardizer.apply(data.features()[i])), data.labels()[i]);
        }
        return sum / data.size();
    }

    /** {@code biases + weights · x} for a standardized row {@code x}. */
    static double[] logits(double[][] weights, double[] biases, double[] x) {
        double[] z = biases.clone();
        for (int c = 0; c < z.length; c++) {
            for (int j = 0; j < x.length; j++) {
                z[c] += weights[c][j] * x[j];
            }
        }
        return z;
    }

    static double[] softmax(double[] logits) {
        // Subtracting the largest logit keeps exp from overflowing and changes nothing else.
        double max = Arrays.stream(logits).max().orElseThrow();
        double[] p = new double[logits.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            // StrictMath gives the same bits on every JVM and CPU, so training is reproducible.
            p[c] = StrictMath.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** {@code -log softmax(logits)[label]}, computed without forming the (possibly 0) probability. */
    static double crossEntropy(double[] logits, int label) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = 0;
        for (double z : logits) {
            sum += StrictMath.exp(z - max);
        }
        return max + StrictMath.log(sum) - logits[label];
    }

    static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    // Records compare arrays by identity; a model read back from JSON must equal the one logged.
    @Override
    public boolean equals(Object other) {
        return other instanceof SoftmaxClassifier m && featureNames.equals(m.featureNames)
                && classNames.equals(m.classNames) && standardizer.equals(m.standardizer)
                && Arrays.deepEquals(weights, m.weights) && Arrays.equals(biases, m.biases);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(featureNames, classNames, standardizer, Arrays.deepHashCode(weights),
                Arrays.hashCode(biases));
    }

    @Override
    public String toString() {
        return "SoftmaxClassifier[" + featureNames.size() + " features -> " + classNames + "]";
    }
}
