package dev.runlog.tracking.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads commits and trees from a git object store, loose ({@code objects/xx/...}) or packed
 * ({@code objects/pack/*.idx} version 2 and its pack, deltas resolved), with no git process: what
 * {@link GitWorkTree} needs to compare the index with the commit checked out. Anything it does not
 * understand (another index version, a damaged object) makes a read return empty; callers then
 * say nothing rather than guess.
 */
final class GitObjects {
    /** A blob or submodule of a tree, by its path from the root. */
    record Entry(int mode, String id) {
    }

    private record RawObject(int type, byte[] content) {
    }

    private static final int COMMIT = 1;
    private static final int TREE = 2;
    private static final int OFS_DELTA = 6;
    private static final int REF_DELTA = 7;
    private static final int MAX_DELTA_CHAIN = 100;

    private final Path objects;
    private final int idLength;
    private List<Path> indexes;
    // Each pack index mapped once: a commit's tree is a few hundred lookups in the same files.
    private final Map<Path, ByteBuffer> mapped = new java.util.HashMap<>();

    GitObjects(Path commonDir, int idLength) {
        this.objects = commonDir.resolve("objects");
        this.idLength = idLength;
    }

    /**
     * Every blob and submodule of the tree of {@code commitId}, keyed by path ({@code src/a.java});
     * empty if an object cannot be read.
     */
    Optional<Map<String, Entry>> commitFiles(String commitId) throws IOException {
        Optional<RawObject> commit = read(commitId, 0);
        if (commit.isEmpty() || commit.get().type() != COMMIT) {
            return Optional.empty();
        }
        String text = new String(commit.get().content(), StandardCharsets.UTF_8);
        if (!text.startsWith("tree ")) {
            return Optional.empty();
        }
        Map<String, Entry> files = new LinkedHashMap<>();
        return addTree(text.substring(5, 5 + 2 * idLength), "", files) ? Optional.of(files) : Optional.empty();
    }

    private boolean addTree(String treeId, String prefix, Map<String, Entry> files) throws IOException {
        Optional<RawObject> tree = read(treeId, 0);
        if (tree.isEmpty() || tree.get().type() != TREE) {
            return false;
        }
        byte[] b = tree.get().content();
        int i = 0;
        while (i < b.length) {
            int space = indexOf(b, (byte) ' ', i);
            int nul = indexOf(b, (byte) 0, space);
            if (space < 0 || nul < 0 || nul + 1 + idLength > b.length) {
                return false;
            }
            int mode = Integer.parseInt(new String(b, i, space - i, StandardCharsets.US_ASCII), 8);
            String name = new String(b, space + 1, nul - space - 1, StandardCharsets.UTF_8);
            String id = HexFormat.of().formatHex(b, nul + 1, nul + 1 + idLength);
            i = nul + 1 + idLength;
            if (mode == 040000) {
                if (!addTree(id, prefix + name + "/", files)) {
                    return false;
                }
            } else {
                files.put(prefix + name, new Entry(mode, id));
            }
        }
        return true;
    }

    private Optional<RawObject> read(String id, int depth) throws IOException {
        if (depth > MAX_DELTA_CHAIN || id.length() != 2 * idLength) {
            return Optional.empty();
        }
        Path loose = objects.resolve(id.substring(0, 2)).resolve(id.substring(2));
        if (Files.isRegularFile(loose)) {
            byte[] raw = inflate(Files.readAllBytes(loose));
            if (raw == null) {
                return Optional.empty();
            }
            int space = indexOf(raw, (byte) ' ', 0);
            int nul = indexOf(raw, (byte) 0, 0);
            if (space < 0 || nul < space) {
                return Optional.empty();
            }
            String type = new String(raw, 0, space, StandardCharsets.US_ASCII);
            int code = switch (type) {
                case "commit" -> COMMIT;
                case "tree" -> TREE;
                default -> 0;
            };
            return Optional.of(new RawObject(code, Arrays.copyOfRange(raw, nul + 1, raw.length)));
        }
        byte[] wanted = HexFormat.of().parseHex(id);
        for (Path index : indexes()) {
            long offset = offsetIn(index, wanted);
            if (offset >= 0) {
                Path pack = index.resolveSibling(index.getFileName().toString().replaceFirst("\\.idx$", ".pack"));
                return readPacked(pack, offset, depth);
            }
        }
        return Optional.empty();
    }

    private List<Path> indexes() throws IOException {
        if (indexes == null) {
            Path packs = objects.resolve("pack");
            if (!Files.isDirectory(packs)) {
                indexes = List.of();
            } else {
                try (Stream<Path> files = Files.list(packs)) {
                    indexes = files.filter(f -> f.getFileName().toString().endsWith(".idx")).sorted().toList();
                }
            }
        }
        return indexes;
    }

    /** The object's offset in the pack from a version 2 pack index, or -1 if it is not there. */
    private long offsetIn(Path index, byte[] wanted) throws IOException {
        ByteBuffer idx = mapped.get(index);
        if (idx == null) {
            try (FileChannel channel = FileChannel.open(index)) {
                idx = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            }
            mapped.put(index, idx);
        }
        if (idx.getInt(0) != 0xff744f63 || idx.getInt(4) != 2) {
            return -1;
        }
        int first = wanted[0] & 0xff;
        int low = first == 0 ? 0 : idx.getInt(8 + 4 * (first - 1));
        int high = idx.getInt(8 + 4 * first) - 1;
        int count = idx.getInt(8 + 4 * 255);
        int ids = 8 + 256 * 4;
        byte[] candidate = new byte[idLength];
        while (low <= high) {
            int mid = (low + high) >>> 1;
            idx.get(ids + mid * idLength, candidate);
            int cmp = Arrays.compareUnsigned(candidate, wanted);
            if (cmp == 0) {
                int offsets = ids + count * idLength + count * 4;
                long offset = Integer.toUnsignedLong(idx.getInt(offsets + 4 * mid));
                if ((offset & 0x80000000L) != 0) {
                    int large = offsets + count * 4 + 8 * (int) (offset & 0x7fffffffL);
                    offset = idx.getLong(large);
                }
                return offset;
            }
            if (cmp < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return -1;
    }

    private Optional<RawObject> readPacked(Path pack, long offset, int depth) throws IOException {
        if (depth > MAX_DELTA_CHAIN) {
            return Optional.empty();
        }
        try (RandomAccessFile file = new RandomAccessFile(pack.toFile(), "r")) {
            file.seek(offset);
            int b = file.readUnsignedByte();
            int type = (b >>> 4) & 7;
            long size = b & 15;
            for (int shift = 4; (b & 0x80) != 0; shift += 7) {
                b = file.readUnsignedByte();
                size |= (long) (b & 0x7f) << shift;
            }
            Optional<RawObject> base = Optional.empty();
            if (type == OFS_DELTA) {
                b = file.readUnsignedByte();
                long back = b & 0x7f;
                while ((b & 0x80) != 0) {
                    b = file.readUnsignedByte();
                    back = ((back + 1) << 7) | (b & 0x7f);
                }
                long dataStart = file.getFilePointer();
                base = readPacked(pack, offset - back, depth + 1);
                file.seek(dataStart);
            } else if (type == REF_DELTA) {
                byte[] baseId = new byte[idLength];
                file.readFully(baseId);
                long dataStart = file.getFilePointer();
                base = read(HexFormat.of().formatHex(baseId), depth + 1);
                file.seek(dataStart);
            }
            if (size > Integer.MAX_VALUE - 16) {
                return Optional.empty();
            }
            byte[] data = inflateFrom(file, (int) size);
            if (data == null) {
                return Optional.empty();
            }
            if (type == OFS_DELTA || type == REF_DELTA) {
                if (base.isEmpty()) {
                    return Optional.empty();
                }
                byte[] patched = applyDelta(base.get().content(), data);
                return patched == null ? Optional.empty() : Optional.of(new RawObject(base.get().type(), patched));
            }
            return Optional.of(new RawObject(type, data));
        }
    }

    /** Inflates a zlib stream read from the file's position until {@code size} bytes come out. */
    private static byte[] inflateFrom(RandomAccessFile file, int size) throws IOException {
        Inflater inflater = new Inflater();
        try {
            byte[] out = new byte[size];
            byte[] in = new byte[8192];
            int produced = 0;
            while (produced < size || !inflater.finished()) {
                if (inflater.needsInput()) {
                    int n = file.read(in);
                    if (n <= 0) {
                        return null;
                    }
                    inflater.setInput(in, 0, n);
                }
                int n = inflater.inflate(out, produced, size - produced);
                produced += n;
                if (inflater.finished()) {
                    break;
                }
                if (n == 0 && inflater.needsDictionary()) {
                    return null;
                }
            }
            return produced == size ? out : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 3);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** git's delta format: the base's and result's sizes, then copy-from-base and insert instructions. */
    private static byte[] applyDelta(byte[] base, byte[] delta) {
        try {
            return patch(base, delta);
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return null;
        }
    }

    private static byte[] patch(byte[] base, byte[] delta) {
        int[] at = {0};
        long baseSize = varint(delta, at);
        long resultSize = varint(delta, at);
        if (baseSize != base.length || resultSize > Integer.MAX_VALUE) {
            return null;
        }
        byte[] result = new byte[(int) resultSize];
        int written = 0;
        int i = at[0];
        while (i < delta.length) {
            int op = delta[i++] & 0xff;
            if ((op & 0x80) != 0) {
                long copyOffset = 0;
                long copySize = 0;
                for (int bit = 0; bit < 4; bit++) {
                    if ((op & (1 << bit)) != 0) {
                        copyOffset |= (long) (delta[i++] & 0xff) << (8 * bit);
                    }
                }
                for (int bit = 0; bit < 3; bit++) {
                    if ((op & (0x10 << bit)) != 0) {
                        copySize |= (long) (delta[i++] & 0xff) << (8 * bit);
                    }
                }
                if (copySize == 0) {
                    copySize = 0x10000;
                }
                if (copyOffset + copySize > base.length || written + copySize > result.length) {
                    return null;
                }
                System.arraycopy(base, (int) copyOffset, result, written, (int) copySize);
                written += (int) copySize;
            } else if (op != 0) {
                if (i + op > delta.length || written + op > result.length) {
                    return null;
                }
                System.arraycopy(delta, i, result, written, op);
                i += op;
                written += op;
            } else {
                return null;
            }
        }
        return written == result.length ? result : null;
    }

    private static long varint(byte[] b, int[] at) {
        long value = 0;
        int shift = 0;
        int c;
        do {
            c = b[at[0]++] & 0xff;
            value |= (long) (c & 0x7f) << shift;
            shift += 7;
        } while ((c & 0x80) != 0);
        return value;
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = Math.max(from, 0); i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
