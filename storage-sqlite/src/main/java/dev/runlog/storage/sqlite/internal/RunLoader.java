package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.spi.DatasetCodec;
import dev.runlog.tracking.spi.StoredValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads whole runs, many at a time: a run row joined with its data record, plus one query for the
 * inputs of up to 500 runs, rather than several queries per run. That is what makes reading tens
 * of thousands of search results fast; a search selects the same columns and skips the first query.
 */
final class RunLoader {
    private static final int SLICE = 500;

    /** What a run row and its data record hold, in the order {@code fromRows} reads them; r is runs, d run_data. */
    static final String RUN_COLUMNS = "r.run_id, r.experiment_id, r.name, r.status, r.start_time, r.end_time,"
            + " r.lifecycle_stage, r.artifact_uri, d.data";

    private RunLoader() {
    }

    /**
     * Reads the runs of a query selecting {@link #RUN_COLUMNS} from column {@code first} on, in row
     * order, and adds their inputs.
     */
    static List<Run> fromRows(Connection c, PreparedStatement query, int first) throws SQLException {
        List<RunInfo> infos = new ArrayList<>();
        List<RunDataCodec.Data> data = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                RunInfo info = info(rs, first);
                infos.add(info);
                data.add(RunDataCodec.decode(rs.getBytes(first + 8), info.id()));
            }
        }
        List<String> ids = infos.stream().map(RunInfo::id).toList();
        Map<String, List<DatasetInput>> inputs = new HashMap<>();
        for (int from = 0; from < ids.size(); from += SLICE) {
            inputs.putAll(inputs(c, ids.subList(from, Math.min(ids.size(), from + SLICE))));
        }
        List<Run> runs = new ArrayList<>(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            RunDataCodec.Data d = data.get(i);
            runs.add(new Run(infos.get(i), new RunData(d.params(), d.latest(), d.tags()),
                    inputs.getOrDefault(ids.get(i), List.of())));
        }
        return runs;
    }

    private static RunInfo info(ResultSet rs, int first) throws SQLException {
        long end = rs.getLong(first + 5);
        Optional<Instant> endTime = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(end));
        return new RunInfo(rs.getString(first), Long.toString(rs.getLong(first + 1)), rs.getString(first + 2),
                StoredValues.constant(RunStatus.class, rs.getString(first + 3), "a run status"), Instant.ofEpochMilli(rs.getLong(first + 4)), endTime,
                StoredValues.constant(LifecycleStage.class, rs.getString(first + 6), "a run lifecycle stage"), rs.getString(first + 7));
    }

    /** The runs with these ids, in the order given; ids with no run are left out. */
    static List<Run> load(Connection c, List<String> ids) throws SQLException {
        List<Run> runs = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += SLICE) {
            runs.addAll(loadSlice(c, ids.subList(from, Math.min(ids.size(), from + SLICE))));
        }
        return runs;
    }

    /** The latest metric points of the runs with these ids, read from their data records alone. */
    static Map<String, Map<String, Metric>> latestMetrics(Connection c, List<String> ids) throws SQLException {
        Map<String, Map<String, Metric>> result = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += SLICE) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + SLICE));
            String in = " IN (" + String.join(", ", Collections.nCopies(slice.size(), "?")) + ")";
            try (PreparedStatement ps = prepare(c, "SELECT run_id, data FROM run_data WHERE run_id" + in, slice);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), RunDataCodec.decode(rs.getBytes(2), rs.getString(1)).latest());
                }
            }
        }
        return result;
    }

    private static List<Run> loadSlice(Connection c, List<String> ids) throws SQLException {
        String in = " IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        Map<String, Run> byId = new HashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT " + RUN_COLUMNS + " FROM runs r JOIN run_data d"
                + " ON d.run_id = r.run_id WHERE r.run_id" + in, ids)) {
            for (Run run : fromRows(c, ps, 1)) {
                byId.put(run.info().id(), run);
            }
        }
        List<Run> runs = new ArrayList<>(ids.size());
        for (String id : ids) {
            Run run = byId.get(id);
            if (run != null) {
                runs.add(run);
            }
        }
        return runs;
    }

    private static Map<String, List<DatasetInput>> inputs(Connection c, List<String> ids) throws SQLException {
        String in = " IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        Map<String, List<DatasetInput>> inputs = new HashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT i.run_id, d.name, d.digest, d.source, d.schema_json,"
                + " d.profile_json, i.context FROM inputs i JOIN datasets d ON d.dataset_id = i.dataset_id"
                + " WHERE i.run_id" + in + " ORDER BY i.rowid", ids);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Dataset.Column> schema = DatasetCodec.schemaFromText(rs.getString(5));
                Dataset dataset = new Dataset(rs.getString(2), rs.getString(3), rs.getString(4), schema,
                        DatasetCodec.profileFromText(rs.getString(6)));
                inputs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new DatasetInput(dataset, rs.getString(7)));
            }
        }
        return inputs;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<?> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }
}
