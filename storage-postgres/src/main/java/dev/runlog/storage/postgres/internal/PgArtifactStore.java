package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Artifact files in the database itself, reachable from every host that reaches it: a row per file
 * in {@code runlog_artifact_files}, its bytes in pieces of {@link #PIECE} bytes. An upload streams:
 * it holds one piece in memory, hashes the bytes as they pass, and writes the file row and its
 * pieces in one transaction, replacing the file at that path on commit, so a reader sees the old
 * file or the new one, never a part. A read fetches one piece at a time and checks the SHA-256 and
 * size at the end of the file: bytes changed in the database are an {@link IntegrityException}.
 */
final class PgArtifactStore implements ArtifactStore {
    /** Bytes per piece: big enough that a model of gigabytes is some thousands of rows, small enough to buffer. */
    static final int PIECE = 512 * 1024;
    /** The first key of the advisory lock that serializes the uploads of one run ("Rart"). */
    private static final int UPLOAD_LOCK = 0x52617274;

    private final PgDatabase db;

    PgArtifactStore(PgDatabase db) {
        this.db = db;
    }

    @Override
    public String artifactUri(String runId) {
        PgUri uri = db.uri();
        return "postgresql://" + uri.host() + ":" + uri.port() + "/" + uri.database() + "#artifacts/" + runId;
    }

    @Override
    public ArtifactEntry put(String runId, String path, InputStream content) {
        String file = ArtifactPaths.normalize(path);
        if (file.isEmpty()) {
            throw new InvalidInputException("artifact path '" + path + "' names the root; give a file path");
        }
        // Once: a retry could not read the stream again.
        return db.writeOnce(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                lock.setInt(1, UPLOAD_LOCK);
                lock.setString(2, PgDatabase.storable(runId));
                lock.execute();
            }
            checkTree(c, runId, file);
            PgDatabase.update(c, "DELETE FROM runlog_artifact_files WHERE run_id = ? AND path = ?", runId, file);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runlog_artifact_files (run_id, path, size, sha256)"
                    + " VALUES (?, ?, 0, '') RETURNING file_id")) {
                ps.setString(1, PgDatabase.storable(runId));
                ps.setString(2, file);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            MessageDigest digest = Sha256.newDigest();
            long size = 0;
            try (PreparedStatement piece = c.prepareStatement(
                    "INSERT INTO runlog_artifact_pieces (file_id, piece_no, data) VALUES (?, ?, ?)")) {
                for (int no = 0; ; no++) {
                    byte[] bytes = readPiece(content, runId, file);
                    if (bytes.length == 0 && no > 0) {
                        break;
                    }
                    digest.update(bytes);
                    size += bytes.length;
                    piece.setLong(1, id);
                    piece.setInt(2, no);
                    piece.setBytes(3, bytes);
                    piece.executeUpdate();
                    if (bytes.length < PIECE) {
                        break;
                    }
                }
            }
            String sha256 = Sha256.hex(digest);
            PgDatabase.update(c, "UPDATE runlog_artifact_files SET size = ?, sha256 = ? WHERE file_id = ?", size, sha256, id);
            return ArtifactEntry.file(file, size, sha256);
        });
    }

    private static byte[] readPiece(InputStream content, String runId, String file) {
        try {
            return content.readNBytes(PIECE);
        } catch (IOException e) {
            throw new StoreException("Could not read the content of artifact '" + file + "' of run " + runId + ": "
                    + e.getMessage(), e);
        }
    }

    /** A file may not stand where a directory is, nor below a file: the paths stay a tree. */
    private static void checkTree(Connection c, String runId, String file) throws SQLException {
        if (PgDatabase.exists(c, "SELECT 1 FROM runlog_artifact_files WHERE run_id = ? AND starts_with(path, ?)",
                runId, file + "/")) {
            throw new InvalidInputException("artifact path '" + file + "' of run " + runId + " is a directory");
        }
        List<String> above = new ArrayList<>();
        for (int slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
            above.add(file.substring(0, slash));
        }
        if (above.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT path FROM runlog_artifact_files WHERE run_id = ? AND path = ANY (?) ORDER BY path LIMIT 1")) {
            ps.setString(1, PgDatabase.storable(runId));
            ps.setArray(2, c.createArrayOf("text", above.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new InvalidInputException("artifact path '" + file + "' of run " + runId + " goes through '"
                            + rs.getString(1) + "', which is a file");
                }
            }
        }
    }

    @Override
    public InputStream open(String runId, String path) {
        String file = ArtifactPaths.normalize(path);
        // The file's row and its first piece from one snapshot: a file of one piece (up to 512 KB)
        // replaced meanwhile is read whole, old or new, never its row with the other's pieces.
        PieceStream stream = db.read(c -> {
            Optional<StoredFile> stored = PgDatabase.first(c,
                    rs -> new StoredFile(runId + "/" + file, rs.getLong(1), rs.getLong(2), rs.getString(3)),
                    "SELECT file_id, size, sha256 FROM runlog_artifact_files WHERE run_id = ? AND path = ?", runId, file);
            if (stored.isEmpty()) {
                return null;
            }
            byte[] first = PgDatabase.first(c, rs -> rs.getBytes(1),
                    "SELECT data FROM runlog_artifact_pieces WHERE file_id = ? AND piece_no = 0", stored.get().id()).orElse(null);
            return new PieceStream(stored.get(), first);
        });
        if (stream == null) {
            throw new NotFoundException("Run " + runId + " has no artifact file '" + file + "'");
        }
        return stream;
    }

    /** A stored file's row: what a read must find at its end. */
    private record StoredFile(String name, long id, long size, String sha256) {
    }

    /** Reads a file a piece at a time, each in a short transaction of its own, and checks it at the end. */
    private final class PieceStream extends InputStream {
        private final StoredFile file;
        private final MessageDigest digest = Sha256.newDigest();
        private byte[] piece = new byte[0];
        private int position;
        private int nextPiece;
        private long read;
        private boolean ended;

        /** {@code first}: the file's piece 0, read with its row; null for a file of no bytes. */
        PieceStream(StoredFile file, byte[] first) {
            this.file = file;
            if (first != null) {
                digest.update(first);
                read = first.length;
                piece = first;
                nextPiece = 1;
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == piece.length) {
                if (ended || !fetch()) {
                    return -1;
                }
            }
            int n = Math.min(len, piece.length - position);
            System.arraycopy(piece, position, b, off, n);
            position += n;
            return n;
        }

        /** Fetches the next piece; false, after checking the whole file, when there is none. */
        private boolean fetch() throws IOException {
            int no = nextPiece++;
            byte[] next = db.readOne(c -> PgDatabase.first(c, rs -> rs.getBytes(1),
                    "SELECT data FROM runlog_artifact_pieces WHERE file_id = ? AND piece_no = ?", file.id(), no)).orElse(null);
            if (next == null) {
                ended = true;
                // Once: taking a digest's value resets it, so a second call hashed nothing.
                String actual = Sha256.hex(digest);
                if (read == file.size() && actual.equals(file.sha256())) {
                    return false;
                }
                if (!stillThere()) {
                    throw new IOException("Artifact " + file.name() + " was replaced or deleted while it was being read");
                }
                throw new IntegrityException("Artifact " + file.name() + " in the database does not match what was"
                        + " stored: expected " + file.size() + " bytes with SHA-256 " + file.sha256() + ", read " + read + " bytes with SHA-256 "
                        + actual);
            }
            digest.update(next);
            read += next.length;
            piece = next;
            position = 0;
            return true;
        }

        private boolean stillThere() {
            return db.readOne(c -> PgDatabase.exists(c, "SELECT 1 FROM runlog_artifact_files WHERE file_id = ?", file.id()));
        }
    }

    @Override
    public List<ArtifactEntry> list(String runId, String path) {
        String dir = ArtifactPaths.normalize(path);
        String prefix = dir.isEmpty() ? "" : dir + "/";
        return db.readOne(c -> {
            List<ArtifactEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT path, size FROM runlog_artifact_files"
                    + " WHERE run_id = ? AND starts_with(path, ?) ORDER BY path")) {
                ps.setString(1, PgDatabase.storable(runId));
                ps.setString(2, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    String lastDirectory = null;
                    while (rs.next()) {
                        String rest = rs.getString(1).substring(prefix.length());
                        int slash = rest.indexOf('/');
                        if (slash < 0) {
                            entries.add(new ArtifactEntry(rs.getString(1), false, rs.getLong(2), java.util.Optional.empty()));
                        } else if (!(prefix + rest.substring(0, slash)).equals(lastDirectory)) {
                            lastDirectory = prefix + rest.substring(0, slash);
                            entries.add(ArtifactEntry.directory(lastDirectory));
                        }
                    }
                }
            }
            entries.sort(java.util.Comparator.comparing(ArtifactEntry::path));
            return List.copyOf(entries);
        });
    }

    @Override
    public long deleteRunArtifacts(String runId) {
        InputRules.notNull("run id", runId);
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM runlog_artifact_files WHERE run_id = ? RETURNING size")) {
                ps.setString(1, PgDatabase.storable(runId));
                long bytes = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        bytes += rs.getLong(1);
                    }
                }
                return bytes;
            }
        });
    }

    /** Nothing of its own: the database belongs to the tracking store, which closes it. */
    @Override
    public void close() {
    }
}
