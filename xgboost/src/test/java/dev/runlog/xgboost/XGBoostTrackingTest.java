package dev.runlog.xgboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trains small boosters on the bundled iris and breast-cancer data through the public API. */
class XGBoostTrackingTest {
    private static Tracker tracker;
    private static ModelRegistry registry;
    private static TestData iris;
    private static TestData cancer;

    @BeforeAll
    static void open() {
        tracker = Tracker.inMemory();
        registry = ModelRegistry.of(tracker);
        iris = TestData.load("iris.csv");
        cancer = TestData.load("breast_cancer.csv");
    }

    @AfterAll
    static void close() {
        tracker.close();
    }

    @Test
    void logsParamsEveryRoundOfEveryWatchImportanceAndAModelThatPredictsTheSameFromTheRegistry() throws Exception {
        Map<String, Object> params = Map.of("objective", "multi:softprob", "num_class", 3, "max_depth", 2,
                "eta", 0.3, "eval_metric", "mlogloss", "seed", 7, "nthread", 1);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("train", iris.train());
        watches.put("valid", iris.valid());
        TrainedBooster trained;
        String runId;
        try (ActiveRun run = tracker.startRun("xgboost-iris")) {
            trained = XGBoostTracking.train(run, iris.train(), params, 12, watches);
            runId = run.id();
        }
        Run run = tracker.getRun(runId);
        assertEquals("multi:softprob", run.data().params().get("objective"));
        assertEquals("3", run.data().params().get("num_class"));
        assertEquals("12", run.data().params().get(XGBoostTracking.ROUNDS_PARAM));
        assertEquals("0", run.data().params().get(XGBoostTracking.EARLY_STOPPING_PARAM));
        for (String key : List.of("train-mlogloss", "valid-mlogloss")) {
            List<Metric> history = tracker.metricHistory(runId, key);
            assertArrayEquals(LongStream.range(0, 12).toArray(), history.stream().mapToLong(Metric::step).toArray(), key);
        }
        assertEquals(12, trained.roundsTrained());
        assertTrue(trained.bestIteration().isEmpty());
        assertTrue(tracker.metricHistory(runId, XGBoostTracking.BEST_ITERATION_METRIC).isEmpty());

        JsonNode importance;
        try (InputStream in = tracker.openArtifact(runId, XGBoostTracking.IMPORTANCE_ARTIFACT)) {
            importance = new ObjectMapper().readTree(in);
        }
        assertTrue(importance.get("gain").size() > 0, importance.toString());
        assertTrue(importance.get("weight").fieldNames().next().startsWith("f"), importance.toString());

        LoggedModel model = trained.model();
        assertEquals("xgboost", model.flavor());
        int version = registry.register("xgboost-iris", model.uri()).version();
        Booster loaded = registry.load("models:/xgboost-iris/" + version, Booster.class);
        DMatrix unseen = new DMatrix(iris.validFeatures(), iris.validFeatures().length / iris.columns(),
                iris.columns(), Float.NaN);
        float[][] expected = trained.booster().predict(unseen);
        assertEquals(3, expected[0].length);
        assertTrue(java.util.Arrays.deepEquals(expected, loaded.predict(unseen)), "predictions differ after loading");
    }

    @Test
    void earlyStoppingOnAMaximisedMetricRecordsTheBestRoundAndStops() throws Exception {
        Map<String, Object> params = Map.of("objective", "binary:logistic", "max_depth", 2, "eta", 0.5,
                "eval_metric", "auc", "seed", 7, "nthread", 1);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("train", cancer.train());
        watches.put("valid", cancer.valid());
        TrainedBooster trained;
        String runId;
        try (ActiveRun run = tracker.startRun("xgboost-cancer")) {
            trained = XGBoostTracking.train(run, cancer.train(), params, 60, watches, 3);
            runId = run.id();
        }
        assertTrue(trained.roundsTrained() < 60, "rounds trained " + trained.roundsTrained());
        List<Metric> valid = tracker.metricHistory(runId, "valid-auc");
        assertEquals(trained.roundsTrained(), valid.size());
        assertEquals(trained.roundsTrained(), tracker.metricHistory(runId, "train-auc").size());
        // auc is maximised: the best round is the first round with the highest validation auc.
        double max = valid.stream().mapToDouble(Metric::value).max().orElseThrow();
        int firstMax = valid.stream().filter(m -> m.value() == max).mapToInt(m -> (int) m.step()).min().orElseThrow();
        assertEquals(firstMax, trained.bestIteration().orElseThrow());
        assertEquals(max, trained.bestScore().orElseThrow());
        assertEquals(trained.roundsTrained() - 1 - 3, firstMax, "stops 3 rounds after the best");
        Run run = tracker.getRun(runId);
        assertEquals(firstMax, run.data().metrics().get(XGBoostTracking.BEST_ITERATION_METRIC));
        assertEquals(Integer.toString(firstMax), trained.booster().getAttr("best_iteration"));
        assertEquals(Float.toString((float) max), trained.booster().getAttr("best_score"), "a float, as XGBoost.train writes it");

        // logModel infers the xgboost flavor from the booster's type, through ServiceLoader.
        try (ActiveRun again = tracker.startRun("xgboost-cancer")) {
            LoggedModel inferred = again.logModel("booster", trained.booster());
            assertEquals("xgboost", inferred.flavor());
            Booster loaded = tracker.loadModel(inferred.uri(), Booster.class);
            assertTrue(java.util.Arrays.deepEquals(trained.booster().predict(cancer.valid()), loaded.predict(cancer.valid())));
            var notABooster = assertThrows(InvalidInputException.class, () -> tracker.loadModel(inferred.uri(), String.class));
            assertTrue(notABooster.getMessage().contains("Booster"), notABooster.getMessage());
        }
    }

    @Test
    void aMetricXGBoostPrintsAsNanOrInfIsLoggedAsSuchAndTrainingGoesOn() throws Exception {
        // auc on a watch whose labels are all one class is nan; XGBoost prints it and trains on.
        float[] features = cancer.validFeatures();
        int rows = features.length / cancer.columns();
        DMatrix oneClass = new DMatrix(features, rows, cancer.columns(), Float.NaN);
        oneClass.setLabel(new float[rows]);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("train", cancer.train());
        watches.put("valid", oneClass);
        Map<String, Object> params = Map.of("objective", "binary:logistic", "max_depth", 2, "eval_metric", "auc",
                "seed", 7, "nthread", 1);
        String runId;
        try (ActiveRun run = tracker.startRun("xgboost-nan")) {
            XGBoostTracking.train(run, cancer.train(), params, 4, watches);
            runId = run.id();
        }
        List<Metric> valid = tracker.metricHistory(runId, "valid-auc");
        assertEquals(4, valid.size());
        assertTrue(valid.stream().allMatch(m -> Double.isNaN(m.value())), valid::toString);
        assertEquals(4, tracker.metricHistory(runId, "train-auc").size());
    }

    /** Watches "训练" and "验证" became "__" both, and one watch's auc took the other's series. */
    @Test
    void watchNamesOfAnyScriptAreKeptAndTwoThatCleanUpAlikeStayTwoSeries() throws Exception {
        Map<String, Object> params = Map.of("objective", "binary:logistic", "max_depth", 2, "eval_metric", "auc",
                "seed", 7, "nthread", 1);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("训练", cancer.train());
        watches.put("a@b", cancer.train());
        watches.put("a#b", cancer.valid());
        String runId;
        try (ActiveRun run = tracker.startRun("xgboost-names")) {
            XGBoostTracking.train(run, cancer.train(), params, 3, watches);
            runId = run.id();
        }
        assertEquals(3, tracker.metricHistory(runId, "训练-auc").size(), tracker.getRun(runId).data().metrics().keySet().toString());
        List<Metric> first = tracker.metricHistory(runId, "a_b-auc");
        List<Metric> second = tracker.metricHistory(runId, "a_b-auc_2");
        assertEquals(3, first.size());
        assertEquals(3, second.size());
        assertEquals(tracker.metricHistory(runId, "训练-auc"), first.stream()
                .map(m -> new Metric("训练-auc", m.value(), m.step(), m.timestamp())).toList(), "a@b is the train set too");
        // A tab, which separates XGBoost's output fields, is a character a key cannot hold, no longer a cut.
        String tabbed;
        try (ActiveRun run = tracker.startRun("xgboost-names")) {
            XGBoostTracking.train(run, cancer.train(), params, 1, Map.of("a\tb", cancer.valid()));
            tabbed = run.id();
        }
        assertEquals(java.util.Set.of("a_b-auc"), tracker.getRun(tabbed).data().metrics().keySet());
    }

    @Test
    void badArgumentsAreInvalidInputNamingTheProblem() {
        try (ActiveRun run = tracker.startRun("xgboost-bad")) {
            Map<String, DMatrix> none = Map.of();
            assertThrows(InvalidInputException.class, () -> XGBoostTracking.train(null, iris.train(), Map.of(), 1, none));
            assertThrows(InvalidInputException.class, () -> XGBoostTracking.train(run, null, Map.of(), 1, none));
            assertThrows(InvalidInputException.class, () -> XGBoostTracking.train(run, iris.train(), null, 1, none));
            assertThrows(InvalidInputException.class, () -> XGBoostTracking.train(run, iris.train(), Map.of(), 1, null));
            var rounds = assertThrows(InvalidInputException.class,
                    () -> XGBoostTracking.train(run, iris.train(), Map.of(), 0, none));
            assertTrue(rounds.getMessage().contains("rounds"), rounds.getMessage());
            var watchless = assertThrows(InvalidInputException.class,
                    () -> XGBoostTracking.train(run, iris.train(), Map.of(), 5, none, 2));
            assertTrue(watchless.getMessage().contains("watch"), watchless.getMessage());
            var wrongType = assertThrows(InvalidInputException.class,
                    () -> tracker.loadModel(run.logModel("json", Map.of("a", 1)).uri(), Booster.class,
                            XGBoostTracking.flavor()));
            assertTrue(wrongType.getMessage().contains("xgboost"), wrongType.getMessage());
            // A metric "-auc" before, and a params entry the call's own number replaced without a word.
            var blank = assertThrows(InvalidInputException.class,
                    () -> XGBoostTracking.train(run, iris.train(), Map.of(), 2, Map.of("", iris.valid())));
            assertTrue(blank.getMessage().startsWith("A watch needs a name"), blank.getMessage());
            var twice = assertThrows(InvalidInputException.class,
                    () -> XGBoostTracking.train(run, iris.train(), Map.of(XGBoostTracking.ROUNDS_PARAM, 5), 3, none));
            assertTrue(twice.getMessage().startsWith("params gives num_boost_round=5 but rounds is 3"), twice.getMessage());
            assertTrue(tracker.getRun(run.id()).data().params().isEmpty(), "nothing logged");
        }
    }
}
