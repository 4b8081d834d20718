package dev.runlog.storage.sqlite;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@link MultiProcessTest}. Arguments: database file, experiment name, child
 * number, threads, points per thread.
 *
 * <p>Protocol on stdout/stdin, so that all children overlap without any sleeping:
 * <ol>
 *   <li>prints {@code READY <child>}, then waits for the line {@code GO} on stdin;</li>
 *   <li>opens the tracker (all children race to open, migrate and create the experiment), starts
 *       one run per thread and prints {@code STARTED <runId> <child> <thread>} for each;</li>
 *   <li>waits for the line {@code LOG} on stdin (sent once every child has started its runs);</li>
 *   <li>each thread logs its points, closes its run and prints {@code RUN <runId> <child> <thread>};</li>
 *   <li>closes the tracker, prints {@code DONE <child>} and exits 0; any failure is printed on
 *       stderr and the exit code is 1.</li>
 * </ol>
 */
public final class MultiProcessChild {
    private MultiProcessChild() {
    }

    /** The value logged at {@code step} by thread {@code thread} of child {@code child}. */
    static double value(int child, int thread, long step) {
        return (child * 2 + thread) * 1_000_000.0 + step / 7.0;
    }

    static String worker(int child, int thread) {
        return child + "-" + thread;
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        String experiment = args[1];
        int child = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int points = Integer.parseInt(args[4]);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

        System.out.println("READY " + child);
        expect(stdin, "GO");

        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (Tracker tracker = Tracker.open("sqlite:" + file)) {
            CountDownLatch started = new CountDownLatch(threads);
            CountDownLatch log = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    ActiveRun run = null;
                    try {
                        run = tracker.startRun(experiment);
                        run.logParam("worker", worker(child, thread));
                        run.setTag("child", Integer.toString(child));
                        System.out.println("STARTED " + run.id() + " " + child + " " + thread);
                    } catch (Throwable e) {
                        failures.add(e);
                        return;
                    } finally {
                        started.countDown();
                    }
                    try {
                        log.await();
                        for (long step = 0; step < points; step++) {
                            run.logMetric("loss", value(child, thread, step), step);
                        }
                        run.flush();
                        run.close();
                        System.out.println("RUN " + run.id() + " " + child + " " + thread);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "worker-" + child + "-" + t);
                workers.add(worker);
                worker.start();
            }
            started.await();
            if (failures.isEmpty()) {
                expect(stdin, "LOG");
            }
            log.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (Throwable e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            for (Throwable failure : failures) {
                failure.printStackTrace();
            }
            System.err.flush();
            System.exit(1);
        }
        System.out.println("DONE " + child);
        System.out.flush();
        System.exit(0);
    }

    private static void expect(BufferedReader stdin, String command) throws IOException {
        String line = stdin.readLine();
        if (!command.equals(line)) {
            throw new IllegalStateException("expected " + command + " on stdin, got " + line);
        }
    }
}
