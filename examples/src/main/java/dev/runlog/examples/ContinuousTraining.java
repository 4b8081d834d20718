package dev.runlog.examples;

import dev.runlog.examples.ml.EpochListener;
import dev.runlog.examples.ml.Hyperparameters;
import dev.runlog.examples.ml.LabeledData;
import dev.runlog.examples.ml.LogisticClassifier;
import dev.runlog.examples.ml.LogisticRegression;
import dev.runlog.examples.ml.Splits;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Continuous training with the registry as the safety net: as data arrives, a job retrains on
 * everything seen so far and registers each model, but only a model that passes the gates
 * replaces the one in Production. The audit trail at the end shows every decision.
 *
 * <pre>
 * mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.runlog.examples.ContinuousTraining
 * </pre>
 *
 * <p>Time is simulated with the breast cancer data read in file order: each retraining sees a
 * longer prefix of it. A fifth of the rows (seeded and stratified) is held out of every window and
 * judges every model, so their scores compare. More data usually helps but not always, and a
 * model that merely ties the one in Production does not replace it.
 */
public final class ContinuousTraining {
    public static final String EXPERIMENT = "breast-cancer";
    public static final String MODEL_NAME = "breast-cancer-classifier";
    public static final Hyperparameters HYPERPARAMETERS = new Hyperparameters(0.1, 0.01, 200);
    /** How many of the arriving rows each retraining sees, before a last one on all of them. */
    public static final int[] WINDOWS = {50, 100, 200, 300, 400};
    public static final double HOLDOUT_FRACTION = 0.2;
    public static final long HOLDOUT_SEED = 42;
    /** A model below this hold-out accuracy never reaches Production. */
    public static final double MIN_VAL_ACCURACY = 0.95;

    private ContinuousTraining() {
    }

    /**
     * One retraining.
     *
     * @param windowRows  how many rows it trained on
     * @param runId       its run
     * @param version     the version it was registered as
     * @param valAccuracy its accuracy on the hold-out rows
     * @param rejections  the gates that kept it out of Production; empty if it was promoted
     */
    public record Step(int windowRows, String runId, int version, double valAccuracy, List<GateResult> rejections) {
        public boolean promoted() {
            return rejections.isEmpty();
        }
    }

    /**
     * What the simulation did.
     *
     * @param steps      the retrainings, in order
     * @param production the version in Production at the end, if any
     * @param history    the model's audit trail at the end
     */
    public record Result(List<Step> steps, Optional<ModelVersion> production, List<ModelEvent> history) {
    }

    /** Runs the simulation on the default store, or on the store whose URI is the first argument. */
    public static void main(String[] args) {
        String uri = args.length > 0 ? args[0] : Tracker.defaultUri();
        try (Tracker tracker = args.length > 0 ? Tracker.open(args[0]) : Tracker.open()) {
            run(tracker, System.out);
        }
        System.out.println(WhereStored.line(uri, "runs and registry", ""));
    }

    /** Retrains on each window, promotes through the gates, and prints each decision and the audit trail. */
    public static Result run(Tracker tracker, PrintStream out) {
        Path csv = ExampleData.breastCancer();
        LabeledData data = LabeledData.readCsv(csv, "diagnosis");
        Splits.Split split = Splits.stratified(data, HOLDOUT_FRACTION, HOLDOUT_SEED);
        LabeledData arriving = data.rows(split.train());   // in file order: the order the rows "arrive"
        LabeledData holdout = data.rows(split.validation());
        Dataset dataset = Dataset.fromCsv(csv, "breast_cancer");
        ModelRegistry registry = ModelRegistry.of(tracker);
        out.printf("%d rows held out of every window to judge each model; %d rows arrive over time%n",
                holdout.size(), arriving.size());

        List<Step> steps = new ArrayList<>();
        for (int rows : IntStream.concat(IntStream.of(WINDOWS), IntStream.of(arriving.size())).toArray()) {
            LabeledData window = arriving.head(rows);
            AtomicReference<LoggedModel> loggedModel = new AtomicReference<>();
            // FINISHED with its metrics flushed for the gates to read; FAILED, with the cause, if training throws.
            Run trained = tracker.newRun(EXPERIMENT).name("window-" + rows).run(run -> {
                run.logParams(HYPERPARAMETERS.asParams()).logParam("window_rows", rows);
                run.logInput(dataset, "training");
                LogisticClassifier model = LogisticRegression.fit(window, HYPERPARAMETERS, EpochListener.NONE);
                run.logMetrics(Map.of("train_accuracy", model.accuracy(window), "val_accuracy", model.accuracy(holdout),
                        "val_loss", model.logLoss(holdout)), 0);
                loggedModel.set(run.logModel("model", model));   // a record, so the json flavor
            });
            LoggedModel logged = loggedModel.get();
            double valAccuracy = trained.data().metrics().get("val_accuracy");
            String runId = trained.info().id();

            int version = registry.register(MODEL_NAME, logged.uri()).version();
            Optional<ModelVersion> previous = registry.latest(MODEL_NAME, Stage.PRODUCTION);
            List<GateResult> rejections = new ArrayList<>();
            String decision;
            try {
                // The comment lands in the audit trail, saying why this version went live.
                registry.promote(MODEL_NAME, version, Stage.PRODUCTION,
                        TransitionOptions.archiveExisting().comment(String.format(
                                "retrained on %d rows: val_accuracy %.4f", rows, valAccuracy)),
                        Gates.metricAtLeast("val_accuracy", MIN_VAL_ACCURACY),
                        Gates.beatsCurrent("val_accuracy"));
                decision = "promoted to Production" + previous.map(p -> ", version " + p.version() + " archived")
                        .orElse("");
            } catch (PromotionRejectedException e) {
                rejections.addAll(e.failures());
                decision = "rejected, " + e.failures().stream()
                        .map(f -> "'" + f.gate() + "' failed: " + f.actual() + ", required " + f.required())
                        .collect(Collectors.joining("; "));
            }
            out.printf("%3d rows: val_accuracy %.4f, version %d %s%n", rows, valAccuracy, version, decision);
            steps.add(new Step(rows, runId, version, valAccuracy, List.copyOf(rejections)));
        }

        Optional<ModelVersion> production = registry.latest(MODEL_NAME, Stage.PRODUCTION);
        out.println("Production: " + production.map(v -> "version " + v.version()).orElse("none"));
        List<ModelEvent> history = registry.history(MODEL_NAME);
        out.println("audit trail of " + MODEL_NAME + ":");
        for (ModelEvent event : history) {
            out.printf("  %s %-4s %-18s %s -> %s%s%n", event.time(), event.version() > 0 ? "v" + event.version() : "",
                    event.action(), event.from() == null ? "-" : event.from(), event.to() == null ? "-" : event.to(),
                    event.comment().isEmpty() ? "" : " (" + event.comment() + ")");
        }
        return new Result(List.copyOf(steps), production, history);
    }
}
