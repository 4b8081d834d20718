package dev.runlog.storage.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.TrackerStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sqlite:PATH?synchronous=full} reaches the connection that commits: a store opened with it
 * reports {@code PRAGMA synchronous} = 2 (FULL) on its writer, one opened without it 1 (NORMAL);
 * anything else in the option is refused before the file is created.
 */
class SynchronousOptionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"'', 1", "?synchronous=normal, 1", "?synchronous=full, 2", "?synchronous=FULL, 2",
            "?artifacts=elsewhere&synchronous=full, 2", "?synchronous=full&artifacts=elsewhere, 2"})
    void theOptionSetsTheWritersSynchronousPragma(String query, int expected) {
        Path file = dir.resolve("x.db");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + file + query).shutdownHook(false).build()) {
            Run run = tracker.run("e", r -> r.logParam("p", 1));
            assertEquals("1", run.data().params().get("p"));
            assertEquals(expected, writerSynchronous(tracker));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"synchronous=off", "synchronous=extra", "synchronous=", "synchronous",
            "synchronous=full&synchronous=full", "sync=full", "synchronous=full&"})
    void anythingElseIsRefusedNamingIt(String option) {
        Path file = dir.resolve("x.db");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + file + "?" + option));
        String named = option.endsWith("&") ? "''" : option.contains("&") ? "'synchronous' twice" : option.split("=")[0];
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"password=topsecret4", "sslpassword=topsecret4", "secret_key=topsecret4",
            "artifacts=elsewhere&aws_secret=topsecret4", "token=%zztopsecret4",
            // Names no secret, yet may be one misspelt (pwd) or misplaced: the value stays out too.
            "pwd=topsecret4", "synchronous=full&credential=topsecret4", "artifacts=elsewhere&region=topsecret4",
            "synchronous=topsecret4&synchronous=full"})
    void aRefusedOptionIsNamedWithoutItsValue(String option) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?" + option));
        assertFalse(e.getMessage().contains("topsecret4"), e.getMessage());
        String name = option.substring(option.lastIndexOf('&') + 1, option.lastIndexOf('='));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    /** Says what a '%' must begin, rather than the decoder's own message. */
    @Test
    void anOptionThatIsNoValidPercentEncodingSaysHowToWriteOne() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?artifacts=s3://b/p%Q7"));
        assertTrue(e.getMessage().contains("option 'artifacts' is not valid %-encoding") && e.getMessage().contains("%25"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Illegal hex"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"synchronous=", "artifacts=", "synchronous"})
    void anOptionWithoutAValueIsSaidToHaveNone(String option) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?" + option));
        assertTrue(e.getMessage().contains("option '" + option.replace("=", "") + "' has no value"), e.getMessage());
    }

    @Test
    void aPathEndingInASlashIsADirectoryNotAFileOfItsName() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("runs") + "/"));
        assertTrue(e.getMessage().contains("names a directory"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void aBadPercentEscapeIsBadInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?artifacts=%zz"));
        assertTrue(e.getMessage().contains("option 'artifacts' is not valid %-encoding"), e.getMessage());
        assertFalse(e.getMessage().contains("%zz"), "the value stays out: " + e.getMessage());
    }

    /** An empty option made the message quote the whole URI, a secret option beside it included. */
    @ParameterizedTest
    @ValueSource(strings = {"&pwd=topsecret4", "pwd=topsecret4&", "pwd=topsecret4&&", "artifacts=&x=topsecret4"})
    void anEmptyOptionIsRefusedWithoutTheOthersValues(String options) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tracker.open("sqlite:" + dir.resolve("x.db") + "?" + options));
        assertTrue(e.getMessage().contains("has no value"), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret4"), e.getMessage());
    }

    private static int writerSynchronous(Tracker tracker) {
        SqliteDatabase db = ((SqliteTrackingStore) TrackerStores.of(tracker).tracking()).database();
        // write() runs on the writer connection, the one whose commits the option is about.
        return db.write(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
