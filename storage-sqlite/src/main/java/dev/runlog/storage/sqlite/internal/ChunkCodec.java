package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.StoreException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of a chunk of metric points: the reason a point costs about 10 bytes on disk
 * instead of the 150 to 250 of a row per point.
 *
 * <pre>
 * varint  count
 * count × zigzag varint  step      - delta from the previous step (the first from 0)
 * count × zigzag varint  timestamp - delta from the previous timestamp (the first from 0)
 * count × 8 bytes        value     - IEEE 754 bits, little endian, so NaN and ±Infinity are exact
 * </pre>
 *
 * Steps and timestamps of a training loop grow by small amounts, so their deltas take one or two
 * bytes. Columns rather than rows, so a decode fills primitive arrays in three tight loops.
 */
final class ChunkCodec {
    private ChunkCodec() {
    }

    /** Encodes points {@code from} (inclusive) to {@code to} (exclusive) of the arrays. */
    static byte[] encode(long[] steps, long[] timestamps, double[] values, int from, int to) {
        int count = to - from;
        ByteBuffer out = ByteBuffer.allocate(5 + count * (10 + 10 + 8)).order(ByteOrder.LITTLE_ENDIAN);
        putVarint(out, count);
        long previous = 0;
        for (int i = from; i < to; i++) {
            putVarint(out, zigzag(steps[i] - previous));
            previous = steps[i];
        }
        previous = 0;
        for (int i = from; i < to; i++) {
            putVarint(out, zigzag(timestamps[i] - previous));
            previous = timestamps[i];
        }
        for (int i = from; i < to; i++) {
            out.putLong(Double.doubleToRawLongBits(values[i]));
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    /** The number of points in an encoded chunk. */
    static int count(byte[] chunk) {
        return (int) getVarint(ByteBuffer.wrap(chunk));
    }

    /** Decodes a chunk into the arrays at {@code offset}; returns the number of points decoded. */
    static int decode(byte[] chunk, long[] steps, long[] timestamps, double[] values, int offset) {
        try {
            ByteBuffer in = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            int count = (int) getVarint(in);
            long previous = 0;
            for (int i = 0; i < count; i++) {
                previous += unzigzag(getVarint(in));
                steps[offset + i] = previous;
            }
            previous = 0;
            for (int i = 0; i < count; i++) {
                previous += unzigzag(getVarint(in));
                timestamps[offset + i] = previous;
            }
            for (int i = 0; i < count; i++) {
                values[offset + i] = Double.longBitsToDouble(in.getLong());
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(in.remaining() + " trailing bytes");
            }
            return count;
        } catch (RuntimeException e) {
            throw new StoreException("A metric chunk in the database is corrupt: " + e, e);
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void putVarint(ByteBuffer out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static long getVarint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes");
    }
}
