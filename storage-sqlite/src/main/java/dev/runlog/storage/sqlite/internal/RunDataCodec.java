package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's params, tags and latest metric points in one blob per run, rewritten by every write to
 * the run. The params, tags and metric_series tables beside it serve search; this record serves
 * reads, which then cost one row per run instead of some twenty-five, and JDBC spends its time per
 * row and column. Layout: three sections (params, tags, latest metrics), each an int count then
 * its entries: UTF key and value, or UTF key, step, timestamp and value bits.
 */
final class RunDataCodec {
    /** As {@link #decode(byte[])}, a corrupt record's message naming the run it belongs to, so it can be found. */
    static Data decode(byte[] blob, String runId) {
        try {
            return decode(blob);
        } catch (IntegrityException e) {
            throw new IntegrityException("Run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** A run's data as stored in the blob. */
    record Data(Map<String, String> params, Map<String, String> tags, Map<String, Metric> latest) {
    }

    private RunDataCodec() {
    }

    static byte[] encode(Data data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + data.latest().size() * 40
                + (data.params().size() + data.tags().size()) * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeStrings(out, data.params());
            writeStrings(out, data.tags());
            out.writeInt(data.latest().size());
            for (Metric m : data.latest().values()) {
                out.writeUTF(m.key());
                out.writeLong(m.step());
                out.writeLong(m.timestamp());
                out.writeLong(Double.doubleToRawLongBits(m.value()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /*
     * Decoded from a ByteBuffer rather than a DataInputStream: a search decodes one record per run,
     * and reading ints and strings straight from the array (no stream calls per byte, no copy of
     * each string's bytes) is what keeps an export of 100,000 runs within its seconds.
     */
    static Data decode(byte[] blob) {
        try {
            ByteBuffer in = ByteBuffer.wrap(blob);
            Map<String, String> params = readStrings(in);
            Map<String, String> tags = readStrings(in);
            int count = in.getInt();
            Map<String, Metric> latest = new LinkedHashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                String key = readModifiedUtf(in);
                long step = in.getLong();
                long timestamp = in.getLong();
                latest.put(key, new Metric(key, Double.longBitsToDouble(in.getLong()), step, timestamp));
            }
            return new Data(params, tags, latest);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IntegrityException("The stored data record of a run is corrupt (retrying will not help): it ends"
                    + " before its last field", e);
        } catch (IllegalArgumentException | IOException e) {
            throw new IntegrityException("The stored data record of a run is corrupt (retrying will not help): "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, String> readStrings(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
        Map<String, String> values = new LinkedHashMap<>(Math.max(4, Math.min(count, 1 << 16) * 2));
        for (int i = 0; i < count; i++) {
            values.put(readString(in), readString(in));
        }
        return values;
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("string of " + length + " bytes with " + in.remaining() + " left");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /** A string as {@code writeUTF} wrote it; ASCII (every metric key the rules allow) without a stream. */
    private static String readModifiedUtf(ByteBuffer in) throws IOException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new IllegalArgumentException("key of " + length + " bytes with " + in.remaining() + " left");
        }
        byte[] array = in.array();
        int from = in.arrayOffset() + in.position();
        boolean ascii = true;
        for (int i = from; i < from + length; i++) {
            if (array[i] <= 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii) {
            s = new String(array, from, length, StandardCharsets.ISO_8859_1);
        } else {
            s = new DataInputStream(new ByteArrayInputStream(array, from - 2, length + 2)).readUTF();
        }
        in.position(in.position() + length);
        return s;
    }

    /*
     * writeUTF takes at most 65,535 encoded bytes; values are validated to 8,000 characters, which
     * can exceed that only with 4-byte characters, so strings go as length-prefixed UTF-8 instead.
     */
    private static void writeStrings(DataOutputStream out, Map<String, String> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, String> e : values.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
