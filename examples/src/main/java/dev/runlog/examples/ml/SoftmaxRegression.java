package dev.runlog.examples.ml;

/**
 * Multinomial logistic (softmax) regression trained by full-batch gradient descent on standardized
 * features, with an L2 penalty on the weights: the model scikit-learn's
 * {@code LogisticRegression} fits for more than two classes, in a few lines of plain Java.
 *
 * <p>Training is deterministic: weights start at zero and every epoch sums the rows in order, so
 * the same data and hyperparameters give the same model, bit for bit.
 */
public final class SoftmaxRegression {
    private SoftmaxRegression() {
    }

    /**
     * Trains on every row of {@code data}.
     *
     * @param listener told the training loss and accuracy after each epoch
     */
    public static SoftmaxClassifier fit(LabeledData data, Hyperparameters hyper, EpochListener listener) {
        Standardizer standardizer = Standardizer.fit(data.features());
        double[][] x = standardizer.apply(data.features());
        int[] y = data.labels();
        int n = x.length;
        int features = x[0].length;
        int classes = data.classNames().size();
        double[][] weights = new double[classes][features];
        double[] biases = new double[classes];

        for (int epoch = 0; epoch < hyper.maxIter(); epoch++) {
            // The gradient of the mean log loss: (probability - indicator of the true class) * x.
            double[][] gradWeights = new double[classes][features];
            double[] gradBiases = new double[classes];
            for (int i = 0; i < n; i++) {
                double[] p = SoftmaxClassifier.softmax(SoftmaxClassifier.logits(weights, biases, x[i]));
                for (int c = 0; c < classes; c++) {
                    double error = p[c] - (y[i] == c ? 1 : 0);
                    gradBiases[c] += error;
                    for (int j = 0; j < features; j++) {
                        gradWeights[c][j] += error * x[i][j];
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                biases[c] -= hyper.learningRate() * gradBiases[c] / n;
                for (int j = 0; j < features; j++) {
                    weights[c][j] -= hyper.learningRate() * (gradWeights[c][j] / n + hyper.l2() * weights[c][j]);
                }
            }
            reportEpoch(epoch, x, y, weights, biases, hyper.l2(), listener);
        }
        return new SoftmaxClassifier(data.featureNames(), data.classNames(), standardizer, weights, biases);
    }

    /** Computes the loss and accuracy of the weights after an update, for the listener. */
    private static void reportEpoch(int epoch, double[][] x, int[] y, double[][] weights, double[] biases, double l2,
                                    EpochListener listener) {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            double[] logits = SoftmaxClassifier.logits(weights, biases, x[i]);
            loss += SoftmaxClassifier.crossEntropy(logits, y[i]);
            if (SoftmaxClassifier.argMax(logits) == y[i]) {
                correct++;
            }
        }
        double penalty = 0;
        for (double[] row : weights) {
            for (double w : row) {
                penalty += w * w;
            }
        }
        listener.epochEnded(epoch, loss / x.length + l2 / 2 * penalty, (double) correct / x.length);
    }
}
