package dev.runlog.server.ui;

import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelOptions;
import dev.runlog.tracking.ModelSignature;
import dev.runlog.tracking.Tracker;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** The runs, files and models every page test looks at, logged once per test class. */
final class UiFixture {
    static final String SCRIPT = "<script>alert(1)</script>";
    /** Shown as "report" then "exe.pdf" turned round, were its override not escaped. */
    static final String SPOOF = "report\u202Efdp.exe";
    /** Looks like "baseline" in a browser unless its zero-width space is shown. */
    static final String LOOKALIKE = "base\u200Bline";
    static final String IMG = "\"><img src=x onerror=alert(1)>";
    /** Param keys cannot hold quotes (InputRules): a value holds them instead. */
    static final String QUOTED = "a\"b'c";
    static final String MODEL = "iris-classifier";
    static final int LONG_POINTS = 5_000;

    final String experimentId;
    final List<String> sweep = new ArrayList<>();
    final String parent;
    final String xss;
    final String full;
    final String longRun;

    UiFixture(Tracker tracker, Path dir) throws IOException {
        double[] lrs = {0.1, 0.01, 0.001};
        for (int i = 0; i < 6; i++) {
            double lr = lrs[i % 3];
            int depth = i < 3 ? 3 : 5;
            double accuracy = 0.80 + i * 0.02;
            sweep.add(tracker.newRun("sweep").name("lr" + lr + "-d" + depth).run(r -> {
                r.logParam("lr", lr).logParam("depth", depth).logParam("optimizer", "adam");
                for (int step = 0; step < 100; step++) {
                    r.logMetric("loss", Math.exp(-step * lr * 2) + 0.05 * depth, step);
                }
                r.logMetric("accuracy", accuracy);
            }).info().id());
        }
        experimentId = tracker.getRun(sweep.get(0)).info().experimentId();
        try (ActiveRun grid = tracker.newRun("sweep").name("grid-search").start()) {
            parent = grid.id();
            for (int c = 0; c < 2; c++) {
                int trial = c;
                tracker.newRun("sweep").name("trial-" + c).parent(grid).run(r -> r.logParam("trial", trial));
            }
        }
        xss = tracker.newRun("sweep").name(SCRIPT).run(r -> r.setTag("note", IMG).setTag("spoof", SPOOF).setTag("lookalike", LOOKALIKE).logParam("quoted", QUOTED)).info().id();
        longRun = tracker.newRun("sweep").name("long").run(r -> {
            for (int step = 0; step < LONG_POINTS; step++) {
                r.logMetric("val/loss", step == 4_321 ? 5 : 1.0 / (1 + step * 0.01), step);
            }
        }).info().id();
        Path csv = Files.writeString(dir.resolve("iris.csv"), "sepal,petal,label\n5.1,1.4,a\n4.9,1.3,a\n6.3,4.9,b\n5.8,5.1,c\n");
        ModelRegistry registry = ModelRegistry.of(tracker);
        LoggedModel[] model = new LoggedModel[1];
        full = tracker.newRun("sweep").name("full").run(r -> {
            r.logParam("lr", 0.05).logMetric("accuracy", 0.97).logMetric("loss", 0.3, 0).logMetric("loss", 0.1, 1);
            // What system metrics log beside a run's own, whose names sort before val_auc's.
            for (String key : List.of("cpu", "heap", "load", "memory", "rss", "threads")) {
                r.logMetric("system/" + key, 1.0, 0);
            }
            r.logMetric("val_auc", 0.9, 0);
            r.logText("hello from the run", "notes/readme.txt")
                    .logJson(Map.of("epochs", 10), "config.json")
                    .logText("x,y\n1,2\n3,4\n", "data/preds.csv")
                    .logText("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "plots/p.svg");
            Path png = Files.write(dir.resolve("curve.png"), png());
            r.logArtifact(png, "plots");
            r.logInput(Dataset.fromCsv(csv, "iris"), "training");
            model[0] = r.logModel("model", List.of(1.0, 2.0), ModelOptions.defaults()
                    .signature(new ModelSignature(List.of(ModelSignature.Field.column("sepal", "double")),
                            List.of(ModelSignature.Field.column("label", "string"))))
                    .inputExample(Map.of("sepal", 5.1)));
        }).info().id();
        registry.register(MODEL, model[0].uri());
        registry.register(MODEL, model[0].uri());
        registry.promote(MODEL, 1, Stage.STAGING, TransitionOptions.defaults().comment("first look"),
                Gates.parse("metrics.accuracy >= 0.9"));
        registry.setAlias(MODEL, "champion", 1);
        tracker.deleteExperiment(tracker.run("old", r -> { }).info().experimentId());
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            image.setRGB(x, 19 - x / 2, 0x2563eb);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
