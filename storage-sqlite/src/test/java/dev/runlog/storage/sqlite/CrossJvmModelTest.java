package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: a model logged in one JVM, exported, imported into a fresh store in another directory
 * and loaded gives the same predictions. The same for a whole run, whose params, metrics, tags,
 * inputs and model come along.
 */
class CrossJvmModelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What the child printed. */
    private record ChildReport(String runId, String modelUri, String modelUuid, String payloadSha256,
                               long payloadSize, List<Integer> predictions, Path modelArchive, Path runArchive) {
    }

    private ChildReport runChild(Path dirA, Path dirX) throws Exception {
        child = ChildJvm.start(CrossJvmModelChild.class, dirA.toString(), dirX.toString());
        ChildJvm.Lines out = new ChildJvm.Lines("child stdout", child.getInputStream());
        ChildJvm.Lines err = new ChildJvm.Lines("child stderr", child.getErrorStream());
        assertTrue(child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "child did not exit within " + TIMEOUT
                + "; stdout:\n" + out.text() + "\nstderr:\n" + err.text());
        List<String> lines = out.awaitEnd(TIMEOUT);
        String errText = String.join("\n", err.awaitEnd(TIMEOUT));
        String output = "stdout:\n" + String.join("\n", lines) + "\nstderr:\n" + errText;
        assertEquals(0, child.exitValue(), output);
        assertEquals("DONE", lines.get(lines.size() - 1), output);

        String runId = null;
        String[] model = null;
        Path modelArchive = null;
        Path runArchive = null;
        List<Integer> predictions = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "RUN" -> runId = parts[1];
                case "MODEL" -> model = parts;
                case "PRED" -> {
                    assertEquals(predictions.size(), Integer.parseInt(parts[1]), "PRED lines in order: " + output);
                    predictions.add(Integer.parseInt(parts[2]));
                }
                case "EXPORTED" -> modelArchive = Path.of(line.substring("EXPORTED ".length()));
                case "EXPORTED_RUN" -> runArchive = Path.of(line.substring("EXPORTED_RUN ".length()));
                case "DONE" -> { }
                default -> throw new AssertionError("unexpected line '" + line + "'\n" + output);
            }
        }
        assertTrue(runId != null && runId.matches("[0-9a-f]{32}"), output);
        assertTrue(model != null && model.length == 5, output);
        assertEquals(IrisLikeModel.QUERY_ROWS.length, predictions.size(), output);
        assertTrue(modelArchive != null && Files.isRegularFile(modelArchive), output);
        assertTrue(runArchive != null && Files.isRegularFile(runArchive), output);
        assertEquals("runs:/" + runId + "/model", model[1], output);
        return new ChildReport(runId, model[1], model[2], model[3], Long.parseLong(model[4]), predictions,
                modelArchive, runArchive);
    }

    private static List<Integer> predict(IrisLikeModel model) {
        List<Integer> predictions = new ArrayList<>();
        for (double[] row : IrisLikeModel.QUERY_ROWS) {
            predictions.add(model.predict(row));
        }
        return predictions;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aModelAndItsRunMoveToAFreshStoreInAnotherJvmAndPredictTheSame() throws Exception {
        Path dirA = Files.createDirectories(root.resolve("source"));
        Path dirX = Files.createDirectories(root.resolve("exports"));
        Path dirB = Files.createDirectories(root.resolve("target"));
        ChildReport report = runChild(dirA, dirX);

        // The child's model classifies the query rows as the species they are (two made-up rows last).
        assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 2), report.predictions());
        assertTrue(Files.isRegularFile(dirA.resolve("a.db")), "the child's store is in " + dirA);
        assertTrue(report.modelArchive().startsWith(dirX) && report.runArchive().startsWith(dirX));

        // The source store is gone: nothing below may read it.
        deleteTree(dirA);

        Path dbB = dirB.resolve("b.db");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + dbB).shutdownHook(false).build()) {
            // ---- the model -----------------------------------------------------------------------
            LoggedModel imported = tracker.importModel(report.modelArchive());
            assertNotEquals(report.runId(), imported.runId());
            assertEquals("model", imported.artifactPath());
            assertEquals(report.modelUuid(), imported.modelUuid());
            assertEquals(report.payloadSha256(), imported.payloadSha256());
            assertEquals(report.payloadSize(), imported.payloadSize());
            assertEquals("json", imported.flavor());
            assertEquals(IrisLikeModel.class.getName(), imported.flavorConfig().get("class"));

            IrisLikeModel loaded = tracker.loadModel(imported.uri(), IrisLikeModel.class);
            assertEquals(IrisLikeModel.train(IrisLikeModel.TRAIN_ROWS, IrisLikeModel.TRAIN_LABELS, 3), loaded,
                    "the weights survive the trip bit for bit");
            assertEquals(report.predictions(), predict(loaded));

            Run modelRun = tracker.getRun(imported.runId());
            assertEquals(RunStatus.FINISHED, modelRun.info().status());
            assertEquals(CrossJvmModelChild.EXPERIMENT, tracker.getExperiment(modelRun.info().experimentId()).name());
            assertEquals(report.modelUri(), modelRun.data().tags().get("runlog.importedFrom"));
            assertTrue(modelRun.info().artifactUri().startsWith(dirB.toUri().toString()),
                    "artifacts of the import live beside b.db: " + modelRun.info().artifactUri());

            // ---- the whole run -------------------------------------------------------------------
            Run run = tracker.importRun(report.runArchive());
            String runId = run.info().id();
            assertNotEquals(report.runId(), runId);
            assertNotEquals(imported.runId(), runId);
            assertEquals("nearest-centroid", run.info().name());
            assertEquals(RunStatus.FINISHED, run.info().status());
            assertEquals(modelRun.info().experimentId(), run.info().experimentId(), "the same experiment, by name");
            assertEquals(Map.of("method", "nearest-centroid", "classes", "3"), run.data().params());
            assertEquals(Map.of("loss", 0.0625, "train_accuracy", 1.0), run.data().metrics());
            assertEquals("runlog", run.data().tags().get("team"));
            assertEquals(report.runId(), run.data().tags().get("runlog.importedFrom"));

            List<Metric> loss = tracker.metricHistory(runId, "loss");
            assertEquals(CrossJvmModelChild.LOSSES, loss.stream().map(Metric::value).toList());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), loss.stream().map(Metric::step).toList());

            assertEquals(List.of(new DatasetInput(CrossJvmModelChild.DATASET, "training")), run.inputs());
            assertEquals(List.of(runId), tracker.runsUsing(CrossJvmModelChild.DATASET.digest()).stream()
                    .map(r -> r.info().id()).toList());

            // The run's model came along too, and loads and predicts the same.
            String runModelUri = "runs:/" + runId + "/model";
            LoggedModel runModel = tracker.getLoggedModel(runModelUri);
            assertEquals(report.modelUuid(), runModel.modelUuid());
            assertEquals(report.payloadSha256(), runModel.payloadSha256());
            assertEquals(report.predictions(), predict(tracker.loadModel(runModelUri, IrisLikeModel.class)));
        }

        // A fresh tracker on b.db sees the same, read from the file.
        try (Tracker reopened = Tracker.builder().uri("sqlite:" + dbB).shutdownHook(false).build()) {
            List<Run> runs = reopened.runsUsing(CrossJvmModelChild.DATASET.digest());
            assertEquals(1, runs.size());
            String uri = "runs:/" + runs.get(0).info().id() + "/model";
            assertEquals(report.predictions(), predict(reopened.loadModel(uri, IrisLikeModel.class)));
        }
        assertFalse(Files.exists(dirA), "nothing recreated the source store");
        assertEquals(new HashSet<>(List.of("b.db", "b.db.artifacts")), names(dirB, n -> !n.startsWith("b.db-")));
    }

    private static java.util.Set<String> names(Path dir, java.util.function.Predicate<String> filter) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).filter(filter)
                    .collect(java.util.stream.Collectors.toCollection(HashSet::new));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
