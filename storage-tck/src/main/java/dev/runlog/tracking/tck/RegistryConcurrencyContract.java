package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.RegistryKitData.actions;
import static dev.runlog.tracking.tck.RegistryKitData.describe;
import static dev.runlog.tracking.tck.RegistryKitData.inStage;
import static dev.runlog.tracking.tck.RegistryKitData.linear;
import static dev.runlog.tracking.tck.RegistryKitData.logModel;
import static dev.runlog.tracking.tck.RegistryKitData.refs;
import static dev.runlog.tracking.tck.RegistryKitData.registerNew;
import static dev.runlog.tracking.tck.RegistryKitData.registerWith;
import static dev.runlog.tracking.tck.RegistryKitData.replayStages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Concurrency: numbering, stage exclusivity and promotion under threads of one process. */
public interface RegistryConcurrencyContract {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("8 threads × 25 registrations of one model get exactly versions 1..200, each once")
    default void concurrentRegistrations(ModelRegistry registry, StoreHarness kit) throws InterruptedException {
        // Two sources alternate, so the store cannot get away with numbering per source.
        String[] sources = {logModel(kit, linear(1)), logModel(kit, linear(2))};
        final int threadCount = 8;
        final int perThread = 25;
        List<Integer> numbers = new CopyOnWriteArrayList<>();
        new Race().workers("kit-register", threadCount, thread -> {
            for (int i = 0; i < perThread; i++) {
                numbers.add(registry.register("m", sources[(thread + i) % 2]).version());
            }
        }).run(Duration.ofSeconds(60));

        List<Integer> sorted = new ArrayList<>(numbers);
        Collections.sort(sorted);
        assertEquals(IntStream.rangeClosed(1, threadCount * perThread).boxed().toList(), sorted,
                "every number from 1 to 200 exactly once");
        List<ModelVersion> stored = registry.searchVersions("name = 'm'");
        assertEquals(threadCount * perThread, stored.size());
        assertEquals(threadCount * perThread, new java.util.HashSet<>(refs(stored)).size());
        List<ModelEvent> trail = registry.history("m");
        assertEquals(1, trail.stream().filter(e -> e.action() == Action.MODEL_CREATED).count(),
                "the model was created once, by whichever thread came first");
        assertEquals(threadCount * perThread,
                trail.stream().filter(e -> e.action() == Action.VERSION_REGISTERED).map(ModelEvent::version).distinct().count());
        assertEquals(threadCount * perThread + 1, registerNew(kit, "m", 0).version());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("8 threads creating one model at once: exactly one succeeds, the others get ConflictException")
    default void concurrentCreates(ModelRegistry registry) throws InterruptedException {
        final int threadCount = 8;
        Race.Creations race = Race.creating("kit-create", threadCount, Duration.ofSeconds(60),
                () -> registry.createModel("m"));
        assertEquals(1, race.created());
        assertEquals(threadCount - 1, race.conflicts());
        assertEquals(List.of(Action.MODEL_CREATED), actions(registry.history("m")));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("8 threads moving versions to Production with archiveExisting never leave two there")
    default void concurrentTransitions(ModelRegistry registry, StoreHarness kit) throws InterruptedException {
        final int threadCount = 8;
        for (int i = 1; i <= threadCount; i++) {
            registerNew(kit, "m", i);
        }
        final int rounds = 10;
        List<String> violations = new CopyOnWriteArrayList<>();
        Race race = new Race().workers("kit-transition", threadCount, thread -> {
            int version = thread + 1;
            for (int round = 0; round < rounds; round++) {
                registry.transition("m", version, Stage.PRODUCTION,
                        TransitionOptions.archiveExisting().user("t" + version));
                // After any transition to Production, exactly one version holds it.
                List<ModelVersion> holders = registry.searchVersions("name = 'm' AND stage = 'Production'");
                if (holders.size() != 1) {
                    violations.add("after a transition of v" + version + ": " + refs(holders));
                }
                if (registry.latest("m", Stage.PRODUCTION).isEmpty()) {
                    violations.add("latest(Production) empty after a transition of v" + version);
                }
            }
        });
        // A reader checks all the time, across models, while the writers run.
        race.watcher("kit-transition-reader", ignored -> {
            while (race.working()) {
                List<ModelVersion> holders = registry.searchVersions("stage = 'Production'");
                if (holders.size() > 1) {
                    violations.add("reader saw " + refs(holders));
                }
            }
        }).run(Duration.ofSeconds(60));
        assertEquals(List.of(), violations);

        List<Integer> holders = inStage(kit, "m", Stage.PRODUCTION);
        assertEquals(1, holders.size(), () -> "exactly one version in Production at the end: " + holders);
        int holder = holders.get(0);
        assertEquals(holder, registry.latest("m", Stage.PRODUCTION).orElseThrow().version());
        for (int v = 1; v <= threadCount; v++) {
            assertEquals(v == holder ? Stage.PRODUCTION : Stage.ARCHIVED, registry.getVersion("m", v).stage(), "v" + v);
        }
        List<ModelEvent> trail = registry.history("m");
        assertEquals(threadCount * rounds, trail.stream()
                .filter(e -> e.action() == Action.STAGE_CHANGED && "Production".equals(e.to())).count());
        Map<Integer, Stage> replayed = replayStages(trail);
        for (int v = 1; v <= threadCount; v++) {
            assertEquals(registry.getVersion("m", v).stage(), replayed.get(v), "the trail replays to v" + v + "'s stage");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("concurrent promotions gated by beatsCurrent end with the best promoted version in Production")
    default void concurrentPromotions(ModelRegistry registry, StoreHarness kit) throws InterruptedException {
        final int threadCount = 6;
        final int perThread = 4;
        final int count = threadCount * perThread;
        // Distinct accuracies in a shuffled order, so threads promote better and worse versions in turn.
        List<Double> accuracies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            accuracies.add(0.5 + i * 0.01);
        }
        Collections.shuffle(accuracies, new Random(42));
        Map<Integer, Double> accuracyOf = new HashMap<>();
        for (int i = 0; i < count; i++) {
            ModelVersion v = registerWith(kit, "m", Map.of("accuracy", accuracies.get(i)), Map.of());
            accuracyOf.put(v.version(), accuracies.get(i));
        }
        List<Integer> promoted = new CopyOnWriteArrayList<>();
        List<Integer> rejected = new CopyOnWriteArrayList<>();
        new Race().workers("kit-promote", threadCount, thread -> {
            for (int i = 0; i < perThread; i++) {
                int version = 1 + thread + i * threadCount;
                try {
                    registry.promote("m", version, Stage.PRODUCTION, Gates.beatsCurrent("accuracy"));
                    promoted.add(version);
                } catch (PromotionRejectedException e) {
                    // Rejected only because a better version held the stage.
                    assertEquals(1, e.failures().size(), e::getMessage);
                    assertTrue(e.failures().get(0).gate().startsWith("metrics.accuracy beats"), e::getMessage);
                    rejected.add(version);
                }
            }
        }).run(Duration.ofSeconds(60));

        assertEquals(count, promoted.size() + rejected.size());
        assertFalse(promoted.isEmpty());
        int best = promoted.stream().max(Comparator.comparing(accuracyOf::get)).orElseThrow();
        int globalBest = accuracyOf.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(List.of(best), inStage(kit, "m", Stage.PRODUCTION),
                () -> "the best of the promoted versions " + promoted + " holds Production");
        assertEquals(globalBest, best, "the best version overall cannot have been rejected by beatsCurrent");
        for (int v : promoted) {
            if (v != best) {
                assertEquals(Stage.ARCHIVED, registry.getVersion("m", v).stage(), "v" + v);
            }
        }
        for (int v : rejected) {
            assertEquals(Stage.NONE, registry.getVersion("m", v).stage(), "a rejected version did not move: v" + v);
        }
        // Each promotion beat the holder it replaced: along the trail, Production's accuracy only rises.
        List<ModelEvent> trail = registry.history("m");
        double last = Double.NEGATIVE_INFINITY;
        for (ModelEvent e : trail) {
            if (e.action() == Action.STAGE_CHANGED && "Production".equals(e.to())) {
                double accuracy = accuracyOf.get(e.version());
                assertTrue(accuracy > last, "v" + e.version() + " (" + accuracy + ") took Production from a holder with "
                        + last + ": " + describe(trail));
                last = accuracy;
            }
        }
        Map<Integer, Stage> replayed = replayStages(trail);
        assertEquals(Stage.PRODUCTION, replayed.get(best));
    }
}
