package dev.runlog.examples.ml;

import java.util.List;

/** What the examples' trained models share: predicting a class for a row of raw features. */
public interface Classifier {

    /** The class names; {@link #predictClass} returns an index into this list. */
    List<String> classNames();

    /** The index of the most likely class for a row of raw (unscaled) feature values. */
    int predictClass(double[] features);

    /** The name of the most likely class for a row of raw feature values. */
    default String predict(double[] features) {
        return classNames().get(predictClass(features));
    }

    /**
     * The mean log loss (cross-entropy) over {@code data}'s rows, without the L2 penalty: lower is
     * better, and unlike accuracy it also rewards confidence in right answers.
     */
    double logLoss(LabeledData data);

    /** The fraction of {@code data}'s rows predicted correctly. */
    default double accuracy(LabeledData data) {
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            if (predictClass(data.features()[i]) == data.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / data.size();
    }
}
