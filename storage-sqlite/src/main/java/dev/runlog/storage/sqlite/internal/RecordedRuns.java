package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.spi.RecordedRun;
import dev.runlog.tracking.spi.RunSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs that already happened, written in the caller's one transaction: each run's row is inserted
 * ended, its params, tags and points follow, and its data record is written once with them. An
 * import pays one commit for thousands of runs instead of several per run; the rows are the same
 * ones {@code createRun}, {@code logBatch} and {@code endRun} write (no owner row: the run is
 * never RUNNING in the file), and each series is born whole.
 */
final class RecordedRuns {
    /** Runs whose rows are sent to SQLite together; their parameters are held meanwhile. */
    private static final int RUNS_PER_BATCH = 100;
    /** Ids looked up per query, under SQLite's default limit of bound parameters. */
    private static final int ID_SLICE = 500;

    private RecordedRuns() {
    }

    /** Checks every run before writing any, so a refusal leaves nothing for the rollback to undo. */
    static void write(Connection c, List<RecordedRun> runs) throws SQLException {
        Map<String, Long> experiments = new HashMap<>();
        Set<String> ids = new HashSet<>();
        Set<String> taken = taken(c, runs);
        for (RecordedRun run : runs) {
            RunSpec spec = run.spec();
            if (!experiments.containsKey(spec.experimentId())) {
                long key = SqliteTrackingStore.existingExperimentKey(spec.experimentId());
                if (!SqliteTrackingStore.requireExperiment(c, key, spec.experimentId()).equals(LifecycleStage.ACTIVE.name())) {
                    throw new ConflictException("Experiment " + spec.experimentId() + " is deleted; restore it before recording runs in it");
                }
                experiments.put(spec.experimentId(), key);
            }
            if (taken.contains(spec.runId()) || !ids.add(spec.runId())) {
                throw new ConflictException("A run with id " + spec.runId() + " already exists");
            }
        }
        try (PreparedStatement insertRun = c.prepareStatement("INSERT INTO runs (run_id, experiment_id, name, status,"
                + " start_time, end_time, lifecycle_stage, deleted_with_experiment, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)");
             PreparedStatement insertParam = c.prepareStatement("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)");
             PreparedStatement insertTag = c.prepareStatement("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)");
             PreparedStatement insertData = c.prepareStatement("INSERT INTO run_data (run_id, data) VALUES (?, ?)");
             PreparedStatement insertSeries = c.prepareStatement("INSERT INTO metric_series (series_id, run_id, key,"
                     + " point_count, chunk_count, in_order, last_step, last_timestamp, last_bits, latest_step,"
                     + " latest_timestamp, latest_bits, latest_value) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement insertChunk = c.prepareStatement(
                     "INSERT INTO metric_chunks (series_id, chunk_no, point_count, data) VALUES (?, 0, ?, ?)")) {
            // Ids numbered here, as SQLite would (max + 1): this transaction holds the write lock, and
            // asking the driver for each generated key costs a statement of its own.
            long[] seriesId = {maxSeriesId(c)};
            List<PreparedStatement> batches = List.of(insertRun, insertParam, insertTag, insertSeries, insertChunk, insertData);
            int pending = 0;
            for (RecordedRun run : runs) {
                RunSpec spec = run.spec();
                Sql.bind(insertRun, spec.runId(), experiments.get(spec.experimentId()), spec.name(), run.endStatus().name(),
                        spec.startTime().toEpochMilli(), run.endTime().toEpochMilli(), LifecycleStage.ACTIVE.name(),
                        spec.artifactUri());
                insertRun.addBatch();
                addAll(insertParam, spec.runId(), run.params());
                addAll(insertTag, spec.runId(), spec.tags());
                Map<String, Metric> latest = new LinkedHashMap<>();
                for (Map.Entry<String, List<Metric>> series : byKey(run.metrics()).entrySet()) {
                    latest.put(series.getKey(), writeSeries(insertSeries, insertChunk, ++seriesId[0], spec.runId(), series.getValue()));
                }
                Sql.bind(insertData, spec.runId(), RunDataCodec.encode(new RunDataCodec.Data(run.params(), spec.tags(), latest)));
                insertData.addBatch();
                // Batches, not executeUpdate: the driver follows every single INSERT with a query
                // for its generated key, which cost as much as the inserts themselves here. Several
                // runs a batch, table by table: a batch call has a cost of its own, and each table's
                // rows then go to the same few index pages one after another.
                if (++pending == RUNS_PER_BATCH) {
                    executeAll(batches);
                    pending = 0;
                }
            }
            executeAll(batches);
        }
    }

    /** The ids of these runs that the file holds already: one query per {@link #ID_SLICE} runs, not one per run. */
    private static Set<String> taken(Connection c, List<RecordedRun> runs) throws SQLException {
        Set<String> taken = new HashSet<>();
        for (int from = 0; from < runs.size(); from += ID_SLICE) {
            List<RecordedRun> slice = runs.subList(from, Math.min(runs.size(), from + ID_SLICE));
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM runs WHERE run_id IN ("
                    + String.join(", ", Collections.nCopies(slice.size(), "?")) + ")")) {
                for (int i = 0; i < slice.size(); i++) {
                    ps.setString(i + 1, slice.get(i).spec().runId());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        taken.add(rs.getString(1));
                    }
                }
            }
        }
        return taken;
    }

    private static void executeAll(List<PreparedStatement> batches) throws SQLException {
        for (PreparedStatement batch : batches) {
            batch.executeBatch();
        }
    }

    private static void addAll(PreparedStatement insert, String runId, Map<String, String> entries) throws SQLException {
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            Sql.bind(insert, runId, entry.getKey(), entry.getValue());
            insert.addBatch();
        }
    }

    private static long maxSeriesId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(series_id), 0) FROM metric_series")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, List<Metric>> byKey(List<Metric> metrics) {
        Map<String, List<Metric>> byKey = new LinkedHashMap<>();
        for (Metric m : metrics) {
            List<Metric> points = byKey.get(m.key());
            if (points == null) {
                points = new ArrayList<>();
                byKey.put(m.key(), points);
            }
            points.add(m);
        }
        return byKey;
    }

    /**
     * A new series whole: its row with the last and latest points final, and its points as one
     * chunk, the state {@link MetricChunks#append} leaves after a first batch, in two statements
     * instead of its four (no lookup, no second write of the row and its value index).
     *
     * @return the series' latest point
     */
    private static Metric writeSeries(PreparedStatement insertSeries, PreparedStatement insertChunk, long seriesId,
                                      String runId, List<Metric> points) throws SQLException {
        int n = points.size();
        long[] steps = new long[n];
        long[] timestamps = new long[n];
        double[] values = new double[n];
        boolean inOrder = true;
        Metric latest = points.get(0);
        for (int i = 0; i < n; i++) {
            Metric p = points.get(i);
            steps[i] = p.step();
            timestamps[i] = p.timestamp();
            values[i] = p.value();
            inOrder &= i == 0 || Metric.HISTORY_ORDER.compare(p, points.get(i - 1)) >= 0;
            if (p.isLaterThan(latest)) {
                latest = p;
            }
        }
        Metric last = points.get(n - 1);
        Sql.bind(insertSeries, seriesId, runId, last.key(), n, inOrder ? 1 : 0, last.step(), last.timestamp(),
                Double.doubleToRawLongBits(last.value()), latest.step(), latest.timestamp(),
                Double.doubleToRawLongBits(latest.value()), Double.isNaN(latest.value()) ? null : latest.value());
        insertSeries.addBatch();
        Sql.bind(insertChunk, seriesId, n, ChunkCodec.encode(steps, timestamps, values, 0, n));
        insertChunk.addBatch();
        return latest;
    }
}
