package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.IntegrityException;
import java.nio.ByteBuffer;

/**
 * The bytes of one chunk of metric points, about 10 a point:
 *
 * <pre>
 * byte      layout: 1 if every step after the first is the previous plus one, else 0
 * varint    count
 * zigzag varint × (1 or count)  steps: the first step, then (layout 0) each step's difference from the one before
 * zigzag varint × count         timestamps: each one's difference from the one before (the first from 0)
 * 8 bytes × count               values: IEEE 754 bits, big-endian, so NaN, ±Infinity and -0.0 come back exactly
 * </pre>
 *
 * A training loop logs steps 0, 1, 2, ...: the layout byte saves their byte each. Timestamps of
 * points logged in a loop differ by a few milliseconds, one or two bytes.
 */
final class PointCodec {
    private PointCodec() {
    }

    /** Encodes points {@code from} (inclusive) to {@code to} (exclusive). */
    static byte[] encode(long[] steps, long[] timestamps, double[] values, int from, int to) {
        int count = to - from;
        boolean consecutive = true;
        for (int i = from + 1; i < to && consecutive; i++) {
            consecutive = steps[i] == steps[i - 1] + 1;
        }
        // Worst case: layout, count, first step, and 10-byte varints for each step and timestamp difference.
        ByteBuffer out = ByteBuffer.allocate(1 + 5 + 10 + count * 28);
        out.put((byte) (consecutive ? 1 : 0));
        writeVarint(out, count);
        if (consecutive) {
            writeVarint(out, zig(count == 0 ? 0 : steps[from]));
        } else {
            writeDifferences(out, steps, from, to);
        }
        writeDifferences(out, timestamps, from, to);
        for (int i = from; i < to; i++) {
            out.putLong(Double.doubleToRawLongBits(values[i]));
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    /**
     * Decodes a chunk into the arrays from {@code offset} on.
     *
     * @return how many points it held
     * @throws IntegrityException if the bytes are not a chunk this codec wrote
     */
    static int decode(byte[] chunk, long[] steps, long[] timestamps, double[] values, int offset) {
        try {
            ByteBuffer in = ByteBuffer.wrap(chunk);
            boolean consecutive = in.get() == 1;
            int count = Math.toIntExact(readVarint(in));
            if (consecutive) {
                long first = unzig(readVarint(in));
                for (int i = 0; i < count; i++) {
                    steps[offset + i] = first + i;
                }
            } else {
                readDifferences(in, steps, offset, count);
            }
            readDifferences(in, timestamps, offset, count);
            for (int i = 0; i < count; i++) {
                values[offset + i] = Double.longBitsToDouble(in.getLong());
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(in.remaining() + " bytes after the last value");
            }
            return count;
        } catch (RuntimeException e) {
            throw new IntegrityException("A metric chunk in the database is damaged (retrying will not help): " + e, e);
        }
    }

    private static void writeDifferences(ByteBuffer out, long[] column, int from, int to) {
        long before = 0;
        for (int i = from; i < to; i++) {
            writeVarint(out, zig(column[i] - before));
            before = column[i];
        }
    }

    private static void readDifferences(ByteBuffer in, long[] column, int offset, int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += unzig(readVarint(in));
            column[offset + i] = sum;
        }
    }

    private static long zig(long v) {
        return (v >> 63) ^ (v << 1);
    }

    private static long unzig(long v) {
        return -(v & 1) ^ (v >>> 1);
    }

    /** Seven bits a byte, least significant first; the high bit says another byte follows. */
    private static void writeVarint(ByteBuffer out, long v) {
        for (long rest = v; ; rest >>>= 7) {
            if ((rest & ~0x7FL) == 0) {
                out.put((byte) rest);
                return;
            }
            out.put((byte) (0x80 | (rest & 0x7F)));
        }
    }

    private static long readVarint(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("a varint longer than 10 bytes");
    }
}
