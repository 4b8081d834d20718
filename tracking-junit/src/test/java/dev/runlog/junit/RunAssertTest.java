package dev.runlog.junit;

import static dev.runlog.junit.RunlogAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/** Every check of {@link RunAssert}, holding and failing, with the message it fails with. */
class RunAssertTest {

    static final String ID = "3f2a9c1e5b7d4e0f8a6b2c3d4e5f6a7b";
    static final String RUN = "run 'vivid-wren-629' (" + ID + ")";

    /** A finished run that logged a little of everything. */
    static final Run TRAINED = run(RunStatus.FINISHED,
            Map.of("lr", "0.01", "epochs", "10"),
            Map.of("accuracy", new Metric("accuracy", 0.85, 10, 1_000), "loss", new Metric("loss", 0.3, 10, 1_000)),
            Map.of("team", "vision", "runlog.user", "ci", "runlog.source.name", "Train"),
            List.of(new DatasetInput(dataset("iris"), "training"), new DatasetInput(dataset("wine"), "validation")));

    /** A failed run that logged nothing. */
    static final Run EMPTY = run(RunStatus.FAILED, Map.of(), Map.of(), Map.of(), List.of());

    static Run run(RunStatus status, Map<String, String> params, Map<String, Metric> metrics, Map<String, String> tags,
                   List<DatasetInput> inputs) {
        Instant start = Instant.parse("2024-05-01T12:00:00Z");
        return new Run(new RunInfo(ID, "1", "vivid-wren-629", status, start, Optional.of(start.plusSeconds(60)),
                LifecycleStage.ACTIVE, "memory:/" + ID), new RunData(params, metrics, tags), inputs);
    }

    static Run withMetric(double value) {
        return run(RunStatus.FINISHED, Map.of(), Map.of("score", new Metric("score", value, 3, 1_000)), Map.of(), List.of());
    }

    static Dataset dataset(String name) {
        return new Dataset(name, "0".repeat(64), "file:/data/" + name + ".csv", List.of(),
                new Dataset.Profile(150, Map.of()));
    }

    static AssertionFailedError failure(Executable check) {
        return assertThrows(AssertionFailedError.class, check);
    }

    static void assertExpectedActual(AssertionFailedError e, Object expected, Object actual) {
        assertEquals(expected, e.getExpected().getValue(), "expected value");
        assertEquals(actual, e.getActual().getValue(), "actual value");
    }

    @Test
    void checksChainOnOneObject() {
        RunAssert checks = assertThat(TRAINED);
        assertSame(checks, checks.hasParam("lr").hasParam("lr", "0.01").hasTag("team", "vision").hasMetric("loss")
                .hasMetric("loss", 0.3, 0).hasMetricAtLeast("accuracy", 0.8).hasMetricAtMost("loss", 0.5)
                .hasStatus(RunStatus.FINISHED).hasInput("iris").hasInput("wine", "validation"));
    }

    @Test
    void aNullRunFails() {
        assertEquals("expected a run, but it was null", failure(() -> assertThat((Run) null)).getMessage());
    }

    @Test
    void hasParamComparesTheStoredStringForm() {
        assertThat(TRAINED).hasParam("lr", 0.01).hasParam("lr", "0.01").hasParam("epochs", 10);
    }

    @Test
    void hasParamFailsOnAnotherValueAndShowsTheParams() {
        AssertionFailedError e = failure(() -> assertThat(TRAINED).hasParam("lr", 0.1));
        assertEquals("expected " + RUN + " to have param lr = 0.1, but lr = 0.01; params were {epochs=10, lr=0.01}",
                e.getMessage());
        assertExpectedActual(e, "0.1", "0.01");
    }

    @Test
    void hasParamFailsOnAMissingParam() {
        AssertionFailedError e = failure(() -> assertThat(TRAINED).hasParam("l2", 1e-4));
        assertEquals("expected " + RUN + " to have param l2 = 1.0E-4, but it has no param l2;"
                + " params were {epochs=10, lr=0.01}", e.getMessage());
        assertFalse(e.isExpectedDefined(), "nothing to diff against");
    }

    @Test
    void hasParamWithoutValueFailsOnAMissingParam() {
        assertThat(TRAINED).hasParam("epochs");
        assertEquals("expected " + RUN + " to have param lr, but it has no param lr; params were {}",
                failure(() -> assertThat(EMPTY).hasParam("lr")).getMessage());
    }

    @Test
    void hasTagFailsOnAnotherValueAndCountsTheSystemTags() {
        AssertionFailedError e = failure(() -> assertThat(TRAINED).hasTag("team", "nlp"));
        assertEquals("expected " + RUN + " to have tag team = nlp, but team = vision;"
                + " tags were {team=vision} besides 2 runlog.* system tags", e.getMessage());
        assertExpectedActual(e, "nlp", "vision");
    }

    @Test
    void hasTagFailsOnAMissingTag() {
        assertEquals("expected " + RUN + " to have tag owner = ana, but it has no tag owner;"
                + " tags were {team=vision} besides 2 runlog.* system tags",
                failure(() -> assertThat(TRAINED).hasTag("owner", "ana")).getMessage());
        assertEquals("expected " + RUN + " to have tag owner = ana, but it has no tag owner; tags were {}",
                failure(() -> assertThat(EMPTY).hasTag("owner", "ana")).getMessage());
    }

    @Test
    void hasTagListsTheSystemTagsWhenOneWasAskedFor() {
        assertThat(TRAINED).hasTag("runlog.user", "ci");
        assertEquals("expected " + RUN + " to have tag runlog.user = root, but runlog.user = ci;"
                + " tags were {runlog.source.name=Train, runlog.user=ci, team=vision}",
                failure(() -> assertThat(TRAINED).hasTag("runlog.user", "root")).getMessage());
    }

    @Test
    void hasMetricFailsOnAMissingMetricAndShowsTheLatestValues() {
        assertEquals("expected " + RUN + " to have metric f1, but it has no metric f1;"
                + " metrics were {accuracy=0.85, loss=0.3}",
                failure(() -> assertThat(TRAINED).hasMetric("f1")).getMessage());
        assertEquals("expected " + RUN + " to have metric f1, but it has no metric f1; metrics were {}",
                failure(() -> assertThat(EMPTY).hasMetric("f1")).getMessage());
    }

    @Test
    void hasMetricWithinToleranceIncludesTheBoundary() {
        assertThat(withMetric(0.5)).hasMetric("score", 0.5, 0).hasMetric("score", 0.75, 0.25).hasMetric("score", 0.25, 0.25);
    }

    @Test
    void hasMetricWithinToleranceFailsOutsideIt() {
        AssertionFailedError e = failure(() -> assertThat(TRAINED).hasMetric("accuracy", 0.9, 0.01));
        assertEquals("expected " + RUN + " to have metric accuracy = 0.9 ± 0.01, but accuracy = 0.85 (latest, step 10);"
                + " metrics were {accuracy=0.85, loss=0.3}", e.getMessage());
        assertExpectedActual(e, 0.9, 0.85);
    }

    @Test
    void hasMetricWithinToleranceFailsOnAMissingMetric() {
        assertEquals("expected " + RUN + " to have metric f1 = 0.9 ± 0.01, but it has no metric f1;"
                + " metrics were {accuracy=0.85, loss=0.3}",
                failure(() -> assertThat(TRAINED).hasMetric("f1", 0.9, 0.01)).getMessage());
    }

    @Test
    void hasMetricWithinToleranceMatchesNanAndInfinityExactly() {
        assertThat(withMetric(Double.NaN)).hasMetric("score", Double.NaN, 0);
        assertThat(withMetric(Double.POSITIVE_INFINITY)).hasMetric("score", Double.POSITIVE_INFINITY, 0);
        failure(() -> assertThat(withMetric(Double.NaN)).hasMetric("score", 0.5, 1e9));
        failure(() -> assertThat(withMetric(0.5)).hasMetric("score", Double.NaN, 1e9));
        failure(() -> assertThat(withMetric(Double.POSITIVE_INFINITY)).hasMetric("score", Double.NEGATIVE_INFINITY, 1e9));
    }

    @Test
    void hasMetricRefusesANegativeOrNanTolerance() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> assertThat(TRAINED).hasMetric("loss", 0.3, -0.1));
        assertEquals("tolerance must be a finite number, zero or more, got -0.1", e.getMessage());
        assertThrows(InvalidInputException.class, () -> assertThat(TRAINED).hasMetric("loss", 0.3, Double.NaN));
        // Infinite, it would pass 0.7 against an expected infinity, and any infinity against 5.
        assertEquals("tolerance must be a finite number, zero or more, got Infinity", assertThrows(InvalidInputException.class,
                () -> assertThat(TRAINED).hasMetric("loss", Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).getMessage());
        failure(() -> assertThat(withMetric(Double.POSITIVE_INFINITY)).hasMetric("score", 5, Double.MAX_VALUE));
    }

    @Test
    void hasMetricAtLeastIncludesTheBoundaryAndFailsBelowIt() {
        assertThat(TRAINED).hasMetricAtLeast("accuracy", 0.85);
        assertEquals("expected " + RUN + " to have metric accuracy >= 0.9, but accuracy = 0.85 (latest, step 10);"
                + " metrics were {accuracy=0.85, loss=0.3}",
                failure(() -> assertThat(TRAINED).hasMetricAtLeast("accuracy", 0.9)).getMessage());
        failure(() -> assertThat(withMetric(Double.NaN)).hasMetricAtLeast("score", Double.NEGATIVE_INFINITY));
    }

    @Test
    void hasMetricAtMostIncludesTheBoundaryAndFailsAboveIt() {
        assertThat(TRAINED).hasMetricAtMost("loss", 0.3);
        assertEquals("expected " + RUN + " to have metric loss <= 0.25, but loss = 0.3 (latest, step 10);"
                + " metrics were {accuracy=0.85, loss=0.3}",
                failure(() -> assertThat(TRAINED).hasMetricAtMost("loss", 0.25)).getMessage());
        assertEquals("expected " + RUN + " to have metric loss <= 0.25, but it has no metric loss; metrics were {}",
                failure(() -> assertThat(EMPTY).hasMetricAtMost("loss", 0.25)).getMessage());
        failure(() -> assertThat(withMetric(Double.NaN)).hasMetricAtMost("score", Double.POSITIVE_INFINITY));
    }

    @Test
    void hasStatusFailsOnAnotherStatus() {
        assertThat(EMPTY).hasStatus(RunStatus.FAILED);
        AssertionFailedError e = failure(() -> assertThat(EMPTY).hasStatus(RunStatus.FINISHED));
        assertEquals("expected " + RUN + " to have status FINISHED, but it has status FAILED", e.getMessage());
        assertExpectedActual(e, RunStatus.FINISHED, RunStatus.FAILED);
    }

    @Test
    void hasInputFailsOnAnotherDatasetAndShowsTheInputs() {
        assertEquals("expected " + RUN + " to have input dataset digits, but its inputs were"
                + " [iris (training), wine (validation)]",
                failure(() -> assertThat(TRAINED).hasInput("digits")).getMessage());
        assertEquals("expected " + RUN + " to have input dataset iris, but it has no inputs",
                failure(() -> assertThat(EMPTY).hasInput("iris")).getMessage());
    }

    @Test
    void hasInputWithAContextFailsOnAnotherRole() {
        assertThat(TRAINED).hasInput("iris", "training");
        assertEquals("expected " + RUN + " to have input dataset iris (validation), but its inputs were"
                + " [iris (training), wine (validation)]",
                failure(() -> assertThat(TRAINED).hasInput("iris", "validation")).getMessage());
    }

    /** The checks on a metric's whole history, against a real tracker. */
    @Nested
    @ExtendWith(RunlogExtension.class)
    class History {

        Run logged(Tracker tracker, String key, double... values) {
            String runId;
            try (ActiveRun run = tracker.newRun("iris").name("vivid-wren-629").start()) {
                run.logParam("lr", 0.1);
                for (int step = 0; step < values.length; step++) {
                    run.logMetric(key, values[step], step);
                }
                runId = run.id();
            }
            return tracker.getRun(runId);
        }

        String label(Run run) {
            return "run 'vivid-wren-629' (" + run.info().id() + ")";
        }

        @Test
        void hasMetricHistorySizeCountsThePointsTheTrackerHolds(Tracker tracker) {
            Run run = logged(tracker, "loss", 0.9, 0.5, 0.3);
            assertThat(run).hasMetricHistorySize(tracker, "loss", 3).hasMetricHistorySize(tracker, "accuracy", 0);

            AssertionFailedError e = failure(() -> assertThat(run).hasMetricHistorySize(tracker, "loss", 5));
            assertEquals("expected " + label(run) + " to have 5 points of metric loss, but it has 3:"
                    + " [0.9 (step 0), 0.5 (step 1), 0.3 (step 2)]", e.getMessage());
            assertExpectedActual(e, 5, 3);
            assertEquals("expected " + label(run) + " to have 1 point of metric accuracy, but it has none;"
                    + " metrics were {loss=0.3}",
                    failure(() -> assertThat(run).hasMetricHistorySize(tracker, "accuracy", 1)).getMessage());
        }

        @Test
        void historyChecksRefuseANegativeCountAndFailOnATrackerWithoutTheRun(Tracker tracker) {
            Run run = logged(tracker, "loss", 0.9, 0.5);
            assertEquals("points must be zero or more, got -1", assertThrows(InvalidInputException.class,
                    () -> assertThat(run).hasMetricHistorySize(tracker, "loss", -1)).getMessage());
            try (Tracker other = Tracker.inMemory()) {
                AssertionFailedError e = failure(() -> assertThat(run).hasMetricDecreasing(other, "loss"));
                assertTrue(e.getMessage().startsWith("expected the tracker given to hold " + label(run)
                        + ", but its store has no such run: pass the tracker the run was logged with ("), e.getMessage());
                failure(() -> assertThat(run).hasMetricHistorySize(other, "loss", 2));
            }
        }

        @Test
        void aLongHistoryShowsItsHeadAndTail(Tracker tracker) {
            double[] values = new double[25];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            Run run = logged(tracker, "loss", values);

            assertEquals("expected " + label(run) + " to have 1 point of metric loss, but it has 25: [0.0 (step 0),"
                    + " 1.0 (step 1), 2.0 (step 2), 3.0 (step 3), 4.0 (step 4), 5.0 (step 5), 6.0 (step 6), 7.0 (step 7),"
                    + " 8.0 (step 8), 9.0 (step 9), ... 5 more ..., 15.0 (step 15), 16.0 (step 16), 17.0 (step 17),"
                    + " 18.0 (step 18), 19.0 (step 19), 20.0 (step 20), 21.0 (step 21), 22.0 (step 22), 23.0 (step 23),"
                    + " 24.0 (step 24)]",
                    failure(() -> assertThat(run).hasMetricHistorySize(tracker, "loss", 1)).getMessage());
        }

        @Test
        void hasMetricDecreasingHoldsForAFallingSeries(Tracker tracker) {
            assertThat(logged(tracker, "loss", 0.9, 0.5, 0.3, -1)).hasMetricDecreasing(tracker, "loss");
        }

        @Test
        void hasMetricDecreasingFailsWhereTheSeriesRises(Tracker tracker) {
            Run run = logged(tracker, "loss", 0.9, 0.5, 0.6, 0.2);
            assertEquals("expected metric loss of " + label(run) + " to decrease from each point to the next,"
                    + " but it rose from 0.5 (step 1) to 0.6 (step 2);"
                    + " points were [0.9 (step 0), 0.5 (step 1), 0.6 (step 2), 0.2 (step 3)]",
                    failure(() -> assertThat(run).hasMetricDecreasing(tracker, "loss")).getMessage());
        }

        @Test
        void hasMetricDecreasingFailsWhereTheSeriesStaysFlat(Tracker tracker) {
            Run run = logged(tracker, "loss", 0.9, 0.9);
            assertEquals("expected metric loss of " + label(run) + " to decrease from each point to the next,"
                    + " but it stayed at 0.9 from step 0 to step 1; points were [0.9 (step 0), 0.9 (step 1)]",
                    failure(() -> assertThat(run).hasMetricDecreasing(tracker, "loss")).getMessage());
        }

        @Test
        void hasMetricDecreasingFailsOnNan(Tracker tracker) {
            Run nanFirst = logged(tracker, "loss", Double.NaN, 0.5);
            assertEquals("expected metric loss of " + label(nanFirst) + " to decrease from each point to the next,"
                    + " but it went from NaN (step 0) to 0.5 (step 1); points were [NaN (step 0), 0.5 (step 1)]",
                    failure(() -> assertThat(nanFirst).hasMetricDecreasing(tracker, "loss")).getMessage());
            Run nanLast = logged(tracker, "loss", 0.5, Double.NaN);
            failure(() -> assertThat(nanLast).hasMetricDecreasing(tracker, "loss"));
        }

        @Test
        void pointsOfOneStepAndMillisecondFailTheOrderChecksSayingWhy(Tracker tracker) {
            // Logged 3, 2, 1 without steps in one millisecond: kept in value order, they passed as increasing.
            Instant at = Instant.parse("2026-03-02T09:00:00Z");
            String id = tracker.recordRuns("ties", List.of(new dev.runlog.tracking.RunRecord("ties", RunStatus.FINISHED, at, at,
                    Map.of(), Map.of(), List.of(new Metric("loss", 3, 0, at.toEpochMilli()),
                            new Metric("loss", 2, 0, at.toEpochMilli()), new Metric("loss", 1, 0, at.toEpochMilli()))))).get(0);
            Run run = tracker.getRun(id);
            String message = failure(() -> assertThat(run).hasMetricIncreasing(tracker, "loss")).getMessage();
            assertTrue(message.contains("share step 0 and timestamp") && message.contains("log them with a step each"), message);
            failure(() -> assertThat(run).hasMetricDecreasing(tracker, "loss"));
        }

        @Test
        void hasMetricDecreasingNeedsTwoPoints(Tracker tracker) {
            Run run = logged(tracker, "loss", 0.9);
            assertEquals("expected metric loss of " + label(run) + " to decrease from each point to the next,"
                    + " but it has only one point: [0.9 (step 0)]",
                    failure(() -> assertThat(run).hasMetricDecreasing(tracker, "loss")).getMessage());
            assertEquals("expected metric val_loss of " + label(run) + " to decrease from each point to the next,"
                    + " but it has no points; metrics were {loss=0.9}",
                    failure(() -> assertThat(run).hasMetricDecreasing(tracker, "val_loss")).getMessage());
        }

        @Test
        void hasMetricIncreasingHoldsForARisingSeriesAndFailsWhereItFalls(Tracker tracker) {
            Run rising = logged(tracker, "accuracy", 0.5, 0.7, 0.9);
            assertThat(rising).hasMetricIncreasing(tracker, "accuracy");

            Run falling = logged(tracker, "accuracy", 0.5, 0.7, 0.6);
            assertEquals("expected metric accuracy of " + label(falling) + " to increase from each point to the next,"
                    + " but it fell from 0.7 (step 1) to 0.6 (step 2);"
                    + " points were [0.5 (step 0), 0.7 (step 1), 0.6 (step 2)]",
                    failure(() -> assertThat(falling).hasMetricIncreasing(tracker, "accuracy")).getMessage());
            failure(() -> assertThat(rising).hasMetricDecreasing(tracker, "accuracy"));
        }

        @Test
        void snapshotChecksWorkOnARunReadBackFromTheTracker(Tracker tracker) {
            Run run = logged(tracker, "loss", 0.9, 0.4);
            assertThat(run).hasStatus(RunStatus.FINISHED).hasParam("lr", 0.1).hasMetric("loss", 0.4, 1e-12)
                    .hasTag("runlog.user", System.getProperty("user.name"));
        }
    }
}
