package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Metric points in {@code runlog_metric_series} and {@code runlog_metric_chunks}: per run and key a
 * series row and its points in chunks of at most {@link #CHUNK_POINTS} ({@link PointCodec}). The
 * last chunk of a series takes the next batch until it is full, so a series written a point at a
 * time (frequent flushes) takes the room of one written in large batches. A batch costs a fixed
 * number of statements whatever its keys: one read of their series rows with their open chunks,
 * one insert of the new series rows (a run's first batch of a key), and one statement of all the
 * rest, which also writes the run's data record. Callers hold the transaction and the run's row lock.
 */
final class PgChunks {
    /**
     * Points per chunk: about 2 KB encoded, which PostgreSQL keeps in the row itself (under its
     * 2 KB TOAST threshold), four rows to a page; a row's own overhead (some 60 bytes with its index
     * entry) costs a third of a byte a point.
     */
    static final int CHUNK_POINTS = 180;

    private PgChunks() {
    }

    /** A series row as read before a batch. */
    private static final class Series {
        long id = -1;
        long points;
        int chunks;
        int tailPoints;
        boolean inOrder = true;
        Metric last;
        Metric latest;
        /** The bytes of its last chunk when that has room for more points, else null. */
        byte[] openChunk;
    }

    /** A metric series: a run and a key. */
    private record SeriesKey(String runId, String key) {
    }

    /**
     * Appends the points of one run, grouped by key, and moves each series' last and latest point
     * along; {@code record}, when not null, is the run's data record to write in the same statement,
     * given the latest point of every key the batch wrote (see {@link PgRunData#store}).
     */
    static void append(Connection c, String runId, List<Metric> metrics, Function<Map<String, Metric>, byte[]> record)
            throws SQLException {
        appendAll(c, Map.of(runId, metrics), record == null ? null : latest -> Map.entry(runId, record.apply(latest)));
    }

    /**
     * Appends the points of each run, grouped by run and key, in the same fixed number of
     * statements whatever the number of runs and keys: what makes {@code recordRuns} of a thousand
     * runs cost a handful of round trips instead of several per run.
     */
    static void appendAll(Connection c, Map<String, List<Metric>> pointsByRun) throws SQLException {
        appendAll(c, pointsByRun, null);
    }

    /** A run's id and the bytes of its data record, given the latest points of the keys a batch wrote. */
    private interface RecordWrite extends Function<Map<String, Metric>, Map.Entry<String, byte[]>> {
    }

    private static void appendAll(Connection c, Map<String, List<Metric>> pointsByRun, RecordWrite record)
            throws SQLException {
        Map<SeriesKey, List<Metric>> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, List<Metric>> run : pointsByRun.entrySet()) {
            for (Metric m : run.getValue()) {
                byKey.computeIfAbsent(new SeriesKey(run.getKey(), m.key()), k -> new ArrayList<>()).add(m);
            }
        }
        if (byKey.isEmpty()) {
            return;
        }
        Map<SeriesKey, Series> series = readSeries(c, byKey.keySet());
        Map<SeriesKey, Series> created = new LinkedHashMap<>();
        for (SeriesKey k : byKey.keySet()) {
            if (!series.containsKey(k)) {
                Series s = new Series();
                series.put(k, s);
                created.put(k, s);
            }
        }
        Writes writes = new Writes();
        Map<String, Metric> latest = new HashMap<>();
        for (Map.Entry<SeriesKey, List<Metric>> entry : byKey.entrySet()) {
            Series s = series.get(entry.getKey());
            String runId = entry.getKey().runId();
            String key = entry.getKey().key();
            byte[] open = s.openChunk;
            int carried = open == null ? 0 : s.tailPoints;
            List<Metric> points = entry.getValue();
            int total = carried + points.size();
            long[] steps = new long[total];
            long[] timestamps = new long[total];
            double[] values = new double[total];
            if (open != null && PointCodec.decode(open, steps, timestamps, values, 0) != carried) {
                throw new StoreException("The last chunk of metric '" + key + "' of run " + runId
                        + " does not hold the points its series row counts; the database is damaged");
            }
            for (int i = 0; i < points.size(); i++) {
                Metric p = points.get(i);
                steps[carried + i] = p.step();
                timestamps[carried + i] = p.timestamp();
                values[carried + i] = p.value();
                if (s.last != null && Metric.HISTORY_ORDER.compare(p, s.last) < 0) {
                    s.inOrder = false;
                }
                if (s.latest == null || p.isLaterThan(s.latest)) {
                    s.latest = p;
                }
                s.last = p;
            }
            latest.put(key, s.latest);
            // The carried points go back into the chunk they came from; the rest fill new ones.
            int chunkNo = open == null ? s.chunks : s.chunks - 1;
            for (int from = 0; from < total; from += CHUNK_POINTS, chunkNo++) {
                int to = Math.min(total, from + CHUNK_POINTS);
                byte[] data = PointCodec.encode(steps, timestamps, values, from, to);
                (from == 0 && open != null ? writes.replaced : writes.inserted).add(s, chunkNo, to - from, data);
                s.tailPoints = to - from;
            }
            s.chunks = chunkNo;
            s.points += points.size();
            if (s.id >= 0) {
                writes.updated.add(s); // a created series is inserted whole first
            }
        }
        insertSeries(c, created);
        writes.run(c, record == null ? null : record.apply(latest));
    }

    /**
     * What a batch changes once its new series rows exist, in one statement: chunks it refilled,
     * chunks it began, series rows it moved along and, when given, the run's data record. Each part
     * takes its rows as arrays ({@code unnest}), so a batch of any number of keys costs one round
     * trip and one statement's overhead on the server (a JDBC batch still runs each row as a
     * statement of its own).
     */
    private static final class Writes {
        final ChunkRows replaced = new ChunkRows();
        final ChunkRows inserted = new ChunkRows();
        final List<Series> updated = new ArrayList<>();

        void run(Connection c, Map.Entry<String, byte[]> record) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("WITH replaced AS (UPDATE runlog_metric_chunks c"
                    + " SET point_count = w.n, data = w.d FROM unnest(?::bigint[], ?::integer[], ?::integer[], ?::bytea[])"
                    + " AS w (id, no, n, d) WHERE c.series_id = w.id AND c.chunk_no = w.no),"
                    + " inserted AS (INSERT INTO runlog_metric_chunks (series_id, chunk_no, point_count, data)"
                    + " SELECT * FROM unnest(?::bigint[], ?::integer[], ?::integer[], ?::bytea[])),"
                    + " moved AS (UPDATE runlog_metric_series s SET point_count = w.points, chunk_count = w.chunks,"
                    + " tail_points = w.tail, in_order = w.in_order, last_step = w.last_step,"
                    + " last_timestamp = w.last_timestamp, last_bits = w.last_bits, latest_step = w.latest_step,"
                    + " latest_timestamp = w.latest_timestamp, latest_bits = w.latest_bits, latest_value = w.latest_value"
                    + " FROM unnest(?::bigint[], ?::bigint[], ?::integer[], ?::integer[], ?::boolean[], ?::bigint[],"
                    + " ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[]) AS w (id, points,"
                    + " chunks, tail, in_order, last_step, last_timestamp, last_bits, latest_step, latest_timestamp,"
                    + " latest_bits, latest_value) WHERE s.series_id = w.id),"
                    + " record AS (UPDATE runlog_runs SET data = ?::bytea WHERE run_id = ?)"
                    + " SELECT 1")) {
                int i = replaced.bind(c, ps, 1);
                i = inserted.bind(c, ps, i);
                Object[][] columns = {updated.stream().map(s -> s.id).toArray(), updated.stream().map(s -> s.points).toArray(),
                        updated.stream().map(s -> s.chunks).toArray(), updated.stream().map(s -> s.tailPoints).toArray(),
                        updated.stream().map(s -> s.inOrder).toArray()};
                String[] types = {"bigint", "bigint", "integer", "integer", "boolean"};
                for (int k = 0; k < columns.length; k++) {
                    ps.setArray(i++, c.createArrayOf(types[k], columns[k]));
                }
                Object[][] points = pointColumns(updated);
                for (int k = 0; k < points.length; k++) {
                    ps.setArray(i++, c.createArrayOf(k == points.length - 1 ? "float8" : "bigint", points[k]));
                }
                ps.setBytes(i++, record == null ? null : record.getValue());
                ps.setString(i, record == null ? null : record.getKey());
                ps.executeQuery().close();
            }
        }
    }

    /** The last and latest points of each series as the six bigint columns and the float8 one of its row. */
    private static Object[][] pointColumns(List<Series> rows) {
        return new Object[][] {rows.stream().map(s -> s.last.step()).toArray(), rows.stream().map(s -> s.last.timestamp()).toArray(),
                rows.stream().map(s -> Double.doubleToRawLongBits(s.last.value())).toArray(),
                rows.stream().map(s -> s.latest.step()).toArray(), rows.stream().map(s -> s.latest.timestamp()).toArray(),
                rows.stream().map(s -> Double.doubleToRawLongBits(s.latest.value())).toArray(),
                rows.stream().map(s -> Double.isNaN(s.latest.value()) ? null : s.latest.value()).toArray()};
    }

    /** Chunk rows as four arrays: a series (whose id may be known only once it is inserted too), number, points, bytes. */
    private static final class ChunkRows {
        private final List<Series> series = new ArrayList<>();
        private final List<Integer> numbers = new ArrayList<>();
        private final List<Integer> counts = new ArrayList<>();
        private final List<byte[]> data = new ArrayList<>();

        void add(Series s, int chunkNo, int count, byte[] bytes) {
            series.add(s);
            numbers.add(chunkNo);
            counts.add(count);
            data.add(bytes);
        }

        /** Binds the four arrays from parameter {@code first} on; returns the next parameter's index. */
        int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
            ps.setArray(first, c.createArrayOf("bigint", series.stream().map(s -> s.id).toArray()));
            ps.setArray(first + 1, c.createArrayOf("integer", numbers.toArray()));
            ps.setArray(first + 2, c.createArrayOf("integer", counts.toArray()));
            ps.setArray(first + 3, c.createArrayOf("bytea", data.toArray(new byte[0][])));
            return first + 4;
        }
    }

    /** The series rows of these keys that exist, each with the bytes of its last chunk when that has room. */
    private static Map<SeriesKey, Series> readSeries(Connection c, Collection<SeriesKey> keys) throws SQLException {
        Map<SeriesKey, Series> found = new HashMap<>();
        PgDatabase.list(c, rs -> {
            Series s = new Series();
            String key = rs.getString(1);
            s.id = rs.getLong(2);
            s.points = rs.getLong(3);
            s.chunks = rs.getInt(4);
            s.tailPoints = rs.getInt(5);
            s.inOrder = rs.getBoolean(6);
            s.last = new Metric(key, Double.longBitsToDouble(rs.getLong(9)), rs.getLong(7), rs.getLong(8));
            s.latest = new Metric(key, Double.longBitsToDouble(rs.getLong(12)), rs.getLong(10), rs.getLong(11));
            s.openChunk = rs.getBytes(14);
            return found.put(new SeriesKey(rs.getString(13), key), s);
        }, "SELECT s.key, s.series_id, s.point_count, s.chunk_count, s.tail_points, s.in_order, s.last_step,"
                + " s.last_timestamp, s.last_bits, s.latest_step, s.latest_timestamp, s.latest_bits, s.run_id, c.data"
                + " FROM runlog_metric_series s JOIN unnest(?::text[], ?::text[]) AS w (run_id, key)"
                + " ON s.run_id = w.run_id AND s.key = w.key LEFT JOIN runlog_metric_chunks c"
                + " ON c.series_id = s.series_id AND c.chunk_no = s.chunk_count - 1 AND s.tail_points < " + CHUNK_POINTS,
                runIds(keys), metricKeys(keys));
        return found;
    }

    private static String[] runIds(Collection<SeriesKey> keys) {
        return keys.stream().map(SeriesKey::runId).toArray(String[]::new);
    }

    private static String[] metricKeys(Collection<SeriesKey> keys) {
        return keys.stream().map(SeriesKey::key).toArray(String[]::new);
    }

    /**
     * Inserts the row of each series the batch began, all in one statement and with the batch's
     * values already: a row inserted empty and then updated would leave a dead version of itself
     * and of its three index entries behind (the value index changes), doubling what a bulk load
     * (recordRuns, a first batch of every run) writes until vacuum.
     */
    private static void insertSeries(Connection c, Map<SeriesKey, Series> created) throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        List<Series> rows = List.copyOf(created.values());
        Object[][] points = pointColumns(rows);
        Object[][] columns = {runIds(created.keySet()), metricKeys(created.keySet()),
                rows.stream().map(s -> s.points).toArray(), rows.stream().map(s -> s.chunks).toArray(),
                rows.stream().map(s -> s.tailPoints).toArray(), rows.stream().map(s -> s.inOrder).toArray(),
                points[0], points[1], points[2], points[3], points[4], points[5], points[6]};
        String[] types = {"text", "text", "bigint", "integer", "integer", "boolean", "bigint", "bigint", "bigint",
                "bigint", "bigint", "bigint", "float8"};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runlog_metric_series (run_id, key, point_count,"
                + " chunk_count, tail_points, in_order, last_step, last_timestamp, last_bits, latest_step, latest_timestamp,"
                + " latest_bits, latest_value) SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::integer[],"
                + " ?::integer[], ?::boolean[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],"
                + " ?::float8[]) RETURNING run_id, key, series_id")) {
            for (int i = 0; i < columns.length; i++) {
                ps.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    created.get(new SeriesKey(rs.getString(1), rs.getString(2))).id = rs.getLong(3);
                }
            }
        }
    }

    /** Every point of a series in history order; an empty series if the run never logged the key. */
    static MetricSeries read(Connection c, String runId, String key) throws SQLException {
        // series id, point count, in order (1) or not (0); none if the run never logged the key
        Optional<long[]> row = PgDatabase.first(c, rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getBoolean(3) ? 1 : 0},
                "SELECT series_id, point_count, in_order FROM runlog_metric_series WHERE run_id = ? AND key = ?", runId, key);
        if (row.isEmpty()) {
            return new MetricSeries(key, new long[0], new long[0], new double[0]);
        }
        long id = row.get()[0];
        int count = Math.toIntExact(row.get()[1]);
        boolean inOrder = row.get()[2] == 1;
        long[] steps = new long[count];
        long[] timestamps = new long[count];
        double[] values = new double[count];
        int read = 0;
        // Chunks in order; a chunk that would overflow the count stops the read: the row is damaged then.
        for (byte[] chunk : PgDatabase.list(c, rs -> rs.getBytes(1),
                "SELECT data FROM runlog_metric_chunks WHERE series_id = ? ORDER BY chunk_no", id)) {
            long[] s = new long[CHUNK_POINTS * 2];
            long[] t = new long[s.length];
            double[] v = new double[s.length];
            int n = PointCodec.decode(chunk, s, t, v, 0);
            if (read + n > count) {
                read += n;
                break;
            }
            System.arraycopy(s, 0, steps, read, n);
            System.arraycopy(t, 0, timestamps, read, n);
            System.arraycopy(v, 0, values, read, n);
            read += n;
        }
        if (read != count) {
            throw new StoreException("Metric '" + key + "' of run " + runId + " counts " + count
                    + " points but its chunks hold another number; the database is damaged");
        }
        // Stable: equal points keep the order they were logged in.
        return inOrder ? new MetricSeries(key, steps, timestamps, values)
                : MetricSeries.inHistoryOrder(key, steps, timestamps, values);
    }
}
