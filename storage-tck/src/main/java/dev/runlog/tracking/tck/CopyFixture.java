package dev.runlog.tracking.tck;

import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A store with every shape of data, and the whole of a store as values to compare: what a test of
 * copying a store ({@code StoreCopy}) between two kinds of store fills the first with and compares
 * the others by, whichever stores they are.
 */
public final class CopyFixture {
    private CopyFixture() {
    }

    /** A model the json flavor stores. */
    public record Weights(double[] w) {
    }

    /**
     * Fills {@code t} with every shape of data a copy must keep: nested runs, NaN, infinite and -0.0
     * points, deleted runs and experiments, files, a model, a dataset, a registry trail. {@code clock}
     * (the tracker's) moves 1.5 s between steps; {@code dir} takes a scratch file. It makes 3
     * experiments, 4 runs, 6 metric points, 1 model with 2 versions left (3 was deleted).
     */
    public static void fill(Tracker t, MutableClock clock, Path dir) throws Exception {
        Runnable tick = () -> clock.advance(Duration.ofMillis(1500));
        Path binary = Files.write(dir.resolve("weights.bin"), new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80, 0, 10, 13});
        Dataset iris = new Dataset("iris", "e".repeat(64), "file:/data/iris.csv", List.of(new Dataset.Column("x", "double")),
                new Dataset.Profile(3, Map.of("x", new Dataset.ColumnProfile(3, 0, -0.0, 2.5, 1.0, Double.NaN,
                        new Dataset.Histogram(List.of(-0.0, 2.5), List.of(3L))))));
        t.setExperimentTag(t.createExperiment("iris").id(), "team", "vision");
        tick.run();
        String modelUri;
        try (ActiveRun parent = t.startRun("iris")) {
            parent.logParam("lr", 0.1).logMetric("loss", Double.NaN, 0).logMetric("loss", Double.POSITIVE_INFINITY, 1)
                    .logMetric("loss", -0.0, 2).logInput(iris, "training").logText("hello", "notes/readme.txt")
                    .logArtifact(binary, "bin");
            tick.run();
            try (ActiveRun child = parent.startChildRun("fold-1")) {
                child.logMetric("acc", 0.5, 1).logMetric("acc", Double.NEGATIVE_INFINITY, 1);
                tick.run();
            }
            modelUri = parent.logModel("model", new Weights(new double[] {1, 2}), ModelFlavor.json()).uri();
            tick.run();
        }
        try (ActiveRun doomed = t.startRun("iris")) {
            doomed.logMetric("loss", 3.0);
            tick.run();
            doomed.end(RunStatus.FAILED);
            t.deleteRun(doomed.id());
        }
        tick.run();
        try (ActiveRun killed = t.startRun("old")) {
            killed.logParam("p", "1").end(RunStatus.KILLED);
            t.deleteExperiment(killed.experimentId());
        }
        t.createExperiment("empty");
        tick.run();
        ModelRegistry registry = ModelRegistry.of(t);
        for (int i = 0; i < 3; i++) {
            registry.register("iris", modelUri);
            tick.run();
        }
        registry.updateDescription("iris", "the iris model");
        registry.transition("iris", 1, Stage.PRODUCTION);
        tick.run();
        registry.promote("iris", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting().user("ci").comment("better"),
                Gates.metricAtMost("loss", 10));
        tick.run();
        registry.setAlias("iris", "champion", 2);
        registry.deleteVersion("iris", 3);
        tick.run();
        registry.setAlias("iris", "old", 1);
    }

    /** The whole store as values: experiments, each run whole (but its artifact location) with every point and file, the registry. */
    public static List<Object> dump(Tracker t) throws Exception {
        List<Object> all = new ArrayList<>(t.listExperiments(ViewType.ALL));
        List<Run> runs = new ArrayList<>();
        for (Experiment e : t.listExperiments(ViewType.ALL)) {
            runs.addAll(t.searchRuns().experiments(e.id()).viewType(ViewType.ALL).list());
        }
        runs.sort(Comparator.comparing(r -> r.info().id()));
        for (Run run : runs) {
            RunSnapshot s = TrackerStores.of(t).tracking().snapshotRun(run.info().id());
            RunInfo i = s.info();
            all.add(new RunSnapshot(new RunInfo(i.id(), i.experimentId(), i.name(), i.status(), i.startTime(), i.endTime(),
                    i.lifecycleStage(), ""), s.params(), s.tags(), s.inputs(), s.artifacts(), s.deletedWithExperiment(),
                    s.deletedTime()));
            for (String key : new TreeMap<>(run.data().latestMetrics()).keySet()) {
                all.add(t.metricHistory(run.info().id(), key));
            }
            all.add(files(t, run.info().id(), ""));
        }
        RegistryStore registry = RegistryStore.of(t);
        List<RegisteredModel> models = registry.listModels();
        all.addAll(models);
        all.addAll(registry.listVersions(Optional.empty()));
        for (RegisteredModel m : models) {
            all.addAll(registry.history(m.name()));
        }
        return all;
    }

    private static Map<String, String> files(Tracker t, String runId, String dir) throws Exception {
        Map<String, String> digests = new TreeMap<>();
        for (ArtifactEntry entry : t.listArtifacts(runId, dir)) {
            if (entry.isDirectory()) {
                digests.putAll(files(t, runId, entry.path()));
            } else {
                try (InputStream in = t.openArtifact(runId, entry.path())) {
                    digests.put(entry.path(), Sha256.of(in.readAllBytes()));
                }
            }
        }
        return digests;
    }
}
