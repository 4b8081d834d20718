package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitData.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 3: {@code tracker.run(experiment, body)}. */
public interface RunBodiesContract {

    @Test
    @DisplayName("a body that returns ends the run FINISHED and the stored run is returned")
    default void bodyReturns(Tracker tracker, MutableClock clock) {
        AtomicReference<String> id = new AtomicReference<>();
        Run result = tracker.run("iris", run -> {
            id.set(run.id());
            run.logParam("lr", 0.1);
            run.logMetric("loss", 0.25, 1);
            clock.advance(Duration.ofSeconds(3));
        });
        assertEquals(id.get(), result.info().id());
        assertEquals(RunStatus.FINISHED, result.info().status());
        assertEquals(Optional.of(START.plusSeconds(3)), result.info().endTime());
        assertEquals("0.1", result.data().params().get("lr"));
        assertEquals(0.25, result.data().metrics().get("loss"));
        assertEquals(tracker.getRun(id.get()), result);
    }

    @Test
    @DisplayName("a body throwing a RuntimeException ends the run FAILED and the same exception is rethrown")
    default void bodyThrowsRuntimeException(Tracker tracker) {
        IllegalStateException failure = new IllegalStateException("loss diverged");
        AtomicReference<String> id = new AtomicReference<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tracker.run("iris", run -> {
            id.set(run.id());
            run.logMetric("loss", Double.NaN, 7);
            throw failure;
        }));
        assertSame(failure, thrown);
        Run stored = tracker.getRun(id.get());
        assertEquals(RunStatus.FAILED, stored.info().status());
        assertTrue(stored.info().endTime().isPresent(), "a FAILED run has an end time");
        assertEquals(1, tracker.metricHistory(id.get(), "loss").size(), "points logged before the failure are stored");
    }

    @Test
    @DisplayName("a body throwing a checked exception ends the run FAILED and the same exception is rethrown")
    default void bodyThrowsCheckedException(Tracker tracker) {
        IOException failure = new IOException("dataset missing");
        AtomicReference<String> id = new AtomicReference<>();
        IOException thrown = assertThrows(IOException.class, () -> tracker.run("iris", run -> {
            id.set(run.id());
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals(RunStatus.FAILED, tracker.getRun(id.get()).info().status());
    }

    @Test
    @DisplayName("a body throwing an Error ends the run FAILED and the same error is rethrown")
    default void bodyThrowsError(Tracker tracker) {
        StackOverflowError failure = new StackOverflowError("recursion");
        AtomicReference<String> id = new AtomicReference<>();
        StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> tracker.run("iris", run -> {
            id.set(run.id());
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals(RunStatus.FAILED, tracker.getRun(id.get()).info().status());
    }

    @Test
    @DisplayName("a body that ends the run itself keeps the status it chose")
    default void bodyEndsRun(Tracker tracker) {
        AtomicReference<String> id = new AtomicReference<>();
        Run result = tracker.run("iris", run -> {
            id.set(run.id());
            run.end(RunStatus.KILLED);
        });
        assertEquals(RunStatus.KILLED, result.info().status());
        assertEquals(RunStatus.KILLED, tracker.getRun(id.get()).info().status());
    }
}
