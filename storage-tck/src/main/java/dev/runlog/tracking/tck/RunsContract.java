package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitAssertions.userTags;
import static dev.runlog.tracking.tck.KitData.RUN_ID;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rule 2: what a run is, and how it ends. */
public interface RunsContract {

    @Test
    @DisplayName("run ids are 32 lowercase hex characters and unique")
    default void runIds(Tracker tracker) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            try (ActiveRun run = tracker.startRun(i % 2 == 0 ? "even" : "odd")) {
                assertTrue(RUN_ID.matcher(run.id()).matches(), () -> "malformed run id '" + run.id() + "'");
                assertEquals(run.id(), tracker.getRun(run.id()).info().id());
                ids.add(run.id());
            }
        }
        assertEquals(50, ids.size());
    }

    @Test
    @DisplayName("a run started without a name gets a generated one")
    default void generatedName(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertNotNull(run.name());
        assertFalse(run.name().isBlank(), "generated run name is blank");
        assertEquals(run.name(), tracker.getRun(run.id()).info().name());
    }

    @Test
    @DisplayName("the builder's name and tags are applied")
    default void builderNameAndTags(Tracker tracker) {
        Map<String, String> more = new LinkedHashMap<>();
        more.put("dataset", "iris-v2");
        more.put("owner", "ana");
        ActiveRun run = tracker.newRun("iris").name("baseline").tag("team", "vision").tags(more).start();
        assertEquals("baseline", run.name());
        Run stored = tracker.getRun(run.id());
        assertEquals("baseline", stored.info().name());
        assertEquals(Map.of("team", "vision", "dataset", "iris-v2", "owner", "ana"), userTags(stored));
    }

    @Test
    @DisplayName("run info: experiment, RUNNING, start time, no end time, ACTIVE, artifact URI; then FINISHED with end time")
    default void runInfo(Tracker tracker, MutableClock clock) {
        clock.advance(Duration.ofSeconds(1));
        Instant startedAt = clock.peek();
        ActiveRun run = tracker.startRun("iris");
        Experiment experiment = tracker.getExperimentByName("iris").orElseThrow();

        var info = tracker.getRun(run.id()).info();
        assertAll(
                () -> assertEquals(run.id(), info.id()),
                () -> assertEquals(experiment.id(), info.experimentId()),
                () -> assertEquals(experiment.id(), run.experimentId()),
                () -> assertEquals(RunStatus.RUNNING, info.status()),
                () -> assertEquals(startedAt, info.startTime()),
                () -> assertEquals(Optional.empty(), info.endTime()),
                () -> assertEquals(LifecycleStage.ACTIVE, info.lifecycleStage()),
                () -> assertFalse(info.artifactUri().isBlank(), "artifact URI is blank"));

        clock.advance(Duration.ofSeconds(42));
        Instant endedAt = clock.peek();
        run.close();
        var ended = tracker.getRun(run.id()).info();
        assertAll(
                () -> assertEquals(RunStatus.FINISHED, ended.status()),
                () -> assertEquals(startedAt, ended.startTime()),
                () -> assertEquals(Optional.of(endedAt), ended.endTime()),
                () -> assertEquals(LifecycleStage.ACTIVE, ended.lifecycleStage()),
                () -> assertEquals(info.artifactUri(), ended.artifactUri()));
    }

    @Test
    @DisplayName("close() ends a run FINISHED")
    default void closeFinishes(Tracker tracker) {
        String id;
        try (ActiveRun run = tracker.startRun("iris")) {
            id = run.id();
            run.logParam("lr", 0.1);
        }
        assertEquals(RunStatus.FINISHED, tracker.getRun(id).info().status());
    }

    @Test
    @DisplayName("end(FAILED) then close() keeps FAILED and the first end time")
    default void closeAfterEndKeepsStatus(Tracker tracker, MutableClock clock) {
        ActiveRun run = tracker.startRun("iris");
        clock.advance(Duration.ofSeconds(3));
        Instant endedAt = clock.peek();
        run.end(RunStatus.FAILED);
        clock.advance(Duration.ofSeconds(3));
        run.close();
        Run stored = tracker.getRun(run.id());
        assertEquals(RunStatus.FAILED, stored.info().status());
        assertEquals(Optional.of(endedAt), stored.info().endTime());
    }

    @Test
    @DisplayName("ending a run twice fails with RunNotActiveException")
    default void endTwice(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.end(RunStatus.KILLED);
        RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> run.end(RunStatus.FINISHED));
        assertEquals(run.id(), e.runId());
        assertMessageContains(e, run.id());
        assertEquals(RunStatus.KILLED, tracker.getRun(run.id()).info().status());
    }

    @ParameterizedTest(name = "end({0})")
    @EnumSource(value = RunStatus.class, names = {"RUNNING", "SCHEDULED"})
    @DisplayName("ending a run with an active status fails with InvalidInputException and changes nothing")
    default void endWithActiveStatus(RunStatus status, Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertThrows(InvalidInputException.class, () -> run.end(status));
        Run stored = tracker.getRun(run.id());
        assertEquals(RunStatus.RUNNING, stored.info().status());
        assertEquals(Optional.empty(), stored.info().endTime());
        run.logParam("still", "writable");
        assertEquals("writable", tracker.getRun(run.id()).data().params().get("still"));
    }

    @Test
    @DisplayName("getRun and metricHistory of an unknown run fail with NotFoundException")
    default void unknownRun(Tracker tracker) {
        tracker.startRun("iris");
        assertThrows(NotFoundException.class, () -> tracker.getRun(UNKNOWN_RUN_ID));
        assertThrows(NotFoundException.class, () -> tracker.metricHistory(UNKNOWN_RUN_ID, "loss"));
    }
}
