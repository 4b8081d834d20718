package dev.runlog.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.math.optimisers.AdaGrad;

/** Trains small Tribuo classifiers on the bundled iris and breast-cancer data through the public API. */
class TribuoTrackingTest {
    private static Tracker tracker;
    private static ModelRegistry registry;

    @BeforeAll
    static void open() {
        tracker = Tracker.inMemory();
        registry = ModelRegistry.of(tracker);
    }

    @AfterAll
    static void close() {
        tracker.close();
    }

    private static Dataset<Label>[] split(String resource, String labelColumn) throws Exception {
        Path csv = Path.of(TribuoTrackingTest.class.getResource("/" + resource).toURI());
        var source = new CSVLoader<>(new LabelFactory()).loadDataSource(csv, labelColumn);
        var splitter = new TrainTestSplitter<>(source, 0.7, 1L);
        @SuppressWarnings("unchecked")
        Dataset<Label>[] sets = new Dataset[] {new MutableDataset<>(splitter.getTrain()), new MutableDataset<>(splitter.getTest())};
        return sets;
    }

    @Test
    void logsProvenanceEvaluationAndAModelThatPredictsTheSameFromTheRegistry() throws Exception {
        Dataset<Label>[] iris = split("iris.csv", "species");
        TrainedClassifier trained;
        String runId;
        try (ActiveRun run = tracker.startRun("tribuo-iris")) {
            trained = TribuoTracking.train(run, new LogisticRegressionTrainer(), iris[0], iris[1]);
            runId = run.id();
        }
        Run run = tracker.getRun(runId);
        Map<String, String> params = run.data().params();
        assertEquals(LogisticRegressionTrainer.class.getName(), params.get("class-name"), params.toString());
        assertEquals("5", params.get("epochs"), params.toString());
        assertTrue(params.containsKey("seed") && params.containsKey("optimiser.class-name"), params.toString());
        Map<String, String> tags = run.data().tags();
        assertTrue(tags.entrySet().stream().anyMatch(tag -> tag.getKey().startsWith("tribuo.dataset.")
                && tag.getValue().endsWith("iris.csv")), tags.toString());
        assertTrue(tags.containsKey("tribuo.tribuo-version"), tags.toString());

        Map<String, Double> metrics = run.data().metrics();
        assertEquals(trained.evaluation().accuracy(), metrics.get("test/accuracy"));
        for (String label : List.of("setosa", "versicolor", "virginica")) {
            for (String metric : List.of("precision", "recall", "f1", "auc")) {
                assertTrue(metrics.containsKey("test/" + metric + "/" + label), metric + "/" + label + " in " + metrics.keySet());
            }
        }
        assertEquals(trained.evaluation().macroAveragedF1(), metrics.get("test/macro_f1"));
        assertTrue(metrics.containsKey("test/macro_auc"));

        LoggedModel logged = trained.logged();
        assertEquals("tribuo", logged.flavor());
        int version = registry.register("tribuo-iris", logged.uri()).version();
        @SuppressWarnings("unchecked")
        Model<Label> loaded = registry.load("models:/tribuo-iris/" + version, Model.class);
        assertSamePredictions(trained.model(), loaded, iris[1]);
    }

    @Test
    void aModelWithoutProbabilitiesHasNoAucAndLogModelInfersTheTribuoFlavor() throws Exception {
        Dataset<Label>[] cancer = split("breast_cancer.csv", "diagnosis");
        var svm = new LinearSGDTrainer(new Hinge(), new AdaGrad(0.1), 3, 7L);
        try (ActiveRun run = tracker.startRun("tribuo-cancer")) {
            TrainedClassifier trained = TribuoTracking.train(run, svm, cancer[0], cancer[1]);
            run.flush(); // metric points are written asynchronously
            Run stored = tracker.getRun(run.id());
            assertTrue(stored.data().metrics().containsKey("test/f1/malignant"), stored.data().metrics().keySet().toString());
            assertTrue(stored.data().metrics().keySet().stream().noneMatch(key -> key.contains("auc")),
                    stored.data().metrics().keySet().toString());
            assertEquals("3", stored.data().params().get("epochs"));

            LoggedModel inferred = run.logModel("inferred", trained.model());
            assertEquals("tribuo", inferred.flavor());
            @SuppressWarnings("unchecked")
            Model<Label> loaded = tracker.loadModel(inferred.uri(), Model.class);
            assertSamePredictions(trained.model(), loaded, cancer[1]);
            var wrongType = assertThrows(InvalidInputException.class, () -> tracker.loadModel(inferred.uri(), String.class));
            assertTrue(wrongType.getMessage().contains("org.tribuo.Model"), wrongType.getMessage());
        }
    }

    @Test
    void labelsThatAKeyCannotHoldGetKeysOfTheirOwnNeverAnotherLabels() throws Exception {
        // "a:b" becomes "a_b", which is also a label of its own: one class's figures overwrote the other's.
        Path csv = java.nio.file.Files.createTempFile("labels", ".csv");
        try {
            StringBuilder rows = new StringBuilder("x,y,label\n");
            // Letters of other scripts are kept as keys take them; the path step ".." cannot be a key's segment.
            String[] labels = {"a:b", "a_b", "50%", "Aé", ".."};
            for (int i = 0; i < 150; i++) {
                int c = i % 5;
                rows.append(c * 10 + (i % 7) * 0.1).append(',').append(c - (i % 5) * 0.1).append(',').append(labels[c]).append('\n');
            }
            java.nio.file.Files.writeString(csv, rows);
            var source = new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label");
            Dataset<Label> data = new MutableDataset<>(source);
            TrainedClassifier trained;
            String runId;
            try (ActiveRun run = tracker.startRun("tribuo-labels")) {
                trained = TribuoTracking.train(run, new LogisticRegressionTrainer(), data, data);
                runId = run.id();
            }
            {
                Run stored = tracker.getRun(runId);
                Map<String, Double> metrics = stored.data().metrics();
                var evaluation = trained.evaluation();
                assertEquals(evaluation.recall(new Label("a_b")), metrics.get("test/recall/a_b"), metrics.keySet()::toString);
                assertEquals(evaluation.recall(new Label("a:b")), metrics.get("test/recall/a_b_2"), metrics.keySet()::toString);
                assertEquals(evaluation.recall(new Label("50%")), metrics.get("test/recall/50_"), metrics.keySet()::toString);
                assertEquals(evaluation.recall(new Label("Aé")), metrics.get("test/recall/Aé"), metrics.keySet()::toString);
                assertEquals(evaluation.recall(new Label("..")), metrics.get("test/recall/__"), metrics.keySet()::toString);
                assertEquals(Map.of("tribuo.label.a_b_2", "a:b", "tribuo.label.50_", "50%", "tribuo.label.__", ".."),
                        stored.data().tags().entrySet().stream().filter(t -> t.getKey().startsWith("tribuo.label."))
                                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(csv);
        }
    }

    @Test
    void nullArgumentsAndAnEmptyTestSetAreInvalidInput() throws Exception {
        try (ActiveRun run = tracker.startRun("tribuo-bad")) {
            assertThrows(InvalidInputException.class, () -> TribuoTracking.train(null, new LogisticRegressionTrainer(), null, null));
            assertThrows(InvalidInputException.class, () -> TribuoTracking.logProvenance(run, null));
            assertThrows(InvalidInputException.class, () -> TribuoTracking.logEvaluation(run, null, ""));
            // Tribuo's evaluator threw an ArrayIndexOutOfBoundsException on it, after the training.
            Dataset<Label>[] iris = split("iris.csv", "species");
            Dataset<Label> empty = new MutableDataset<>(iris[1].getProvenance(), new LabelFactory());
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> TribuoTracking.train(run, new LogisticRegressionTrainer(), iris[0], empty));
            assertTrue(e.getMessage().startsWith("the test dataset is empty"), e.getMessage());
        }
    }

    private static void assertSamePredictions(Model<Label> expected, Model<Label> actual, Dataset<Label> data) {
        List<Prediction<Label>> before = expected.predict(data);
        List<Prediction<Label>> after = actual.predict(data);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).getOutput().getLabel(), after.get(i).getOutput().getLabel());
            assertEquals(before.get(i).getOutputScores().toString(), after.get(i).getOutputScores().toString(), "row " + i);
        }
    }
}
