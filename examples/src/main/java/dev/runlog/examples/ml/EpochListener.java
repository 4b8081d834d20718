package dev.runlog.examples.ml;

/**
 * Told the training loss and accuracy after every epoch. It keeps the training code free of any
 * tracking API: the examples pass a lambda that logs to a Runlog run, a test may pass one that
 * collects the values, and {@link #NONE} ignores them.
 */
@FunctionalInterface
public interface EpochListener {
    EpochListener NONE = (epoch, loss, accuracy) -> { };

    /**
     * @param epoch    0 for the first epoch
     * @param loss     the regularized training loss after this epoch's update
     * @param accuracy the training accuracy after this epoch's update
     */
    void epochEnded(int epoch, double loss, double accuracy);
}
