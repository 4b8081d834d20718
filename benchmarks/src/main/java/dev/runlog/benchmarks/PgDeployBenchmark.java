package dev.runlog.benchmarks;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.DeploymentListener;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code pgdeploy}: how soon a {@link DeployedModel} on PostgreSQL serves a version another process
 * promoted, from the moment the promoting call returned (its commit) to the handle's swap, over
 * {@link #PROMOTIONS} promotions made through a second tracker with a pool of its own. The handle
 * polls once an hour, so it swaps on the LISTEN/NOTIFY wake-up alone. Baseline, measured at the same
 * promotions: a client polling the stage every second, the deployment's default poll interval, which
 * is what a deployment sees of another process's promotion without notifications.
 *
 * <p>Runs on the embedded server {@link PgBenchmark} starts ({@code -Dbenchmarks=pgdeploy} alone, or
 * with the other PostgreSQL figures under {@code pg}).
 */
final class PgDeployBenchmark {
    static final int PROMOTIONS = 20;
    private static final int WARM_UP = 3;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long WAIT_SECONDS = 30;

    private PgDeployBenchmark() {
    }

    /** Measures against the store at {@code postgresUri}; prints the median and the 99th percentile. */
    static void run(String postgresUri, Consumer<Figure> out) throws Exception {
        String name = "pgdeploy-" + System.currentTimeMillis();
        try (Tracker serving = open(postgresUri); Tracker promoting = open(postgresUri)) {
            ModelRegistry other = ModelRegistry.of(promoting);
            for (int v = 1; v <= 2; v++) {
                try (ActiveRun run = promoting.startRun("pgdeploy")) {
                    other.register(name, run.logModel("model", Map.of("version", v), ModelFlavor.json()).uri());
                }
            }
            other.transition(name, 1, Stage.PRODUCTION);
            ModelRegistry registry = ModelRegistry.of(serving);
            BlockingQueue<Long> swaps = new LinkedBlockingQueue<>();
            Poller poller = new Poller(registry, name);
            try (DeployedModel<Map> handle = registry.deploy(name, Stage.PRODUCTION, Map.class,
                    DeployOptions.defaults().pollInterval(Duration.ofHours(1)))) {
                handle.addListener(new DeploymentListener() {
                    @Override
                    public void swapped(ModelVersion previous, ModelVersion current) {
                        swaps.add(System.nanoTime());
                    }
                });
                poller.start();
                double[] latency = new double[PROMOTIONS];
                double[] polled = new double[PROMOTIONS];
                Random phase = new Random(42);
                for (int i = -WARM_UP; i < PROMOTIONS; i++) {
                    // At a random point of the poller's period, as a promotion comes in real life: without it, each
                    // promotion would follow the poll that saw the previous one, and the baseline be a whole period.
                    Thread.sleep(phase.nextInt((int) POLL.toMillis()));
                    int target = handle.version().version() == 1 ? 2 : 1;
                    other.transition(name, target, Stage.PRODUCTION, TransitionOptions.archiveExisting());
                    long committed = System.nanoTime();
                    Long swapped = swaps.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                    long seen = poller.awaitVersion(target);
                    if (swapped == null) {
                        throw new IllegalStateException("no swap within " + WAIT_SECONDS + " s of promotion " + i);
                    }
                    if (i >= 0) {
                        // The notification can arrive before the promoting call has read its reply: at least
                        // 1 µs, never less, so that the ratio to the baseline stays finite.
                        latency[i] = Math.max(1_000, swapped - committed) / 1e6;
                        polled[i] = Math.max(1_000, seen - committed) / 1e6;
                    }
                }
                String conditions = PROMOTIONS + " promotions of one model by a second tracker (own pool), from the"
                        + " promoting call's return to the handle's swap; handle poll interval 1 h; baseline a client"
                        + " polling every " + POLL.toMillis() + " ms (the default); "
                        + Runtime.getRuntime().availableProcessors() + " cores";
                out.accept(new Figure("pgdeploy_commit_to_swap_median", percentile(latency, 50), "ms", 100, false,
                        percentile(polled, 50), conditions));
                out.accept(new Figure("pgdeploy_commit_to_swap_p99", percentile(latency, 99), "ms", 100, false,
                        percentile(polled, 99), conditions));
            } finally {
                poller.stop();
                other.deleteModel(name);
            }
        }
    }

    private static Tracker open(String uri) {
        return Tracker.builder().uri(uri).shutdownHook(false).build();
    }

    /** The nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The baseline: reads the stage every {@link #POLL}, noting when it first sees each version. */
    private static final class Poller {
        private final ModelRegistry registry;
        private final String name;
        private final AtomicBoolean running = new AtomicBoolean(true);
        // Guarded by this.
        private int version;
        private long changedAt;
        private final Thread thread;

        Poller(ModelRegistry registry, String name) {
            this.registry = registry;
            this.name = name;
            this.thread = new Thread(this::poll, "pgdeploy-poller");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void poll() {
            while (running.get()) {
                int now = registry.latest(name, Stage.PRODUCTION).map(ModelVersion::version).orElse(0);
                long at = System.nanoTime();
                synchronized (this) {
                    if (version != now) {
                        version = now;
                        changedAt = at;
                        notifyAll();
                    }
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Waits until the poller has seen {@code target}; when it did. */
        synchronized long awaitVersion(int target) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (version != target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException("the poller did not see version " + target);
                }
                wait(left);
            }
            return changedAt;
        }

        void stop() {
            running.set(false);
            thread.interrupt();
        }
    }
}
