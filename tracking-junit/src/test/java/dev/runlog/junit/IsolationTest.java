package dev.runlog.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A later test sees nothing of an earlier one: each class below writes in its first test and looks
 * for it in its second, which the method order runs next.
 */
class IsolationTest {

    static Tracker firstTracker;
    static Path firstFile;

    @Nested
    @ExtendWith(RunlogExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class InMemory {

        @Test
        @Order(1)
        void writes(Tracker tracker, ModelRegistry registry) {
            firstTracker = tracker;
            try (ActiveRun run = tracker.startRun("iris")) {
                registry.register("iris", run.logModel("model", List.of(1, 2)).uri());
            }
            assertEquals(1, registry.searchModels(null).size());
        }

        @Test
        @Order(2)
        void seesNothingOfTheFirstTest(Tracker tracker, ModelRegistry registry) {
            assertNotNull(firstTracker, "the first test ran before this one");
            assertNotSame(firstTracker, tracker);
            assertEquals(List.of(), tracker.listExperiments());
            assertEquals(List.of(), registry.searchModels(null));
            CleanupTest.assertAllClosed(List.of(firstTracker));
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Sqlite {
        @RegisterExtension
        final RunlogExtension runlog = RunlogExtension.sqlite();

        @Test
        @Order(1)
        void writes() {
            firstFile = CleanupTest.databaseFile(runlog.storeUri());
            try (ActiveRun run = runlog.tracker().startRun("iris")) {
                runlog.registry().register("iris", run.logModel("model", List.of(1, 2)).uri());
            }
            assertTrue(Files.isRegularFile(firstFile), firstFile.toString());
        }

        @Test
        @Order(2)
        void seesNothingOfTheFirstTest() {
            assertNotNull(firstFile, "the first test ran before this one");
            Path file = CleanupTest.databaseFile(runlog.storeUri());
            assertNotEquals(firstFile, file);
            assertFalse(Files.exists(firstFile.getParent()), "the first test's directory is gone");
            assertEquals(List.of(), runlog.tracker().listExperiments());
            assertEquals(List.of(), runlog.registry().searchModels(null));
        }
    }
}
