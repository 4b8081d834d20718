package dev.runlog.storage.sqlite.internal;

/**
 * Where to cut a series' points into chunk rows so that no page is left half empty.
 *
 * <p>{@code metric_chunks} is a WITHOUT ROWID table, an index b-tree: a row of up to
 * {@code maxLocal} bytes (1,002 on 4 KB pages) lies in its leaf page; a longer one keeps
 * {@code minLocal} bytes (489) there and the rest in overflow pages of {@code usable - 4} bytes,
 * unless what is left after the full overflow pages fits in the leaf too. A row of 200 points
 * (2 KB) took a whole overflow page for 1.5 KB: 22 bytes a point instead of 10. Rows of a size that
 * fills its overflow pages lose nothing, and such a size comes every 4,092 bytes in a window of
 * 513, about 50 points wide. So the last chunk of a series stays open (below
 * {@link #openBytes()}) and takes the next batch, and a chunk is sealed at the largest size that
 * wastes nothing: the layout no longer depends on how many points each batch brought, and a batch
 * rewrites at most one open chunk of about 5 KB.
 */
final class ChunkLayout {
    /** The record around the blob (header, series id, chunk number, point count), with room to spare. */
    private static final int ROW_OVERHEAD = 14;
    /** Slack on both sides of a window for the estimate of the row overhead. */
    private static final int MARGIN = 16;

    private final int maxLocal;
    private final int minLocal;
    private final int overflowBytes;

    ChunkLayout(int pageSize) {
        int usable = pageSize;
        // btree.c: the local payload limits of an index b-tree page.
        this.maxLocal = (usable - 12) * 64 / 255 - 23;
        this.minLocal = (usable - 12) * 32 / 255 - 23;
        this.overflowBytes = usable - 4;
    }

    /** A last chunk whose blob is at most this long takes the next batch: it may still waste room. */
    int openBytes() {
        return overflowBytes + maxLocal;
    }

    /**
     * How many of the {@code sizes.length - 1} points (see {@link ChunkCodec#encodedSizes}) go into
     * the first chunk: all of them if they lie in the leaf or fill their overflow pages, otherwise
     * the most that fill them; the rest become the open last chunk.
     */
    int firstChunkPoints(int[] sizes) {
        int count = sizes.length - 1;
        if (wastesNothing(sizes[count] + ROW_OVERHEAD)) {
            return count;
        }
        for (int i = count - 1; i > 0; i--) {
            int payload = sizes[i] + ROW_OVERHEAD;
            if (payload > maxLocal && wastesNothing(payload)) {
                return i;
            }
        }
        return count;
    }

    private boolean wastesNothing(int payload) {
        if (payload <= maxLocal - MARGIN) {
            return true;
        }
        if (payload <= maxLocal) {
            return false;
        }
        int left = (payload - minLocal) % overflowBytes;
        return left >= MARGIN && left <= maxLocal - minLocal - MARGIN;
    }
}
