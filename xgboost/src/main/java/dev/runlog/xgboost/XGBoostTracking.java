package dev.runlog.xgboost;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.xgboost.internal.EvalLine;
import dev.runlog.xgboost.internal.XGBoostFlavor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains an XGBoost4J booster in a run, logging what MLflow's XGBoost autolog logs, in one call:
 *
 * <pre>{@code
 * tracker.run("breast-cancer", run -> {
 *     TrainedBooster trained = XGBoostTracking.train(run, train,
 *             Map.of("objective", "binary:logistic", "eval_metric", "logloss", "max_depth", 3),
 *             100, Map.of("train", train, "valid", valid), 10);
 *     registry.register("breast-cancer", trained.model().uri());
 * });
 * }</pre>
 *
 * <ul>
 *   <li>params: every entry of {@code params} (as {@link String#valueOf(Object)}), and
 *       {@value #ROUNDS_PARAM} and {@value #EARLY_STOPPING_PARAM};</li>
 *   <li>metrics: every evaluation metric of every watch, named {@code <watch>-<metric>} as XGBoost
 *       prints them ({@code train-logloss}, {@code valid-auc}), one point per round with the 0-based
 *       round as step; characters other than letters and digits (of any script), {@code _ - .} and space (such
 *       as the {@code @} of {@code ndcg@5}) become {@code _}, and a name that becomes another's gets {@code _2},
 *       {@code _3}, ... (two watches are never merged);</li>
 *   <li>with early stopping: the metrics {@value #BEST_ITERATION_METRIC}, {@value #BEST_SCORE_METRIC}
 *       and {@value #STOPPED_ITERATION_METRIC}, and the booster attributes {@code best_iteration}
 *       and {@code best_score} that XGBoost's own {@code train} sets;</li>
 *   <li>the artifact {@value #IMPORTANCE_ARTIFACT}: for each importance type ({@code weight},
 *       {@code gain}, {@code cover}, {@code total_gain}, {@code total_cover}), each used feature's
 *       score;</li>
 *   <li>the booster as the model {@value #MODEL_PATH}, in the {@code xgboost} flavor (XGBoost's
 *       UBJSON format), which loads back as a {@link Booster}.</li>
 * </ul>
 *
 * <p>Early stopping follows {@code XGBoost.train}: the score watched is the last metric of the last
 * watch (in {@code watches}' iteration order: give a {@link LinkedHashMap} when there are several),
 * maximised for metrics XGBoost maximises ({@code auc}, {@code map}, {@code ndcg}, ...) or when
 * {@code maximize_evaluation_metrics} is set, and training stops once it has not improved for
 * {@code earlyStoppingRounds} rounds.
 */
public final class XGBoostTracking {
    /** The param holding the number of rounds asked for. */
    public static final String ROUNDS_PARAM = "num_boost_round";
    /** The param holding the early-stopping patience (0: none). */
    public static final String EARLY_STOPPING_PARAM = "early_stopping_rounds";
    /** The metric holding the 0-based best round, with early stopping. */
    public static final String BEST_ITERATION_METRIC = "best_iteration";
    /** The metric holding the best round's score, with early stopping. */
    public static final String BEST_SCORE_METRIC = "best_score";
    /** The metric holding the 0-based last round trained, with early stopping. */
    public static final String STOPPED_ITERATION_METRIC = "stopped_iteration";
    /** Where the booster is logged in the run. */
    public static final String MODEL_PATH = "model";
    /** The feature importance artifact. */
    public static final String IMPORTANCE_ARTIFACT = "feature_importance.json";

    private static final String[] IMPORTANCE_TYPES = {"weight", "gain", "cover", "total_gain", "total_cover"};

    private XGBoostTracking() {
    }

    /** {@link #train(ActiveRun, DMatrix, Map, int, Map, int)} without early stopping. */
    public static TrainedBooster train(ActiveRun run, DMatrix dtrain, Map<String, Object> params, int rounds,
                                       Map<String, DMatrix> watches) throws XGBoostError {
        return train(run, dtrain, params, rounds, watches, 0);
    }

    /**
     * Trains a booster on {@code dtrain} for up to {@code rounds} rounds, evaluating it on every
     * watch after each round, and logs it all into {@code run} (see the class comment).
     *
     * @param watches             the data sets to evaluate on each round, by name; may be empty
     * @param earlyStoppingRounds stop once the watched score has not improved for this many rounds;
     *                            0 for no early stopping
     * @throws InvalidInputException if an argument is null, {@code rounds} is below 1,
     *                               {@code earlyStoppingRounds} is negative, or early stopping is
     *                               asked for with no watch
     * @throws XGBoostError          if XGBoost fails (a bad param, say)
     */
    public static TrainedBooster train(ActiveRun run, DMatrix dtrain, Map<String, Object> params, int rounds,
                                       Map<String, DMatrix> watches, int earlyStoppingRounds) throws XGBoostError {
        InputRules.notNull("run", run);
        InputRules.notNull("dtrain", dtrain);
        InputRules.notNull("params", params);
        InputRules.notNull("watches", watches);
        if (rounds < 1) {
            throw new InvalidInputException("rounds must be at least 1, got " + rounds);
        }
        if (earlyStoppingRounds < 0) {
            throw new InvalidInputException("earlyStoppingRounds must be 0 (none) or more, got " + earlyStoppingRounds);
        }
        if (earlyStoppingRounds > 0 && watches.isEmpty()) {
            throw new InvalidInputException("Early stopping needs at least one watch to score each round");
        }
        for (String name : watches.keySet()) {
            if (name == null || name.isBlank()) {
                // XGBoost names a metric <watch>-<metric>: a blank watch made a metric "-auc".
                throw new InvalidInputException("A watch needs a name, such as \"valid\"; got " + (name == null ? "null" : "'" + name + "'"));
            }
        }
        Map<String, Object> logged = new LinkedHashMap<>(params);
        // Both are this call's arguments, logged under these names: a different value in params,
        // which XGBoost does not read, would be dropped from the record without a word.
        refuseOther(params, ROUNDS_PARAM, rounds, "rounds");
        refuseOther(params, EARLY_STOPPING_PARAM, earlyStoppingRounds, "earlyStoppingRounds");
        logged.put(ROUNDS_PARAM, rounds);
        logged.put(EARLY_STOPPING_PARAM, earlyStoppingRounds);
        run.logParams(logged);

        String[] watchNames = watches.keySet().toArray(String[]::new);
        String[] names = EvalLine.internalNames(watchNames.length);
        DMatrix[] matrices = watches.values().toArray(DMatrix[]::new);
        // Zero rounds: XGBoost builds and configures the booster (caching the watches), we boost.
        Booster booster = XGBoost.train(dtrain, params, 0, watches, null, null);
        Boolean maximize = null;
        int best = -1;
        double bestScore = Double.NaN;
        int round = 0;
        while (round < rounds) {
            booster.update(dtrain, round);
            if (names.length > 0) {
                String line = booster.evalSet(matrices, names, round);
                Map<String, Double> metrics = EvalLine.parse(line, watchNames);
                run.logMetrics(metrics, round);
                if (earlyStoppingRounds > 0 && !metrics.isEmpty()) {
                    if (maximize == null) {
                        maximize = XGBoost.isMaximizeEvaluation(line, names, params);
                    }
                    double score = EvalLine.last(metrics);
                    if (best < 0 || (maximize ? score > bestScore : score < bestScore)) {
                        best = round;
                        bestScore = score;
                    } else if (round - best >= earlyStoppingRounds) {
                        round++;
                        break;
                    }
                }
            }
            round++;
        }
        if (best >= 0) {
            booster.setAttr("best_iteration", Integer.toString(best));
            // As XGBoost.train writes it: the score as a float.
            booster.setAttr("best_score", Float.toString((float) bestScore));
            run.logMetrics(Map.of(BEST_ITERATION_METRIC, best, BEST_SCORE_METRIC, bestScore,
                    STOPPED_ITERATION_METRIC, round - 1), 0);
        }
        run.logJson(featureImportance(booster), IMPORTANCE_ARTIFACT);
        LoggedModel model = run.logModel(MODEL_PATH, booster, flavor());
        return new TrainedBooster(booster, model, round, best >= 0 ? OptionalInt.of(best) : OptionalInt.empty(),
                best >= 0 ? OptionalDouble.of(bestScore) : OptionalDouble.empty());
    }

    /**
     * The {@code xgboost} flavor: a {@link Booster} in XGBoost's UBJSON format. {@code logModel}
     * picks it by itself for a booster when this module is present; name it to be explicit.
     */
    public static ModelFlavor flavor() {
        return new XGBoostFlavor();
    }

    private static Map<String, Map<String, Double>> featureImportance(Booster booster) throws XGBoostError {
        // The String[] (feature names) overloads crash the JVM inside XGBoost4J 3.4.0's native dump;
        // the feature-map one with no map names features as XGBoost does (f0, f1, ...).
        Map<String, Map<String, Double>> importance = new LinkedHashMap<>();
        for (String type : IMPORTANCE_TYPES) {
            importance.put(type, new java.util.TreeMap<>(booster.getScore("", type)));
        }
        return importance;
    }

    private static void refuseOther(Map<String, Object> params, String name, int value, String argument) {
        Object given = params.get(name);
        if (given != null && !given.toString().equals(Integer.toString(value))) {
            throw new InvalidInputException("params gives " + name + "=" + given + " but " + argument + " is " + value
                    + "; XGBoost takes the number from " + argument + ": give it there, or give the same in both");
        }
    }
}
