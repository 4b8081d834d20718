package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.CopyReport;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.StoreCopy;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.RunSnapshot;
import dev.runlog.tracking.spi.TrackerStores;
import dev.runlog.tracking.tck.CopyFixture;
import dev.runlog.tracking.tck.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void sqliteToMemoryToSqliteKeepsEverything() throws Exception {
        try (Tracker original = open("sqlite:" + dir.resolve("a.db"));
             Tracker memory = open("memory:");
             Tracker back = open("sqlite:" + dir.resolve("b.db"))) {
            CopyFixture.fill(original, clock, dir);
            List<Object> expected = CopyFixture.dump(original);
            CopyReport there = StoreCopy.copy(original, memory);
            assertEquals(expected, CopyFixture.dump(memory));
            List<CopyReport> seen = new ArrayList<>();
            CopyReport report = StoreCopy.copy(memory, back, seen::add);
            assertEquals(expected, CopyFixture.dump(back));
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
            CopyFixture.fill(original, clock, dir);
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
            List<Object> before = CopyFixture.dump(target);
            ConflictException e = assertThrows(ConflictException.class, () -> StoreCopy.copy(original, target));
            assertTrue(e.getMessage().contains(runId) && e.getMessage().contains("nothing was copied"), e.getMessage());
            assertEquals(before, CopyFixture.dump(target));
        }
    }

    /** A copy killed part way left runs that looked whole, and a store doctor called healthy. */
    @Test
    void aCopyStoppedPartWayLeavesItsExperimentsMarkedAndNoFilesOfTheRunItFailedIn() throws Exception {
        try (Tracker original = open("sqlite:" + dir.resolve("a.db"));
             Tracker stopped = open("sqlite:" + dir.resolve("b.db"));
             Tracker damaged = open("sqlite:" + dir.resolve("c.db"))) {
            CopyFixture.fill(original, clock, dir);
            // Stopped after its first run, as a kill would stop it: the marker stays.
            RuntimeException stop = new RuntimeException("stopped");
            assertSame(stop, assertThrows(RuntimeException.class, () -> StoreCopy.copy(original, stopped, report -> {
                throw stop;
            })));
            for (Experiment e : stopped.searchExperiments().viewType(dev.runlog.tracking.ViewType.ALL).list()) {
                assertEquals(StoreCopy.UNFINISHED, e.tags().get(StoreCopy.STATE_TAG), e.name());
            }
            // A file that no longer matches its record fails the copy in that run: none of its files stay.
            String runId;
            try (dev.runlog.tracking.ActiveRun run = original.startRun("files")) {
                run.logText("first", "a.txt").logText("second", "b.txt");
                runId = run.id();
            }
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir.resolve("a.db.artifacts").resolve(runId))) {
                for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                    java.nio.file.Files.writeString(file, "changed");
                }
            }
            assertThrows(dev.runlog.tracking.IntegrityException.class, () -> StoreCopy.copy(original, damaged));
            assertFalse(java.nio.file.Files.exists(dir.resolve("c.db.artifacts").resolve(runId)), "no files of a run not copied");
        }
    }

    private String modelUri(Tracker tracker) {
        return ModelRegistry.of(tracker).getVersion("iris", 1).source();
    }
}
