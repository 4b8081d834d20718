package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Artifacts in the database by default, in pieces and checked on read; or wherever {@code artifacts=}
 * names, as every store reads it ({@link dev.runlog.tracking.spi.ArtifactStores}): a directory, a
 * {@code file:} URI, or any provider's location with that provider's options.
 */
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
            byte[] changed = content.clone();
            changed[PgArtifactsTest.PIECE + 9] = 0; // what the UPDATE did: byte 10 of piece 1
            String changedSha256 = dev.runlog.tracking.spi.Sha256.of(changed);
            try (InputStream in = tracker.openArtifact(runId, "model/weights.bin")) {
                IntegrityException e = assertThrows(IntegrityException.class, in::readAllBytes);
                assertTrue(e.getMessage().contains("does not match what was stored"), e.getMessage());
                // The SHA-256 of what was read, not that of nothing (e3b0c442...).
                assertTrue(e.getMessage().contains("read 1300000 bytes with SHA-256 " + changedSha256), e.getMessage());
            }
        }
    }

    /** The size of a piece of an artifact in the database. */
    private static final int PIECE = 512 * 1024;

    /**
     * A file of one piece replaced again and again by another tracker (another host, say) while it
     * is read: each read gets the old file or the new one whole, never an error. Its row and its
     * piece are read from one snapshot.
     */
    @Test
    void aSmallFileReplacedWhileItIsReadIsReadOldOrNewNeverFailed() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String uri = pg.uri(pg.freshDatabase(temp.resolve("store")));
        String a = "a".repeat(200_000);
        String b = "b".repeat(200_000);
        try (Tracker writer = Tracker.builder().uri(uri).shutdownHook(false).build();
             Tracker reader = Tracker.builder().uri(uri).shutdownHook(false).build();
             ActiveRun run = writer.startRun("replaced")) {
            run.logText(a, "f.txt");
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread replacing = new Thread(() -> {
                for (int i = 0; !done.get(); i++) {
                    run.logText(i % 2 == 0 ? b : a, "f.txt");
                }
            });
            replacing.start();
            try {
                for (int i = 0; i < 400; i++) {
                    try (InputStream in = reader.openArtifact(run.id(), "f.txt")) {
                        String read = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        assertTrue(read.equals(a) || read.equals(b), "read " + read.length() + " mixed bytes");
                    }
                }
            } finally {
                done.set(true);
                replacing.join();
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

    @Test
    void aFileUriPutsArtifactsInThatDirectory() throws Exception {
        TestPostgres pg = TestPostgres.get();
        Path shared = temp.resolve("file-uri");
        String uri = pg.uri(pg.freshDatabase(temp.resolve("store"))) + "?artifacts=" + shared.toUri();
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("file uri")) {
            run.logArtifact(Files.writeString(temp.resolve("f.txt"), "x"));
        }
        try (Stream<Path> files = Files.walk(shared)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("f.txt")));
        }
    }

    @Test
    void aProvidersLocationGetsItsOptionsAndTheDatabaseNoFile() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.freshDatabase(temp.resolve("store"));
        RecordingArtifactStoreProvider.OPENED.clear();
        String uri = pg.uri(database) + "?artifacts=recording://bucket/team&endpoint=http%3A%2F%2Fminio%3A9000&region=eu-1";
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = tracker.startRun("elsewhere")) {
                run.logArtifact(Files.writeString(temp.resolve("n.txt"), "hi"));
                runId = run.id();
            }
            try (InputStream in = tracker.openArtifact(runId, "n.txt")) {
                assertEquals("hi", new String(in.readAllBytes()));
            }
        }
        assertEquals(List.of(Map.entry(URI.create("recording://bucket/team"), Map.of("endpoint", "http://minio:9000",
                "region", "eu-1"))), RecordingArtifactStoreProvider.OPENED);
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM runlog_artifact_files")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    /** Port 1 has no server: an option refused there was refused before connecting, not by the connection failing. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?region=eu-1|option region",
            "?artifacts=/tmp/runlog-a&endpoint=http://x|option endpoint",
            "?artifacts=recording://b&regoin=eu-1|option regoin",
            "?artifacts=s3://bucket/prefix|dev.runlog:artifacts-s3",
            "?artifacts=gs://bucket|'gs'"})
    void badArtifactOptionsAreRefusedByNameBeforeConnecting(String query, String named) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.builder()
                .uri("postgresql://runlog@127.0.0.1:1/runlog" + query).shutdownHook(false).build().close());
        assertTrue(e.getMessage().contains(named), e.getMessage());
        if (query.contains("recording")) {
            assertTrue(e.getMessage().contains("endpoint, region"), e.getMessage()); // what the location takes
        }
    }
}
