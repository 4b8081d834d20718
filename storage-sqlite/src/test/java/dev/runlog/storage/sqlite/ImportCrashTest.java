package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import cut short by the death of its process (kill -9, a power cut) leaves a run with its
 * params and points but not all its files: the next open deletes it, rather than leaving it among
 * the others as a KILLED run that looks whole.
 */
class ImportCrashTest {
    @TempDir
    Path dir;

    @Test
    void aRunWhoseImportWasCutShortIsDeletedAtTheNextOpen() throws Exception {
        Path archive = dir.resolve("run.tar.gz");
        try (Tracker source = Tracker.builder().uri("sqlite:" + dir.resolve("source.db")).shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = source.startRun("imported")) {
                run.logParam("lr", 0.1).logMetric("loss", 0.5, 0).logText("notes", "a.txt");
                runId = run.id();
            }
            source.exportRun(runId, archive);
        }
        Path db = dir.resolve("target.db");
        Process child = ChildJvm.start(ImportCrashChild.class, db.toString(), archive.toString());
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), out + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        String partial = out.lines().filter(l -> l.startsWith("HALT ")).findFirst().orElseThrow().substring(5);

        try (Tracker target = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            assertEquals(List.of(), target.searchRuns().list(), "the partial run is not among the live ones");
            List<Run> deleted = target.searchRuns().viewType(ViewType.DELETED_ONLY).list();
            assertEquals(List.of(partial), deleted.stream().map(r -> r.info().id()).toList());
        }
        // An import that ends keeps its run, without the mark.
        try (Tracker target = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            Run whole = target.importRun(archive);
            assertEquals(false, whole.data().tags().containsKey("runlog.importing"), whole.data().tags().toString());
            assertEquals(1, target.searchRuns().list().size());
        }
    }
}
