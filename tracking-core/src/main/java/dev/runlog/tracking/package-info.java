/**
 * The tracking API training code calls: open a {@link dev.runlog.tracking.Tracker}, start an
 * {@link dev.runlog.tracking.ActiveRun}, log params, metrics, tags and artifacts, and read runs
 * back as immutable {@link dev.runlog.tracking.Run} records.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.open("memory:");
 *      ActiveRun run = tracker.startRun("iris")) {
 *     run.logParam("lr", 0.1);
 *     run.logMetric("accuracy", 0.97, 200);
 * }
 * }</pre>
 *
 * <p>Everything thrown extends {@link dev.runlog.tracking.RunlogException}.
 */
package dev.runlog.tracking;
