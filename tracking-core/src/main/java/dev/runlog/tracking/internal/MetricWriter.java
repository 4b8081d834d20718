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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The async path of {@code logMetric}: a bounded buffer drained by one background thread into the
 * store's batch write.
 *
 * <p>Flush works by counting. {@link #submit} takes a slot of the buffer first, then counts the
 * point and puts it in the FIFO queue (the slot guarantees the put never waits), and the writer
 * counts points as processed only a whole drained chunk at a time, in queue order. A flusher that
 * reads the submitted count {@code T} after its own puts is then sure that every point ahead of
 * its last one in the queue was counted in {@code T}, so once {@code processed >= T} all its
 * points are stored. Since a point is counted only once it has a slot, a caller that gives up
 * waiting for a slot leaves nothing counted behind it.
 *
 * <p>A store failure ({@link StoreException}, or any unexpected exception) keeps the chunk and
 * retries it with backoff; since a store's batch write is atomic, a retry never duplicates points.
 * Each failed attempt is numbered. A failure is thrown once to the next caller that checks (any
 * {@code submit} or {@code flush}); a call that waits (a flush, or a submit blocked on a full
 * buffer) also throws the failure of any attempt that <em>started</em> while it waited, so it never
 * waits forever on a failing store, and never throws a failure of an attempt made before the store
 * was repaired. A flush wakes the writer to retry at once rather than after its backoff.
 *
 * <p>A rejection (the run was deleted or ended elsewhere) can never succeed, so those points are
 * dropped and the rejection is reported, never silently.
 *
 * <p>A flush writes on its own thread when it can: if no write is under way and no failed chunk
 * awaits its retry, the flusher drains the queue and writes it itself, under the same lock the
 * writer thread drains and writes under, so chunks are still drained, written and counted one at a
 * time in queue order. Waking the writer and then being woken by it cost two thread hand-offs per
 * flush, and on a busy machine each hand-off can wait for a core: a training loop that flushes
 * after every point paid for them in its tail latency, not for the write.
 */
final class MetricWriter {
    /**
     * Stores one point at once, as {@code Durability.SYNC} logs it; a store failure says the point
     * was not stored, as a buffered point's says it was not buffered.
     */
    static void storeNow(TrackingStore store, String runId, Metric point) {
        try {
            store.logBatch(runId, List.of(point), Map.of(), Map.of());
        } catch (StoreException e) {
            throw new StoreException("This metric point was not stored (log it again); " + e.getMessage(), e);
        }
    }

    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(MetricWriter.class.getName());
    }
    /**
     * At most this many points are drained and written at once. Large on purpose: when callers log
     * faster than the store writes, the whole buffer goes in one batch per run, so each series
     * gets a large chunk and a run one transaction, however many runs the points are spread over.
     */
    private static final int MAX_CHUNK = 1 << 18;
    private static final long MIN_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 1_000;
    /**
     * An idle writer looks at the queue this often, and is woken sooner only by a flush, by stop,
     * or by {@link #WAKE_AT_MOST} (at most) points waiting. Waking it for every point made a loop
     * that flushes after each point race the writer for the write, and lose a thread hand-off to
     * it whenever the writer won; points nobody flushes reach the store within this time.
     */
    private static final long IDLE_WAIT_MS = 100;
    private static final int WAKE_AT_MOST = 1_024;

    private record Pending(String runId, Metric point) {
    }

    private final TrackingStore store;
    private final BlockingQueue<Pending> queue;
    // One permit per free slot of the queue; taken before a point is counted, given back when drained.
    private final Semaphore slots;
    private final int maxChunk;
    private final AtomicLong submitted = new AtomicLong();
    private final Thread thread;
    // Whoever drains and writes holds this, the writer thread or a flushing caller; it guards the
    // chunk being written and what of it is left to write.
    private final ReentrantLock writing = new ReentrantLock();
    private final List<Pending> chunk = new ArrayList<>();
    private final Map<String, List<Metric>> byRun = new LinkedHashMap<>();
    private int chunkSize;

    private final Object monitor = new Object();
    // Guarded by monitor.
    private long processed;
    private long attemptsStarted;
    private long lastFailedAttempt;
    private StoreException lastFailure;
    private boolean failureUnreported;
    private RuntimeException rejection;
    /** The points of each run that {@link #rejection} counts. */
    private final Map<String, Integer> rejectedPoints = new LinkedHashMap<>();
    private boolean retryNow;
    private boolean stopping;
    private boolean abandon;
    private boolean stopped;
    private long unstoredAtStop;

    // Read without the monitor on the hot path: set whenever a failure or rejection awaits a caller.
    private volatile boolean failurePending;
    // Written under monitor, read without it by the writer thread only (which alone writes it).
    private volatile boolean outage;
    // Set while the writer thread waits for points, so that submit wakes it only then.
    private volatile boolean writerIdle;
    // What the idle writer waits on: not monitor, whose notifyAll after every stored chunk (for
    // flushing callers) woke it after each flush() of its own caller, to preempt that caller on a
    // busy core and find nothing to do.
    private final Object idle = new Object();
    // Guarded by idle: a wake-up asked for since the writer last looked, so none is lost.
    private boolean wakeRequested;
    // How many buffered points wake an idle writer; fewer wait for its next look (IDLE_WAIT_MS) or a flush.
    private final int wakeAt;

    MetricWriter(TrackingStore store, int capacity) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.slots = new Semaphore(capacity);
        this.maxChunk = Math.min(capacity, MAX_CHUNK);
        this.wakeAt = Math.max(1, Math.min(WAKE_AT_MOST, capacity / 8));
        this.thread = new Thread(this::drainLoop, "runlog-metric-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Reports a pending failure to the caller (its point is then not buffered, and a store failure
     * says so), else buffers the point, waiting while the buffer is full. A caller waiting for room receives the failure of any store attempt that fails while it
     * waits (or a failure not yet reported), and its point is then <em>not</em> buffered: the
     * exception says so.
     */
    void submit(String runId, Metric point) {
        if (failurePending) {
            RuntimeException failure;
            synchronized (monitor) {
                failure = takePendingFailureLocked();
            }
            if (failure != null) {
                throw notBuffered(failure, "");
            }
        }
        if (!slots.tryAcquire()) {
            awaitSlot();
        }
        submitted.incrementAndGet();
        // Cannot fail: the slot taken above is room in the queue.
        queue.add(new Pending(runId, point));
        if (writerIdle && queue.size() >= wakeAt) {
            wakeWriter();
        }
    }

    private void wakeWriter() {
        synchronized (idle) {
            wakeRequested = true;
            idle.notifyAll();
        }
    }

    /**
     * The failure a caller gets instead of its point being buffered, saying so: a store failure's
     * message counts the points buffered, which this call's is not among, and a rejection (points
     * of runs ended or deleted elsewhere, maybe not this call's) read as news of other runs, after
     * which a caller that went on lost this point without a word. Of the same type as the failure.
     */
    private static RuntimeException notBuffered(RuntimeException failure, String why) {
        String message = "This metric point was not buffered (log it again); " + why + failure.getMessage();
        if (failure instanceof StoreException) {
            return new StoreException(message, failure);
        }
        if (failure instanceof dev.runlog.tracking.ConflictException) {
            return new dev.runlog.tracking.ConflictException(message, failure);
        }
        return failure;
    }

    private void awaitSlot() {
        boolean interrupted = false;
        try {
            synchronized (monitor) {
                long waitingSince = attemptsStarted;
                while (!slots.tryAcquire()) {
                    RuntimeException failure = failureSince(waitingSince);
                    if (failure != null) {
                        throw notBuffered(failure, "the buffer is full, and ");
                    }
                    if (stopped || stopping) {
                        throw new StoreException("The tracker is closing; the metric point was not buffered");
                    }
                    try {
                        // The writer notifies after every drain and every failed attempt.
                        monitor.wait();
                    } catch (InterruptedException e) {
                        // The point is not counted yet, but nothing may be dropped: keep waiting.
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until every point submitted before this call is processed, then reports any failure
     * not yet reported. Throws a store failure not yet reported, or one of an attempt that started
     * after this call did.
     *
     * @param timeout how long to wait at most; null for no limit
     */
    void flush(Duration timeout) {
        long target = submitted.get();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        writeOnCaller(target);
        synchronized (monitor) {
            long waitingSince = attemptsStarted;
            if (processed < target) {
                // A chunk waiting out its backoff is retried now: the store may just have been repaired.
                retryNow = true;
                monitor.notifyAll();
                wakeWriter(); // and an idle writer takes what this caller could not write itself
            }
            while (processed < target) {
                RuntimeException failure = failureSince(waitingSince);
                if (failure != null) {
                    throw failure;
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
     * Drains and writes the queue on the calling thread, unless a write is under way (the writer's
     * own, or another flusher's: this one then waits for it as before), a failed chunk awaits its
     * retry (the writer retries with its backoff; the wait below hurries it), or the writer stops.
     */
    private void writeOnCaller(long target) {
        synchronized (monitor) {
            if (processed >= target || stopping || outage) {
                return;
            }
        }
        if (!writing.tryLock()) {
            return;
        }
        try {
            if (byRun.isEmpty() && drainChunk()) {
                writeChunk();
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * Stops the writer thread. With {@code abandon}, points not yet stored are given up at the
     * store's first failure (the caller has already reported the failure that kept them); without,
     * the writer drains the queue first. Either way a write under way finishes: the thread is not
     * interrupted, since an interrupted wait for the database lock fails the write, and a batch the
     * store would have taken a moment later would be lost.
     *
     * @return how many points were never stored
     */
    long stop(boolean abandon) {
        synchronized (monitor) {
            stopping = true;
            this.abandon = abandon;
            monitor.notifyAll();
        }
        wakeWriter();
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

    /**
     * The failure a waiting caller must receive, consuming it: a rejection or store failure not yet
     * reported, or the failure of an attempt started after {@code attemptsStartedAtWait}. Null if none.
     */
    private RuntimeException failureSince(long attemptsStartedAtWait) {
        if (rejection != null || failureUnreported) {
            return takePendingFailureLocked();
        }
        if (lastFailure != null && lastFailedAttempt > attemptsStartedAtWait) {
            return lastFailure;
        }
        return null;
    }

    private void throwPendingFailure() {
        synchronized (monitor) {
            throwPendingFailureLocked();
        }
    }

    private void throwPendingFailureLocked() {
        RuntimeException failure = takePendingFailureLocked();
        if (failure != null) {
            throw failure;
        }
    }

    private RuntimeException takePendingFailureLocked() {
        RuntimeException failure;
        if (rejection != null) {
            failure = rejection;
            rejection = null;
        } else if (failureUnreported) {
            failure = lastFailure;
            failureUnreported = false;
        } else {
            failure = null;
        }
        failurePending = rejection != null || failureUnreported;
        return failure;
    }

    private void drainLoop() {
        long backoff = MIN_BACKOFF_MS;
        while (true) {
            boolean wrote;
            boolean stored = true;
            writing.lock();
            try {
                wrote = !byRun.isEmpty() || drainChunk();
                if (wrote) {
                    stored = writeChunk();
                }
            } finally {
                writing.unlock();
            }
            if (!wrote) {
                if (isStopping()) {
                    break;
                }
                awaitPoints();
            } else if (stored) {
                backoff = MIN_BACKOFF_MS;
            } else {
                if (isAbandoning()) {
                    break;
                }
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
        writing.lock();
        try {
            synchronized (monitor) {
                long unstored = pointsIn(byRun) + queue.size();
                byRun.clear();
                queue.clear();
                unstoredAtStop = unstored;
                stopped = true;
                monitor.notifyAll();
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * Takes what the queue holds as the next chunk, grouped by run, and frees its slots. False when
     * the queue is empty. Called holding {@link #writing}, with nothing of the last chunk left.
     */
    private boolean drainChunk() {
        chunk.clear();
        if (queue.drainTo(chunk, maxChunk) == 0) {
            return false;
        }
        chunkSize = chunk.size();
        freeSlots(chunkSize);
        for (Pending p : chunk) {
            byRun.computeIfAbsent(p.runId(), id -> new ArrayList<>()).add(p.point());
        }
        chunk.clear();
        return true;
    }

    /**
     * Writes what is left of the chunk, counting it processed once all of it is stored or
     * rejected. False when the store failed and the rest awaits a retry. Called holding {@link #writing}.
     */
    private boolean writeChunk() {
        if (!writeGroups(byRun)) {
            return false;
        }
        markProcessed(chunkSize);
        chunkSize = 0;
        return true;
    }

    /**
     * Waits, as the writer thread, until {@link #wakeAt} points may be in the queue: submit wakes
     * it while {@link #writerIdle} is set, which is set before the queue is looked at, and a
     * flush or stop sets {@link #wakeRequested}, so no wake-up is missed. Also wakes every
     * {@link #IDLE_WAIT_MS}.
     */
    private void awaitPoints() {
        writerIdle = true;
        try {
            synchronized (idle) {
                if (!wakeRequested && queue.size() < wakeAt) {
                    idle.wait(IDLE_WAIT_MS);
                }
                wakeRequested = false;
            }
        } catch (InterruptedException e) {
            // not expected (stop() wakes this wait instead); the loop re-checks
        } finally {
            writerIdle = false;
        }
    }

    /**
     * Writes each run's points, removing each group once stored or rejected. Returns false when the
     * store failed and the remaining groups must be retried.
     */
    private boolean writeGroups(Map<String, List<Metric>> byRun) {
        if (byRun.size() > 1) {
            long attempt = startAttempt();
            try {
                if (store.logMetricsOfRuns(byRun)) {
                    byRun.clear();
                    clearStoreFailure();
                    return true;
                }
            } catch (StoreException e) {
                recordStoreFailure(attempt, pointsIn(byRun), e);
                return false;
            } catch (RunlogException e) {
                // A run refused: nothing was stored; run by run below stores the others and reports it.
            } catch (RuntimeException e) {
                recordStoreFailure(attempt, pointsIn(byRun),
                        new StoreException("The store failed unexpectedly: " + e, e));
                return false;
            }
        }
        Iterator<Map.Entry<String, List<Metric>>> groups = byRun.entrySet().iterator();
        while (groups.hasNext()) {
            Map.Entry<String, List<Metric>> group = groups.next();
            long attempt = startAttempt();
            try {
                store.logBatch(group.getKey(), group.getValue(), Map.of(), Map.of());
                groups.remove();
                clearStoreFailure();
            } catch (StoreException e) {
                recordStoreFailure(attempt, group.getValue().size(), e);
                return false;
            } catch (RunlogException e) {
                recordRejection(group.getKey(), group.getValue().size(), e);
                groups.remove();
            } catch (RuntimeException e) {
                recordStoreFailure(attempt, group.getValue().size(),
                        new StoreException("The store failed unexpectedly: " + e, e));
                return false;
            }
        }
        return true;
    }

    private static int pointsIn(Map<String, List<Metric>> byRun) {
        return byRun.values().stream().mapToInt(List::size).sum();
    }

    private long startAttempt() {
        synchronized (monitor) {
            return ++attemptsStarted;
        }
    }

    /** Gives the drained points' slots back and wakes callers waiting for room. */
    private void freeSlots(int count) {
        slots.release(count);
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    private void markProcessed(int count) {
        synchronized (monitor) {
            processed += count;
            monitor.notifyAll();
        }
    }

    private void recordStoreFailure(long attempt, int points, StoreException cause) {
        boolean first;
        synchronized (monitor) {
            first = !outage;
        }
        // The stack trace once per outage; each later retry (up to one a second) in one line, not twenty.
        if (first) {
            log().log(System.Logger.Level.WARNING, "Storing " + points + " metric points failed; retrying", cause);
        } else {
            log().log(System.Logger.Level.WARNING, "Storing " + points + " metric points failed again; retrying: "
                    + cause.getMessage());
        }
        synchronized (monitor) {
            boolean newOutage = !outage;
            outage = true;
            lastFailure = new StoreException("Storing buffered metric points failed (" + (submitted.get() - processed)
                    + " points buffered; they stay buffered and are retried): " + cause.getMessage(), cause);
            lastFailedAttempt = attempt;
            // Reported once per outage to whoever calls next; callers that wait see every later attempt fail.
            if (newOutage) {
                failureUnreported = true;
                failurePending = true;
            }
            monitor.notifyAll();
        }
    }

    private void clearStoreFailure() {
        if (!outage) {
            return;
        }
        synchronized (monitor) {
            outage = false;
            // The retry went through: the outage is over, and an unreported failure is healed, not news.
            lastFailure = null;
            failureUnreported = false;
            failurePending = rejection != null;
        }
    }

    /**
     * Records dropped points for the next caller. Rejections that arrive before one is reported
     * are reported as one, counting all their points: a second batch's count, kept only as a
     * suppressed exception, made the message say fewer points were dropped than were.
     */
    private void recordRejection(String runId, int points, RunlogException cause) {
        // The caller gets the exception; the log says it happened, without a trace of its own.
        log().log(System.Logger.Level.WARNING, "The store rejected " + points + " metric points of run " + runId
                + ", which were dropped: " + cause.getMessage());
        synchronized (monitor) {
            if (rejection == null) {
                rejectedPoints.clear();
            }
            rejectedPoints.merge(runId, points, Integer::sum);
            int total = rejectedPoints.values().stream().mapToInt(Integer::intValue).sum();
            String which = rejectedPoints.size() == 1 ? " of run " + runId
                    : " (" + rejectedPoints.entrySet().stream().map(e -> e.getValue() + " of run " + e.getKey())
                            .collect(java.util.stream.Collectors.joining(", ")) + ")";
            RuntimeException first = rejection;
            rejection = new dev.runlog.tracking.ConflictException("The store rejected " + total + " metric points" + which
                    + ", which were dropped: " + (first == null ? cause : first.getCause()).getMessage(),
                    first == null ? cause : first.getCause());
            if (first != null) {
                rejection.addSuppressed(cause);
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

    /** Waits out a retry backoff, cut short by a flush (which wants the retry now) or by stop. */
    private void sleep(long ms) {
        synchronized (monitor) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (!retryNow && !(stopping && abandon)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    monitor.wait(left);
                } catch (InterruptedException e) {
                    // not expected (stop() notifies instead); the loop re-checks
                }
            }
            retryNow = false;
        }
    }
}
