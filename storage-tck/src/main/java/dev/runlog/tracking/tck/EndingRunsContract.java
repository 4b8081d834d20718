package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitData.START;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rule 9b: how runs end. A failure is recorded FAILED with its cause, only through
 * {@code tracker.run}, {@code RunBuilder.run} or {@code fail(e)}: {@code close()} cannot see an
 * exception. Any active run can be ended by id.
 */
public interface EndingRunsContract {

    private void assertFailedWith(StoreHarness kit, String runId, Instant endTime, String exception, String message) {
        Run stored = kit.tracker().getRun(runId);
        assertEquals(RunStatus.FAILED, stored.info().status());
        assertEquals(Optional.of(endTime), stored.info().endTime());
        assertEquals(exception, stored.data().tags().get(ActiveRun.FAILURE_EXCEPTION_TAG));
        assertEquals(message, stored.data().tags().get(ActiveRun.FAILURE_MESSAGE_TAG));
    }

    @Test
    @DisplayName("an end before the start (a clock that stepped back) is recorded as the start; such a run exports and imports")
    default void anEndBeforeTheStartIsRecordedAsTheStart(Tracker tracker, MutableClock clock, StoreHarness kit) {
        ActiveRun ended = tracker.startRun("iris");
        ActiveRun byId = tracker.startRun("iris");
        clock.set(START.minus(Duration.ofMinutes(5)));
        ended.end(RunStatus.FINISHED);
        tracker.endRun(byId.id(), RunStatus.KILLED);
        for (String id : List.of(ended.id(), byId.id())) {
            Run run = tracker.getRun(id);
            assertEquals(START, run.info().startTime());
            assertEquals(Optional.of(START), run.info().endTime(), "the end of " + id);
        }
        java.nio.file.Path archive = kit.newDirectory("archive").resolve("run.tar.gz");
        tracker.exportRun(ended.id(), archive);
        assertEquals(Optional.of(START), tracker.importRun(archive).info().endTime());
    }

    @Test
    @DisplayName("a tracker.run body that throws ends FAILED with the exception's class and message as tags")
    default void trackerRunRecordsTheFailure(Tracker tracker, MutableClock clock, StoreHarness kit) {
        AtomicReference<String> id = new AtomicReference<>();
        assertThrows(IllegalStateException.class, () -> tracker.run("iris", run -> {
            id.set(run.id());
            run.logMetric("loss", 0.5, 1);
            clock.advance(Duration.ofSeconds(2));
            throw new IllegalStateException("OOM");
        }));
        assertFailedWith(kit, id.get(), START.plusSeconds(2), "java.lang.IllegalStateException", "OOM");
        assertEquals(1, tracker.metricHistory(id.get(), "loss").size(), "points logged before the failure are stored");
    }

    @Test
    @DisplayName("RunBuilder.run does the same for a named child run, and returns the stored run when the body returns")
    default void runBuilderRun(Tracker tracker, StoreHarness kit) {
        Run parent = tracker.run("sweep", sweep -> {
            Run ok = tracker.newRun("sweep").parent(sweep).name("lr=0.1").run(child -> child.logParam("lr", 0.1));
            assertEquals(RunStatus.FINISHED, ok.info().status());
            assertEquals("lr=0.1", ok.info().name());
            assertEquals(sweep.id(), ok.data().tags().get("runlog.parentRunId"));
            AtomicReference<String> failed = new AtomicReference<>();
            assertThrows(java.io.IOException.class, () -> tracker.newRun("sweep").parent(sweep).name("lr=9").run(child -> {
                failed.set(child.id());
                throw new java.io.IOException(null, null);
            }));
            assertFailedWith(kit, failed.get(), START, "java.io.IOException", null);
        });
        assertEquals(RunStatus.FINISHED, parent.info().status(), "a failed child does not fail its parent");
    }

    @Test
    @DisplayName("fail(e) in try-with-resources flushes, records the cause, ends FAILED; close() keeps FAILED")
    default void failInTryWithResources(Tracker tracker, MutableClock clock, StoreHarness kit) {
        String id;
        try (ActiveRun run = tracker.startRun("iris")) {
            id = run.id();
            try {
                run.logMetric("loss", 0.5, 1);
                throw new ArithmeticException("loss diverged");
            } catch (ArithmeticException e) {
                clock.advance(Duration.ofSeconds(1));
                run.fail(e);
            }
            assertThrows(RunNotActiveException.class, () -> run.logMetric("loss", 0.1, 2));
            assertThrows(RunNotActiveException.class, () -> run.fail(new RuntimeException("again")));
            clock.advance(Duration.ofSeconds(5));
        }
        assertFailedWith(kit, id, START.plusSeconds(1), "java.lang.ArithmeticException", "loss diverged");
        assertEquals(1, tracker.metricHistory(id, "loss").size(), "fail flushes before it ends the run");
        assertThrows(InvalidInputException.class, () -> tracker.startRun("iris").fail(null));
    }

    @Test
    @DisplayName("an exception leaving try-with-resources without fail() ends FINISHED: close() cannot see it")
    default void closeCannotSeeTheException(Tracker tracker) {
        AtomicReference<String> id = new AtomicReference<>();
        assertThrows(IllegalStateException.class, () -> {
            try (ActiveRun run = tracker.startRun("iris")) {
                id.set(run.id());
                throw new IllegalStateException("OOM");
            }
        });
        Run stored = tracker.getRun(id.get());
        assertEquals(RunStatus.FINISHED, stored.info().status());
        assertFalse(stored.data().tags().containsKey(ActiveRun.FAILURE_EXCEPTION_TAG));
    }

    @Test
    @DisplayName("a message longer than the tag value limit is cut to the limit, not refused")
    default void longMessageIsCut(Tracker tracker) {
        String huge = "\ud83d\ude00".repeat(5_000); // 10,000 chars of surrogate pairs: a cut must not split one
        AtomicReference<String> id = new AtomicReference<>();
        assertThrows(IllegalArgumentException.class, () -> tracker.run("iris", run -> {
            id.set(run.id());
            throw new IllegalArgumentException(huge);
        }));
        String stored = tracker.getRun(id.get()).data().tags().get(ActiveRun.FAILURE_MESSAGE_TAG);
        assertTrue(stored.length() <= 8_000, "length " + stored.length());
        assertTrue(huge.startsWith(stored.substring(0, stored.indexOf("..."))), "the start of the message is kept");
        assertFalse(Character.isHighSurrogate(stored.charAt(stored.indexOf("...") - 1)), "no half surrogate pair");
    }

    @Test
    @DisplayName("endRun by id of this tracker's run flushes its points, ends it, and its handle takes no writes")
    default void endRunOfOwnHandle(Tracker tracker, MutableClock clock) {
        ActiveRun run = tracker.startRun("iris");
        for (int step = 0; step < 100; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        clock.advance(Duration.ofSeconds(3));
        tracker.endRun(run.id(), RunStatus.KILLED);
        Run stored = tracker.getRun(run.id());
        assertEquals(RunStatus.KILLED, stored.info().status());
        assertEquals(Optional.of(START.plusSeconds(3)), stored.info().endTime());
        assertEquals(100, tracker.metricHistory(run.id(), "loss").size());
        assertThrows(RunNotActiveException.class, () -> run.logParam("lr", 0.1));
        assertDoesNotThrow(run::close);
        assertEquals(RunStatus.KILLED, tracker.getRun(run.id()).info().status(), "close() after endRun changes nothing");
    }

    @Test
    @DisplayName("endRun refuses RUNNING, SCHEDULED and null (InvalidInputException), unknown ids (NotFoundException), ended or deleted runs (RunNotActiveException)")
    default void endRunRefusals(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertThrows(InvalidInputException.class, () -> tracker.endRun(run.id(), RunStatus.RUNNING));
        assertThrows(InvalidInputException.class, () -> tracker.endRun(run.id(), RunStatus.SCHEDULED));
        assertThrows(InvalidInputException.class, () -> tracker.endRun(run.id(), null));
        assertThrows(InvalidInputException.class, () -> tracker.endRun(null, RunStatus.FAILED));
        assertEquals(RunStatus.RUNNING, tracker.getRun(run.id()).info().status(), "a refused endRun changes nothing");
        assertThrows(NotFoundException.class, () -> tracker.endRun(UNKNOWN_RUN_ID, RunStatus.FAILED));

        tracker.endRun(run.id(), RunStatus.FINISHED);
        RunNotActiveException twice = assertThrows(RunNotActiveException.class, () -> tracker.endRun(run.id(), RunStatus.FAILED));
        assertEquals(run.id(), twice.runId());
        assertEquals(RunStatus.FINISHED, tracker.getRun(run.id()).info().status());

        ActiveRun deleted = tracker.startRun("iris");
        tracker.deleteRun(deleted.id());
        assertThrows(RunNotActiveException.class, () -> tracker.endRun(deleted.id(), RunStatus.KILLED));
    }

    @Test
    @DisplayName("killOrphanedRuns never ends a run of this live process")
    default void killOrphanedRunsSparesLiveRuns(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        assertEquals(List.of(), tracker.killOrphanedRuns());
        assertEquals(List.of(), kit.newTracker(builder -> { }).killOrphanedRuns());
        assertEquals(RunStatus.RUNNING, tracker.getRun(run.id()).info().status());
        run.logParam("still", "writable");
    }
}
