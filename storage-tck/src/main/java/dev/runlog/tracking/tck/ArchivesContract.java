package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.artifactDigests;
import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.ids;
import static dev.runlog.tracking.tck.KitAssertions.steps;
import static dev.runlog.tracking.tck.KitAssertions.userTags;
import static dev.runlog.tracking.tck.KitAssertions.values;
import static dev.runlog.tracking.tck.KitData.RUN_ID;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static dev.runlog.tracking.tck.KitData.bytes;
import static dev.runlog.tracking.tck.KitData.dataset;
import static dev.runlog.tracking.tck.KitData.readAll;
import static dev.runlog.tracking.tck.KitData.singleRowDataset;
import static dev.runlog.tracking.tck.KitData.writeTree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.ModelSignature;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rule 16: a model or a whole run moves between stores through a .tar.gz archive, unchanged. */
public interface ArchivesContract {

    TestModels.LinearModel linear = new TestModels.LinearModel(new double[] {0.5, -1.25, 3.0e-7}, 0.125);

    private Path archive(StoreHarness kit, String name) {
        return kit.newDirectory("archives").resolve(name);
    }

    private LoggedModel logModelInFinishedRun(StoreHarness kit) {
        try (ActiveRun run = kit.tracker().startRun("iris")) {
            return run.logModel("models/linear", linear, ModelOptions.defaults()
                    .signature(new ModelSignature(List.of(ModelSignature.Field.tensor("x", "float64", -1, 3)),
                            List.of(ModelSignature.Field.column("y", "double"))))
                    .inputExample(List.of(List.of(1.0, 2.0, 3.0)))
                    .metadata("owner", "vision-team"));
        }
    }

    /** Exports {@code model} to a new archive "model.tar.gz" and returns the archive. */
    private Path exported(StoreHarness kit, LoggedModel model) {
        Path archive = archive(kit, "model.tar.gz");
        kit.tracker().exportModel(model.uri(), archive);
        return archive;
    }

    @Test
    @DisplayName("exportModel, then importModel into another store: a new run, the same artifact path, uuid and payload, an equal model")
    default void modelRoundTrip(Tracker tracker, MutableClock clock, StoreHarness kit) {
        LoggedModel logged = logModelInFinishedRun(kit);
        Path archive = exported(kit, logged);
        assertTrue(Files.isRegularFile(archive), "the archive is written");

        Tracker target = kit.newTracker(builder -> { });
        clock.advance(Duration.ofHours(1));
        LoggedModel imported = target.importModel(archive);
        assertNotEquals(logged.runId(), imported.runId());
        assertTrue(RUN_ID.matcher(imported.runId()).matches(), imported.runId());
        assertEquals(logged.artifactPath(), imported.artifactPath());
        assertEquals("runs:/" + imported.runId() + "/models/linear", imported.uri());
        assertEquals(logged.modelUuid(), imported.modelUuid());
        assertEquals(logged.payloadSha256(), imported.payloadSha256());
        assertEquals(logged.payloadSize(), imported.payloadSize());
        assertEquals(logged.flavor(), imported.flavor());
        assertEquals(logged.flavorConfig(), imported.flavorConfig());
        assertEquals(logged.signature(), imported.signature());
        assertEquals(logged.inputExample(), imported.inputExample());
        assertEquals(logged.metadata(), imported.metadata());

        assertEquals(imported, target.getLoggedModel(imported.uri()));
        assertEquals(linear, target.loadModel(imported.uri(), TestModels.LinearModel.class));
        assertEquals(artifactDigests(tracker, logged.runId(), "models/linear/data"),
                artifactDigests(target, imported.runId(), "models/linear/data"));
        assertEquals(linear, tracker.loadModel(logged.uri(), TestModels.LinearModel.class), "the source is unchanged");
    }

    @Test
    @DisplayName("an imported model's run is FINISHED, in an experiment named as the source's, tagged runlog.importedFrom")
    default void importedModelRun(Tracker tracker, StoreHarness kit) {
        LoggedModel logged = logModelInFinishedRun(kit);
        Path archive = exported(kit, logged);

        Tracker target = kit.newTracker(builder -> { });
        LoggedModel imported = target.importModel(archive);
        Run run = target.getRun(imported.runId());
        assertEquals(RunStatus.FINISHED, run.info().status());
        assertEquals(LifecycleStage.ACTIVE, run.info().lifecycleStage());
        assertEquals("iris", target.getExperiment(run.info().experimentId()).name());
        String from = run.data().tags().get("runlog.importedFrom");
        assertNotNull(from, () -> "no runlog.importedFrom tag in " + run.data().tags());
        assertTrue(from.contains(logged.runId()), () -> "runlog.importedFrom should name the source run: " + from);

        Tracker third = kit.newTracker(builder -> { });
        Experiment existing = third.createExperiment("iris");
        LoggedModel again = third.importModel(archive);
        assertEquals(existing.id(), third.getRun(again.runId()).info().experimentId(),
                "an import lands in the existing experiment of that name");
        assertEquals(1, third.listExperiments(ViewType.ALL).size());
    }

    @Test
    @DisplayName("exportRun, then importRun into another store: params, tags, metrics bit for bit, inputs, artifacts, status and times")
    default void runRoundTrip(Tracker tracker, MutableClock clock, StoreHarness kit) {
        Dataset train = dataset("iris", "v1");
        Dataset single = singleRowDataset();
        Map<String, byte[]> tree = new TreeMap<>();
        tree.put("config/params.json", "{\"lr\": 0.1}".getBytes(StandardCharsets.UTF_8));
        tree.put("config/deep/weights.bin", bytes(40_000, 1));
        tree.put("empty.txt", new byte[0]);

        ActiveRun run = tracker.newRun("iris").name("baseline").tag("team", "vision").start();
        run.logParam("lr", 0.1).logParams(Map.of("optimizer", "sgd", "epochs", 12));
        run.setTag("stage", "candidate");
        double[] values = {0.5, Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2,
                Double.MIN_VALUE, 0.0, 7.25};
        long[] steps = {5, 1, 3, 3, 0, Long.MAX_VALUE, 2, 1, 3};
        for (int i = 0; i < values.length; i++) {
            clock.advanceMillis(7);
            run.logMetric("loss", values[i], steps[i]);
        }
        clock.advanceMillis(3);
        run.logMetrics(Map.of("accuracy", 0.97, "f1", -0.0), 4);
        run.logInput(train, "training");
        run.logInput(single, "validation");
        run.logArtifacts(writeTree(kit.newDirectory("tree"), tree), "bundle");
        run.logArtifact(kit.newFile("model.bin", bytes(300, 2)));
        run.logText("notes ✓", "notes/summary.md");
        clock.advance(Duration.ofMinutes(5));
        run.end(RunStatus.FAILED);

        Path archive = archive(kit, "run.tar.gz");
        tracker.exportRun(run.id(), archive);
        Tracker target = kit.newTracker(builder -> { });
        clock.advance(Duration.ofDays(1));
        Run imported = target.importRun(archive);
        Run source = tracker.getRun(run.id());

        String id = imported.info().id();
        assertNotEquals(run.id(), id);
        assertTrue(RUN_ID.matcher(id).matches(), id);
        assertEquals(imported, target.getRun(id), "importRun returns the run as stored");
        assertEquals("baseline", imported.info().name());
        assertEquals("iris", target.getExperiment(imported.info().experimentId()).name());
        assertEquals(RunStatus.FAILED, imported.info().status());
        assertEquals(source.info().startTime(), imported.info().startTime());
        assertEquals(source.info().endTime(), imported.info().endTime());
        assertTrue(imported.info().endTime().isPresent());
        assertEquals(LifecycleStage.ACTIVE, imported.info().lifecycleStage());

        assertEquals(Map.of("lr", "0.1", "optimizer", "sgd", "epochs", "12"), imported.data().params());
        assertEquals(source.data().params(), imported.data().params());
        assertEquals(Map.of("team", "vision", "stage", "candidate"), userTags(imported));
        assertEquals(run.id(), imported.data().tags().get("runlog.importedFrom"));
        source.data().tags().forEach((key, value) ->
                assertEquals(value, imported.data().tags().get(key), () -> "tag " + key));

        assertEquals(Set.of("loss", "accuracy", "f1"), imported.data().latestMetrics().keySet());
        assertEquals(source.data().latestMetrics(), imported.data().latestMetrics());
        for (String key : source.data().latestMetrics().keySet()) {
            List<Metric> expected = tracker.metricHistory(run.id(), key);
            List<Metric> actual = target.metricHistory(id, key);
            assertEquals(expected, actual, key);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(expected.get(i).value()), Double.doubleToRawLongBits(actual.get(i).value()),
                        key + " point " + i);
            }
        }
        assertEquals(values.length, target.metricHistory(id, "loss").size());

        assertEquals(List.of(new DatasetInput(train, "training"), new DatasetInput(single, "validation")), imported.inputs());
        assertEquals(List.of(id), ids(target.runsUsing(train.digest())));

        SortedMap<String, String> artifacts = artifactDigests(tracker, run.id(), "");
        assertEquals(5, artifacts.size(), () -> "source artifacts: " + artifacts);
        assertEquals(artifacts, artifactDigests(target, id, ""));
        for (String path : artifacts.keySet()) {
            assertArrayEquals(readAll(tracker.openArtifact(run.id(), path)), readAll(target.openArtifact(id, path)), path);
        }
    }

    @Test
    @DisplayName("importing an archive of the wrong kind fails with IntegrityException and stores nothing")
    default void wrongKind(Tracker tracker, StoreHarness kit) {
        LoggedModel logged = logModelInFinishedRun(kit);
        Path modelArchive = exported(kit, logged);
        Path runArchive = archive(kit, "run.tar.gz");
        tracker.exportRun(logged.runId(), runArchive);

        Tracker target = kit.newTracker(builder -> { });
        assertThrows(IntegrityException.class, () -> target.importRun(modelArchive));
        assertThrows(IntegrityException.class, () -> target.importModel(runArchive));
        assertEquals(List.of(), target.listExperiments(ViewType.ALL));
    }

    @Test
    @DisplayName("exporting a missing model or run fails with NotFoundException and writes no archive")
    default void exportMissing(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        Path modelArchive = archive(kit, "model.tar.gz");
        assertThrows(NotFoundException.class, () -> tracker.exportModel("runs:/" + run.id() + "/model", modelArchive));
        assertThrows(NotFoundException.class, () -> tracker.exportModel("runs:/" + UNKNOWN_RUN_ID + "/model", modelArchive));
        Path runArchive = archive(kit, "run.tar.gz");
        assertThrows(NotFoundException.class, () -> tracker.exportRun(UNKNOWN_RUN_ID, runArchive));
        assertFalse(Files.exists(modelArchive));
        assertFalse(Files.exists(runArchive));
        // A directory where the archive goes is the caller's mistake, not a store failure to retry.
        Path directory = runArchive.getParent();
        assertMessageContains(assertThrows(InvalidInputException.class, () -> tracker.exportRun(run.id(), directory)),
                "is a directory");
    }

    @Test
    @DisplayName("exporting a run this tracker is still logging holds every point logged before the export")
    default void exportOfARunStillLogging(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        for (int step = 0; step < 100; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }
        Path archive = archive(kit, "live.tar.gz");
        tracker.exportRun(run.id(), archive); // no flush of the caller's
        Tracker target = kit.newTracker(builder -> { });
        Run imported = target.importRun(archive);
        assertEquals(100, target.metricHistory(imported.info().id(), "loss").size());
        run.end(RunStatus.FINISHED);
    }
}
