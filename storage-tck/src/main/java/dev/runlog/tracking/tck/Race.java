package dev.runlog.tracking.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runlog.tracking.ConflictException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that start at the same moment, for the concurrency contracts. Each body runs in a daemon
 * thread of its own, so that one stuck after a failed test cannot keep the test JVM alive; all wait
 * on one gate, which {@link #run} opens. A watcher runs alongside the workers and should loop while
 * {@link #working()}; whatever any thread throws fails the race, the first error as the cause and
 * the others suppressed.
 */
final class Race {
    /** What a thread of the race does; {@code thread} numbers the workers of one call from 0. */
    @FunctionalInterface
    interface Body {
        void run(int thread) throws Throwable;
    }

    /** How many threads of {@link #creating} created the thing, and how many were refused. */
    record Creations(int created, int conflicts) {
    }

    /**
     * Races {@code count} workers named {@code name-0}, ... that each call {@code create} once, and
     * counts who succeeded and who got a {@link ConflictException}; anything else fails the race.
     */
    static Creations creating(String name, int count, Duration timeout, Runnable create) throws InterruptedException {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        new Race().workers(name, count, thread -> {
            try {
                create.run();
                created.incrementAndGet();
            } catch (ConflictException e) {
                conflicts.incrementAndGet();
            }
        }).run(timeout);
        return new Creations(created.get(), conflicts.get());
    }

    private final CountDownLatch go = new CountDownLatch(1);
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean working = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();
    private final List<Thread> watchers = new ArrayList<>();

    /** Adds {@code count} workers named {@code name-0}, {@code name-1}, ..., each running {@code body} with its number. */
    Race workers(String name, int count, Body body) {
        for (int t = 0; t < count; t++) {
            workers.add(thread(name + "-" + t, t, body));
        }
        return this;
    }

    /** Adds a watcher, which runs while the workers do and should loop on {@link #working()}. */
    Race watcher(String name, Body body) {
        watchers.add(thread(name, 0, body));
        return this;
    }

    /** Whether the workers may still be running: false once they have all finished. */
    boolean working() {
        return working.get();
    }

    /**
     * Starts every thread, opens the gate, waits up to {@code timeout} for each worker, then stops and
     * waits for the watchers; fails if a worker did not finish or any thread threw.
     */
    void run(Duration timeout) throws InterruptedException {
        watchers.forEach(Thread::start);
        workers.forEach(Thread::start);
        go.countDown();
        try {
            for (Thread worker : workers) {
                worker.join(timeout.toMillis());
                assertFalse(worker.isAlive(), () -> worker.getName() + " did not finish");
            }
        } finally {
            working.set(false);
            for (Thread watcher : watchers) {
                watcher.join(timeout.toMillis());
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " thread(s) failed; first: " + failures.get(0),
                    failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    private Thread thread(String name, int number, Body body) {
        Thread thread = new Thread(() -> {
            try {
                go.await();
                body.run(number);
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }
}
