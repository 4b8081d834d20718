package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.MetricSeries;
import dev.runlog.tracking.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metric points in {@code runlog_metric_series} and {@code runlog_metric_chunks}: per run and key a
 * series row and its points in chunks of at most {@link #CHUNK_POINTS} ({@link PointCodec}). The
 * last chunk of a series takes the next batch until it is full, so a series written a point at a
 * time (frequent flushes) takes the room of one written in large batches. A batch costs a fixed
 * number of statements whatever its keys: one read of their series rows, one of their open chunks,
 * one insert of the new series rows, one of the new chunks, and JDBC batches for the rest. Callers hold the transaction and the run's row lock.
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
    }

    /** A metric series: a run and a key. */
    private record SeriesKey(String runId, String key) {
    }

    /** Appends the points of one run, grouped by key, and moves each series' last and latest point along. */
    static void append(Connection c, String runId, List<Metric> metrics) throws SQLException {
        appendAll(c, Map.of(runId, metrics));
    }

    /**
     * Appends the points of each run, grouped by run and key, in the same fixed number of
     * statements whatever the number of runs and keys: what makes {@code recordRuns} of a thousand
     * runs cost a handful of round trips instead of several per run.
     */
    static void appendAll(Connection c, Map<String, List<Metric>> pointsByRun) throws SQLException {
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
        Map<Long, byte[]> openChunks = openChunks(c, series.values());
        Map<SeriesKey, Series> created = new LinkedHashMap<>();
        for (SeriesKey k : byKey.keySet()) {
            if (!series.containsKey(k)) {
                Series s = new Series();
                series.put(k, s);
                created.put(k, s);
            }
        }
        NewChunks inserted = new NewChunks();
        try (PreparedStatement replaceChunk = c.prepareStatement(
                     "UPDATE runlog_metric_chunks SET point_count = ?, data = ? WHERE series_id = ? AND chunk_no = ?");
             PreparedStatement updateSeries = c.prepareStatement("UPDATE runlog_metric_series SET point_count = ?,"
                     + " chunk_count = ?, tail_points = ?, in_order = ?, last_step = ?, last_timestamp = ?, last_bits = ?,"
                     + " latest_step = ?, latest_timestamp = ?, latest_bits = ?, latest_value = ? WHERE series_id = ?")) {
            for (Map.Entry<SeriesKey, List<Metric>> entry : byKey.entrySet()) {
                Series s = series.get(entry.getKey());
                String runId = entry.getKey().runId();
                String key = entry.getKey().key();
                byte[] open = s.id < 0 ? null : openChunks.get(s.id);
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
                // The carried points go back into the chunk they came from; the rest fill new ones.
                int chunkNo = open == null ? s.chunks : s.chunks - 1;
                for (int from = 0; from < total; from += CHUNK_POINTS, chunkNo++) {
                    int to = Math.min(total, from + CHUNK_POINTS);
                    byte[] data = PointCodec.encode(steps, timestamps, values, from, to);
                    if (from == 0 && open != null) {
                        bind(replaceChunk, to - from, data, s.id, chunkNo);
                        replaceChunk.addBatch();
                    } else {
                        inserted.add(s, chunkNo, to - from, data);
                    }
                    s.tailPoints = to - from;
                }
                s.chunks = chunkNo;
                s.points += points.size();
                if (s.id < 0) {
                    continue; // inserted whole below
                }
                bind(updateSeries, s.points, s.chunks, s.tailPoints, s.inOrder, s.last.step(), s.last.timestamp(),
                        Double.doubleToRawLongBits(s.last.value()), s.latest.step(), s.latest.timestamp(),
                        Double.doubleToRawLongBits(s.latest.value()));
                if (Double.isNaN(s.latest.value())) {
                    updateSeries.setNull(11, Types.DOUBLE);
                } else {
                    updateSeries.setDouble(11, s.latest.value());
                }
                updateSeries.setLong(12, s.id);
                updateSeries.addBatch();
            }
            insertSeries(c, created);
            replaceChunk.executeBatch();
            inserted.insert(c);
            updateSeries.executeBatch();
        }
    }

    /**
     * The new chunk rows of a batch, inserted by one statement from four arrays: a batch of many
     * keys makes hundreds of chunks, and one INSERT of them all costs the server one statement's
     * overhead instead of one each (a JDBC batch still executes each row as a statement).
     */
    private static final class NewChunks {
        private final List<Series> series = new ArrayList<>();
        private final List<Integer> numbers = new ArrayList<>();
        private final List<Integer> counts = new ArrayList<>();
        private final List<byte[]> data = new ArrayList<>();

        /** A chunk of {@code s}, whose id may be known only once it is inserted too. */
        void add(Series s, int chunkNo, int count, byte[] bytes) {
            series.add(s);
            numbers.add(chunkNo);
            counts.add(count);
            data.add(bytes);
        }

        void insert(Connection c) throws SQLException {
            if (series.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runlog_metric_chunks (series_id, chunk_no,"
                    + " point_count, data) SELECT * FROM unnest(?::bigint[], ?::integer[], ?::integer[], ?::bytea[])")) {
                ps.setArray(1, c.createArrayOf("bigint", series.stream().map(s -> s.id).toArray()));
                ps.setArray(2, c.createArrayOf("integer", numbers.toArray()));
                ps.setArray(3, c.createArrayOf("integer", counts.toArray()));
                ps.setArray(4, c.createArrayOf("bytea", data.toArray(new byte[0][])));
                ps.executeUpdate();
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

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
            return found.put(new SeriesKey(rs.getString(13), key), s);
        }, "SELECT s.key, s.series_id, s.point_count, s.chunk_count, s.tail_points, s.in_order, s.last_step,"
                + " s.last_timestamp, s.last_bits, s.latest_step, s.latest_timestamp, s.latest_bits, s.run_id"
                + " FROM runlog_metric_series s JOIN unnest(?::text[], ?::text[]) AS w (run_id, key)"
                + " ON s.run_id = w.run_id AND s.key = w.key", runIds(keys), metricKeys(keys));
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
        Object[][] columns = {runIds(created.keySet()), metricKeys(created.keySet()),
                rows.stream().map(s -> s.points).toArray(), rows.stream().map(s -> s.chunks).toArray(),
                rows.stream().map(s -> s.tailPoints).toArray(), rows.stream().map(s -> s.inOrder).toArray(),
                rows.stream().map(s -> s.last.step()).toArray(), rows.stream().map(s -> s.last.timestamp()).toArray(),
                rows.stream().map(s -> Double.doubleToRawLongBits(s.last.value())).toArray(),
                rows.stream().map(s -> s.latest.step()).toArray(), rows.stream().map(s -> s.latest.timestamp()).toArray(),
                rows.stream().map(s -> Double.doubleToRawLongBits(s.latest.value())).toArray(),
                rows.stream().map(s -> Double.isNaN(s.latest.value()) ? null : s.latest.value()).toArray()};
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

    /** The bytes of each series' last chunk that still has room, by series id. */
    private static Map<Long, byte[]> openChunks(Connection c, Collection<Series> series) throws SQLException {
        List<Series> open = series.stream().filter(s -> s.chunks > 0 && s.tailPoints < CHUNK_POINTS).toList();
        Map<Long, byte[]> chunks = new HashMap<>();
        if (open.isEmpty()) {
            return chunks;
        }
        Array ids = c.createArrayOf("bigint", open.stream().map(s -> s.id).toArray());
        Array numbers = c.createArrayOf("integer", open.stream().map(s -> s.chunks - 1).toArray());
        try (PreparedStatement ps = c.prepareStatement("SELECT c.series_id, c.data FROM runlog_metric_chunks c"
                + " JOIN unnest(?::bigint[], ?::integer[]) AS w (series_id, chunk_no)"
                + " ON c.series_id = w.series_id AND c.chunk_no = w.chunk_no")) {
            ps.setArray(1, ids);
            ps.setArray(2, numbers);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chunks.put(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        return chunks;
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
        MetricSeries stored = new MetricSeries(key, steps, timestamps, values);
        if (inOrder) {
            return stored;
        }
        // Stable: equal points keep the order they were logged in.
        return MetricSeries.of(key, java.util.stream.IntStream.range(0, count).mapToObj(stored::get)
                .sorted(Metric.HISTORY_ORDER).toList());
    }
}
