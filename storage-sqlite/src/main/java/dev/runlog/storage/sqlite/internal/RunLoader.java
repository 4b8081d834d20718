package dev.runlog.storage.sqlite.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.RunInfo;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.internal.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads whole runs, many at a time: three queries per 500 runs (the run rows, their data records,
 * their inputs) rather than several per run, which is what makes reading tens of thousands of
 * search results fast.
 */
final class RunLoader {
    private static final int SLICE = 500;
    private static final JavaType SCHEMA_TYPE =
            Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Dataset.Column.class);

    private RunLoader() {
    }

    /** The runs with these ids, in the order given; ids with no run are left out. */
    static List<Run> load(Connection c, List<String> ids) throws SQLException {
        List<Run> runs = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += SLICE) {
            runs.addAll(loadSlice(c, ids.subList(from, Math.min(ids.size(), from + SLICE))));
        }
        return runs;
    }

    private static List<Run> loadSlice(Connection c, List<String> ids) throws SQLException {
        String in = " IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        Map<String, RunInfo> infos = new HashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT run_id, experiment_id, name, status, start_time, end_time,"
                + " lifecycle_stage, artifact_uri FROM runs WHERE run_id" + in, ids);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long end = rs.getLong(6);
                Optional<Instant> endTime = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(end));
                String id = rs.getString(1);
                infos.put(id, new RunInfo(id, Long.toString(rs.getLong(2)), rs.getString(3),
                        RunStatus.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)), endTime,
                        LifecycleStage.valueOf(rs.getString(7)), rs.getString(8)));
            }
        }
        Map<String, RunDataCodec.Data> data = new HashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT run_id, data FROM run_data WHERE run_id" + in, ids);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                data.put(rs.getString(1), RunDataCodec.decode(rs.getBytes(2)));
            }
        }
        Map<String, List<DatasetInput>> inputs = new HashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT i.run_id, d.name, d.digest, d.source, d.schema_json,"
                + " d.profile_json, i.context FROM inputs i JOIN datasets d ON d.dataset_id = i.dataset_id"
                + " WHERE i.run_id" + in + " ORDER BY i.rowid", ids);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Dataset.Column> schema = Json.read(rs.getString(5), SCHEMA_TYPE);
                Dataset dataset = new Dataset(rs.getString(2), rs.getString(3), rs.getString(4), schema,
                        Json.read(rs.getString(6), Dataset.Profile.class));
                inputs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new DatasetInput(dataset, rs.getString(7)));
            }
        }
        List<Run> runs = new ArrayList<>(ids.size());
        for (String id : ids) {
            RunInfo info = infos.get(id);
            RunDataCodec.Data d = data.get(id);
            if (info != null && d != null) {
                runs.add(new Run(info, new RunData(d.params(), d.latest(), d.tags()), inputs.getOrDefault(id, List.of())));
            }
        }
        return runs;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<?> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }
}
