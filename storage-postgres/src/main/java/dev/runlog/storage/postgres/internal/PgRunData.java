package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's params, tags and latest metric points in one row of {@code runlog_run_data}, which is
 * what loading runs reads: one row per run instead of some twenty (JDBC and the server spend their
 * time per row). The params, tags and series tables stay the truth and serve search; the record
 * changes in the transaction of every change to them, while that transaction holds the run's row
 * lock, so no two writers of one run can each change it from a state missing the other's change.
 * A metric batch (logBatch, the frequent write) reads the record with that lock, sets the latest
 * points of the keys it wrote and writes it back ({@link #store}); the rarer writes rebuild it
 * from the tables with the SQL function {@code runlog_run_data} (schema migration 2).
 *
 * <p>Layout, big-endian: three sections (params, tags, latest metrics), each an int count then its
 * entries: int length and UTF-8 bytes of key and value, or of the key then step, timestamp and the
 * value's raw bits (exact for NaN and -0.0).
 */
final class PgRunData {
    /** A run's data as its record holds it. */
    record Data(Map<String, String> params, Map<String, String> tags, Map<String, Metric> latest) {
        static final Data EMPTY = new Data(Map.of(), Map.of(), Map.of());
    }

    private PgRunData() {
    }

    /** Rebuilds the records of these runs from the tables; call it after a change, under the runs' locks. */
    static void refresh(Connection c, Collection<String> runIds) throws SQLException {
        if (runIds.isEmpty()) {
            return;
        }
        // unnest joined, not = ANY: see PgRunReader.
        PgDatabase.update(c, "INSERT INTO runlog_run_data (run_id, data) SELECT w.run_id, runlog_run_data(w.run_id)"
                + " FROM unnest(?::text[]) AS w (run_id) ON CONFLICT (run_id) DO UPDATE SET data = EXCLUDED.data",
                (Object) runIds.toArray(new String[0]));
    }

    /** Rebuilds the record of one run; see {@link #refresh(Connection, Collection)}. */
    static void refresh(Connection c, String runId) throws SQLException {
        PgDatabase.update(c, "INSERT INTO runlog_run_data (run_id, data) VALUES (?, runlog_run_data(?))"
                + " ON CONFLICT (run_id) DO UPDATE SET data = EXCLUDED.data", runId, runId);
    }

    /**
     * Writes the record of a run as given: for a writer that knows it whole, a new run's (its tags)
     * or one whose record it read under the run's lock and changed (logBatch), which spares the
     * rebuild's reads of every param, tag and series row of the run.
     */
    static void store(Connection c, String runId, Data data) throws SQLException {
        PgDatabase.update(c, "INSERT INTO runlog_run_data (run_id, data) VALUES (?, ?)"
                + " ON CONFLICT (run_id) DO UPDATE SET data = EXCLUDED.data", runId, encode(data));
    }

    /** A record's bytes, in the layout {@code runlog_run_data(id)} builds (entries in any order). */
    static byte[] encode(Data data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            for (Map<String, String> section : List.of(data.params(), data.tags())) {
                out.writeInt(section.size());
                for (Map.Entry<String, String> e : section.entrySet()) {
                    write(out, e.getKey());
                    write(out, e.getValue());
                }
            }
            out.writeInt(data.latest().size());
            for (Map.Entry<String, Metric> e : data.latest().entrySet()) {
                write(out, e.getKey());
                out.writeLong(e.getValue().step());
                out.writeLong(e.getValue().timestamp());
                out.writeLong(Double.doubleToRawLongBits(e.getValue().value()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** The data a record holds, in maps the caller may change; for none, {@link Data#EMPTY}, which is immutable. */
    static Data decode(byte[] record) {
        if (record == null) {
            return Data.EMPTY;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(record);
            Map<String, String> params = strings(in);
            Map<String, String> tags = strings(in);
            int count = count(in);
            Map<String, Metric> latest = new HashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                String key = string(in);
                long step = in.getLong();
                long timestamp = in.getLong();
                latest.put(key, new Metric(key, Double.longBitsToDouble(in.getLong()), step, timestamp));
            }
            return new Data(params, tags, latest);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new StoreException("The stored data record of a run is corrupt: " + e, e);
        }
    }

    private static Map<String, String> strings(ByteBuffer in) {
        int count = count(in);
        Map<String, String> values = new HashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            values.put(string(in), string(in));
        }
        return values;
    }

    private static int count(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("count " + count + " with " + in.remaining() + " bytes left");
        }
        return count;
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("string of " + length + " bytes with " + in.remaining() + " left");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
