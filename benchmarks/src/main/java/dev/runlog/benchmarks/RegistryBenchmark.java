package dev.runlog.benchmarks;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Registry calls on a SQLite file, through the public API: {@code register} (which also reads the
 * logged model's descriptor to check it exists), of models registered for the first time and of
 * models registered before, and a transition to Production that archives the
 * previous holder. The reference is MLflow 2.12 on SQLite on this kind of machine: 3.3 ms to create
 * a version, 3.7 ms to transition one.
 */
final class RegistryBenchmark {
    private static final int MODELS = 200;
    private static final int WARMUP = 300;
    private static final int MEASURED = 2_000;

    private RegistryBenchmark() {
    }

    static void run(Path work, Consumer<Figure> out) {
        run("sqlite:" + work.resolve("registry.db"), "", 1, null, out);
    }

    /**
     * The registry figures on the store at {@code uri}, each name prefixed with {@code prefix}, the
     * means held to {@code targetMillis}, with {@code conditions} (null for none) on the means.
     */
    static void run(String uri, String prefix, double targetMillis, String conditions, Consumer<Figure> out) {
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < 2 * MODELS; i++) {
                try (ActiveRun run = tracker.startRun("registry")) {
                    run.logMetric("accuracy", 0.9 + i * 1e-4);
                    uris.add(run.logModel("model", Map.of("weights", List.of(i, i + 1, i + 2)), ModelFlavor.json()).uri());
                }
            }
            for (int i = 0; i < WARMUP; i++) {
                registry.register("warmup", uris.get(MODELS + i % MODELS));
            }
            // Models never registered before: nothing of theirs is known yet (register remembers
            // descriptors it checked, so the repeated registrations below cost less).
            double[] first = new double[MODELS];
            for (int i = 0; i < MODELS; i++) {
                long t0 = System.nanoTime();
                registry.register("first", uris.get(i));
                first[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] register = new double[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                long t0 = System.nanoTime();
                registry.register("bench", uris.get(i % MODELS));
                register[i] = (System.nanoTime() - t0) / 1e6;
            }
            for (int i = 0; i < WARMUP; i++) {
                registry.transition("warmup", 1 + i % 50, Stage.PRODUCTION, TransitionOptions.archiveExisting());
            }
            double[] transition = new double[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                long t0 = System.nanoTime();
                registry.transition("bench", 1 + i, Stage.PRODUCTION, TransitionOptions.archiveExisting());
                transition[i] = (System.nanoTime() - t0) / 1e6;
            }
            if (registry.latest("bench", Stage.PRODUCTION).orElseThrow().version() != MEASURED) {
                throw new IllegalStateException("the last transition did not land");
            }
            String also = conditions == null ? "" : ", " + conditions;
            out.accept(new Figure(prefix + "registry_create_version_first_of_each_model_mean", mean(first), "ms",
                    targetMillis, false, null, "each of " + MODELS + " logged models registered for the first time" + also));
            out.accept(new Figure(prefix + "registry_create_version_mean", mean(register), "ms", targetMillis, false, null,
                    MEASURED + " registrations of " + MODELS + " logged models, each registered before" + also));
            out.accept(new Figure(prefix + "registry_create_version_p99", percentile(register, 0.99), "ms", 5, false, null));
            out.accept(new Figure(prefix + "registry_transition_archive_existing_mean", mean(transition), "ms",
                    targetMillis, false, null, conditions));
            out.accept(new Figure(prefix + "registry_transition_archive_existing_p99", percentile(transition, 0.99), "ms",
                    5, false, null));
        }
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }
}
