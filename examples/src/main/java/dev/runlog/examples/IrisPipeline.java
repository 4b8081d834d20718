package dev.runlog.examples;

import dev.runlog.examples.ml.Classifier;
import dev.runlog.examples.ml.Hyperparameters;
import dev.runlog.examples.ml.LabeledData;
import dev.runlog.examples.ml.SoftmaxClassifier;
import dev.runlog.examples.ml.SoftmaxRegression;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole loop on the Iris data: train a model inside a run, register it, promote it to
 * Production only if it passes quality gates, then serve whatever Production holds.
 *
 * <pre>
 * mvn -B -q -pl examples -am compile exec:java                                  # sqlite:runlog.db here
 * mvn -B -q -pl examples -am compile exec:java -Dexec.args=sqlite:/tmp/iris.db  # another store
 * </pre>
 *
 * <p>Each run adds a version of {@code iris-classifier}. Training is deterministic, so a second
 * run trains the same model again, and the {@code beatsCurrent} gate keeps it out of Production:
 * a tie is not an improvement. The output says which gate refused it and why.
 *
 * <p>The training code ({@link SoftmaxRegression}) knows nothing of Runlog; it reports each epoch
 * to a listener, and this class turns those reports into metrics.
 */
public final class IrisPipeline {
    public static final String EXPERIMENT = "iris";
    public static final String MODEL_NAME = "iris-classifier";
    /** Reaches a training accuracy of about 0.97 in 200 epochs, as scikit-learn's LogisticRegression does. */
    public static final Hyperparameters HYPERPARAMETERS = new Hyperparameters(1.0, 0.001, 200);
    /** A model below this training accuracy never reaches Production. */
    public static final double MIN_ACCURACY = 0.9;
    /** The first flower of each species, and two versicolor flowers that look like virginica. */
    private static final int[] SAMPLE_ROWS = {0, 50, 100, 70, 83};

    private IrisPipeline() {
    }

    /**
     * What one run of the pipeline did.
     *
     * @param runId         the training run
     * @param accuracy      the model's final training accuracy
     * @param version       the version it was registered as
     * @param stage         that version's stage at the end: Production if promoted, else Staging
     * @param rejections    the gates that refused the promotion; empty if it was promoted
     * @param servedVersion the version in Production that made the predictions, if any
     * @param predictions   the predictions of the served model for a few rows
     */
    public record Result(String runId, double accuracy, int version, Stage stage, List<GateResult> rejections,
                         Optional<Integer> servedVersion, List<Prediction> predictions) {
        public boolean promoted() {
            return rejections.isEmpty();
        }
    }

    /** A prediction of the served model for row {@code row} of the Iris data. */
    public record Prediction(int row, String actual, String predicted) {
    }

    /** Runs the pipeline on the default store, or on the store whose URI is the first argument. */
    public static void main(String[] args) {
        String uri = args.length > 0 ? args[0] : Tracker.defaultUri();
        try (Tracker tracker = args.length > 0 ? Tracker.open(args[0]) : Tracker.open()) {
            run(tracker, System.out);
        }
        System.out.println(WhereStored.line(uri, "runs and registry", "; run again to train another version"));
        if (WhereStored.lasts(uri)) {
            System.out.println(uiCommand(uri));
        }
    }

    /** The command that shows a store's runs and registry in the web UI, for a shell in the repository's root. */
    public static String uiCommand(String storeUri) {
        // Quoted for a POSIX shell, so a path with spaces or quotes survives being pasted.
        String quoted = storeUri.matches("[A-Za-z0-9:/._=@+-]+") ? storeUri : "'" + storeUri.replace("'", "'\\''") + "'";
        return "see them in the web UI: mvn -B -q -pl cli -am package -DskipTests"
                + " && java -jar cli/target/runlog.jar ui --store " + quoted;
    }

    /**
     * A model trained and logged by {@link #train}.
     *
     * @param runId    the run that trained it
     * @param model    the model
     * @param logged   the model as logged, whose {@link LoggedModel#uri()} the registry takes
     * @param accuracy its final training accuracy
     */
    public record TrainedModel(String runId, SoftmaxClassifier model, LoggedModel logged, double accuracy) {
    }

    /** Trains, tracks, registers, promotes through gates and serves; prints what happened to {@code out}. */
    public static Result run(Tracker tracker, PrintStream out) {
        // 1. Train inside a run.
        TrainedModel trained = train(tracker, HYPERPARAMETERS);
        out.printf("run %s: softmax regression, training accuracy %.4f after %d epochs%n",
                trained.runId(), trained.accuracy(), HYPERPARAMETERS.maxIter());

        // 2. Register the model and stage it; Production is reached only through the gates.
        ModelRegistry registry = ModelRegistry.of(tracker);
        int version = registry.register(MODEL_NAME, trained.logged().uri()).version();
        registry.transition(MODEL_NAME, version, Stage.STAGING);
        Optional<ModelVersion> previous = registry.latest(MODEL_NAME, Stage.PRODUCTION);
        List<GateResult> rejections = new ArrayList<>();
        try {
            registry.promote(MODEL_NAME, version, Stage.PRODUCTION,
                    Gates.metricAtLeast("accuracy", MIN_ACCURACY),
                    Gates.beatsCurrent("accuracy"));
            out.printf("%s version %d: Production (passed both gates%s)%n", MODEL_NAME, version, previous
                    .map(p -> "; version " + p.version() + " archived").orElse("; first version in Production"));
        } catch (PromotionRejectedException e) {
            // Nothing changed: this version stays in Staging and Production keeps its version.
            rejections.addAll(e.failures());
            out.printf("%s version %d: Staging, not promoted to Production%s%n", MODEL_NAME, version, previous
                    .map(p -> ", which keeps version " + p.version()).orElse(""));
            e.failures().forEach(failure -> out.printf("  failed gate '%s': actual %s, required %s%n",
                    failure.gate(), failure.actual(), failure.required()));
        }
        Stage stage = registry.getVersion(MODEL_NAME, version).stage();

        // 3. Serve what Production holds now, which may be an earlier version. Serving code would
        //    keep the handle open: it follows the stage and swaps in each newly promoted version.
        LabeledData iris = LabeledData.readCsv(ExampleData.iris(), "species");
        List<Prediction> predictions = new ArrayList<>();
        Optional<Integer> served = Optional.empty();
        if (registry.latest(MODEL_NAME, Stage.PRODUCTION).isEmpty()) {
            out.println("no version in Production to serve");
        } else {
            // Serving code knows the interface, not the class that trained it: a json model loads as
            // any interface its recorded class implements.
            try (DeployedModel<Classifier> deployed =
                         registry.deploy(MODEL_NAME, Stage.PRODUCTION, Classifier.class)) {
                served = Optional.of(deployed.version().version());
                out.printf("predictions of version %d (Production):%n  %4s  %-11s %s%n",
                        deployed.version().version(), "row", "species", "predicted");
                for (int row : SAMPLE_ROWS) {
                    String predicted = deployed.get().predict(iris.features()[row]);
                    predictions.add(new Prediction(row, iris.className(row), predicted));
                    out.printf("  %4d  %-11s %s%s%n", row, iris.className(row), predicted,
                            predicted.equals(iris.className(row)) ? "" : "  (wrong)");
                }
            }
        }
        out.println("model files: " + tracker.getRun(trained.runId()).info().artifactUri() + "/model");
        return new Result(trained.runId(), trained.accuracy(), version, stage, List.copyOf(rejections), served, List.copyOf(predictions));
    }

    /**
     * Step 1: trains a model on the Iris data inside a new run of {@value #EXPERIMENT}, logging the
     * params, the data set, the loss and accuracy of every epoch, and the model. The latest point of
     * {@code accuracy} is the final training accuracy: what the promotion gates read.
     */
    public static TrainedModel train(Tracker tracker, Hyperparameters hyper) {
        Path csv = ExampleData.iris();
        LabeledData iris = LabeledData.readCsv(csv, "species");
        AtomicReference<TrainedModel> trained = new AtomicReference<>();
        // tracker.run ends the run FINISHED, its metrics flushed for whoever reads it next; if
        // training throws, FAILED with the exception recorded, and the exception goes on to the caller.
        tracker.run(EXPERIMENT, run -> {
            // Params and the data's identity (its digest) make the run reproducible and comparable.
            run.logParams(hyper.asParams());
            run.logInput(Dataset.fromCsv(csv, "iris"), "training");
            SoftmaxClassifier model = SoftmaxRegression.fit(iris, hyper, (epoch, loss, accuracy) ->
                    run.logMetric("loss", loss, epoch).logMetric("accuracy", accuracy, epoch));
            LoggedModel logged = run.logModel("model", model, ModelFlavor.json());
            trained.set(new TrainedModel(run.id(), model, logged, model.accuracy(iris)));
        });
        return trained.get();
    }
}
