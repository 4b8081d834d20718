package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datasets and artifact digests as the SQLite file holds them: a dataset used by many runs is one
 * row of {@code datasets} and one row of {@code inputs} per use; every stored file is one row of
 * {@code artifacts} with the SHA-256 {@code listArtifacts} reports.
 */
class SqliteDatasetsTest {
    /** A dataset as Dataset.fromCsv would describe it, built by hand so this test is about storage only. */
    private static Dataset dataset(String name, String digest) {
        return new Dataset(name, digest, "file:/data/" + name + ".csv",
                List.of(new Dataset.Column("x", "double"), new Dataset.Column("label", "string")),
                new Dataset.Profile(3, Map.of("x", new Dataset.ColumnProfile(3, 1, 0.5, 2.5, 1.5, 1.0,
                        new Dataset.Histogram(List.of(0.5, 1.5, 2.5), List.of(1L, 2L))))));
    }

    private static final String DIGEST_A = "a".repeat(64);
    private static final String DIGEST_B = "b".repeat(64);

    @TempDir
    Path dir;

    private Path db;
    private Tracker tracker;

    @BeforeEach
    void open() {
        db = dir.resolve("datasets.db");
        tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build();
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    private String runWith(String experiment, Dataset dataset, String context) {
        try (ActiveRun run = tracker.startRun(experiment)) {
            run.logInput(dataset, context);
            return run.id();
        }
    }

    @Test
    void aDatasetUsedByThreeRunsIsStoredOnce() throws Exception {
        Dataset iris = dataset("iris", DIGEST_A);
        String r1 = runWith("first", iris, "training");
        String r2 = runWith("first", iris, "training");
        String r3 = runWith("second", iris, "validation");
        assertEquals(2, tracker.listExperiments().size());

        assertEquals(1, count("SELECT count(*) FROM datasets"));
        assertEquals(3, count("SELECT count(*) FROM inputs"));
        assertEquals(3, count("SELECT count(*) FROM inputs i JOIN datasets d ON d.dataset_id = i.dataset_id"
                + " WHERE d.digest = '" + DIGEST_A + "' AND d.name = 'iris'"));
        assertEquals(List.of(r1 + " training", r2 + " training", r3 + " validation"),
                strings("SELECT run_id || ' ' || context FROM inputs ORDER BY rowid"));
        assertEquals(List.of("iris " + DIGEST_A + " file:/data/iris.csv"),
                strings("SELECT name || ' ' || digest || ' ' || source FROM datasets"));

        assertEquals(List.of(r1, r2, r3), tracker.runsUsing(DIGEST_A).stream().map(r -> r.info().id()).toList());
        for (String runId : List.of(r1, r2)) {
            assertEquals(List.of(new DatasetInput(iris, "training")), tracker.getRun(runId).inputs());
        }
        assertEquals(List.of(new DatasetInput(iris, "validation")), tracker.getRun(r3).inputs());
    }

    @Test
    void aDifferentDatasetAddsARowAndTheSameContextTwiceDoesNot() throws Exception {
        Dataset iris = dataset("iris", DIGEST_A);
        String r1 = runWith("first", iris, "training");
        runWith("first", iris, "training");
        runWith("second", iris, "training");
        assertEquals(1, count("SELECT count(*) FROM datasets"));

        String r4;
        try (ActiveRun run = tracker.startRun("first")) {
            run.logInput(iris, "training");
            run.logInput(iris, "training"); // the same use again changes nothing
            run.logInput(dataset("wine", DIGEST_B), "training");
            run.logInput(iris, "test"); // the same dataset in another role is another input
            r4 = run.id();
        }
        assertEquals(2, count("SELECT count(*) FROM datasets"));
        assertEquals(6, count("SELECT count(*) FROM inputs"));
        assertEquals(3, count("SELECT count(*) FROM inputs WHERE run_id = '" + r4 + "'"));
        assertEquals(List.of("iris training", "wine training", "iris test"), tracker.getRun(r4).inputs().stream()
                .map(i -> i.dataset().name() + " " + i.context()).toList());

        // Same bytes under another name: a dataset of its own, as (digest, name) is the key.
        runWith("second", dataset("iris-copy", DIGEST_A), "training");
        assertEquals(3, count("SELECT count(*) FROM datasets"));
        assertEquals(2, count("SELECT count(*) FROM datasets WHERE digest = '" + DIGEST_A + "'"));
        assertEquals(5, tracker.runsUsing(DIGEST_A).size());
        assertEquals(List.of(r4), tracker.runsUsing(DIGEST_B).stream().map(r -> r.info().id()).toList());
        assertEquals(r1, tracker.runsUsing(DIGEST_A).get(0).info().id());
    }

    @Test
    void theArtifactsTableHoldsOneRowPerFileWithTheListedDigest() throws Exception {
        Path local = Files.createDirectories(dir.resolve("local/tree/sub"));
        Files.writeString(dir.resolve("local/report.txt"), "accuracy 0.97\n");
        Files.writeString(dir.resolve("local/tree/a.txt"), "A");
        Files.write(dir.resolve("local/tree/sub/b.bin"), new byte[] {0, 1, 2, 3, (byte) 255});

        String runId;
        try (ActiveRun run = tracker.startRun("artifacts")) {
            runId = run.id();
            run.logArtifact(dir.resolve("local/report.txt"));
            run.logArtifacts(dir.resolve("local/tree"), "tree");
            run.logText("hello", "notes/hello.md");
            run.logText("first", "notes/overwritten.txt");
            run.logText("second", "notes/overwritten.txt"); // replaces: still one row
        }
        assertTrue(Files.isDirectory(local));

        Map<String, String> expected = new TreeMap<>();
        expected.put("report.txt", sha256("accuracy 0.97\n".getBytes(StandardCharsets.UTF_8)));
        expected.put("tree/a.txt", sha256("A".getBytes(StandardCharsets.UTF_8)));
        expected.put("tree/sub/b.bin", sha256(new byte[] {0, 1, 2, 3, (byte) 255}));
        expected.put("notes/hello.md", sha256("hello".getBytes(StandardCharsets.UTF_8)));
        expected.put("notes/overwritten.txt", sha256("second".getBytes(StandardCharsets.UTF_8)));

        Map<String, String> table = new TreeMap<>();
        Map<String, Long> sizes = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement ps = c.prepareStatement("SELECT path, size, sha256 FROM artifacts WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertEquals(null, table.put(rs.getString(1), rs.getString(3)), "two rows for " + rs.getString(1));
                    sizes.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        assertEquals(expected, table);
        assertEquals(5, count("SELECT count(*) FROM artifacts"));
        assertEquals(5L, sizes.get("tree/sub/b.bin"));
        assertEquals(6L, sizes.get("notes/overwritten.txt"));

        // listArtifacts shows the same digests, directory by directory.
        Map<String, String> listed = new TreeMap<>();
        Map<String, Long> listedSizes = new TreeMap<>();
        collect(runId, "", listed, listedSizes);
        assertEquals(expected, listed);
        assertEquals(sizes, listedSizes);
        assertEquals(List.of(ArtifactEntry.directory("notes"), ArtifactEntry.file("report.txt", 14, expected.get("report.txt")),
                ArtifactEntry.directory("tree")), tracker.listArtifacts(runId, ""));
    }

    private void collect(String runId, String path, Map<String, String> digests, Map<String, Long> sizes) {
        for (ArtifactEntry entry : tracker.listArtifacts(runId, path)) {
            if (entry.isDirectory()) {
                assertEquals(Optional.empty(), entry.sha256());
                collect(runId, entry.path(), digests, sizes);
            } else {
                digests.put(entry.path(), entry.sha256().orElseThrow(() -> new AssertionError("no digest: " + entry)));
                sizes.put(entry.path(), entry.size());
            }
        }
    }

    // ---- JDBC on the file -------------------------------------------------------------------------

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
