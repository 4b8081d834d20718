package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the SQLite store's self-check that looks inside run records: each run's
 * {@link RunDataCodec} record is what reads show, and the params, tags and metric_series tables
 * are what searches match, so a record that cannot be decoded, or that says other than its tables,
 * makes a run that reads one way and is found another. Every run is checked and each one that
 * fails is named (a damaged record does not end the check).
 */
final class RunRecordCheck {
    private RunRecordCheck() {
    }

    static void check(Connection c, List<String> problems) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT r.run_id FROM runs r WHERE NOT EXISTS"
                     + " (SELECT 1 FROM run_data d WHERE d.run_id = r.run_id) ORDER BY r.run_id")) {
            while (rs.next()) {
                problems.add("run " + rs.getString(1) + " has no data record: reads and searches do not show it");
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run_id, data FROM run_data ORDER BY run_id");
             PreparedStatement params = c.prepareStatement("SELECT key, value FROM params WHERE run_id = ?");
             PreparedStatement tags = c.prepareStatement("SELECT key, value FROM tags WHERE run_id = ?");
             PreparedStatement latest = c.prepareStatement("SELECT key, latest_step, latest_timestamp, latest_bits"
                     + " FROM metric_series WHERE run_id = ?")) {
            while (rs.next()) {
                String runId = rs.getString(1);
                RunDataCodec.Data record;
                try {
                    record = RunDataCodec.decode(rs.getBytes(2), runId);
                } catch (IntegrityException e) { // how decode reports a malformed record
                    problems.add(e.getMessage());
                    continue;
                }
                compare(runId, "params", record.params(), strings(params, runId), problems);
                compare(runId, "tags", record.tags(), strings(tags, runId), problems);
                compare(runId, "latest metric values", latestOf(record.latest()), strings(latest, runId), problems);
            }
        }
    }

    /** The latest points as the metric_series query renders them, so the two compare as strings. */
    private static Map<String, String> latestOf(Map<String, Metric> latest) {
        Map<String, String> rendered = new HashMap<>();
        latest.forEach((key, m) -> rendered.put(key, point(m.step(), m.timestamp(), Double.doubleToRawLongBits(m.value()))));
        return rendered;
    }

    private static String point(long step, long timestamp, long bits) {
        return "step " + step + " at " + timestamp + " value " + Double.longBitsToDouble(bits);
    }

    /** Key to value for {@code runId}: params and tags as stored, metric_series rendered as {@link #point}. */
    private static Map<String, String> strings(PreparedStatement query, String runId) throws SQLException {
        query.setString(1, runId);
        Map<String, String> values = new HashMap<>();
        try (ResultSet rs = query.executeQuery()) {
            boolean point = rs.getMetaData().getColumnCount() == 4;
            while (rs.next()) {
                values.put(rs.getString(1), point ? point(rs.getLong(2), rs.getLong(3), rs.getLong(4)) : rs.getString(2));
            }
        }
        return values;
    }

    private static void compare(String runId, String what, Map<String, String> record, Map<String, String> table,
                                List<String> problems) {
        if (record.equals(table)) {
            return;
        }
        for (Map.Entry<String, String> e : record.entrySet()) {
            String stored = table.get(e.getKey());
            if (stored == null) {
                problems.add("run " + runId + ": its record holds " + what + " '" + e.getKey()
                        + "', which searches do not find (not in its table)");
            } else if (!stored.equals(e.getValue())) {
                problems.add("run " + runId + ": its record and its table disagree on " + what + " '" + e.getKey()
                        + "' (reads show '" + e.getValue() + "', searches match '" + stored + "')");
            }
        }
        for (String key : table.keySet()) {
            if (!record.containsKey(key)) {
                problems.add("run " + runId + ": its table holds " + what + " '" + key
                        + "', which reads do not show (not in its record)");
            }
        }
    }
}
