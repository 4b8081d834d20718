package dev.runlog.tribuo;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tribuo.internal.Provenances;
import dev.runlog.tribuo.internal.TribuoFlavor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.provenance.ModelProvenance;

/**
 * Logs Tribuo models into a run: what Tribuo's provenance records, how the model scored, and the
 * model itself.
 *
 * <pre>{@code
 * tracker.run("iris", run -> {
 *     TrainedClassifier trained = TribuoTracking.train(run, new LogisticRegressionTrainer(), train, test);
 *     registry.register("iris", trained.logged().uri());
 * });
 * }</pre>
 *
 * <ul>
 *   <li>params ({@link #logProvenance}): every setting in the trainer's provenance, flattened with
 *       {@code .} ({@code epochs}, {@code seed}, {@code optimiser.initialLearningRate},
 *       {@code train-invocation-count}, {@code class-name}: the trainer's class);</li>
 *   <li>tags: the rest of the model's provenance under {@value #TAG_PREFIX} (the data source, such
 *       as {@code tribuo.dataset.datasource.dataPath} and its hash; the model class; the Tribuo and
 *       Java versions; the training time);</li>
 *   <li>metrics ({@link #logEvaluation}): {@code accuracy}, {@code macro_precision},
 *       {@code macro_recall}, {@code macro_f1}, {@code balanced_error_rate}, per class
 *       {@code precision/<label>}, {@code recall/<label>}, {@code f1/<label>}, and, when the model
 *       predicts probabilities, {@code auc/<label>} and {@code macro_auc}; each under a prefix
 *       such as {@code test/};</li>
 *   <li>the model ({@link #flavor()}): Tribuo's own protobuf format, loading back as the model's
 *       class.</li>
 * </ul>
 *
 * <p>Keys: a character other than letters and digits (of any script), {@code _ - .} and space (in a
 * label, say) becomes {@code _}, and so do the labels {@code .} and {@code ..}. A label so renamed gets {@code _2}, {@code _3}, ... where its new name is another
 * label's (labels {@code a:b} and {@code a_b} give {@code f1/a_b_2} and {@code f1/a_b}), and the tag
 * {@code tribuo.label.<key>} holding the label as Tribuo spells it. Values longer than Runlog's limits
 * (6,000 characters for a param, 8,000 for a tag) are cut, saying so.
 */
public final class TribuoTracking {
    /** The prefix of the provenance tags. */
    public static final String TAG_PREFIX = "tribuo.";
    /** Prefix of the tags naming, under a metric key's form of a label, the label as Tribuo spells it. */
    public static final String LABEL_TAG_PREFIX = TAG_PREFIX + "label.";
    /** Where {@link #train} logs the model. */
    public static final String MODEL_PATH = "model";
    /** The metric prefix {@link #train} gives the test evaluation. */
    public static final String TEST_PREFIX = "test/";

    private TribuoTracking() {
    }

    /**
     * Trains a classifier with {@code trainer} on {@code train}, evaluates it on {@code test}, and
     * logs its provenance, the evaluation (prefixed {@value #TEST_PREFIX}) and the model (at
     * {@value #MODEL_PATH}).
     *
     * @throws dev.runlog.tracking.InvalidInputException if an argument is null, or {@code test} is
     *         empty (checked before training)
     */
    public static TrainedClassifier train(ActiveRun run, Trainer<Label> trainer, Dataset<Label> train,
                                          Dataset<Label> test) {
        InputRules.notNull("run", run);
        InputRules.notNull("trainer", trainer);
        InputRules.notNull("train", train);
        InputRules.notNull("test", test);
        if (test.size() == 0) {
            // Tribuo's evaluator fails on it with an ArrayIndexOutOfBoundsException, after the training.
            throw new InvalidInputException("the test dataset is empty: there is nothing to evaluate the model on");
        }
        Model<Label> model = trainer.train(train);
        logProvenance(run, model);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
        logEvaluation(run, evaluation, TEST_PREFIX);
        LoggedModel logged = run.logModel(MODEL_PATH, model, flavor());
        return new TrainedClassifier(model, evaluation, logged);
    }

    /**
     * Logs the trainer's settings as params and the rest of the model's provenance as tags (see
     * the class comment).
     *
     * @throws dev.runlog.tracking.InvalidInputException if an argument is null
     * @throws dev.runlog.tracking.ParamConflictException if the run already holds one of these
     *         params with another value
     */
    public static void logProvenance(ActiveRun run, Model<?> model) {
        InputRules.notNull("run", run);
        InputRules.notNull("model", model);
        ModelProvenance provenance = model.getProvenance();
        Map<String, String> params = new LinkedHashMap<>();
        Provenances.trainerParams(provenance.getTrainerProvenance())
                .forEach((key, value) -> params.put(key, fit(value, InputRules.MAX_PARAM_VALUE_LENGTH)));
        run.logParams(params);
        Provenances.tags(provenance, "trainer", TAG_PREFIX)
                .forEach((key, value) -> run.setTag(key, fit(value, InputRules.MAX_TAG_VALUE_LENGTH)));
    }

    /**
     * Logs a classification evaluation as metrics at step 0, every key starting with
     * {@code prefix} ({@code ""} for none, {@code "test/"} or {@code "valid/"} to tell evaluations
     * apart); see the class comment for the keys.
     *
     * @throws dev.runlog.tracking.InvalidInputException if an argument is null
     */
    public static void logEvaluation(ActiveRun run, LabelEvaluation evaluation, String prefix) {
        InputRules.notNull("run", run);
        InputRules.notNull("evaluation", evaluation);
        InputRules.notNull("prefix", prefix);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(prefix + "accuracy", evaluation.accuracy());
        metrics.put(prefix + "macro_precision", evaluation.macroAveragedPrecision());
        metrics.put(prefix + "macro_recall", evaluation.macroAveragedRecall());
        metrics.put(prefix + "macro_f1", evaluation.macroAveragedF1());
        metrics.put(prefix + "balanced_error_rate", evaluation.balancedErrorRate());
        boolean probabilities = !evaluation.getPredictions().isEmpty()
                && evaluation.getPredictions().get(0).hasProbabilities();
        java.util.Set<Label> domain = evaluation.getConfusionMatrix().getDomain().getDomain();
        Map<String, String> keys = Provenances.labelKeys(domain.stream().map(Label::getLabel).toList());
        for (Label label : domain) {
            String name = keys.get(label.getLabel());
            if (!name.equals(label.getLabel())) {
                run.setTag(LABEL_TAG_PREFIX + name, label.getLabel());
            }
            metrics.put(prefix + "precision/" + name, evaluation.precision(label));
            metrics.put(prefix + "recall/" + name, evaluation.recall(label));
            metrics.put(prefix + "f1/" + name, evaluation.f1(label));
            if (probabilities) {
                metrics.put(prefix + "auc/" + name, evaluation.AUCROC(label));
            }
        }
        if (probabilities) {
            metrics.put(prefix + "macro_auc", evaluation.averageAUCROC(false));
        }
        run.logMetrics(metrics, 0);
    }

    /**
     * The {@code tribuo} flavor: a Tribuo model in Tribuo's protobuf format. {@code logModel} picks
     * it by itself for a Tribuo model when this module is present; name it to be explicit.
     */
    public static ModelFlavor flavor() {
        return new TribuoFlavor();
    }

    private static String fit(String value, int limit) {
        if (value.length() <= limit) {
            return value;
        }
        String marker = "... (truncated from " + value.length() + " characters)";
        return value.substring(0, limit - marker.length()) + marker;
    }
}
