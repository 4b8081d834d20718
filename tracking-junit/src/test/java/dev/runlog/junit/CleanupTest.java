package dev.runlog.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;

/**
 * What the extension leaves behind once a test is over, watched from outside: each scenario class
 * runs on a nested engine, records what its tests saw, and this test checks the aftermath.
 */
class CleanupTest {

    static final List<Path> files = new CopyOnWriteArrayList<>();
    static final List<Tracker> trackers = new CopyOnWriteArrayList<>();
    static final List<Boolean> storeAliveInAfterEach = new CopyOnWriteArrayList<>();

    @BeforeEach
    void forgetEarlierScenarios() {
        files.clear();
        trackers.clear();
        storeAliveInAfterEach.clear();
    }

    @OnlyInEngineTestKit
    static class SqliteScenario {
        @RegisterExtension
        static RunlogExtension runlog = RunlogExtension.sqlite();

        static void record(Tracker tracker) {
            trackers.add(tracker);
            files.add(databaseFile(runlog.storeUri()));
        }

        @AfterEach
        void storeIsStillThere() {
            storeAliveInAfterEach.add(Files.isRegularFile(databaseFile(runlog.storeUri())));
        }

        @Test
        void passes(Tracker tracker) {
            record(tracker);
            try (ActiveRun run = tracker.startRun("iris")) {
                run.logParam("lr", 0.1).logText("converged", "notes/summary.md");
            }
            Path artifacts = databaseFile(runlog.storeUri()).resolveSibling("runlog.db.artifacts");
            assertTrue(Files.isDirectory(artifacts), "artifacts are stored beside the database: " + artifacts);
        }

        @Test
        void fails(Tracker tracker) {
            record(tracker);
            tracker.startRun("iris").logParam("lr", 0.1); // left running
            fail("boom");
        }

        @Nested
        class WhoseSetUpFails {
            @BeforeEach
            void setUp(Tracker tracker) {
                record(tracker);
                throw new IllegalStateException("set-up broke");
            }

            @Test
            void neverRuns() {
                fail("the set-up failed, so this never runs");
            }
        }
    }

    @Test
    void sqliteFilesAreDeletedAfterPassingAndFailingTestsAndFailedSetUps() {
        EngineExecutionResults results = Scenarios.run(SqliteScenario.class);

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(1).failed(2));
        assertEquals(List.of("boom", "set-up broke"), failureMessages(results.testEvents()).stream().sorted().toList());
        assertEquals(3, files.size(), "one database per test: " + files);
        assertEquals(3, files.stream().distinct().count(), "every test had its own file: " + files);
        assertEquals(List.of(true, true, true), storeAliveInAfterEach, "the file exists until @AfterEach is done");
        for (Path file : files) {
            assertTrue(file.getParent().getFileName().toString().startsWith("runlog-junit-"), file.toString());
            assertFalse(Files.exists(file), "deleted: " + file);
            assertFalse(Files.exists(file.getParent()), "its temporary directory is deleted too: " + file.getParent());
        }
        assertAllClosed(trackers);
    }

    @Test
    void accessorsFailAfterTheTestsAreOver() {
        Scenarios.run(SqliteScenario.class);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SqliteScenario.runlog.tracker());
        assertEquals("RunlogExtension.tracker() is only available while a test runs: in @BeforeEach, the test method"
                + " and @AfterEach; no test is running now (each test gets its own store, so there is none in"
                + " @BeforeAll, @AfterAll or after the test)", e.getMessage());
        assertThrows(InvalidInputException.class, () -> SqliteScenario.runlog.storeUri());
        assertThrows(InvalidInputException.class, () -> SqliteScenario.runlog.registry());
    }

    @OnlyInEngineTestKit
    @ExtendWith(RunlogExtension.class)
    static class InMemoryScenario {
        @Test
        void passes(Tracker tracker) {
            trackers.add(tracker);
            tracker.startRun("iris").close();
        }

        @Test
        void fails(Tracker tracker, ModelRegistry registry) {
            trackers.add(tracker);
            tracker.startRun("iris");
            throw new AssertionError("training diverged");
        }
    }

    @Test
    void inMemoryTrackersAreClosedAfterPassingAndFailingTests() {
        EngineExecutionResults results = Scenarios.run(InMemoryScenario.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertEquals(List.of("training diverged"), failureMessages(results.testEvents()));
        assertEquals(2, trackers.size());
        assertNotEquals(trackers.get(0), trackers.get(1));
        assertAllClosed(trackers);
    }

    @OnlyInEngineTestKit
    @ExtendWith(RunlogExtension.class)
    static class BeforeAllScenario {
        @BeforeAll
        static void beforeAll(Tracker tracker) {
            fail("a Tracker was resolved for @BeforeAll");
        }

        @Test
        void test() {
        }
    }

    @Test
    void aBeforeAllParameterIsRefusedWithAnExplanation() {
        Throwable failure = onlyContainerFailure(Scenarios.run(BeforeAllScenario.class));

        assertInstanceOf(ParameterResolutionException.class, failure);
        assertTrue(failure.getMessage().startsWith("RunlogExtension gives each test its own Tracker, so there is none for"
                + " static void dev.runlog.junit.CleanupTest$BeforeAllScenario.beforeAll(dev.runlog.tracking.Tracker)"),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("take it as a parameter of the test method, of @BeforeEach or"
                + " @AfterEach, or of the constructor of a test class with the default per-method lifecycle"),
                failure.getMessage());
    }

    @OnlyInEngineTestKit
    @ExtendWith(RunlogExtension.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassScenario {
        PerClassScenario(ModelRegistry registry) {
            fail("a ModelRegistry was resolved for a PER_CLASS constructor");
        }

        @Test
        void test() {
        }
    }

    @Test
    void aPerClassConstructorParameterIsRefusedWithAnExplanation() {
        Throwable failure = onlyContainerFailure(Scenarios.run(PerClassScenario.class));

        assertInstanceOf(ParameterResolutionException.class, failure);
        assertTrue(failure.getMessage().startsWith("RunlogExtension gives each test its own ModelRegistry, so there is"
                + " none for dev.runlog.junit.CleanupTest$PerClassScenario(dev.runlog.registry.ModelRegistry)"),
                failure.getMessage());
    }

    static Path databaseFile(String storeUri) {
        assertTrue(storeUri.startsWith("sqlite:"), storeUri);
        return Path.of(storeUri.substring("sqlite:".length()));
    }

    static void assertAllClosed(List<Tracker> trackers) {
        for (Tracker tracker : trackers) {
            RunlogException e = assertThrows(RunlogException.class, () -> tracker.startRun("after"));
            assertEquals("This tracker is closed", e.getMessage());
        }
    }

    static List<String> failureMessages(Events events) {
        return events.failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage())
                .toList();
    }

    static Throwable onlyContainerFailure(EngineExecutionResults results) {
        List<Throwable> failures = results.allEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
        assertEquals(1, failures.size(), () -> "one failure expected: " + failures);
        return failures.get(0);
    }
}
