package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.cli.CliHarness.Result;
import dev.runlog.registry.CopyReport;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.StoreCopy;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.tck.CopyFixture;
import dev.runlog.tracking.tck.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a store up to PostgreSQL and back (issue 16), against a real server (PostgreSQL's binaries
 * from a jar): {@link StoreCopy} from SQLite into PostgreSQL, artifacts in the database, and on into
 * a fresh SQLite store gives the same store each time, every shape of data included; and
 * {@code runlog copy --from sqlite:... --to postgresql://...} does it from the command line. Here,
 * not in storage-postgres's tests, because this module has both stores (storage-sqlite's tests
 * already depend on storage-postgres, so the reverse would be a cycle).
 */
class PostgresCopyTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2023-02-01T10:00:00.250Z"));

    @TempDir
    Path dir;

    private static String freshDatabase() throws Exception {
        return SharedPostgres.freshDatabase();
    }

    private Tracker open(String uri) {
        return Tracker.builder().uri(uri).clock(clock).shutdownHook(false).build();
    }

    @Test
    void sqliteToPostgresToSqliteKeepsEverything() throws Exception {
        try (Tracker original = open("sqlite:" + dir.resolve("a.db"));
             Tracker postgres = open(freshDatabase());
             Tracker back = open("sqlite:" + dir.resolve("b.db"))) {
            CopyFixture.fill(original, clock, dir);
            List<Object> expected = CopyFixture.dump(original);
            CopyReport up = StoreCopy.copy(original, postgres);
            assertEquals(expected, CopyFixture.dump(postgres));
            CopyReport down = StoreCopy.copy(postgres, back);
            assertEquals(expected, CopyFixture.dump(back));
            assertEquals(up, down);
            assertEquals(List.of(3L, 4L, 6L, 1L, 2L), List.of(up.experiments(), up.runs(), up.metricPoints(), up.models(),
                    up.versions()), up::toString);
            // The copy works as a store: numbers go on after the copied ones (version 3 was deleted, so 4).
            String source = ModelRegistry.of(postgres).getVersion("iris", 1).source();
            assertEquals(4, ModelRegistry.of(postgres).register("iris", source).version());
            assertEquals("4", postgres.createExperiment("after the copy").id());
        }
    }

    @Test
    void runlogCopyFromSqliteToPostgres() throws Exception {
        String from = "sqlite:" + dir.resolve("runs.db");
        // A password and a secret option (the server trusts local logins, so both are only carried):
        // neither may reach what the command prints, which ends up in CI logs.
        String to = freshDatabase().replace("postgres@", "postgres:pw-S3cret@") + "?sslpassword=ssl-S3cret";
        try (CliHarness source = new CliHarness(from).withFixture()) {
            Result copy = source.run("copy", "--from", from, "--to", to);
            assertEquals(0, copy.code(), copy::toString);
            assertTrue(copy.out().startsWith("copied " + from + " to postgresql://(credentials hidden)@localhost:"), copy.out());
            assertTrue(copy.out().contains(": 1 experiments, 2 runs, 8 metric points, "), copy.out());
            assertFalse(copy.out().contains("S3cret"), copy.out());
            try (Tracker copied = open(to)) {
                assertEquals(CopyFixture.dump(source.tracker), CopyFixture.dump(copied));
            }
            Result json = source.run("copy", "--from", from, "--to", freshDatabase().replace("postgres@", "postgres:pw-S3cret@"),
                    "--format", "json");
            assertEquals(0, json.code(), json::toString);
            assertFalse(json.out().contains("S3cret"), json.out());
        }
    }
}
