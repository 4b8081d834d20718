package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest point of every metric of a run, in one blob per run: a table of 10,000 runs then
 * reads 10,000 rows of two columns instead of 100,000 rows of five, which is what JDBC spends its
 * time on. Layout: an int count, then per metric its UTF key, step, timestamp and value bits.
 */
final class LatestCodec {
    static final byte[] EMPTY = encode(Map.of());

    private LatestCodec() {
    }

    static byte[] encode(Map<String, Metric> latest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + latest.size() * 40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(latest.size());
            for (Metric m : latest.values()) {
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

    static Map<String, Metric> decode(byte[] blob) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(blob))) {
            int count = in.readInt();
            Map<String, Metric> latest = new LinkedHashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                long step = in.readLong();
                long timestamp = in.readLong();
                double value = Double.longBitsToDouble(in.readLong());
                latest.put(key, new Metric(key, value, step, timestamp));
            }
            return latest;
        } catch (IOException e) {
            throw new StoreException("The latest-metrics record of a run is corrupt: " + e, e);
        }
    }
}
