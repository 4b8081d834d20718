package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HyperparameterSweep} on a SQLite store: the children are real runs, and the search finds the best. */
class HyperparameterSweepTest {
    @TempDir
    Path dir;
    private Tracker tracker;

    @BeforeEach
    void openStore() {
        tracker = Tracker.open("sqlite:" + dir.resolve("runlog.db"));
    }

    @AfterEach
    void closeStore() {
        tracker.close();
    }

    @Test
    void everyGridPointIsAChildRunOfTheSweep() {
        HyperparameterSweep.Result result = HyperparameterSweep.run(tracker, discard());

        assertTrue(result.trials().size() >= 20, "child runs: " + result.trials().size());
        for (HyperparameterSweep.Trial trial : result.trials()) {
            Run child = tracker.getRun(trial.runId());
            assertEquals(result.parentRunId(), child.data().tags().get("runlog.parentRunId"));
            assertEquals(String.valueOf(trial.learningRate()), child.data().params().get("learning_rate"));
            assertEquals(String.valueOf(trial.l2()), child.data().params().get("l2"));
            assertEquals(trial.trainAccuracy(), child.data().metrics().get("train_accuracy"));
            assertEquals(trial.valAccuracy(), child.data().metrics().get("val_accuracy"));
        }
        long distinctSettings = result.trials().stream().map(t -> t.learningRate() + "/" + t.l2()).distinct().count();
        assertEquals(result.trials().size(), distinctSettings);
    }

    @Test
    void theBestFoundBySearchIsTheBestComputedFromEveryChild() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        HyperparameterSweep.Result result = HyperparameterSweep.run(tracker,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        // Independently of the search: read every child back and rank them by the same rule.
        Run expected = result.trials().stream()
                .map(trial -> tracker.getRun(trial.runId()))
                .max(Comparator.<Run>comparingDouble(run -> run.data().metrics().get("val_accuracy"))
                        .thenComparing(run -> -run.data().metrics().get("val_loss")))
                .orElseThrow();
        assertEquals(expected.info().id(), result.best().runId());

        // The parent records the winner's settings.
        Run parent = tracker.getRun(result.parentRunId());
        assertEquals(expected.data().params().get("learning_rate"), parent.data().params().get("learning_rate"));
        assertEquals(expected.data().params().get("l2"), parent.data().params().get("l2"));
        assertEquals(expected.info().id(), parent.data().tags().get("best_run_id"));

        // The table marks exactly that row.
        List<String> marked = printed.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.endsWith("<- best")).toList();
        assertEquals(1, marked.size(), printed.toString(StandardCharsets.UTF_8));
        String[] cells = marked.get(0).trim().split("\\s+");
        assertEquals(String.valueOf(result.best().learningRate()), cells[0], marked.get(0));
        assertEquals(String.valueOf(result.best().l2()), cells[1], marked.get(0));
    }

    @Test
    void theSearchOnlyConsidersThisSweepsChildren() {
        // A child of another sweep in the same experiment, better than anything this sweep can reach.
        String decoyId;
        try (ActiveRun otherSweep = tracker.startRun(HyperparameterSweep.EXPERIMENT);
             ActiveRun decoy = otherSweep.startChildRun("decoy")) {
            decoy.logMetric("val_accuracy", 1.0).logMetric("val_loss", 0.0);
            decoyId = decoy.id();
        }

        HyperparameterSweep.Result result = HyperparameterSweep.run(tracker, discard());

        Set<String> children = result.trials().stream().map(HyperparameterSweep.Trial::runId)
                .collect(Collectors.toSet());
        assertNotEquals(decoyId, result.best().runId());
        assertTrue(children.contains(result.best().runId()), result.best().toString());
    }

    private static PrintStream discard() {
        return new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
}
