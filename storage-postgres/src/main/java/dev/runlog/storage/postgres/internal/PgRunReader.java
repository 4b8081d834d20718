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
 * Reads whole runs by id, any number at once, in two queries whatever the number: run rows with
 * their data records (params, tags and latest metric points: {@link PgRunData}), and inputs, each
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
        Map<String, Map<String, Metric>> result = new LinkedHashMap<>();
        for (Map.Entry<String, Loaded> run : new PgRunReader(c, ids).existing().entrySet()) {
            result.put(run.getKey(), run.getValue().data().latest());
        }
        return result;
    }

    /** A run's row and its data record. */
    private record Loaded(RunInfo info, PgRunData.Data data) {
    }

    private List<Run> runs(List<String> order) throws SQLException {
        Map<String, Loaded> loaded = existing();
        Map<String, List<DatasetInput>> inputs = loaded.isEmpty() ? Map.of() : inputs();
        List<Run> runs = new ArrayList<>(loaded.size());
        for (String id : order) {
            Loaded run = loaded.get(id);
            if (run != null) {
                PgRunData.Data d = run.data();
                runs.add(new Run(run.info(), new RunData(d.params(), d.latest(), d.tags()), inputs.getOrDefault(id, List.of())));
            }
        }
        return runs;
    }

    private PreparedStatement select(String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setArray(1, c.createArrayOf("text", ids));
        return ps;
    }

    /** The runs that exist, each row with its data record (PgRunData), in creation order. */
    private Map<String, Loaded> existing() throws SQLException {
        Map<String, Loaded> runs = new LinkedHashMap<>();
        try (PreparedStatement ps = select("SELECT r.run_id, experiment_id, name, status, start_time, end_time,"
                + " lifecycle_stage, artifact_uri, d.data FROM " + IDS + " JOIN runlog_runs r ON r.run_id = w.run_id"
                + " LEFT JOIN runlog_run_data d ON d.run_id = r.run_id ORDER BY created");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long end = rs.getLong(6);
                Optional<Instant> endTime = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(end));
                RunInfo info = new RunInfo(rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3),
                        RunStatus.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)), endTime,
                        LifecycleStage.valueOf(rs.getString(7)), rs.getString(8));
                runs.put(info.id(), new Loaded(info, PgRunData.decode(rs.getBytes(9))));
            }
        }
        return runs;
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
