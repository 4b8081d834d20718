package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.TrackerStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export never replaces the store's own files, even where the caller allows replacing the
 * target (runlog export --force): a slip of the store's own name replaced the whole database, and
 * a path into the artifact directory replaced a file the store records.
 */
class ExportTargetTest {
    @TempDir
    Path dir;

    @Test
    void anExportIsRefusedOverTheStoresDatabaseOrInsideItsArtifactDirectory() throws Exception {
        Path db = dir.resolve("runs.db");
        try (Tracker tracker = Tracker.open("sqlite:" + db)) {
            String runId;
            try (ActiveRun run = tracker.startRun("e")) {
                run.logParam("lr", "0.1");
                run.logText("hello", "notes/hello.txt");
                runId = run.id();
            }
            InvalidInputException database = assertThrows(InvalidInputException.class, () -> tracker.exportRun(runId, db));
            assertTrue(database.getMessage().contains("is an SQLite database (a Runlog store?); an export never replaces one"),
                    database.getMessage());
            // Still the database (its bytes may move meanwhile: the WAL is checkpointed into it in the background).
            try (java.io.InputStream in = Files.newInputStream(db)) {
                assertEquals("SQLite format 3", new String(in.readNBytes(15), java.nio.charset.StandardCharsets.US_ASCII));
            }
            assertEquals("0.1", tracker.getRun(runId).data().params().get("lr"));

            Path recorded = dir.resolve("runs.db.artifacts").resolve(runId).resolve("artifacts/notes/hello.txt");
            assertTrue(Files.isRegularFile(recorded));
            InvalidInputException inside = assertThrows(InvalidInputException.class, () -> tracker.exportRun(runId, recorded));
            assertTrue(inside.getMessage().contains("is inside the store's artifact directory"), inside.getMessage());
            InvalidInputException beside = assertThrows(InvalidInputException.class,
                    () -> tracker.exportRun(runId, dir.resolve("runs.db.artifacts/export.tar.gz")));
            assertTrue(beside.getMessage().contains("is inside the store's artifact directory"), beside.getMessage());
            // Through a link to the artifact directory, and onto the database's side files.
            Path link = Files.createSymbolicLink(dir.resolve("artlink"), dir.resolve("runs.db.artifacts"));
            InvalidInputException linked = assertThrows(InvalidInputException.class,
                    () -> tracker.exportRun(runId, link.resolve(runId).resolve("artifacts/notes/hello.txt")));
            assertTrue(linked.getMessage().contains("is inside the store's artifact directory"), linked.getMessage());
            for (String side : List.of("-wal", "-shm", "-journal")) {
                InvalidInputException sideFile = assertThrows(InvalidInputException.class,
                        () -> tracker.exportRun(runId, dir.resolve("runs.db" + side)));
                assertTrue(sideFile.getMessage().contains("the " + side + " file of an SQLite database"), sideFile.getMessage());
            }
            Path dbLink = Files.createSymbolicLink(dir.resolve("db-link"), db);
            assertThrows(InvalidInputException.class, () -> tracker.exportRun(runId, dbLink));
            assertEquals("hello", Files.readString(recorded));
            assertEquals(List.of(), TrackerStores.of(tracker).tracking().checkStore().problems());

            tracker.exportRun(runId, dir.resolve("runs.tar.gz"));
            assertTrue(Files.size(dir.resolve("runs.tar.gz")) > 0);
        }
    }
}
