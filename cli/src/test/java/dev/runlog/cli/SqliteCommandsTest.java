package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.cli.CliHarness.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same commands with {@code --store sqlite:...}: each command opens the file itself, as the jar does. */
@DisplayName("commands on a SQLite store given with --store")
class SqliteCommandsTest extends CommandsContract {
    @TempDir
    Path dir;

    @Override
    CliHarness harness() {
        return new CliHarness("sqlite:" + dir.resolve("runs.db"));
    }

    @Test
    void aStoreNoModuleProvidesExitsOneNamingTheScheme() {
        Result r = h.run("runs", "--store", "nosuch:x");
        assertFailed(r, 1, "nosuch");
    }

    @Test
    void storeMayFollowTheSubcommand() {
        Result r = h.run("experiments", "--store", "sqlite:" + dir.resolve("other.db"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("no experiments in sqlite:"), r.out());
    }
}
