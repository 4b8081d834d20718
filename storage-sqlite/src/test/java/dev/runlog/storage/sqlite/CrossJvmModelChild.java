package dev.runlog.storage.sqlite;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link CrossJvmModelTest}. Arguments: the source store's directory, the
 * directory to export into.
 *
 * <p>Opens {@code sqlite:<dirA>/a.db}, trains an {@link IrisLikeModel}, logs it (with params,
 * metrics and a dataset input) in a run, exports the model and the run, and prints, one per line:
 * <pre>
 * RUN &lt;runId&gt;
 * MODEL &lt;uri&gt; &lt;modelUuid&gt; &lt;payloadSha256&gt; &lt;payloadSize&gt;
 * PRED &lt;i&gt; &lt;class&gt;               for each of IrisLikeModel.QUERY_ROWS
 * EXPORTED &lt;model archive&gt;
 * EXPORTED_RUN &lt;run archive&gt;
 * DONE
 * </pre>
 * Exit code 0; any failure goes to stderr with exit code 1.
 */
public final class CrossJvmModelChild {
    static final String EXPERIMENT = "cross-jvm";
    static final List<Double> LOSSES = List.of(1.25, 0.5, 0.25, 0.125, 0.0625);
    static final Dataset DATASET = new Dataset("iris-sample",
            "0000000000000000000000000000000000000000000000000000000000000042", "file:/data/iris-sample.csv",
            List.of(new Dataset.Column("sepal_length", "double"), new Dataset.Column("species", "string")),
            new Dataset.Profile(12, Map.of("sepal_length", new Dataset.ColumnProfile(12, 0, 4.7, 7.1, 6.0, 0.8,
                    new Dataset.Histogram(List.of(4.7, 5.9, 7.1), List.of(5L, 7L))))));

    private CrossJvmModelChild() {
    }

    public static void main(String[] args) {
        try {
            run(Path.of(args[0]), Path.of(args[1]));
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(Path dirA, Path dirX) {
        IrisLikeModel model = IrisLikeModel.train(IrisLikeModel.TRAIN_ROWS, IrisLikeModel.TRAIN_LABELS, 3);
        Path modelArchive = dirX.resolve("model.tar.gz");
        Path runArchive = dirX.resolve("run.tar.gz");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + dirA.resolve("a.db")).shutdownHook(false).build()) {
            LoggedModel logged;
            String runId;
            try (ActiveRun run = tracker.newRun(EXPERIMENT).name("nearest-centroid").start()) {
                runId = run.id();
                run.logParam("method", "nearest-centroid").logParam("classes", 3);
                for (int step = 0; step < LOSSES.size(); step++) {
                    run.logMetric("loss", LOSSES.get(step), step);
                }
                run.logMetric("train_accuracy", 1.0);
                run.setTag("team", "runlog");
                run.logInput(DATASET, "training");
                logged = run.logModel("model", model);
            }
            System.out.println("RUN " + runId);
            System.out.println("MODEL " + logged.uri() + " " + logged.modelUuid() + " " + logged.payloadSha256() + " "
                    + logged.payloadSize());
            // Predictions of the model as it comes back from this store, in this JVM.
            IrisLikeModel loaded = tracker.loadModel(logged.uri(), IrisLikeModel.class);
            if (!loaded.equals(model)) {
                throw new AssertionError("the model does not load back as logged: " + loaded + " vs " + model);
            }
            for (int i = 0; i < IrisLikeModel.QUERY_ROWS.length; i++) {
                System.out.println("PRED " + i + " " + loaded.predict(IrisLikeModel.QUERY_ROWS[i]));
            }
            tracker.exportModel(logged.uri(), modelArchive);
            System.out.println("EXPORTED " + modelArchive.toAbsolutePath());
            tracker.exportRun(runId, runArchive);
            System.out.println("EXPORTED_RUN " + runArchive.toAbsolutePath());
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
