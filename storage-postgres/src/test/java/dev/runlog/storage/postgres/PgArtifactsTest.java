package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Tracker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts in the database by default, in pieces and checked on read; or under the directory {@code artifacts=} names. */
@ExtendWith(TestPostgres.class)
class PgArtifactsTest {
    @TempDir
    Path temp;

    @Test
    void aFileOfManyPiecesRoundTripsAndBytesChangedInTheDatabaseAreCaught() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.freshDatabase(temp.resolve("store"));
        byte[] content = new byte[1_300_000]; // three pieces, the last one short
        new Random(7).nextBytes(content);
        Path file = Files.write(temp.resolve("weights.bin"), content);
        String runId;
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            try (ActiveRun run = tracker.startRun("artifacts")) {
                run.logArtifact(file, "model");
                runId = run.id();
            }
            try (InputStream in = tracker.openArtifact(runId, "model/weights.bin")) {
                assertArrayEquals(content, in.readAllBytes());
            }
            try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM runlog_artifact_pieces")) {
                    rs.next();
                    assertEquals(3, rs.getInt(1));
                }
                s.execute("UPDATE runlog_artifact_pieces SET data = overlay(data PLACING '\\x00'::bytea FROM 10)"
                        + " WHERE piece_no = 1");
            }
            try (InputStream in = tracker.openArtifact(runId, "model/weights.bin")) {
                IntegrityException e = assertThrows(IntegrityException.class, in::readAllBytes);
                assertTrue(e.getMessage().contains("does not match what was stored"), e.getMessage());
            }
        }
    }

    @Test
    void artifactsUnderASharedDirectory() throws Exception {
        TestPostgres pg = TestPostgres.get();
        Path shared = temp.resolve("team share");
        Path file = Files.writeString(temp.resolve("notes.txt"), "hello");
        String uri = pg.uri(pg.freshDatabase(temp.resolve("store"))) + "?artifacts=" + shared.toString().replace(" ", "%20");
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = tracker.startRun("shared")) {
                run.logArtifact(file);
                runId = run.id();
            }
            try (Stream<Path> files = Files.walk(shared)) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("notes.txt")));
            }
            try (InputStream in = tracker.openArtifact(runId, "notes.txt")) {
                assertEquals("hello", new String(in.readAllBytes()));
            }
        }
    }
}
