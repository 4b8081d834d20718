/**
 * Runnable examples of Runlog in training code, each a {@code main} that runs in seconds:
 * {@link dev.runlog.examples.IrisPipeline} (the whole loop, from training to a live deployment),
 * {@link dev.runlog.examples.HyperparameterSweep}, {@link dev.runlog.examples.ContinuousTraining}
 * and {@link dev.runlog.examples.Quickstart}. The training itself is in
 * {@link dev.runlog.examples.ml}, which never calls Runlog.
 */
package dev.runlog.examples;
