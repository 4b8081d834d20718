package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        dev.runlog.tracking.Tracker.builder().uri("sqlite:" + dir.resolve("other.db")).shutdownHook(false).build().close();
        Result r = h.run("experiments", "--store", "sqlite:" + dir.resolve("other.db"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("no experiments in sqlite:"), r.out());
    }

    @Test
    void aMistypedStorePathIsRefusedAndNotCreated() {
        for (String uri : List.of("sqlite:" + dir.resolve("typo.db"), "sqlite:///" + dir.resolve("typo.db") + "?synchronous=full")) {
            for (String[] command : List.of(new String[] {"doctor"}, new String[] {"runs"}, new String[] {"model", "m"})) {
                Result r = h.run(concat(command, "--store", uri));
                assertEquals(new Result(1, "", "runlog: no store at " + dir.resolve("typo.db") + " ("
                        + uri.replace("=full", "=(hidden)") + "); check"
                        + " --store: runlog makes a store only for import, import-mlflow, copy --to and ui --allow-writes\n"), r);
            }
        }
        // The URI's option values stay out of the message: one may be a secret misspelt or misplaced.
        Result misspelt = h.run("runs", "--store", "sqlite:" + dir.resolve("typo.db") + "?pwd=hunter2");
        assertFalse(misspelt.err().contains("hunter2"), misspelt::toString);
        assertFalse(Files.exists(dir.resolve("typo.db")));
        // SQLite's own spellings get the store's refusal, not "no store at" a file of that name.
        for (String uri : List.of("sqlite::memory:", "sqlite:file:x.db")) {
            Result r = h.run("experiments", "--store", uri);
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().contains("would create a file named") && !r.err().contains("no store at"), r::toString);
        }
        Result secret = h.run("runs", "--store", "sqlite:" + dir.resolve("typo.db") + "?artifacts=s3://AKIAX:s3cr3tkey@bucket/p");
        assertEquals(1, secret.code(), secret::toString);
        assertFalse(secret.err().contains("s3cr3tkey"), secret.err());

        // What fills a store makes it.
        Result copied = h.run("copy", "--to", "sqlite:" + dir.resolve("copy.db"));
        assertEquals(0, copied.code(), copied::toString);
        assertEquals(0, h.run("doctor", "--store", "sqlite:" + dir.resolve("copy.db")).code());
    }

    private static String[] concat(String[] command, String... more) {
        String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }
}
