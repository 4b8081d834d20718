package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sqlite:PATH?artifacts=LOCATION}: a directory, a {@code file:} URI, or a URI whose scheme an
 * artifact store module provides; anything else is refused, naming it, before the file is created.
 */
class ArtifactLocationTest {

    @TempDir
    Path dir;

    private static String logAndReadBack(String uri) throws IOException {
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = tracker.startRun("locations")) {
                run.logText("weights", "models/w.txt");
                runId = run.id();
            }
            try (InputStream in = tracker.openArtifact(runId, "models/w.txt")) {
                return runId + ":" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static long filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.endsWith("w.txt")).count();
        }
    }

    @Test
    void aFileUriPutsArtifactsInThatDirectory() throws IOException {
        Path shared = dir.resolve("team share");
        String result = logAndReadBack("sqlite:" + dir.resolve("x.db") + "?artifacts=" + shared.toUri());
        assertTrue(result.endsWith(":weights"), result);
        assertEquals(1, filesUnder(shared));
        assertTrue(Files.isRegularFile(shared.resolve(result.substring(0, result.indexOf(':'))).resolve("artifacts/models/w.txt")));
        assertFalse(Files.exists(dir.resolve("x.db.artifacts")));
    }

    @Test
    void aPercentEncodedDirectoryIsDecoded() throws IOException {
        Path shared = dir.resolve("a&b");
        logAndReadBack("sqlite:" + dir.resolve("x.db") + "?artifacts=" + dir.resolve("a%26b"));
        assertEquals(1, filesUnder(shared));
    }

    @Test
    void anS3LocationWithoutItsModuleNamesTheModuleToAdd() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?artifacts=s3://bucket/runs"));
        assertTrue(e.getMessage().contains("'s3'") && e.getMessage().contains("dev.runlog:artifacts-s3"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.db")));
    }

    @Test
    void anUnknownSchemeIsRefusedNamingIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?artifacts=gs://bucket/runs"));
        assertTrue(e.getMessage().contains("'gs'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.db")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"endpoint=http://h:9000", "region=eu-west-1"})
    void aDirectoryTakesNoArtifactOptions(String option) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?artifacts=" + dir.resolve("a") + "&" + option));
        assertTrue(e.getMessage().contains("unknown option '" + option.substring(0, option.indexOf('=')) + "'"), e.getMessage());
        assertFalse(e.getMessage().contains(option), "the value stays out: " + e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.db")));
    }

    @Test
    void aFileUriWithAHostIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?artifacts=file://server/share"));
        assertTrue(e.getMessage().contains("file://server/share"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.db")));
    }

    @Test
    void aPathWithANulByteIsBadInputNotAJdkException() {
        Path file = dir.resolve("x.db");
        for (String uri : List.of("sqlite:" + dir + "/x\0.db", "sqlite:" + file + "?artifacts=" + dir + "/a\0b",
                "sqlite:" + file + "?artifacts=file:" + dir + "/a\0b")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(uri), uri);
            assertTrue(e.getMessage().contains("refuses") || e.getMessage().contains("is not a path"), e.getMessage());
        }
        assertFalse(Files.exists(file));
    }
}
