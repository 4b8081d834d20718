package dev.runlog.examples;

import dev.runlog.examples.ml.LabeledData;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import dev.runlog.xgboost.TrainedBooster;
import dev.runlog.xgboost.XGBoostTracking;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees on the breast cancer data with XGBoost4J, from training to serving:
 * {@link XGBoostTracking#train} logs the params, every round's {@code train-auc} and
 * {@code valid-auc}, early stopping's best round, feature importance and the booster; the booster
 * is registered, promoted to Production if its best validation AUC passes a gate, and loaded back
 * from the registry to score a few tumours.
 *
 * <pre>
 * mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.runlog.examples.XGBoostPipeline
 * </pre>
 */
public final class XGBoostPipeline {
    public static final String EXPERIMENT = "breast-cancer-xgboost";
    public static final String MODEL_NAME = "breast-cancer-xgboost";
    /** A booster below this best validation AUC never reaches Production. */
    public static final double MIN_AUC = 0.95;
    /** Every 5th tumour is held out for validation and early stopping. */
    private static final int HOLD_OUT_EVERY = 5;

    private XGBoostPipeline() {
    }

    /**
     * What one run of the pipeline did.
     *
     * @param runId         the training run
     * @param rounds        the boosting rounds trained (early stopping may stop before 200)
     * @param bestAuc       the best validation AUC
     * @param version       the registered version
     * @param stage         its stage at the end
     * @param probabilities the Production model's probability of malignancy for the first held-out rows
     */
    public record Result(String runId, int rounds, double bestAuc, int version, Stage stage, List<Float> probabilities) {
    }

    /** Runs the pipeline on the default store, or on the store whose URI is the first argument. */
    public static void main(String[] args) throws XGBoostError {
        try (Tracker tracker = args.length > 0 ? Tracker.open(args[0]) : Tracker.open()) {
            run(tracker, System.out);
        }
    }

    /** Trains, tracks, registers, promotes through a gate and serves; prints what happened to {@code out}. */
    public static Result run(Tracker tracker, PrintStream out) throws XGBoostError {
        LabeledData data = LabeledData.readCsv(ExampleData.breastCancer(), "diagnosis");
        int malignant = data.classNames().indexOf("malignant");
        List<Integer> trainRows = new ArrayList<>();
        List<Integer> validRows = new ArrayList<>();
        for (int row = 0; row < data.size(); row++) {
            (row % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1 ? validRows : trainRows).add(row);
        }
        DMatrix train = matrix(data, trainRows, malignant);
        DMatrix valid = matrix(data, validRows, malignant);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("train", train);
        watches.put("valid", valid); // the last watch: early stopping watches its AUC
        Map<String, Object> params = Map.of("objective", "binary:logistic", "eval_metric", "auc",
                "max_depth", 3, "eta", 0.3, "subsample", 0.9, "seed", 42, "nthread", 1);

        // 1. Train inside a run: one call logs params, metrics per round, importance and the booster.
        AtomicReference<TrainedBooster> trained = new AtomicReference<>();
        Run run = tracker.newRun(EXPERIMENT).name("xgboost-depth-3").run(active -> {
            active.logInput(Dataset.fromCsv(ExampleData.breastCancer(), "breast-cancer"), "training");
            trained.set(XGBoostTracking.train(active, train, params, 200, watches, 10));
        });
        TrainedBooster booster = trained.get();
        double bestAuc = booster.bestScore().orElseThrow();
        out.printf("run %s: %d rounds, best validation AUC %.4f at round %d%n", run.info().id(),
                booster.roundsTrained(), bestAuc, booster.bestIteration().orElseThrow());

        // 2. Register the booster and promote it through a gate on the run's best validation AUC.
        ModelRegistry registry = ModelRegistry.of(tracker);
        int version = registry.register(MODEL_NAME, booster.model().uri()).version();
        registry.transition(MODEL_NAME, version, Stage.STAGING);
        try {
            registry.promote(MODEL_NAME, version, Stage.PRODUCTION,
                    Gates.metricAtLeast(XGBoostTracking.BEST_SCORE_METRIC, MIN_AUC));
        } catch (dev.runlog.registry.PromotionRejectedException e) {
            out.printf("%s version %d stays in Staging: %s%n", MODEL_NAME, version, e.getMessage());
        }
        Stage stage = registry.getVersion(MODEL_NAME, version).stage();
        out.printf("%s version %d: %s%n", MODEL_NAME, version, stage);

        // 3. Serve: load the booster back from the registry (XGBoost's own format, no Java serialization).
        List<Float> probabilities = new ArrayList<>();
        if (stage == Stage.PRODUCTION) {
            Booster served = registry.load("models:/" + MODEL_NAME + "/Production", Booster.class);
            DMatrix sample = matrix(data, validRows.subList(0, 5), malignant);
            float[][] predicted = served.predict(sample);
            for (int i = 0; i < predicted.length; i++) {
                int row = validRows.get(i);
                probabilities.add(predicted[i][0]);
                out.printf("  row %3d %-9s P(malignant) = %.3f%n", row, data.className(row), predicted[i][0]);
            }
        }
        return new Result(run.info().id(), booster.roundsTrained(), bestAuc, version, stage, probabilities);
    }

    /** The rows as an XGBoost matrix, labelled 1 for malignant and 0 for benign. */
    private static DMatrix matrix(LabeledData data, List<Integer> rows, int positiveClass) throws XGBoostError {
        int columns = data.featureNames().size();
        float[] values = new float[rows.size() * columns];
        float[] labels = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            double[] features = data.features()[rows.get(i)];
            for (int c = 0; c < columns; c++) {
                values[i * columns + c] = (float) features[c];
            }
            labels[i] = data.labels()[rows.get(i)] == positiveClass ? 1f : 0f;
        }
        DMatrix matrix = new DMatrix(values, rows.size(), columns, Float.NaN);
        matrix.setLabel(labels);
        return matrix;
    }
}
