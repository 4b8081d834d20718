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
import dev.runlog.tracking.spi.StoredValues;
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
 * Reads whole runs: a query of run rows, each with its data record (params, tags and latest metric
 * points: {@link PgRunData}, in the row since schema migration 4), then one query of their inputs.
 * A page of a search is such a query itself ({@link PgSearch}), so searching costs two round trips
 * whatever the page's size; loading by id joins the ids ({@code unnest}) to the primary key. A
 * join, not {@code run_id = ANY (ids)}: for a thousand ids PostgreSQL estimates a sequential scan
 * of the whole table, testing every row against the array, cheaper than a thousand index probes,
 * and it is not.
 */
final class PgRunReader {
    /** What a query handing runs to {@link #read} selects, in this order, from the run row {@code r}. */
    static final String COLUMNS = "r.run_id, r.experiment_id, r.name, r.status, r.start_time, r.end_time,"
            + " r.lifecycle_stage, r.artifact_uri, r.data";

    private PgRunReader() {
    }

    /** The runs with these ids, in the order given, each once; ids with no run are left out. */
    static List<Run> load(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        return read(c, byIds(ids));
    }

    /** The latest metric points of the runs with these ids that exist. */
    static Map<String, Map<String, Metric>> latestMetrics(Connection c, List<String> ids) throws SQLException {
        Map<String, Map<String, Metric>> result = new LinkedHashMap<>();
        for (Loaded run : rows(c, byIds(ids))) {
            result.put(run.info().id(), run.data().latest());
        }
        return result;
    }

    /** The runs {@code query}, which selects {@link #COLUMNS}, returns, in its order, with their inputs. */
    static List<Run> read(Connection c, SqlText query) throws SQLException {
        List<Loaded> rows = rows(c, query);
        Map<String, List<DatasetInput>> inputs = rows.isEmpty() ? Map.of()
                : inputs(c, rows.stream().map(r -> r.info().id()).toArray(String[]::new));
        List<Run> runs = new ArrayList<>(rows.size());
        for (Loaded run : rows) {
            PgRunData.Data d = run.data();
            runs.add(new Run(run.info(), new RunData(d.params(), d.latest(), d.tags()),
                    inputs.getOrDefault(run.info().id(), List.of())));
        }
        return runs;
    }

    /** The rows of the runs with these ids, in the order given, each once. */
    private static SqlText byIds(List<String> ids) {
        return new SqlText().sql("SELECT " + COLUMNS + " FROM unnest(").value(new LinkedHashSet<>(ids).toArray(new String[0]))
                .sql("::text[]) WITH ORDINALITY AS w (run_id, n) JOIN runlog_runs r ON r.run_id = w.run_id ORDER BY w.n");
    }

    /** A run's row and its data record. */
    private record Loaded(RunInfo info, PgRunData.Data data) {
    }

    private static List<Loaded> rows(Connection c, SqlText query) throws SQLException {
        return query.list(c, rs -> {
            long end = rs.getLong(6);
            Optional<Instant> endTime = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(end));
            RunInfo info = new RunInfo(rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3),
                    StoredValues.constant(RunStatus.class, rs.getString(4), "a run status"), Instant.ofEpochMilli(rs.getLong(5)), endTime,
                    StoredValues.constant(LifecycleStage.class, rs.getString(7), "a run lifecycle stage"), rs.getString(8));
            return new Loaded(info, PgRunData.decode(rs.getBytes(9), info.id()));
        });
    }

    private static Map<String, List<DatasetInput>> inputs(Connection c, String[] ids) throws SQLException {
        Map<String, List<DatasetInput>> byRun = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.run_id, d.name, d.digest, d.source, d.schema_json,"
                + " d.profile_json, i.context FROM unnest(?::text[]) AS w (run_id) JOIN runlog_inputs i ON i.run_id = w.run_id"
                + " JOIN runlog_datasets d ON d.dataset_id = i.dataset_id ORDER BY i.logged")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Dataset dataset = new Dataset(rs.getString(2), rs.getString(3), rs.getString(4),
                            DatasetCodec.schemaFromText(rs.getString(5)), DatasetCodec.profileFromText(rs.getString(6)));
                    byRun.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new DatasetInput(dataset, rs.getString(7)));
                }
            }
        }
        return byRun;
    }
}
