package dev.runlog.examples;

import dev.runlog.examples.ml.EpochListener;
import dev.runlog.examples.ml.Hyperparameters;
import dev.runlog.examples.ml.LabeledData;
import dev.runlog.examples.ml.SoftmaxClassifier;
import dev.runlog.examples.ml.SoftmaxRegression;
import dev.runlog.examples.ml.Splits;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A grid search as nested runs: one parent run for the sweep, one child run per combination of
 * learning rate and L2 penalty, then the best child found with a run search rather than by keeping
 * score in the code, so the same query works later on a store full of sweeps.
 *
 * <pre>
 * mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.runlog.examples.HyperparameterSweep
 * </pre>
 *
 * <p>Every child trains on the same 70% of the Iris data and is judged on the other 30%, split by
 * a seeded, stratified shuffle. Validation accuracy on 45 flowers moves in steps of 1/45 and often
 * ties, so the search breaks ties on validation loss: of two equally accurate models, the one more
 * confident in its right answers wins.
 */
public final class HyperparameterSweep {
    public static final String EXPERIMENT = "iris-sweep";
    public static final double[] LEARNING_RATES = {0.01, 0.03, 0.1, 0.3, 1.0};
    public static final double[] L2_PENALTIES = {0.0, 0.001, 0.01, 0.1};
    public static final int MAX_ITER = 200;
    public static final double VALIDATION_FRACTION = 0.3;
    public static final long SPLIT_SEED = 42;

    private HyperparameterSweep() {
    }

    /**
     * One child run of the sweep.
     *
     * @param runId         the child run
     * @param learningRate  its learning rate
     * @param l2            its L2 penalty
     * @param trainAccuracy its accuracy on the training rows
     * @param valAccuracy   its accuracy on the validation rows
     * @param valLoss       its mean log loss on the validation rows
     */
    public record Trial(String runId, double learningRate, double l2, double trainAccuracy, double valAccuracy,
                        double valLoss) {
    }

    /**
     * What the sweep did.
     *
     * @param parentRunId the sweep's parent run
     * @param trials      the child runs, in grid order
     * @param best        the best child, as the run search ranked it
     */
    public record Result(String parentRunId, List<Trial> trials, Trial best) {
    }

    /** Runs the sweep on the default store, or on the store whose URI is the first argument. */
    public static void main(String[] args) {
        String uri = args.length > 0 ? args[0] : Tracker.defaultUri();
        try (Tracker tracker = args.length > 0 ? Tracker.open(args[0]) : Tracker.open()) {
            run(tracker, System.out);
        }
        System.out.println(WhereStored.line(uri, "runs", ""));
    }

    /** Runs the sweep, finds the best child by searching the store and prints the table to {@code out}. */
    public static Result run(Tracker tracker, PrintStream out) {
        Path csv = ExampleData.iris();
        LabeledData iris = LabeledData.readCsv(csv, "species");
        Splits.Split split = Splits.stratified(iris, VALIDATION_FRACTION, SPLIT_SEED);
        LabeledData train = iris.rows(split.train());
        LabeledData validation = iris.rows(split.validation());
        Dataset dataset = Dataset.fromCsv(csv, "iris");

        AtomicReference<Result> result = new AtomicReference<>();
        // The sweep and each child end FINISHED, or FAILED with the exception recorded if training throws.
        tracker.run(EXPERIMENT, sweep -> {
            sweep.logParams(Map.of("validation_fraction", VALIDATION_FRACTION, "split_seed", SPLIT_SEED,
                    "max_iter", MAX_ITER, "grid_size", LEARNING_RATES.length * L2_PENALTIES.length));
            sweep.logInput(dataset, "training");

            List<Trial> trials = new ArrayList<>();
            for (double learningRate : LEARNING_RATES) {
                for (double l2 : L2_PENALTIES) {
                    trials.add(trial(tracker, sweep, dataset, train, validation,
                            new Hyperparameters(learningRate, l2, MAX_ITER)));
                }
            }

            // Rank the children by what they logged, straight from the store. The parent's id is in
            // each child's runlog.parentRunId tag; the backticks quote a key containing dots.
            List<Run> ranked = tracker.searchRuns()
                    .experiments(EXPERIMENT)
                    .filter("tags.`runlog.parentRunId` = '" + sweep.id() + "'")
                    .orderBy("metrics.val_accuracy DESC", "metrics.val_loss ASC")
                    .maxResults(1)
                    .page().runs();
            String bestRunId = ranked.get(0).info().id();
            Trial best = trials.stream().filter(t -> t.runId().equals(bestRunId)).findFirst().orElseThrow();

            // The parent records the winner, so the sweep's outcome reads without opening a child.
            Map<String, String> bestParams = ranked.get(0).data().params();
            sweep.logParams(Map.of("learning_rate", bestParams.get("learning_rate"), "l2", bestParams.get("l2")));
            sweep.setTag("best_run_id", bestRunId);
            sweep.logMetric("best_val_accuracy", best.valAccuracy());

            printTable(out, sweep.id(), trials, best, train.size(), validation.size());
            result.set(new Result(sweep.id(), List.copyOf(trials), best));
        });
        return result.get();
    }

    /** One child run: train with these settings, log them and the train and validation scores. */
    private static Trial trial(Tracker tracker, ActiveRun sweep, Dataset dataset, LabeledData train,
                               LabeledData validation, Hyperparameters hyper) {
        AtomicReference<Trial> trial = new AtomicReference<>();
        tracker.newRun(EXPERIMENT).parent(sweep).name("lr=" + hyper.learningRate() + " l2=" + hyper.l2()).run(child -> {
            child.logParams(hyper.asParams());
            child.logInput(dataset, "training");
            SoftmaxClassifier model = SoftmaxRegression.fit(train, hyper, EpochListener.NONE);
            double trainAccuracy = model.accuracy(train);
            double valAccuracy = model.accuracy(validation);
            double valLoss = model.logLoss(validation);
            child.logMetrics(Map.of("train_accuracy", trainAccuracy, "val_accuracy", valAccuracy,
                    "val_loss", valLoss), 0);
            trial.set(new Trial(child.id(), hyper.learningRate(), hyper.l2(), trainAccuracy, valAccuracy, valLoss));
        });
        return trial.get();
    }

    private static void printTable(PrintStream out, String parentRunId, List<Trial> trials, Trial best,
                                   int trainRows, int validationRows) {
        out.printf("sweep %s: %d child runs, %d training and %d validation flowers%n",
                parentRunId, trials.size(), trainRows, validationRows);
        out.printf("  %5s %6s %10s %8s %9s%n", "lr", "l2", "train acc", "val acc", "val loss");
        for (Trial t : trials) {
            out.printf("  %5s %6s %10.4f %8.4f %9.4f%s%n", t.learningRate(), t.l2(), t.trainAccuracy(),
                    t.valAccuracy(), t.valLoss(), t == best ? " <- best" : "");
        }
        out.printf("best: lr=%s l2=%s, val accuracy %.4f (run %s)%n",
                best.learningRate(), best.l2(), best.valAccuracy(), best.runId());
    }
}
