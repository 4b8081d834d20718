package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.IntegrityException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

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
 *
 * <p>Chunks written since schema 9 are framed: a 0 byte first (a count is never 0, so no older
 * chunk starts with it), the layout above, then the CRC-32C of all the bytes before it (4 bytes,
 * little endian). SQLite's integrity check covers the file's pages, not the bytes inside a record,
 * so this is what lets a damaged chunk fail its read, and {@code runlog doctor}, instead of
 * becoming wrong numbers. Older chunks, without it, are read as they were written.
 */
final class ChunkCodec {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** The first byte of a framed chunk, and its bytes besides the layout: that byte and the CRC. */
    private static final byte FRAMED = 0;
    private static final int FRAME_BYTES = 5;

    private ChunkCodec() {
    }

    /** Encodes points {@code from} (inclusive) to {@code to} (exclusive) of the arrays. */
    static byte[] encode(long[] steps, long[] timestamps, double[] values, int from, int to) {
        int count = to - from;
        // Sized exactly first: no oversized buffer to zero and copy, which cost more than the encoding.
        int size = FRAME_BYTES + varintLength(count) + deltasLength(steps, from, to) + deltasLength(timestamps, from, to)
                + 8 * count;
        byte[] out = new byte[size];
        out[0] = FRAMED;
        int pos = putVarint(out, 1, count);
        pos = putDeltas(out, pos, steps, from, to);
        pos = putDeltas(out, pos, timestamps, from, to);
        for (int i = from; i < to; i++) {
            LONGS.set(out, pos, Double.doubleToRawLongBits(values[i]));
            pos += 8;
        }
        INTS.set(out, pos, checksum(out, pos));
        return out;
    }

    private static int checksum(byte[] chunk, int length) {
        CRC32C crc = new CRC32C();
        crc.update(chunk, 0, length);
        return (int) crc.getValue();
    }

    private static int deltasLength(long[] column, int from, int to) {
        int length = 0;
        long previous = 0;
        for (int i = from; i < to; i++) {
            length += varintLength(zigzag(column[i] - previous));
            previous = column[i];
        }
        return length;
    }

    private static int putDeltas(byte[] out, int pos, long[] column, int from, int to) {
        long previous = 0;
        for (int i = from; i < to; i++) {
            pos = putVarint(out, pos, zigzag(column[i] - previous));
            previous = column[i];
        }
        return pos;
    }

    /** Decodes a chunk into the arrays at {@code offset}; returns the number of points decoded. */
    static int decode(byte[] chunk, long[] steps, long[] timestamps, double[] values, int offset) {
        try {
            // Plain index arithmetic on the array: this loop is the whole cost of reading a series.
            boolean framed = chunk.length > 0 && chunk[0] == FRAMED;
            int end = framed ? chunk.length - 4 : chunk.length;
            if (framed && (end < 1 || (int) INTS.get(chunk, end) != checksum(chunk, end))) {
                throw new IllegalStateException("its checksum does not match its bytes");
            }
            int[] position = {framed ? 1 : 0};
            int count = (int) varint(chunk, position);
            int pos = position[0];
            pos = decodeDeltas(chunk, pos, count, steps, offset);
            pos = decodeDeltas(chunk, pos, count, timestamps, offset);
            for (int i = 0; i < count; i++) {
                values[offset + i] = Double.longBitsToDouble((long) LONGS.get(chunk, pos));
                pos += 8;
            }
            if (pos != end) {
                throw new IllegalStateException((end - pos) + " trailing bytes");
            }
            return count;
        } catch (RuntimeException e) {
            throw new IntegrityException("A metric chunk in the database is corrupt (retrying will not help): " + e, e);
        }
    }

    /** Decodes {@code count} zigzag varint deltas from {@code pos} into running sums; returns the new position. */
    private static int decodeDeltas(byte[] chunk, int pos, int count, long[] out, int offset) {
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long v = 0;
            int shift = 0;
            byte b;
            do {
                b = chunk[pos++];
                v |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            previous += (v >>> 1) ^ -(v & 1);
            out[offset + i] = previous;
        }
        return pos;
    }

    private static long varint(byte[] in, int[] position) {
        long result = 0;
        int pos = position[0];
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                position[0] = pos;
                return result;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes");
    }

    /** The bytes the first {@code count} points take encoded, for each count from 0 to {@code count}. */
    static int[] encodedSizes(long[] steps, long[] timestamps, int count) {
        int[] sizes = new int[count + 1];
        int body = 0;
        for (int i = 0; i < count; i++) {
            long stepDelta = steps[i] - (i == 0 ? 0 : steps[i - 1]);
            long timeDelta = timestamps[i] - (i == 0 ? 0 : timestamps[i - 1]);
            body += varintLength(zigzag(stepDelta)) + varintLength(zigzag(timeDelta)) + 8;
            sizes[i + 1] = FRAME_BYTES + varintLength(i + 1) + body;
        }
        sizes[0] = FRAME_BYTES + 1;
        return sizes;
    }

    private static int varintLength(long v) {
        int length = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            length++;
        }
        return length;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static int putVarint(byte[] out, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            out[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        return pos;
    }
}
