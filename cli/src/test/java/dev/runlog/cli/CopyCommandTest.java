package dev.runlog.cli;

import static dev.runlog.cli.CommandsContract.assertFailed;
import static dev.runlog.cli.CommandsContract.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.cli.CliHarness.Result;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** copy: the fixture store into a new SQLite file, whole, and refused whole into one that clashes. */
class CopyCommandTest {
    @TempDir
    Path dir;
    CliHarness source;

    @BeforeEach
    void open() {
        source = new CliHarness("sqlite:" + dir.resolve("runs.db")).withFixture();
    }

    @AfterEach
    void close() {
        source.close();
    }

    /** A copy stopped part way (killed, out of disk) left a target that doctor called healthy. */
    @Test
    void doctorReportsATargetACopyWasStoppedIn() {
        String target = "sqlite:" + dir.resolve("stopped.db");
        try (Tracker stopped = Tracker.open(target)) {
            assertThrows(IllegalStateException.class, () -> dev.runlog.registry.StoreCopy.copy(source.tracker, stopped, report -> {
                throw new IllegalStateException("stopped after the first run");
            }));
        }
        Result doctor = source.run("doctor", "--store", target);
        assertEquals(1, doctor.code(), doctor::toString);
        assertTrue(doctor.out().contains("holds a store copy that was stopped before it finished"), doctor::toString);
    }

    /**
     * A copy that fails part way (here on an artifact changed on disk) said only the cause and "do
     * not retry"; it now says the target holds part of the copy and is to be deleted. Copying such a
     * target onward succeeds silently no more: it warns that the source holds a stopped copy.
     */
    @Test
    void aCopyStoppedPartWaySaysTheTargetHoldsPartOfItAndCopyingThatOnWarns() throws Exception {
        Path artifact;
        try (Stream<Path> files = Files.walk(dir.resolve("runs.db.artifacts"))) {
            artifact = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        Files.writeString(artifact, "changed on disk");
        String target = "sqlite:" + dir.resolve("part.db");
        Result copy = source.run("copy", "--to", target);
        assertEquals(1, copy.code(), copy::toString);
        assertTrue(copy.err().contains("the copy stopped part way: " + target + " now holds what was copied before the"
                + " error below (its experiments are tagged runlog.copy=unfinished); delete it"), copy::toString);
        assertTrue(copy.err().contains("SHA-256"), copy::toString);
        Result refused = source.run("copy", "--to", target);
        assertFailed(refused, 1, "already has", "nothing was copied");
        assertFalse(refused.err().contains("stopped part way"), refused::toString);
        Result onward = source.run("copy", "--from", target, "--to", "sqlite:" + dir.resolve("onward.db"));
        assertEquals(0, onward.code(), onward::toString);
        assertTrue(onward.err().contains("runlog: warning: experiment 'iris' (id "), onward::toString);
        assertTrue(onward.err().contains("holds a copy or MLflow import that was stopped before it finished"), onward::toString);
        Result doctor = source.run("doctor", "--store", "sqlite:" + dir.resolve("onward.db"));
        assertTrue(doctor.out().contains("holds a store copy that was stopped before it finished"), doctor::toString);
    }

    @Test
    void copiesTheStoreNamedByStoreIntoTheTargetAndReportsCounts() throws Exception {
        String target = "sqlite:" + dir.resolve("copy.db");
        Result copy = source.run("copy", "--to", target, "--format", "json");
        assertEquals(0, copy.code(), copy::toString);
        JsonNode report = json(copy.out());
        assertEquals("sqlite:" + dir.resolve("runs.db"), report.get("from").asText());
        assertEquals(1, report.get("experiments").asLong());
        assertEquals(2, report.get("runs").asLong());
        assertEquals(8, report.get("metric_points").asLong());
        assertEquals(2, report.get("versions").asLong());
        assertTrue(report.get("artifacts").asLong() >= 4 && report.get("artifact_bytes").asLong() > 0, copy::out);
        try (Tracker copied = Tracker.open(target)) {
            assertEquals(source.tracker.getRun(source.runA).data(), copied.getRun(source.runA).data());
            assertEquals(Stage.PRODUCTION, ModelRegistry.of(copied).getVersion("iris-classifier", 1).stage());
            assertEquals(ModelRegistry.of(source.tracker).history("iris-classifier"),
                    ModelRegistry.of(copied).history("iris-classifier"));
        }
        Result text = source.run("copy", "--from", target, "--to", "sqlite:" + dir.resolve("again.db"));
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().startsWith("copied " + target + " to sqlite:" + dir.resolve("again.db")
                + ": 1 experiments, 2 runs, 8 metric points, "), text.out());
    }

    @Test
    void aTargetThatClashesExitsOneAndAMissingTargetIsAUsageError() throws Exception {
        String target = "sqlite:" + dir.resolve("copy.db");
        assertEquals(0, source.run("copy", "--to", target).code());
        long size = Files.size(dir.resolve("copy.db"));
        assertFailed(source.run("copy", "--to", target), 1, "already has", "nothing was copied");
        try (Tracker copied = Tracker.open(target)) {
            assertEquals(2, copied.searchRuns().experiments("iris").list().size());
        }
        assertTrue(size > 0);
        assertFailed(source.run("copy"), 2, "--to");
    }
}
