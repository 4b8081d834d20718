package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

    static Data decode(byte[] blob) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            Map<String, String> params = readStrings(in);
            Map<String, String> tags = readStrings(in);
            int count = in.readInt();
            Map<String, Metric> latest = new LinkedHashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                long step = in.readLong();
                long timestamp = in.readLong();
                latest.put(key, new Metric(key, Double.longBitsToDouble(in.readLong()), step, timestamp));
            }
            return new Data(params, tags, latest);
        } catch (IOException e) {
            throw new StoreException("The stored data record of a run is corrupt: " + e, e);
        }
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

    private static Map<String, String> readStrings(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, String> values = new LinkedHashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            values.put(readString(in), readString(in));
        }
        return values;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }
}
