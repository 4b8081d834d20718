package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How metric points lie in the database: per run and key a row of {@code metric_series} (counts,
 * the last and the latest point) and its points in {@code metric_chunks}, each chunk encoded by
 * {@link ChunkCodec}. The layout does not depend on how points arrive: the last chunk of a series
 * stays open and takes the next batch until it can be sealed at a size that fills its pages
 * ({@link ChunkLayout}), so a series logged a few points at a time (many runs interleaved, frequent
 * flushes) takes the room of one logged in large batches. Callers hold the transaction.
 */
final class MetricChunks {
    private MetricChunks() {
    }

    /**
     * Appends each key's points to its series and moves the series' last and latest points along.
     *
     * @return the new latest point of each key written
     */
    static Map<String, Metric> append(Connection c, String runId, List<Metric> metrics) throws SQLException {
        ChunkLayout layout = new ChunkLayout(pageSize(c));
        Map<String, List<Metric>> byKey = new LinkedHashMap<>();
        for (Metric m : metrics) {
            byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
        }
        try (PreparedStatement selectSeries = c.prepareStatement("SELECT series_id, point_count, chunk_count, in_order,"
                + " last_step, last_timestamp, last_bits, latest_step, latest_timestamp, latest_bits"
                + " FROM metric_series WHERE run_id = ? AND key = ?");
             PreparedStatement insertSeries = c.prepareStatement("INSERT INTO metric_series (run_id, key, point_count,"
                     + " chunk_count, in_order, last_step, last_timestamp, last_bits, latest_step, latest_timestamp,"
                     + " latest_bits, latest_value) VALUES (?, ?, 0, 0, 1, 0, 0, 0, 0, 0, 0, NULL)",
                     Statement.RETURN_GENERATED_KEYS);
             PreparedStatement updateSeries = c.prepareStatement("UPDATE metric_series SET point_count = ?, chunk_count = ?,"
                     + " in_order = ?, last_step = ?, last_timestamp = ?, last_bits = ?, latest_step = ?,"
                     + " latest_timestamp = ?, latest_bits = ?, latest_value = ? WHERE series_id = ?");
             PreparedStatement insertChunk = c.prepareStatement(
                     "INSERT INTO metric_chunks (series_id, chunk_no, point_count, data) VALUES (?, ?, ?, ?)");
             PreparedStatement selectLastCount = c.prepareStatement(
                     "SELECT point_count, length(data) FROM metric_chunks WHERE series_id = ? AND chunk_no = ?");
             PreparedStatement selectLastChunk = c.prepareStatement(
                     "SELECT data FROM metric_chunks WHERE series_id = ? AND chunk_no = ?");
             PreparedStatement replaceChunk = c.prepareStatement(
                     "UPDATE metric_chunks SET point_count = ?, data = ? WHERE series_id = ? AND chunk_no = ?")) {
            Map<String, Metric> newLatest = new LinkedHashMap<>();
            for (Map.Entry<String, List<Metric>> entry : byKey.entrySet()) {
                List<Metric> points = entry.getValue();
                long seriesId;
                long pointCount = 0;
                long chunkCount = 0;
                boolean inOrder = true;
                Metric last = null;
                Metric latest = null;
                selectSeries.setString(1, runId);
                selectSeries.setString(2, entry.getKey());
                try (ResultSet rs = selectSeries.executeQuery()) {
                    if (rs.next()) {
                        seriesId = rs.getLong(1);
                        pointCount = rs.getLong(2);
                        chunkCount = rs.getLong(3);
                        inOrder = rs.getInt(4) != 0;
                        last = new Metric(entry.getKey(), Double.longBitsToDouble(rs.getLong(7)), rs.getLong(5), rs.getLong(6));
                        latest = new Metric(entry.getKey(), Double.longBitsToDouble(rs.getLong(10)), rs.getLong(8), rs.getLong(9));
                    } else {
                        seriesId = -1;
                    }
                }
                if (seriesId < 0) {
                    insertSeries.setString(1, runId);
                    insertSeries.setString(2, entry.getKey());
                    insertSeries.executeUpdate();
                    try (ResultSet keys = insertSeries.getGeneratedKeys()) {
                        keys.next();
                        seriesId = keys.getLong(1);
                    }
                }
                int n = points.size();
                long[] steps = new long[n];
                long[] timestamps = new long[n];
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    Metric p = points.get(i);
                    steps[i] = p.step();
                    timestamps[i] = p.timestamp();
                    values[i] = p.value();
                    if (last != null && inOrder && Metric.HISTORY_ORDER.compare(p, last) < 0) {
                        inOrder = false;
                    }
                    if (latest == null || Metric.HISTORY_ORDER.compare(p, latest) > 0) {
                        latest = p;
                    }
                    last = p;
                }

                int open = chunkCount > 0 ? openChunkPoints(selectLastCount, seriesId, chunkCount, layout) : -1;
                if (open > 0) {
                    // The open last chunk takes this batch: decode it and write it again with the new points.
                    long[] s = new long[open + n];
                    long[] t = new long[open + n];
                    double[] v = new double[open + n];
                    selectLastChunk.setLong(1, seriesId);
                    selectLastChunk.setLong(2, chunkCount - 1);
                    try (ResultSet rs = selectLastChunk.executeQuery()) {
                        if (!rs.next() || ChunkCodec.decode(rs.getBytes(1), s, t, v, 0) != open) {
                            throw damaged(runId, entry.getKey(), pointCount);
                        }
                    }
                    System.arraycopy(steps, 0, s, open, n);
                    System.arraycopy(timestamps, 0, t, open, n);
                    System.arraycopy(values, 0, v, open, n);
                    steps = s;
                    timestamps = t;
                    values = v;
                }
                int total = steps.length;
                int first = layout.firstChunkPoints(ChunkCodec.encodedSizes(steps, timestamps, total));
                if (open > 0) {
                    replaceChunk.setInt(1, first);
                    replaceChunk.setBytes(2, ChunkCodec.encode(steps, timestamps, values, 0, first));
                    replaceChunk.setLong(3, seriesId);
                    replaceChunk.setLong(4, chunkCount - 1);
                    replaceChunk.executeUpdate();
                } else {
                    insertChunk(insertChunk, seriesId, chunkCount++, steps, timestamps, values, 0, first);
                }
                if (first < total) {
                    insertChunk(insertChunk, seriesId, chunkCount++, steps, timestamps, values, first, total);
                }

                updateSeries.setLong(1, pointCount + n);
                updateSeries.setLong(2, chunkCount);
                updateSeries.setInt(3, inOrder ? 1 : 0);
                updateSeries.setLong(4, last.step());
                updateSeries.setLong(5, last.timestamp());
                updateSeries.setLong(6, Double.doubleToRawLongBits(last.value()));
                updateSeries.setLong(7, latest.step());
                updateSeries.setLong(8, latest.timestamp());
                updateSeries.setLong(9, Double.doubleToRawLongBits(latest.value()));
                if (Double.isNaN(latest.value())) {
                    updateSeries.setNull(10, java.sql.Types.REAL);
                } else {
                    updateSeries.setDouble(10, latest.value());
                }
                updateSeries.setLong(11, seriesId);
                updateSeries.executeUpdate();
                newLatest.put(entry.getKey(), latest);
            }
            return newLatest;
        }
    }

    /**
     * The point count of the series' last chunk if it is open (see {@link ChunkLayout}), else -1.
     * Reads the blob's length, not the blob, which may span pages.
     */
    private static int openChunkPoints(PreparedStatement selectLastCount, long seriesId, long chunkCount,
                                       ChunkLayout layout) throws SQLException {
        selectLastCount.setLong(1, seriesId);
        selectLastCount.setLong(2, chunkCount - 1);
        try (ResultSet rs = selectLastCount.executeQuery()) {
            return rs.next() && rs.getInt(2) <= layout.openBytes() ? rs.getInt(1) : -1;
        }
    }

    private static void insertChunk(PreparedStatement insertChunk, long seriesId, long chunkNo, long[] steps,
                                    long[] timestamps, double[] values, int from, int to) throws SQLException {
        insertChunk.setLong(1, seriesId);
        insertChunk.setLong(2, chunkNo);
        insertChunk.setInt(3, to - from);
        insertChunk.setBytes(4, ChunkCodec.encode(steps, timestamps, values, from, to));
        insertChunk.executeUpdate();
    }

    private static int pageSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_size")) {
            return rs.next() ? rs.getInt(1) : 4096;
        }
    }

    /** Every point of a series in history order; an empty series if the run never logged the key. */
    static MetricSeries read(Connection c, String runId, String key) throws SQLException {
        long seriesId;
        int count;
        boolean inOrder;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT series_id, point_count, in_order FROM metric_series WHERE run_id = ? AND key = ?")) {
            ps.setString(1, runId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new MetricSeries(key, new long[0], new long[0], new double[0]);
                }
                seriesId = rs.getLong(1);
                count = rs.getInt(2);
                inOrder = rs.getInt(3) != 0;
            }
        }
        long[] steps = new long[count];
        long[] timestamps = new long[count];
        double[] values = new double[count];
        int filled = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT point_count, data FROM metric_chunks WHERE series_id = ? ORDER BY chunk_no")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (filled + rs.getInt(1) > count) {
                        throw damaged(runId, key, count);
                    }
                    filled += ChunkCodec.decode(rs.getBytes(2), steps, timestamps, values, filled);
                }
            }
        }
        if (filled != count) {
            throw damaged(runId, key, count);
        }
        return inOrder ? new MetricSeries(key, steps, timestamps, values)
                : MetricSeries.inHistoryOrder(key, steps, timestamps, values);
    }

    private static StoreException damaged(String runId, String key, long count) {
        return new StoreException("Metric '" + key + "' of run " + runId + " should hold " + count
                + " points but its chunks hold another number; the database is damaged");
    }
}
