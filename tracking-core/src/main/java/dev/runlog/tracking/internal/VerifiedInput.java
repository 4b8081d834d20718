package dev.runlog.tracking.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.spi.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * An artifact's content as read, checked against the size and SHA-256 its store recorded when it
 * was stored: a read past the recorded size, or an end of stream at another size or with another
 * digest, throws an {@link IntegrityException} naming the file, so a file changed behind Runlog's
 * back (on disk, or in a bucket with forged object metadata) is never taken for the one logged.
 * The check is made as the bytes go by, so a caller reading to the end (a download, a copy) pays no
 * second pass; one that stops early has checked nothing, as with any stream.
 */
final class VerifiedInput extends FilterInputStream {
    private final String runId;
    private final ArtifactEntry recorded;
    private final MessageDigest digest = Sha256.newDigest();
    private long read;
    private boolean checked;

    private VerifiedInput(InputStream in, String runId, ArtifactEntry recorded) {
        super(in);
        this.runId = runId;
        this.recorded = recorded;
    }

    /** {@code in}, checked against {@code recorded}; as it is when there is no record to check against. */
    static InputStream of(InputStream in, String runId, ArtifactEntry recorded) {
        return recorded == null || recorded.sha256().isEmpty() ? in : new VerifiedInput(in, runId, recorded);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            atEnd();
        } else {
            took(1);
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
            took(n);
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

    private void took(int n) {
        read += n;
        if (read > recorded.size()) {
            throw changed("more than its recorded " + recorded.size() + " bytes");
        }
    }

    private void atEnd() {
        if (checked) {
            return;
        }
        checked = true;
        if (read != recorded.size()) {
            throw changed(read + " bytes, recorded " + recorded.size());
        }
        String actual = Sha256.hex(digest);
        if (!actual.equals(recorded.sha256().orElseThrow())) {
            throw changed("SHA-256 " + actual + ", recorded " + recorded.sha256().orElseThrow());
        }
    }

    private IntegrityException changed(String what) {
        return new IntegrityException("Artifact '" + recorded.path() + "' of run " + runId + " changed since it was stored ("
                + what + "); runlog doctor lists every changed or missing file");
    }
}
