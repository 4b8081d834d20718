package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A run's params, tags and latest metric points in one column of its row ({@code runlog_runs.data},
 * schema migration 4), which is what loading runs reads: one row per run instead of some twenty
 * (JDBC and the server spend their time per row). The params, tags and series tables stay the
 * truth and serve search; the record changes in the transaction of every change to them, while
 * that transaction holds the run's row lock, so no two writers of one run can each change it from
 * a state missing the other's change.
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
        PgDatabase.update(c, "UPDATE runlog_runs r SET data = runlog_run_data(w.run_id) FROM unnest(?::text[]) AS w (run_id)"
                + " WHERE r.run_id = w.run_id", (Object) runIds.toArray(new String[0]));
    }

    /** Rebuilds the record of one run; see {@link #refresh(Connection, Collection)}. */
    static void refresh(Connection c, String runId) throws SQLException {
        PgDatabase.update(c, "UPDATE runlog_runs SET data = runlog_run_data(run_id) WHERE run_id = ?", runId);
    }

    /**
     * Writes the record of a run as given: for a writer that knows it whole, a new run's (its tags)
     * or one whose record it read under the run's lock and changed (logBatch), which spares the
     * rebuild's reads of every param, tag and series row of the run.
     */
    static void store(Connection c, String runId, Data data) throws SQLException {
        PgDatabase.update(c, "UPDATE runlog_runs SET data = ? WHERE run_id = ?", encode(data), runId);
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

    /** As {@link #decode(byte[])}, a corrupt record's message naming the run it belongs to, so it can be found. */
    static Data decode(byte[] record, String runId) {
        try {
            return decode(record);
        } catch (IntegrityException e) {
            throw new IntegrityException("Run " + runId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The data a record holds, in immutable maps: what a run read is handed on in, with no copy
     * ({@code Map.copyOf} keeps an immutable map as it is). For none, {@link Data#EMPTY}.
     */
    static Data decode(byte[] record) {
        if (record == null) {
            return Data.EMPTY;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(record);
            Map<String, String> params = strings(in);
            Map<String, String> tags = strings(in);
            @SuppressWarnings("unchecked")
            Map.Entry<String, Metric>[] latest = new Map.Entry[count(in)];
            for (int i = 0; i < latest.length; i++) {
                String key = key(in);
                long step = in.getLong();
                long timestamp = in.getLong();
                latest[i] = Map.entry(key, new Metric(key, Double.longBitsToDouble(in.getLong()), step, timestamp));
            }
            return new Data(params, tags, Map.ofEntries(latest));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IntegrityException("The stored data record of a run is corrupt (retrying will not help): " + e, e);
        }
    }

    /** The data a record holds, in maps the caller may change (a writer that sets entries and writes it back). */
    static Data decodeForChange(byte[] record) {
        Data data = decode(record);
        return new Data(new HashMap<>(data.params()), new HashMap<>(data.tags()), new HashMap<>(data.latest()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(ByteBuffer in) {
        Map.Entry<String, String>[] values = new Map.Entry[count(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = Map.entry(key(in), string(in));
        }
        return Map.ofEntries(values);
    }

    private static int count(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("count " + count + " with " + in.remaining() + " bytes left");
        }
        return count;
    }

    /** The length of the string that follows, checked against the bytes left. */
    private static int length(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("string of " + length + " bytes with " + in.remaining() + " left");
        }
        return length;
    }

    private static String string(ByteBuffer in) {
        int length = length(in);
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /**
     * A key: the same string as the last key of these bytes in this slot, when there is one. Runs of a
     * search mostly share their keys, and a string kept has its hash computed already, which each map
     * of every run read needs; a page of runs spent a third of its decoding making and hashing keys.
     */
    private static String key(ByteBuffer in) {
        int length = length(in);
        byte[] array = in.array();
        int from = in.arrayOffset() + in.position();
        int slot = (length * 31 + (length == 0 ? 0 : array[from] * 7 + array[from + length - 1])) & (KEYS.length() - 1);
        Key kept = KEYS.get(slot);
        String s;
        if (kept != null && Arrays.equals(kept.utf8, 0, kept.utf8.length, array, from, from + length)) {
            s = kept.string;
        } else {
            byte[] utf8 = Arrays.copyOfRange(array, from, from + length);
            s = new String(utf8, StandardCharsets.UTF_8);
            if (length <= 64) {
                KEYS.set(slot, new Key(utf8, s));
            }
        }
        in.position(in.position() + length);
        return s;
    }

    /** A key's UTF-8 bytes and its string. */
    private record Key(byte[] utf8, String string) {
    }

    /** Keys last read, by a hash of their bytes; any thread reads and replaces them. */
    private static final AtomicReferenceArray<Key> KEYS = new AtomicReferenceArray<>(256);
}
