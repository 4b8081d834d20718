package dev.runlog.tracking.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.spi.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * An artifact's content as read, checked against the size and SHA-256 its store recorded when it
 * was stored: an end of stream at another size or with another digest throws an {@link IntegrityException} naming the file, so a file changed behind Runlog's
 * back (on disk, or in a bucket with forged object metadata) is never taken for the one logged.
 * The check is made as the bytes go by, so a caller reading to the end (a download, a copy) pays no
 * second pass; one that stops early has checked nothing, as with any stream.
 *
 * <p>A file replaced while it is read (another process logging it again) is stored before its new
 * record is, so a reader may meet the new bytes under the old record: on a mismatch the record is
 * read again, a few times over some 200 ms, and the read passes if the bytes match it then, or if
 * the record changed meanwhile (the file was logged again during the read, through Runlog).
 */
final class VerifiedInput extends FilterInputStream {
    private static final int RECHECKS = 10;
    private static final long RECHECK_PAUSE_MILLIS = 20;

    private final String runId;
    private final ArtifactEntry recorded;
    private final Supplier<ArtifactEntry> current;
    private final MessageDigest digest = Sha256.newDigest();
    private long read;
    private boolean checked;

    private VerifiedInput(InputStream in, String runId, ArtifactEntry recorded, Supplier<ArtifactEntry> current) {
        super(in);
        this.runId = runId;
        this.recorded = recorded;
        this.current = current;
    }

    /**
     * {@code in}, checked against {@code recorded} (a file's record always holds its SHA-256).
     *
     * @param current the file's record as the store has it now (null when it has none), read again
     *                when the bytes do not match {@code recorded}
     */
    static InputStream of(InputStream in, String runId, ArtifactEntry recorded, Supplier<ArtifactEntry> current) {
        return new VerifiedInput(in, runId, java.util.Objects.requireNonNull(recorded, "recorded"), current);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            atEnd();
        } else {
            read++;
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            atEnd();
        } else {
            read += n;
            digest.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would go unhashed: read them instead.
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(0, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void atEnd() {
        if (checked) {
            return;
        }
        checked = true;
        String actual = Sha256.hex(digest);
        if (matches(recorded, actual)) {
            return;
        }
        for (int i = 0; i < RECHECKS; i++) {
            ArtifactEntry now = current.get();
            if (now != null && (matches(now, actual) || !now.equals(recorded))) {
                // Logged again while it was read: these are the new bytes, and their record came; or
                // the record moved on meanwhile (a file logged again and again), which only a write
                // through Runlog does: the bytes read were one of its versions.
                return;
            }
            try {
                Thread.sleep(RECHECK_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw changed(read != recorded.size() ? read + " bytes, recorded " + recorded.size()
                : "SHA-256 " + actual + ", recorded " + recorded.sha256().orElseThrow());
    }

    private boolean matches(ArtifactEntry record, String actual) {
        return read == record.size() && record.sha256().filter(actual::equals).isPresent();
    }

    private IntegrityException changed(String what) {
        return new IntegrityException("Artifact '" + recorded.path() + "' of run " + runId + " changed since it was stored ("
                + what + "); runlog doctor lists every changed or missing file");
    }
}
