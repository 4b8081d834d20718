package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.spi.DatasetCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads whole runs by id, any number at once, in five queries whatever the number: run rows,
 * params, tags, latest metric points (from the series rows, never a chunk) and inputs, each
 * joining the ids ({@code unnest}) to the table's primary key. Searching and loading many runs then
 * costs a few round trips, not several per run. A join, not {@code run_id = ANY (ids)}: for a
 * thousand ids (a page of a stream) PostgreSQL estimates a sequential scan of the whole table,
 * testing every row against the array, cheaper than a thousand index probes, and it is not.
 */
final class PgRunReader {
    /** The ids asked for, as a relation w (run_id); its one parameter is the array of ids. */
    private static final String IDS = "unnest(?::text[]) AS w (run_id)";
    private final Connection c;
    private final String[] ids;

    private PgRunReader(Connection c, List<String> ids) {
        this.c = c;
        this.ids = new LinkedHashSet<>(ids).toArray(new String[0]); // once each: the join would repeat rows
    }

    /** The runs with these ids, in the order given; ids with no run are left out. */
    static List<Run> load(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        return new PgRunReader(c, ids).runs(ids);
    }

    /** The latest metric points of the runs with these ids that exist. */
    static Map<String, Map<String, Metric>> latestMetrics(Connection c, List<String> ids) throws SQLException {
        PgRunReader reader = new PgRunReader(c, ids);
        Map<String, Map<String, Metric>> latest = reader.latest();
        Map<String, Map<String, Metric>> result = new LinkedHashMap<>();
        for (String id : reader.existing().keySet()) {
            result.put(id, latest.getOrDefault(id, Map.of()));
        }
        return result;
    }

    private List<Run> runs(List<String> order) throws SQLException {
        Map<String, RunInfo> infos = existing();
        Map<String, Map<String, String>> params = pairs("runlog_params");
        Map<String, Map<String, String>> tags = pairs("runlog_tags");
        Map<String, Map<String, Metric>> latest = latest();
        Map<String, List<DatasetInput>> inputs = inputs();
        List<Run> runs = new ArrayList<>(infos.size());
        for (String id : order) {
            RunInfo info = infos.get(id);
            if (info != null) {
                runs.add(new Run(info, new RunData(params.getOrDefault(id, Map.of()), latest.getOrDefault(id, Map.of()),
                        tags.getOrDefault(id, Map.of())), inputs.getOrDefault(id, List.of())));
            }
        }
        return runs;
    }

    private PreparedStatement select(String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setArray(1, c.createArrayOf("text", ids));
        return ps;
    }

    private Map<String, RunInfo> existing() throws SQLException {
        Map<String, RunInfo> infos = new LinkedHashMap<>();
        try (PreparedStatement ps = select("SELECT r.run_id, experiment_id, name, status, start_time, end_time,"
                + " lifecycle_stage, artifact_uri FROM " + IDS + " JOIN runlog_runs r ON r.run_id = w.run_id ORDER BY created");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long end = rs.getLong(6);
                Optional<Instant> endTime = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(end));
                infos.put(rs.getString(1), new RunInfo(rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3),
                        RunStatus.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)), endTime,
                        LifecycleStage.valueOf(rs.getString(7)), rs.getString(8)));
            }
        }
        return infos;
    }

    /** Key-value rows of {@code table} (one of this store's own tables) by run. */
    private Map<String, Map<String, String>> pairs(String table) throws SQLException {
        Map<String, Map<String, String>> byRun = new HashMap<>();
        try (PreparedStatement ps = select("SELECT x.run_id, key, value FROM " + IDS + " JOIN " + table
                + " x ON x.run_id = w.run_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byRun.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        return byRun;
    }

    private Map<String, Map<String, Metric>> latest() throws SQLException {
        Map<String, Map<String, Metric>> byRun = new HashMap<>();
        try (PreparedStatement ps = select("SELECT s.run_id, key, latest_step, latest_timestamp, latest_bits"
                + " FROM " + IDS + " JOIN runlog_metric_series s ON s.run_id = w.run_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(2);
                byRun.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                        .put(key, new Metric(key, Double.longBitsToDouble(rs.getLong(5)), rs.getLong(3), rs.getLong(4)));
            }
        }
        return byRun;
    }

    private Map<String, List<DatasetInput>> inputs() throws SQLException {
        Map<String, List<DatasetInput>> byRun = new HashMap<>();
        try (PreparedStatement ps = select("SELECT i.run_id, d.name, d.digest, d.source, d.schema_json, d.profile_json,"
                + " i.context FROM " + IDS + " JOIN runlog_inputs i ON i.run_id = w.run_id"
                + " JOIN runlog_datasets d ON d.dataset_id = i.dataset_id ORDER BY i.logged");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Dataset dataset = new Dataset(rs.getString(2), rs.getString(3), rs.getString(4),
                        DatasetCodec.schemaFromText(rs.getString(5)), DatasetCodec.profileFromText(rs.getString(6)));
                byRun.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new DatasetInput(dataset, rs.getString(7)));
            }
        }
        return byRun;
    }
}
