package dev.runlog.tracking.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A git work tree read from the files under {@code .git} (a worktree's or submodule's {@code .git}
 * file, loose and packed refs, the index), so no git process is spawned and no git installation
 * is needed.
 *
 * @param root   the directory holding {@code .git}
 * @param gitDir the git directory of this work tree (for a linked worktree, its own one)
 */
record GitWorkTree(Path root, Path gitDir) {

    /** The work tree holding {@code start}, looking up from it. */
    static Optional<GitWorkTree> locate(Path start) throws IOException {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            if (Files.isDirectory(dotGit)) {
                return Optional.of(new GitWorkTree(dir, dotGit));
            }
            if (Files.isRegularFile(dotGit)) {
                String content = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
                if (content.startsWith("gitdir:")) {
                    Path gitDir = dir.resolve(content.substring("gitdir:".length()).trim()).normalize();
                    return Optional.of(new GitWorkTree(dir, gitDir));
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The branch checked out ({@code main} for {@code refs/heads/main}); empty for a detached HEAD. */
    Optional<String> branch() throws IOException {
        return headRef().filter(ref -> ref.startsWith("refs/heads/")).map(ref -> ref.substring("refs/heads/".length()));
    }

    /** The commit checked out; empty on a branch with no commit yet. */
    Optional<String> headCommit() throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return Optional.empty();
        }
        String head = Files.readString(headFile, StandardCharsets.UTF_8).trim();
        if (!head.startsWith("ref:")) {
            return isObjectId(head) ? Optional.of(head) : Optional.empty();
        }
        String ref = head.substring("ref:".length()).trim();
        Path commonDir = commonDir();
        for (Path base : List.of(gitDir, commonDir)) {
            Path loose = base.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String id = Files.readString(loose, StandardCharsets.UTF_8).trim();
                return isObjectId(id) ? Optional.of(id) : Optional.empty();
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && isObjectId(parts[0])) {
                    return Optional.of(parts[0]);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a tracked file differs from what the index (the staging area) holds for it: it is
     * gone, its type or size changed, or (when its modification time differs from the one the
     * index recorded) its content no longer hashes to the index's blob id, which is git's own test.
     * An unmerged entry counts as dirty, and so does a change staged but not committed: the index
     * differs from the tree of the commit checked out (a path added, removed, or with another blob
     * or mode), read from the object store, loose or packed ({@link GitObjects}); if that tree cannot
     * be read, staged changes are not seen. Untracked files do not count (as
     * {@code git describe --dirty}). Empty when the index cannot be read (no index yet, an unknown
     * version).
     */
    Optional<Boolean> dirty() throws IOException {
        Path indexFile = gitDir.resolve("index");
        if (!Files.isRegularFile(indexFile)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(indexFile), 1 << 16))) {
            if (in.readInt() != 0x44495243) { // "DIRC"
                return Optional.empty();
            }
            int version = in.readInt();
            if (version < 2 || version > 4) {
                return Optional.empty();
            }
            int entries = in.readInt();
            boolean fileMode = fileMode();
            Optional<String> head = headCommit();
            int idLength = head.map(String::length).orElse(40) / 2; // SHA-1 or SHA-256 repositories
            Map<String, GitObjects.Entry> staged = new HashMap<>();
            byte[] previous = new byte[0];
            for (int i = 0; i < entries; i++) {
                in.readInt(); // ctime seconds
                in.readInt(); // ctime nanoseconds
                long mtimeSeconds = Integer.toUnsignedLong(in.readInt());
                long mtimeNanos = Integer.toUnsignedLong(in.readInt());
                in.skipNBytes(8); // dev, ino
                int mode = in.readInt();
                in.skipNBytes(8); // uid, gid
                long size = Integer.toUnsignedLong(in.readInt());
                byte[] id = in.readNBytes(idLength);
                int flags = in.readUnsignedShort();
                int entryLength = 62 + idLength - 20;
                boolean skipWorktree = false;
                if (version >= 3 && (flags & 0x4000) != 0) {
                    skipWorktree = (in.readUnsignedShort() & 0x4000) != 0;
                    entryLength += 2;
                }
                byte[] path;
                if (version == 4) {
                    int strip = readVarint(in);
                    byte[] suffix = readToNul(in);
                    path = new byte[previous.length - strip + suffix.length];
                    System.arraycopy(previous, 0, path, 0, previous.length - strip);
                    System.arraycopy(suffix, 0, path, previous.length - strip, suffix.length);
                } else {
                    path = readToNul(in);
                    int read = entryLength + path.length + 1;
                    in.skipNBytes((8 - read % 8) % 8); // entries are NUL-padded to a multiple of 8 bytes
                }
                previous = path;
                if ((flags & 0x3000) != 0) {
                    return Optional.of(true); // an unmerged path: a merge in progress
                }
                String name = new String(path, StandardCharsets.UTF_8);
                staged.put(name, new GitObjects.Entry(mode, java.util.HexFormat.of().formatHex(id)));
                int type = mode >>> 12;
                if (skipWorktree || type != 0b1000) {
                    continue; // not checked out, or a symbolic link or submodule: not compared
                }
                if (changed(root.resolve(name), size, mtimeSeconds, mtimeNanos, id, fileMode ? mode : -1)) {
                    return Optional.of(true);
                }
            }
            if (head.isEmpty()) {
                return Optional.of(!staged.isEmpty()); // files staged before the first commit
            }
            Optional<Map<String, GitObjects.Entry>> committed = new GitObjects(commonDir(), idLength).commitFiles(head.get());
            return Optional.of(committed.isPresent() && !committed.get().equals(staged));
        }
    }

    /**
     * @param mode the index's mode of the file, whose owner-execute bit git compares with the
     *             file's ({@code chmod +x} is a change), or -1 when the repository ignores modes
     */
    private static boolean changed(Path file, long size, long mtimeSeconds, long mtimeNanos, byte[] id, int mode)
            throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = mode >= 0 && file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException gone) {
            return true;
        }
        if (!attributes.isRegularFile() || (attributes.size() & 0xFFFFFFFFL) != size) {
            return true;
        }
        if (attributes instanceof java.nio.file.attribute.PosixFileAttributes posix
                && posix.permissions().contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE)
                        != ((mode & 0100) != 0)) {
            return true;
        }
        java.time.Instant modified = attributes.lastModifiedTime().toInstant();
        if (modified.getEpochSecond() == mtimeSeconds && modified.getNano() == mtimeNanos) {
            return false;
        }
        return !java.util.Arrays.equals(blobId(file, attributes.size(), id.length), id);
    }

    /** git's blob id: the hash of {@code "blob <size>\0"} and the content. */
    private static byte[] blobId(Path file, long size, int idLength) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(idLength == 32 ? "SHA-256" : "SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static byte[] readToNul(DataInputStream in) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64);
        for (int b; (b = in.readUnsignedByte()) != 0; ) {
            bytes.write(b);
        }
        return bytes.toByteArray();
    }

    /** The offset encoding of index version 4's path prefix lengths. */
    private static int readVarint(DataInputStream in) throws IOException {
        int b = in.readUnsignedByte();
        int value = b & 0x7F;
        while ((b & 0x80) != 0) {
            b = in.readUnsignedByte();
            value = ((value + 1) << 7) | (b & 0x7F);
        }
        return value;
    }

    private Optional<String> headRef() throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return Optional.empty();
        }
        String head = Files.readString(headFile, StandardCharsets.UTF_8).trim();
        return head.startsWith("ref:") ? Optional.of(head.substring("ref:".length()).trim()) : Optional.empty();
    }

    /**
     * Whether git compares the executable bit here: {@code core.filemode}, true unless the
     * repository's config sets it false (as git does where the file system cannot keep the bit).
     */
    private boolean fileMode() {
        try {
            boolean core = false;
            for (String line : Files.readAllLines(commonDir().resolve("config"), StandardCharsets.UTF_8)) {
                String text = line.strip().toLowerCase(java.util.Locale.ROOT);
                if (text.startsWith("[")) {
                    core = text.replace(" ", "").equals("[core]");
                } else if (core && text.replace(" ", "").replace("\t", "").startsWith("filemode=")) {
                    String value = text.substring(text.indexOf('=') + 1).strip();
                    return !(value.equals("false") || value.equals("no") || value.equals("off") || value.equals("0"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no readable config: git's default
        }
        return true;
    }

    private Path commonDir() throws IOException {
        Path commonDirFile = gitDir.resolve("commondir");
        if (Files.isRegularFile(commonDirFile)) {
            return gitDir.resolve(Files.readString(commonDirFile, StandardCharsets.UTF_8).trim()).normalize();
        }
        return gitDir;
    }

    private static boolean isObjectId(String s) {
        return (s.length() == 40 || s.length() == 64) && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
