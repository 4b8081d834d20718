/**
 * The few lines of machine learning the examples need, in plain Java: CSV loading, standardization,
 * stratified splits, and logistic and softmax regression trained by gradient descent. Runlog does
 * not depend on any of it; in your project this is where DJL, Tribuo, Smile or XGBoost4J would be.
 * The training code here reports to an {@link dev.runlog.examples.ml.EpochListener} and never calls
 * Runlog, so the examples show the tracking code on its own.
 */
package dev.runlog.examples.ml;
