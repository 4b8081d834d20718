package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.CopyReport;
import dev.runlog.registry.Gates;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.StoreCopy;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
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
import dev.runlog.tracking.tck.MutableClock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreCopy}: SQLite to memory and back gives the same store, every shape of data included. */
class StoreCopyTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2023-02-01T10:00:00.250Z"));

    @TempDir
    Path dir;

    private Tracker open(String uri) {
        return Tracker.builder().uri(uri).clock(clock).shutdownHook(false).build();
    }

    private void tick() {
        clock.advance(Duration.ofMillis(1500));
    }

    @Test
    void sqliteToMemoryToSqliteKeepsEverything() throws Exception {
        try (Tracker original = open("sqlite:" + dir.resolve("a.db"));
             Tracker memory = open("memory:");
             Tracker back = open("sqlite:" + dir.resolve("b.db"))) {
            fill(original);
            List<Object> expected = dump(original);
            CopyReport there = StoreCopy.copy(original, memory);
            assertEquals(expected, dump(memory));
            List<CopyReport> seen = new ArrayList<>();
            CopyReport report = StoreCopy.copy(memory, back, seen::add);
            assertEquals(expected, dump(back));
            assertEquals(there, report);
            assertEquals(List.of(3L, 4L, 6L, 1L, 2L), List.of(report.experiments(), report.runs(), report.metricPoints(),
                    report.models(), report.versions()), report::toString);
            assertTrue(report.artifacts() >= 3 && report.artifactBytes() > 7 && report.events() >= 8, report::toString);
            assertEquals(report, seen.get(seen.size() - 1));
            // The copy works as a store: version numbers go on after the copied ones (3 was deleted, so 4).
            assertEquals(4, ModelRegistry.of(back).register("iris", modelUri(back)).version());
        }
    }

    @Test
    void aClashingIdFailsAndLeavesTheTargetAsItWas() throws Exception {
        try (Tracker original = open("sqlite:" + dir.resolve("a.db"));
             Tracker target = open("sqlite:" + dir.resolve("b.db"))) {
            fill(original);
            String runId = original.searchRuns().experiments("iris").list().get(0).info().id();
            // The target holds other work, and one run whose id clashes.
            String elsewhere = "100"; // not an id the source uses
            TrackerStores.of(target).tracking().importExperiment(new Experiment(elsewhere, "elsewhere",
                    dev.runlog.tracking.LifecycleStage.ACTIVE, clock.instant(), clock.instant(), Map.of()));
            RunSnapshot s = TrackerStores.of(original).tracking().snapshotRun(runId);
            RunInfo i = s.info();
            TrackerStores.of(target).tracking().importRun(new RunSnapshot(new RunInfo(i.id(), elsewhere, i.name(),
                    i.status(), i.startTime(), i.endTime(), i.lifecycleStage(), "x"), Map.of(), Map.of(), List.of(),
                    List.of(), false, Optional.empty()));
            List<Object> before = dump(target);
            ConflictException e = assertThrows(ConflictException.class, () -> StoreCopy.copy(original, target));
            assertTrue(e.getMessage().contains(runId) && e.getMessage().contains("nothing was copied"), e.getMessage());
            assertEquals(before, dump(target));
        }
    }

    private String modelUri(Tracker tracker) {
        return ModelRegistry.of(tracker).getVersion("iris", 1).source();
    }

    /** Every shape of data: nested runs, NaN and infinite points, deleted runs and experiments, files, a model, a dataset, a registry trail. */
    private void fill(Tracker t) throws Exception {
        Path binary = Files.write(dir.resolve("weights.bin"), new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80, 0, 10, 13});
        Dataset iris = new Dataset("iris", "e".repeat(64), "file:/data/iris.csv",
                List.of(new Dataset.Column("x", "double")), new Dataset.Profile(3, Map.of("x",
                        new Dataset.ColumnProfile(3, 0, -0.0, 2.5, 1.0, Double.NaN,
                                new Dataset.Histogram(List.of(-0.0, 2.5), List.of(3L))))));
        t.setExperimentTag(t.createExperiment("iris").id(), "team", "vision");
        tick();
        String modelUri;
        try (ActiveRun parent = t.startRun("iris")) {
            parent.logParam("lr", 0.1).logMetric("loss", Double.NaN, 0).logMetric("loss", Double.POSITIVE_INFINITY, 1)
                    .logMetric("loss", -0.0, 2).logInput(iris, "training").logText("hello", "notes/readme.txt")
                    .logArtifact(binary, "bin");
            tick();
            try (ActiveRun child = parent.startChildRun("fold-1")) {
                child.logMetric("acc", 0.5, 1).logMetric("acc", Double.NEGATIVE_INFINITY, 1);
                tick();
            }
            modelUri = parent.logModel("model", new IrisLikeModel(new double[][] {{1, 2}}, new double[] {0.5}),
                    ModelFlavor.json()).uri();
            tick();
        }
        try (ActiveRun doomed = t.startRun("iris")) {
            doomed.logMetric("loss", 3.0);
            tick();
            doomed.end(RunStatus.FAILED);
            t.deleteRun(doomed.id());
        }
        tick();
        try (ActiveRun killed = t.startRun("old")) {
            killed.logParam("p", "1").end(RunStatus.KILLED);
            t.deleteExperiment(killed.experimentId());
        }
        t.createExperiment("empty");
        tick();
        ModelRegistry registry = ModelRegistry.of(t);
        registry.register("iris", modelUri);
        tick();
        registry.register("iris", modelUri);
        tick();
        registry.register("iris", modelUri);
        registry.updateDescription("iris", "the iris model");
        tick();
        registry.transition("iris", 1, Stage.PRODUCTION);
        tick();
        registry.promote("iris", 2, Stage.PRODUCTION, TransitionOptions.archiveExisting().user("ci").comment("better"),
                Gates.metricAtMost("loss", 10));
        tick();
        registry.setAlias("iris", "champion", 2);
        registry.deleteVersion("iris", 3);
        tick();
        registry.setAlias("iris", "old", 1);
    }

    /** The whole store as values: experiments, each run whole (but its artifact location) with every point and file, the registry. */
    private static List<Object> dump(Tracker t) throws Exception {
        List<Object> all = new ArrayList<>(t.listExperiments(ViewType.ALL));
        TrackerStores stores = TrackerStores.of(t);
        List<Run> runs = new ArrayList<>();
        for (Experiment e : t.listExperiments(ViewType.ALL)) {
            runs.addAll(t.searchRuns().experiments(e.id()).viewType(ViewType.ALL).list());
        }
        runs.sort(java.util.Comparator.comparing(r -> r.info().id()));
        for (Run run : runs) {
            RunSnapshot s = stores.tracking().snapshotRun(run.info().id());
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
