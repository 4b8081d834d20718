package dev.runlog.examples.ml;

/**
 * Binary logistic regression trained by full-batch gradient descent on standardized features, with
 * an L2 penalty on the weights. Class 1 of the data ({@code classNames().get(1)}) is the positive
 * class.
 *
 * <p>Training is deterministic: weights start at zero and every epoch sums the rows in order, so
 * the same data and hyperparameters give the same model, bit for bit.
 */
public final class LogisticRegression {
    private LogisticRegression() {
    }

    /**
     * Trains on every row of {@code data}, which must have exactly two classes.
     *
     * @param listener told the training loss and accuracy after each epoch
     */
    public static LogisticClassifier fit(LabeledData data, Hyperparameters hyper, EpochListener listener) {
        if (data.classNames().size() != 2) {
            throw new IllegalArgumentException("binary logistic regression needs two classes, got " + data.classNames());
        }
        Standardizer standardizer = Standardizer.fit(data.features());
        double[][] x = standardizer.apply(data.features());
        int[] y = data.labels();
        int n = x.length;
        double[] weights = new double[x[0].length];
        double bias = 0;

        for (int epoch = 0; epoch < hyper.maxIter(); epoch++) {
            // The gradient of the mean log loss: (predicted probability - label) * x.
            double[] gradWeights = new double[weights.length];
            double gradBias = 0;
            for (int i = 0; i < n; i++) {
                double error = LogisticClassifier.sigmoid(LogisticClassifier.logit(weights, bias, x[i])) - y[i];
                gradBias += error;
                for (int j = 0; j < weights.length; j++) {
                    gradWeights[j] += error * x[i][j];
                }
            }
            bias -= hyper.learningRate() * gradBias / n;
            for (int j = 0; j < weights.length; j++) {
                weights[j] -= hyper.learningRate() * (gradWeights[j] / n + hyper.l2() * weights[j]);
            }
            reportEpoch(epoch, x, y, weights, bias, hyper.l2(), listener);
        }
        return new LogisticClassifier(data.featureNames(), data.classNames(), standardizer, weights, bias);
    }

    /** Computes the loss and accuracy of the weights after an update, for the listener. */
    private static void reportEpoch(int epoch, double[][] x, int[] y, double[] weights, double bias, double l2,
                                    EpochListener listener) {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            double z = LogisticClassifier.logit(weights, bias, x[i]);
            loss += LogisticClassifier.logLoss(z, y[i]);
            if ((LogisticClassifier.sigmoid(z) >= 0.5 ? 1 : 0) == y[i]) {
                correct++;
            }
        }
        double penalty = 0;
        for (double w : weights) {
            penalty += w * w;
        }
        listener.epochEnded(epoch, loss / x.length + l2 / 2 * penalty, (double) correct / x.length);
    }
}
