package dev.runlog.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Tracker;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The declarative form: what gets injected where, and that one test sees one tracker throughout. */
@ExtendWith(RunlogExtension.class)
class InjectionTest {

    /** Every tracker any test here was given, by identity: none may be handed out twice. */
    static final Set<Tracker> seen = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));

    private final Tracker constructorTracker;
    private final ModelRegistry constructorRegistry;
    private Tracker beforeEachTracker;
    private ModelRegistry beforeEachRegistry;
    private Tracker testTracker;

    InjectionTest(Tracker tracker, ModelRegistry registry) {
        this.constructorTracker = tracker;
        this.constructorRegistry = registry;
    }

    @BeforeEach
    void setUp(Tracker tracker, ModelRegistry registry) {
        beforeEachTracker = tracker;
        beforeEachRegistry = registry;
    }

    @AfterEach
    void tearDown(Tracker tracker) {
        // A nested test may not set testTracker; then the constructor's stands in.
        assertSame(testTracker == null ? constructorTracker : testTracker, tracker,
                "@AfterEach sees the test's tracker");
    }

    @Test
    void injectsAFreshTrackerAndARegistryKeptInIt(Tracker tracker, ModelRegistry registry) {
        testTracker = tracker;
        assertTrue(seen.add(tracker), "a tracker no earlier test had");
        assertEquals(List.of(), tracker.listExperiments(), "the store starts empty");

        LoggedModel model;
        try (ActiveRun run = tracker.startRun("iris")) {
            model = run.logModel("model", Map.of("weights", 1));
        }
        ModelVersion version = registry.register("iris", model.uri());

        assertEquals(1, version.version());
        assertEquals("iris", tracker.getExperiment(tracker.getRun(version.runId()).info().experimentId()).name(),
                "the registry lives in the injected tracker's store");
    }

    @Test
    void theConstructorBeforeEachAndTestShareOneTrackerAndRegistry(Tracker tracker, ModelRegistry registry) {
        testTracker = tracker;
        assertTrue(seen.add(tracker), "a tracker no earlier test had");
        assertSame(tracker, constructorTracker);
        assertSame(tracker, beforeEachTracker);
        assertSame(registry, constructorRegistry);
        assertSame(registry, beforeEachRegistry);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris", "wine", "digits"})
    void eachParameterizedInvocationGetsItsOwnStore(String experiment, Tracker tracker) {
        testTracker = tracker;
        assertTrue(seen.add(tracker), "a tracker no earlier invocation had");
        assertSame(tracker, beforeEachTracker);
        assertEquals(List.of(), tracker.listExperiments(), "nothing left from an earlier invocation");
        tracker.createExperiment(experiment);
    }

    @RepeatedTest(2)
    void eachRepetitionGetsItsOwnStore(Tracker tracker) {
        testTracker = tracker;
        assertTrue(seen.add(tracker), "a tracker no earlier repetition had");
        assertEquals(List.of(), tracker.listExperiments());
        tracker.createExperiment("sweep");
    }

    @Nested
    class InANestedClass {
        private final Tracker nestedConstructorTracker;
        private Tracker nestedBeforeEachTracker;

        InANestedClass(Tracker tracker) {
            this.nestedConstructorTracker = tracker;
        }

        @BeforeEach
        void nestedSetUp(Tracker tracker) {
            nestedBeforeEachTracker = tracker;
        }

        @Test
        void outerAndNestedInjectionPointsShareTheTestsTracker(Tracker tracker, ModelRegistry registry) {
            testTracker = tracker;
            assertTrue(seen.add(tracker), "a tracker no earlier test had");
            assertSame(tracker, nestedConstructorTracker);
            assertSame(tracker, nestedBeforeEachTracker);
            assertSame(tracker, constructorTracker, "the enclosing instance was made for this test too");
            assertSame(tracker, beforeEachTracker);
            assertSame(registry, beforeEachRegistry);
        }

        @Test
        void aNestedTestStartsEmptyToo(Tracker tracker) {
            testTracker = tracker;
            assertTrue(seen.add(tracker), "a tracker no earlier test had");
            assertEquals(List.of(), tracker.listExperiments());
            tracker.createExperiment("nested");
        }
    }
}
