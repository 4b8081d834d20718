package dev.runlog.tracking.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.spi.TrackingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The async path of {@code logMetric}: a bounded queue drained by one background thread into the
 * store's batch write.
 *
 * <p>Flush works by counting. {@link #submit} counts a point <em>before</em> putting it in the
 * FIFO queue, and the writer counts points as processed only a whole drained chunk at a time, in
 * queue order. A flusher that reads the submitted count {@code T} after its own puts is then sure
 * that every point ahead of its last one in the queue was counted in {@code T}, so once
 * {@code processed >= T} all its points are stored.
 *
 * <p>A store failure ({@link StoreException}, or any unexpected exception) keeps the chunk and
 * retries it with backoff; since a store's batch write is atomic, a retry never duplicates points.
 * A rejection (the run was deleted or ended elsewhere) can never succeed, so those points are
 * dropped and the rejection is reported, never silently.
 */
final class MetricWriter {
    private static final System.Logger LOG = System.getLogger(MetricWriter.class.getName());
    private static final int MAX_CHUNK = 16_384;
    private static final long MIN_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 1_000;

    private record Pending(String runId, Metric point) {
    }

    private final TrackingStore store;
    private final BlockingQueue<Pending> queue;
    private final AtomicLong submitted = new AtomicLong();
    private final Thread thread;

    private final Object monitor = new Object();
    // Guarded by monitor.
    private long processed;
    private RuntimeException storeFailure;
    private RuntimeException rejection;
    private boolean stopping;
    private boolean abandon;
    private boolean stopped;
    private long unstoredAtStop;

    // Read without the monitor on the hot path; a stale false only delays the report by one call.
    private volatile boolean failurePending;

    MetricWriter(TrackingStore store, int capacity) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drainLoop, "runlog-metric-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Reports a pending failure to the caller, then queues the point, waiting while the queue is full. */
    void submit(String runId, Metric point) {
        if (failurePending) {
            throwPendingFailure();
        }
        Pending pending = new Pending(runId, point);
        submitted.incrementAndGet();
        boolean interrupted = false;
        // The point is already counted, so it must go in: a flusher may be waiting for it.
        while (true) {
            try {
                queue.put(pending);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every point submitted before this call is processed, then reports any failure
     * not yet reported.
     *
     * @param timeout how long to wait at most; null for no limit
     */
    void flush(Duration timeout) {
        long target = submitted.get();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (processed < target) {
                if (storeFailure != null || rejection != null) {
                    throwPendingFailureLocked();
                }
                if (stopped) {
                    throw new StoreException("The tracker is closed; " + (target - processed) + " metric points were not stored");
                }
                long waitMs = Math.min(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                if (waitMs <= 0) {
                    throw new StoreException("Timed out after " + timeout + " flushing metric points; "
                            + (target - processed) + " are still buffered");
                }
                try {
                    monitor.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunlogException("Interrupted while flushing metric points; they stay buffered", e);
                }
            }
            if (rejection != null) {
                throwPendingFailureLocked();
            }
        }
    }

    /**
     * Stops the writer thread. With {@code abandon}, points not yet stored are given up (the caller
     * has already reported the failure that kept them); without, the writer drains the queue first.
     *
     * @return how many points were never stored
     */
    long stop(boolean abandon) {
        synchronized (monitor) {
            stopping = true;
            this.abandon = abandon;
            monitor.notifyAll();
        }
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (monitor) {
            return unstoredAtStop;
        }
    }

    private void throwPendingFailure() {
        synchronized (monitor) {
            throwPendingFailureLocked();
        }
    }

    private void throwPendingFailureLocked() {
        RuntimeException failure = rejection != null ? rejection : storeFailure;
        if (failure == null) {
            return;
        }
        if (failure == rejection) {
            rejection = null;
        } else {
            storeFailure = null;
        }
        failurePending = rejection != null || storeFailure != null;
        throw failure;
    }

    private void drainLoop() {
        List<Pending> chunk = new ArrayList<>();
        Map<String, List<Metric>> byRun = new LinkedHashMap<>();
        int chunkSize = 0;
        long backoff = MIN_BACKOFF_MS;
        while (true) {
            if (byRun.isEmpty()) {
                if (chunkSize > 0) {
                    markProcessed(chunkSize);
                    chunkSize = 0;
                }
                chunk.clear();
                if (queue.drainTo(chunk, MAX_CHUNK) == 0) {
                    if (isStopping()) {
                        break;
                    }
                    try {
                        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        chunk.add(first);
                        queue.drainTo(chunk, MAX_CHUNK - 1);
                    } catch (InterruptedException e) {
                        continue; // stop() interrupts to end the wait early; the loop re-checks
                    }
                }
                chunkSize = chunk.size();
                for (Pending p : chunk) {
                    byRun.computeIfAbsent(p.runId(), id -> new ArrayList<>()).add(p.point());
                }
            }
            if (writeGroups(byRun)) {
                backoff = MIN_BACKOFF_MS;
            } else {
                if (isAbandoning()) {
                    break;
                }
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
        synchronized (monitor) {
            long unstored = byRun.values().stream().mapToLong(List::size).sum() + queue.size();
            queue.clear();
            unstoredAtStop = unstored;
            stopped = true;
            monitor.notifyAll();
        }
    }

    /**
     * Writes each run's points, removing each group once stored or rejected. Returns false when the
     * store failed and the remaining groups must be retried.
     */
    private boolean writeGroups(Map<String, List<Metric>> byRun) {
        Iterator<Map.Entry<String, List<Metric>>> groups = byRun.entrySet().iterator();
        while (groups.hasNext()) {
            Map.Entry<String, List<Metric>> group = groups.next();
            try {
                store.logBatch(group.getKey(), group.getValue(), Map.of(), Map.of());
                groups.remove();
                clearStoreFailure();
            } catch (StoreException e) {
                recordStoreFailure(group.getValue().size(), e);
                return false;
            } catch (RunlogException e) {
                recordRejection(group.getKey(), group.getValue().size(), e);
                groups.remove();
            } catch (RuntimeException e) {
                recordStoreFailure(group.getValue().size(), new StoreException("The store failed unexpectedly: " + e, e));
                return false;
            }
        }
        return true;
    }

    private void markProcessed(int count) {
        synchronized (monitor) {
            processed += count;
            monitor.notifyAll();
        }
    }

    private void recordStoreFailure(int points, StoreException cause) {
        LOG.log(System.Logger.Level.WARNING, "Storing " + points + " metric points failed; retrying", cause);
        synchronized (monitor) {
            storeFailure = new StoreException("Storing buffered metric points failed (" + (submitted.get() - processed)
                    + " points buffered; they stay buffered and are retried): " + cause.getMessage(), cause);
            failurePending = true;
            monitor.notifyAll();
        }
    }

    private void clearStoreFailure() {
        if (!failurePending) {
            return;
        }
        synchronized (monitor) {
            // The retry went through: the failure is healed, there is nothing left to report.
            storeFailure = null;
            failurePending = rejection != null;
        }
    }

    private void recordRejection(String runId, int points, RunlogException cause) {
        LOG.log(System.Logger.Level.WARNING, "The store rejected " + points + " metric points of run " + runId, cause);
        synchronized (monitor) {
            RuntimeException report = new dev.runlog.tracking.ConflictException("The store rejected " + points
                    + " metric points of run " + runId + ", which were dropped: " + cause.getMessage(), cause);
            if (rejection != null) {
                rejection.addSuppressed(report);
            } else {
                rejection = report;
            }
            failurePending = true;
            monitor.notifyAll();
        }
    }

    private boolean isStopping() {
        synchronized (monitor) {
            return stopping;
        }
    }

    private boolean isAbandoning() {
        synchronized (monitor) {
            return stopping && abandon;
        }
    }

    private void sleep(long ms) {
        synchronized (monitor) {
            if (stopping && abandon) {
                return;
            }
            try {
                monitor.wait(ms);
            } catch (InterruptedException e) {
                // stop() interrupts; the loop re-checks
            }
        }
    }
}
