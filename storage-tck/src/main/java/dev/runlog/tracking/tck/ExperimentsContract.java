package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitData.START;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rule 1: experiments are created on first use, have unique names, and soft-delete. */
public interface ExperimentsContract {

    /** Creates an experiment named {@code name} and deletes it; returns it as it was created. */
    private static Experiment deletedExperiment(Tracker tracker, String name) {
        Experiment created = tracker.createExperiment(name);
        tracker.deleteExperiment(created.id());
        return created;
    }

    @Test
    @DisplayName("a fresh store holds no experiments")
    default void freshStoreIsEmpty(Tracker tracker) {
        assertEquals(List.of(), tracker.listExperiments(ViewType.ALL));
        assertEquals(Optional.empty(), tracker.getExperimentByName("iris"));
    }

    @Test
    @DisplayName("a search by experiment takes an id before a name: an experiment named like an id cannot hide it")
    default void searchTakesIdsBeforeNames(Tracker tracker) {
        String irisRun;
        try (ActiveRun run = tracker.startRun("iris")) {
            irisRun = run.id();
        }
        String irisId = tracker.getExperimentByName("iris").orElseThrow().id();
        String shadowRun;
        try (ActiveRun run = tracker.startRun(irisId)) {   // an experiment whose name is iris's id
            shadowRun = run.id();
        }
        String shadowId = tracker.getExperimentByName(irisId).orElseThrow().id();
        assertEquals(List.of(irisRun), ids(tracker.searchRuns().experiments(irisId).list()));
        assertEquals(List.of(shadowRun), ids(tracker.searchRuns().experiments(shadowId).list()));
        assertEquals(List.of(irisRun), ids(tracker.searchRuns().experiments("iris").list()));
    }

    @Test
    @DisplayName("startRun creates the experiment on first use")
    default void startRunCreatesExperiment(Tracker tracker) {
        try (ActiveRun run = tracker.startRun("iris")) {
            Experiment experiment = tracker.getExperimentByName("iris").orElseThrow(
                    () -> new AssertionError("startRun did not create experiment 'iris'"));
            assertEquals(run.experimentId(), experiment.id());
            assertEquals("iris", experiment.name());
            assertEquals(LifecycleStage.ACTIVE, experiment.lifecycleStage());
            assertEquals(experiment, tracker.getExperiment(experiment.id()));
            assertEquals(List.of(experiment), tracker.listExperiments());
            assertEquals(experiment.id(), tracker.getRun(run.id()).info().experimentId());
        }
    }

    @Test
    @DisplayName("a second startRun reuses the experiment")
    default void secondStartRunReusesExperiment(Tracker tracker) {
        ActiveRun first = tracker.startRun("iris");
        ActiveRun second = tracker.startRun("iris");
        assertEquals(first.experimentId(), second.experimentId());
        assertNotEquals(first.id(), second.id());
        assertEquals(List.of("iris"), tracker.listExperiments(ViewType.ALL).stream().map(Experiment::name).toList());
    }

    @Test
    @DisplayName("startRun uses an experiment made by createExperiment")
    default void startRunUsesCreatedExperiment(Tracker tracker) {
        // Left to right: the experiment is created first, then the run started in it.
        assertEquals(tracker.createExperiment("churn").id(), tracker.startRun("churn").experimentId());
        assertEquals(1, tracker.listExperiments(ViewType.ALL).size());
    }

    @Test
    @DisplayName("experiment names are compared exactly: case and Unicode form make different names")
    default void namesAreComparedExactly(Tracker tracker) {
        String nfc = "caf\u00e9";
        String nfd = "cafe\u0301";
        List<String> names = List.of("iris", "IRIS", "Iris", nfc, nfd);
        for (String name : names) {
            ActiveRun run = tracker.startRun(name);
            Experiment experiment = tracker.getExperimentByName(name).orElseThrow(() -> new AssertionError(name));
            assertEquals(name, experiment.name());
            assertEquals(experiment.id(), run.experimentId(), () -> "a run started in '" + name + "' went to another experiment");
        }
        assertEquals(names.size(), tracker.listExperiments(ViewType.ALL).size(), "one experiment per name");
    }

    @Test
    @DisplayName("createExperiment with a taken name fails with ConflictException")
    default void duplicateNameConflicts(Tracker tracker) {
        Experiment created = tracker.createExperiment("churn");
        assertThrows(ConflictException.class, () -> tracker.createExperiment("churn"));
        assertEquals(List.of(created), tracker.listExperiments(ViewType.ALL));
    }

    @Test
    @DisplayName("createExperiment with the name of a deleted experiment fails with ConflictException")
    default void deletedNameStaysTaken(Tracker tracker) {
        Experiment created = deletedExperiment(tracker, "churn");
        assertThrows(ConflictException.class, () -> tracker.createExperiment("churn"));
        assertEquals(List.of(created.id()), tracker.listExperiments(ViewType.ALL).stream().map(Experiment::id).toList());
    }

    @Test
    @DisplayName("getExperimentByName finds deleted experiments")
    default void getByNameFindsDeleted(Tracker tracker) {
        Experiment created = deletedExperiment(tracker, "churn");
        Experiment found = tracker.getExperimentByName("churn").orElseThrow(
                () -> new AssertionError("deleted experiment 'churn' not found by name"));
        assertEquals(created.id(), found.id());
        assertEquals(LifecycleStage.DELETED, found.lifecycleStage());
        assertEquals(LifecycleStage.DELETED, tracker.getExperiment(created.id()).lifecycleStage());
    }

    @Test
    @DisplayName("listExperiments shows active ones by default, DELETED_ONLY and ALL on request, oldest first")
    default void listViews(Tracker tracker, MutableClock clock) {
        Experiment a = tracker.createExperiment("a");
        clock.advance(Duration.ofSeconds(1));
        Experiment b = tracker.createExperiment("b");
        clock.advance(Duration.ofSeconds(1));
        Experiment c = tracker.createExperiment("c");
        tracker.deleteExperiment(b.id());

        Function<List<Experiment>, List<String>> ids = list -> list.stream().map(Experiment::id).toList();
        assertAll(
                () -> assertEquals(List.of(a.id(), c.id()), ids.apply(tracker.listExperiments())),
                () -> assertEquals(List.of(a.id(), c.id()), ids.apply(tracker.listExperiments(ViewType.ACTIVE_ONLY))),
                () -> assertEquals(List.of(b.id()), ids.apply(tracker.listExperiments(ViewType.DELETED_ONLY))),
                () -> assertEquals(List.of(a.id(), b.id(), c.id()), ids.apply(tracker.listExperiments(ViewType.ALL))));
    }

    @ParameterizedTest(name = "getExperiment(\"{0}\")")
    @ValueSource(strings = {"999999999", "no-such-experiment"})
    @DisplayName("getExperiment of an unknown id fails with NotFoundException")
    default void unknownExperiment(String id, Tracker tracker) {
        tracker.createExperiment("iris");
        assertThrows(NotFoundException.class, () -> tracker.getExperiment(id));
    }

    @Test
    @DisplayName("getExperiment of an id written another way (\"01\", \"+1\", \" 1\") fails with NotFoundException, in every store")
    default void anIdWrittenAnotherWayNamesNoExperiment(Tracker tracker) {
        String id = tracker.createExperiment("iris").id();
        for (String other : List.of("0" + id, "+" + id, " " + id, id + " ")) {
            assertThrows(NotFoundException.class, () -> tracker.getExperiment(other), other);
        }
        assertEquals("iris", tracker.getExperiment(id).name());
    }

    @Test
    @DisplayName("creation and update times come from the tracker's clock")
    default void timesFromClock(Tracker tracker, MutableClock clock) {
        Experiment created = tracker.createExperiment("churn");
        assertEquals(START, created.creationTime());
        assertEquals(START, created.lastUpdateTime());
        assertEquals(START, tracker.getExperiment(created.id()).creationTime());

        clock.advance(Duration.ofSeconds(5));
        Instant startedAt = clock.peek();
        ActiveRun run = tracker.startRun("iris");
        assertEquals(startedAt, tracker.getExperiment(run.experimentId()).creationTime());

        clock.advance(Duration.ofSeconds(7));
        Instant deletedAt = clock.peek();
        tracker.deleteExperiment(created.id());
        Experiment deleted = tracker.getExperiment(created.id());
        assertEquals(START, deleted.creationTime());
        assertEquals(deletedAt, deleted.lastUpdateTime());

        clock.advance(Duration.ofMillis(1));
        Instant restoredAt = clock.peek();
        tracker.restoreExperiment(created.id());
        Experiment restored = tracker.getExperiment(created.id());
        assertEquals(LifecycleStage.ACTIVE, restored.lifecycleStage());
        assertEquals(START, restored.creationTime());
        assertEquals(restoredAt, restored.lastUpdateTime());
    }

    @Test
    @DisplayName("starting a run in a deleted experiment fails with ConflictException")
    default void startRunInDeletedExperiment(Tracker tracker) {
        Experiment created = deletedExperiment(tracker, "churn");
        assertThrows(ConflictException.class, () -> tracker.startRun("churn"));
        assertThrows(ConflictException.class, () -> tracker.newRun("churn").name("x").start());
        List<Experiment> all = tracker.listExperiments(ViewType.ALL);
        assertEquals(1, all.size());
        assertEquals(LifecycleStage.DELETED, all.get(0).lifecycleStage());
    }
}
