package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor of a stage or an alias follows promotions: the window in progress is logged for the old
 * version, and the next ones are judged against the new version's training data and logged to a
 * run of its own. A monitor of a version number stays. On the memory store the registry is read at
 * each flush (and window), so the tests decide when the promotion is seen: predictions the monitor
 * took before are the old version's, those still in its buffer the new one's.
 */
class MonitorPromotionTest {
    @TempDir
    Path dir;
    private Tracker tracker;
    private ModelRegistry registry;

    @BeforeEach
    void open() {
        tracker = Tracker.builder().uri("memory:").shutdownHook(false).build();
        registry = ModelRegistry.of(tracker);
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    /** Registers a version of model {@code m} trained on x ~ N(mean, 1); returns its number. */
    private int register(double mean) throws IOException {
        List<String> lines = new ArrayList<>(List.of("x,label"));
        Random random = new Random((long) mean);
        for (int i = 0; i < 500; i++) {
            lines.add(String.format(Locale.ROOT, "%.4f,%d", mean + random.nextGaussian(), i % 2));
        }
        Path csv = Files.write(dir.resolve("train-" + mean + ".csv"), lines);
        try (ActiveRun run = tracker.startRun("training")) {
            run.logInput(Dataset.fromCsv(csv), "training");
            return registry.register("m", run.logModel("model", Map.of("w", mean)).uri()).version();
        }
    }

    /** Puts {@code v1} in Production and registers a challenger trained on x ~ N(3, 1); returns its number. */
    private int productionAndChallenger(int v1) throws IOException {
        registry.transition("m", v1, Stage.PRODUCTION);
        return register(3);
    }

    private static void serve(ModelMonitor monitor, int n, double mean, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            monitor.record(new double[] {mean + random.nextGaussian()}, 1);
        }
    }

    @Test
    void aPromotionClosesTheWindowForTheOldVersionAndTheNextAreJudgedAgainstTheNew() throws IOException {
        int v1 = register(0);
        int v2 = productionAndChallenger(v1);
        MonitorOptions options = MonitorOptions.defaults().window(100).target("label").pollInterval(Duration.ofHours(1));
        try (ModelMonitor production = ModelMonitor.forModel(tracker, "models:/m/Production", options);
             ModelMonitor pinned = ModelMonitor.forModel(tracker, "models:/m/" + v1, options)) {
            String v1Run = production.runId();
            serve(production, 100, 3, 1);   // traffic that v2 was trained on
            WindowReport first = production.flush().get(0);
            assertEquals(v1, first.version());
            assertTrue(first.datasetDrifted(), "against v1's data");

            serve(production, 40, 3, 2);
            assertEquals(List.of(), production.flush(), "40 predictions taken, the window not full");
            registry.transition("m", v2, Stage.PRODUCTION);
            List<WindowReport> atPromotion = production.flush();
            assertEquals(1, atPromotion.size(), "the window in progress closed at the promotion");
            assertEquals(v1, atPromotion.get(0).version());
            assertEquals(40, atPromotion.get(0).predictions());
            assertEquals(v2, production.version());
            assertEquals(RunStatus.FINISHED, tracker.getRun(v1Run).info().status(), "the old version's run ended");
            assertEquals(List.of(0L, 1L), tracker.metricHistory(v1Run, "predictions").stream().map(Metric::step).toList());

            serve(production, 100, 3, 3);
            WindowReport next = production.flush().get(0);
            assertEquals(v2, next.version());
            assertEquals(0, next.window(), "the new version's run counts its windows from 0");
            assertFalse(next.datasetDrifted(), "against v2's data: " + next.drift());
            String v2Run = production.runId();
            assertNotEquals(v1Run, v2Run);
            Run run = tracker.getRun(v2Run);
            assertEquals(Integer.toString(v2), run.data().tags().get("runlog.monitor.version"));
            assertEquals(100.0, tracker.metricHistory(v2Run, "predictions").get(0).value());

            serve(pinned, 100, 3, 4);
            assertEquals(v1, pinned.flush().get(0).version(), "a monitor of a version number never moves");
            assertEquals(v1, pinned.version());
        }
    }

    @Test
    void anAliasMovedBetweenWindowsIsFollowedAtTheNextWindow() throws IOException {
        int v1 = register(0);
        int v2 = register(3);
        registry.setAlias("m", "champion", v1);
        try (ModelMonitor monitor = ModelMonitor.forModel(tracker, "models:/m@champion",
                MonitorOptions.defaults().window(50).target("label").pollInterval(Duration.ofHours(1)))) {
            serve(monitor, 50, 0, 5);
            assertEquals(v1, monitor.flush().get(0).version());
            registry.setAlias("m", "champion", v2);
            serve(monitor, 50, 3, 6);
            List<WindowReport> reports = monitor.flush();
            assertEquals(List.of(v2), reports.stream().map(WindowReport::version).toList(), "no window in progress to close");
            assertFalse(reports.get(0).datasetDrifted());
        }
    }

    /** On a store that reports no registry change, the move was seen only when a window closed or at a flush. */
    @Test
    void aPromotionIsSeenWithinAPollEvenInTheMiddleOfALongWindow() throws Exception {
        tracker.close();
        tracker = Tracker.builder().uri("sqlite:" + dir.resolve("store.db")).shutdownHook(false).build();
        registry = ModelRegistry.of(tracker);
        int v1 = register(0);
        int v2 = productionAndChallenger(v1);
        try (ModelMonitor monitor = ModelMonitor.forModel(tracker, "models:/m/Production",
                MonitorOptions.defaults().window(1_000).target("label").pollInterval(Duration.ofMillis(20)))) {
            String v1Run = monitor.runId();
            serve(monitor, 10, 0, 7);
            assertEquals(List.of(), monitor.flush(), "the 10 predictions taken into v1's window, far from full");
            registry.transition("m", v2, Stage.PRODUCTION);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && monitor.version() != v2) {
                Thread.sleep(10);
            }
            assertEquals(v2, monitor.version(), "seen by the monitor's own polls, with no flush and the window not full");
            assertEquals(List.of(), monitor.flush(), "nothing left to judge: the move's window was judged by the poll");
            assertEquals(RunStatus.FINISHED, tracker.getRun(v1Run).info().status(), "the old version's run ended");
            assertEquals(List.of(10.0), tracker.metricHistory(v1Run, "predictions").stream().map(Metric::value).toList(),
                    "the window in progress was logged for the old version");
        }
    }

    /** v1's mistakes, labelled after the move, counted in v2's accuracy before (and could fail v2's gate). */
    @Test
    void labelsOfTheOldVersionsPredictionsArrivingAfterTheMoveAreNotScoredForTheNewOne() throws IOException {
        int v1 = register(0);
        int v2 = productionAndChallenger(v1);
        MonitorOptions options = MonitorOptions.defaults().window(1_000).target("label").pollInterval(Duration.ofHours(1));
        try (ModelMonitor production = ModelMonitor.forModel(tracker, "models:/m/Production", options)) {
            List<Long> v1Ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                v1Ids.add(production.record(new double[] {0.1 * i}, 1));
            }
            production.flush();
            registry.transition("m", v2, Stage.PRODUCTION);
            production.flush();
            assertEquals(v2, production.version());
            v1Ids.forEach(id -> production.label(id, 0));   // wrong, and v1's
            for (int i = 0; i < 10; i++) {
                production.label(production.record(new double[] {3 + 0.1 * i}, 1), 1);
            }
            WindowReport v2Window = production.closeWindow().orElseThrow();
            assertEquals(v2, v2Window.version());
            assertEquals(10, v2Window.labelled(), "v2's own labels only");
            assertEquals(1.0, v2Window.metric().getAsDouble());
            assertEquals(10, production.unmatchedLabels(), "v1's, which no window scores now");
        }
    }

    /**
     * A monitor of the stage moved with the registry, up to a deployment's poll before the
     * deployment swapped, and to a version the deployment failed to load: predictions the old
     * version served were credited to the new one. A monitor of the deployment moves with it.
     */
    @Test
    void aMonitorOfADeploymentCountsEachPredictionForTheVersionServingIt() throws IOException {
        int v1 = register(0);
        int v2 = productionAndChallenger(v1);
        int broken;
        try (ActiveRun run = tracker.startRun("training")) {
            broken = registry.register("m", run.logModel("model", List.of(1, 2)).uri()).version();   // no Map: fails to load
        }
        MonitorOptions options = MonitorOptions.defaults().window(1_000).target("label").pollInterval(Duration.ofHours(1));
        try (var served = registry.deploy("m", Stage.PRODUCTION, Map.class,
                     dev.runlog.registry.DeployOptions.defaults().pollInterval(Duration.ofHours(1)));
             ModelMonitor monitor = ModelMonitor.forDeployment(tracker, served, options)) {
            serve(monitor, 30, 0, 1);
            registry.transition("m", v2, Stage.PRODUCTION);
            serve(monitor, 20, 0, 2);
            assertEquals(List.of(), monitor.flush(), "the deployment serves v1 still");
            assertEquals(v1, monitor.version());

            assertTrue(served.refresh());
            serve(monitor, 25, 3, 3);
            List<WindowReport> atSwap = monitor.flush();
            assertEquals(1, atSwap.size());
            assertEquals(v1, atSwap.get(0).version());
            assertEquals(50, atSwap.get(0).predictions(), "every prediction v1 served, none of v2's");
            assertEquals(v2, monitor.version());

            registry.transition("m", broken, Stage.PRODUCTION);
            assertFalse(served.refresh(), "v" + broken + " does not load");
            serve(monitor, 5, 3, 4);
            WindowReport last = monitor.closeWindow().orElseThrow();
            assertEquals(v2, last.version(), "v2 serves on, and is monitored");
            assertEquals(30, last.predictions());
        }
    }
}
