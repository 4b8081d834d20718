package dev.runlog.junit;

import static dev.runlog.junit.RunlogAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The programmatic SQLite form: a real file per test, reachable through the field and by URI. */
class SqliteExtensionTest {

    @RegisterExtension
    static RunlogExtension runlog = RunlogExtension.sqlite();

    private Tracker beforeEachTracker;

    @BeforeEach
    void setUp() {
        beforeEachTracker = runlog.tracker();
    }

    @AfterEach
    void tearDown(Tracker tracker) {
        assertSame(beforeEachTracker, tracker);
        assertSame(tracker, runlog.tracker());
    }

    @Test
    void storeUriNamesAFreshFileInANewTemporaryDirectory() {
        Path file = CleanupTest.databaseFile(runlog.storeUri());

        assertTrue(file.isAbsolute(), file.toString());
        assertEquals("runlog.db", file.getFileName().toString());
        assertTrue(file.getParent().getFileName().toString().startsWith("runlog-junit-"), file.toString());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize(),
                file.getParent().getParent().toAbsolutePath().normalize());
        assertTrue(Files.isRegularFile(file), "the tracker opened in @BeforeEach created it");
        assertEquals(runlog.storeUri(), runlog.storeUri(), "stable within the test");
    }

    @Test
    void accessorsAndParametersAreTheSameInstances(Tracker tracker, ModelRegistry registry) {
        assertSame(runlog.tracker(), tracker);
        assertSame(runlog.registry(), registry);
        assertSame(beforeEachTracker, tracker);
    }

    @Test
    void aTrackerOpenedOnStoreUriSeesWhatTheTestsTrackerLogged() {
        String runId;
        try (ActiveRun run = runlog.tracker().startRun("iris")) {
            run.logParam("lr", 0.1).logMetric("accuracy", 0.97);
            runId = run.id();
        }

        try (Tracker other = Tracker.open(runlog.storeUri())) {
            Run run = other.getRun(runId);
            assertThat(run).hasParam("lr", 0.1).hasMetric("accuracy", 0.97, 0);
        }
    }

    @Test
    void artifactsAndTheRegistryLiveInTheTemporaryDirectory() throws IOException {
        Path directory = CleanupTest.databaseFile(runlog.storeUri()).getParent();
        ModelVersion version;
        try (ActiveRun run = runlog.tracker().startRun("iris")) {
            version = runlog.registry().register("iris", run.logModel("model", List.of(0.5, 0.25)).uri());
        }
        runlog.registry().transition("iris", version.version(), Stage.STAGING);

        assertThat(runlog.registry().getVersion("iris", 1)).isVersion(1).hasStage(Stage.STAGING);
        Path artifacts = directory.resolve("runlog.db.artifacts");
        assertTrue(Files.isDirectory(artifacts), artifacts.toString());
        try (var files = Files.walk(artifacts)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("MLmodel.json")),
                    "the logged model is under " + artifacts);
        }
        assertFalse(Files.exists(Path.of("runlog.db")), "nothing lands in the working directory");
    }
}
