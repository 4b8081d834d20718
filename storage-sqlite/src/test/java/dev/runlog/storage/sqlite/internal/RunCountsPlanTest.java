package dev.runlog.storage.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiment summaries read an index, not the runs: SQLite's plan for each of their queries walks
 * the covering index of migration 7 and builds no temporary B-tree, whatever the runs hold.
 */
class RunCountsPlanTest {

    @TempDir
    Path dir;

    @Test
    void everySummaryQueryWalksTheCoveringIndex() throws SQLException {
        Path file = dir.resolve("runlog.db");
        try (Tracker tracker = Tracker.builder().uri("sqlite:" + file).shutdownHook(false).build()) {
            tracker.run("e", run -> run.logParam("p", 1));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(List.of("SCAN runs USING COVERING INDEX runs_by_experiment_stage"), plan(c, RunCounts.ALL));
            assertEquals(List.of("SEARCH runs USING COVERING INDEX runs_by_experiment_stage (experiment_id=?)",
                    "LIST SUBQUERY 1", "SCAN experiments"), plan(c, RunCounts.IN_STAGE));
        }
    }

    private static List<String> plan(Connection c, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            if (sql.contains("?")) {
                ps.setString(1, "ACTIVE");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
        }
        return steps;
    }
}
