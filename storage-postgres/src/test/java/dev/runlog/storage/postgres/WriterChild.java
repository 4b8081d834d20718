package dev.runlog.storage.postgres;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One of the JVMs of {@link PgManyWritersTest}, sharing one database: {@code WriterChild <store uri>
 * <child> <model>}. It prints {@code READY <child>}, then does what each line on stdin asks, all
 * children at once, printing a line per result:
 *
 * <pre>
 * metrics   2 threads each log metric t&lt;thread&gt; at steps 0..POINTS-1 in one run; flushed and
 *           ended: RUN &lt;child&gt; &lt;run id&gt;
 * register  registers VERSIONS versions of the model: VERSION &lt;child&gt; &lt;n&gt; each
 * promote   STEPS times moves a random version of the model (seeded by the child's number) to
 *           Production, archiving the others: STEP &lt;child&gt; &lt;version&gt;, then reads the
 *           stage back in one call and prints VIOLATION ... unless exactly one version holds it
 * exit      ends
 * </pre>
 *
 * Each step ends with {@code DONE <step>}; a failure goes to stderr with exit code 1.
 */
public final class WriterChild {
    static final int THREADS = 2;
    static final int POINTS = 100_000;
    static final int VERSIONS = 25;
    static final int STEPS = 25;

    private WriterChild() {
    }

    public static void main(String[] args) throws Exception {
        int child = Integer.parseInt(args[1]);
        String model = args[2];
        try (Tracker tracker = Tracker.builder().uri(args[0]).shutdownHook(false).build()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            String source;
            try (ActiveRun run = tracker.startRun("writers")) {
                source = run.logModel("model", Map.of("child", child), ModelFlavor.json()).uri();
            }
            System.out.println("READY " + child);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                switch (line) {
                    case "metrics" -> metrics(tracker, child);
                    case "register" -> {
                        for (int i = 0; i < VERSIONS; i++) {
                            System.out.println("VERSION " + child + " " + registry.register(model, source).version());
                        }
                    }
                    case "promote" -> promote(registry, child, model);
                    default -> throw new IllegalArgumentException("unknown step " + line);
                }
                System.out.println("DONE " + line);
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void metrics(Tracker tracker, int child) throws Exception {
        try (ActiveRun run = tracker.startRun("writers")) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String key = "t" + t;
                Thread thread = new Thread(() -> {
                    try {
                        for (int step = 0; step < POINTS; step++) {
                            run.logMetric(key, step, step);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a writer thread failed", failures.get(0));
            }
            run.flush();
            System.out.println("RUN " + child + " " + run.id());
        }
    }

    private static void promote(ModelRegistry registry, int child, String model) {
        Random random = new Random(child);
        int versions = registry.searchVersions("name = '" + model + "'").size();
        for (int step = 0; step < STEPS; step++) {
            int version = 1 + random.nextInt(versions);
            registry.transition(model, version, Stage.PRODUCTION, TransitionOptions.archiveExisting()
                    .comment("child " + child + " step " + step));
            System.out.println("STEP " + child + " " + version);
            // One call, one read transaction: one snapshot of every version's stage.
            List<Integer> holders = registry.searchVersions("name = '" + model + "' AND stage = 'Production'")
                    .stream().map(ModelVersion::version).toList();
            if (holders.size() != 1) {
                System.out.println("VIOLATION " + child + " after step " + step + ": in Production " + holders);
            }
        }
    }
}
