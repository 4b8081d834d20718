package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written before migration 11 kept one dataset record per (digest, name); it opens with
 * its runs' inputs as they were, and from then on another profile of the same data is a record of
 * its own instead of being dropped for the first one.
 */
class SqliteMigration11Test {
    @TempDir
    Path dir;

    private Tracker open() {
        return Tracker.builder().uri("sqlite:" + dir.resolve("runlog.db")).shutdownHook(false).build();
    }

    @Test
    void inputsLoggedBeforeMigration11KeepTheirRecordAndAnotherProfileGetsItsOwn() throws Exception {
        Path csv = Files.writeString(dir.resolve("iris.csv"), "x,label\n1.5,a\n2.5,b\n3.5,a\n");
        Dataset plain = Dataset.fromCsv(csv, "iris");
        Dataset extended = new Dataset(plain.name(), plain.digest(), plain.source(), plain.schema(),
                new Dataset.Profile(plain.profile().rowCount(), plain.profile().columns(), Map.of("x.reference", "abc")));
        String before;
        try (Tracker tracker = open(); ActiveRun run = tracker.startRun("old")) {
            run.logInput(plain, "training");
            before = run.id();
        }
        // What a database of schema 10 looks like: one record per (digest, name).
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runlog.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE datasets_10 (dataset_id INTEGER PRIMARY KEY, digest TEXT NOT NULL, name TEXT NOT NULL,"
                    + " source TEXT NOT NULL, schema_json TEXT NOT NULL, profile_json TEXT NOT NULL, UNIQUE (digest, name))");
            s.execute("INSERT INTO datasets_10 SELECT * FROM datasets");
            s.execute("DROP TABLE datasets");
            s.execute("ALTER TABLE datasets_10 RENAME TO datasets");
            s.execute("PRAGMA user_version = 10");
        }

        String after;
        try (Tracker tracker = open()) {
            try (ActiveRun run = tracker.startRun("new")) {
                run.logInput(extended, "training");
                after = run.id();
            }
            assertEquals(List.of(new DatasetInput(plain, "training")), tracker.getRun(before).inputs());
            assertEquals(List.of(new DatasetInput(extended, "training")), tracker.getRun(after).inputs());
            assertEquals(List.of(before, after), tracker.runsUsing(plain.digest()).stream().map(r -> r.info().id()).toList());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runlog.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), (SELECT user_version FROM pragma_user_version) FROM datasets")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "one record per profile");
            assertEquals(11, rs.getInt(2));
        }
    }
}
