package dev.runlog.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a straightforward store does, shaped like MLflow's SQLite schema: one row per metric point
 * in a table whose primary key indexes every column, one INSERT and one commit per point, SQLite's
 * default journal and synchronous settings. Measured in the same process as Runlog so ratios hold
 * on a noisy machine.
 */
final class NaiveBaseline implements AutoCloseable {
    private final Path file;
    private final Connection connection;

    NaiveBaseline(Path file) throws SQLException {
        this.file = file;
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT, status TEXT, start_time INTEGER,"
                    + " end_time INTEGER, lifecycle_stage TEXT, experiment_id INTEGER)");
            s.execute("CREATE TABLE metrics (key TEXT NOT NULL, value REAL NOT NULL, timestamp INTEGER NOT NULL,"
                    + " run_uuid TEXT NOT NULL, step INTEGER NOT NULL DEFAULT 0, is_nan INTEGER NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan))");
            s.execute("CREATE TABLE latest_metrics (key TEXT NOT NULL, value REAL NOT NULL, timestamp INTEGER,"
                    + " step INTEGER NOT NULL, is_nan INTEGER NOT NULL, run_uuid TEXT NOT NULL, PRIMARY KEY (key, run_uuid))");
        }
    }

    /** Points per second, logging one point per transaction for about {@code seconds}. */
    double pointsPerSecondOneByOne(double seconds) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, 0)");
             PreparedStatement latest = connection.prepareStatement(
                     "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, 0, ?)"
                             + " ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, step = excluded.step,"
                             + " timestamp = excluded.timestamp")) {
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long points = 0;
            while (System.nanoTime() < deadline || points < 100) {
                connection.setAutoCommit(false);
                String key = "m" + (points % 10);
                insert.setString(1, key);
                insert.setDouble(2, Math.sin(points));
                insert.setLong(3, System.currentTimeMillis());
                insert.setString(4, "run-one-by-one");
                insert.setLong(5, points / 10);
                insert.executeUpdate();
                latest.setString(1, key);
                latest.setDouble(2, Math.sin(points));
                latest.setLong(3, System.currentTimeMillis());
                latest.setLong(4, points / 10);
                latest.setString(5, "run-one-by-one");
                latest.executeUpdate();
                connection.commit();
                points++;
            }
            return points / ((System.nanoTime() - start) / 1e9);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Bytes per point of this layout, from a bulk load of {@code points} rows (its best case). */
    double bytesPerPoint(int points) throws Exception {
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM metrics");
            s.execute("VACUUM");
        }
        long before = Files.size(file);
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, 0)")) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < points; i++) {
                insert.setString(1, "m" + (i % 10));
                insert.setDouble(2, Math.sin(i));
                insert.setLong(3, now + i / 10);
                insert.setString(4, "0123456789abcdef0123456789abcdef");
                insert.setLong(5, i / 10);
                insert.addBatch();
                if (i % 10_000 == 9_999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        connection.commit();
        connection.setAutoCommit(true);
        return (double) (Files.size(file) - before) / points;
    }

    /** Milliseconds to start and end one run, each its own transaction, as a naive store does. */
    double startEndRunMillis(int runs) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO runs (run_uuid, name, status, start_time, lifecycle_stage, experiment_id) VALUES (?, ?, 'RUNNING', ?, 'active', 1)");
             PreparedStatement end = connection.prepareStatement(
                     "UPDATE runs SET status = 'FINISHED', end_time = ? WHERE run_uuid = ?")) {
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                String id = String.format("%032x", i);
                insert.setString(1, id);
                insert.setString(2, "run-" + i);
                insert.setLong(3, System.currentTimeMillis());
                insert.executeUpdate();
                end.setLong(1, System.currentTimeMillis());
                end.setString(2, id);
                end.executeUpdate();
            }
            return (System.nanoTime() - start) / 1e6 / runs;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
